"""``grader snapshots [--check]``: record the reference results that public tests compare with."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from grader.harness.session import pytest_args, test_folders

from grader.harness import codec
from grader.harness import snapshots as store
from grader.harness.check import CheckFailure, close, equal
from grader.harness.plugin import REFERENCE
from grader.harness.probes import InProcessRunner
from grader.harness.trees import Tree
from grader.layout import SOLUTIONS, TESTS_PUBLIC, chapters


class _Recorder:
    def __init__(self) -> None:
        self.runner = store.RecordingRunner(InProcessRunner(Tree(SOLUTIONS), reference=True))

    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[REFERENCE] = self.runner


def _same(a: Any, b: Any) -> bool:
    """Equal structure; floats within 1e-6, arrays within 1e-5 of their largest magnitude (recordings on
    another machine differ in the last digits of float32 sums)."""
    if isinstance(b, dict):
        return isinstance(a, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in b)
    if isinstance(b, (list, tuple)):
        return isinstance(a, (list, tuple)) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    try:
        if hasattr(b, "shape"):
            values = np.abs(np.asarray(b.detach() if hasattr(b, "detach") else b, dtype=np.float64))
            close(a, b, atol=1e-6 + 1e-5 * (float(values.max()) if values.size else 0.0), rtol=1e-5)
        elif isinstance(b, float):
            close(a, b, atol=1e-6, rtol=1e-5)
        else:
            equal(a, b)
    except CheckFailure:
        return False
    return True


def _stale(old: dict[str, bytes], new: dict[str, bytes]) -> list[str]:
    problems = [f"missing {k[:12]}" for k in new if k not in old] + [f"unused {k[:12]}" for k in old if k not in new]
    for key in set(old) & set(new):
        a, b = codec.decode(old[key]), codec.decode(new[key])
        if not _same(a, b):
            problems.append(f"changed {key[:12]}")
    return problems


def snapshots(selected: list[str], check: bool = False) -> int:
    """Run the public tests on the reference, recording its results; save them or compare."""
    names = selected or chapters(TESTS_PUBLIC)
    recorder = _Recorder()
    args = pytest_args(test_folders(names), target="solutions", quiet=True, task_table=False)
    code = pytest.main(args, plugins=[recorder])
    if code != 0:
        print("snapshots: the public tests do not pass on the reference")
        return 1
    status = 0
    for chapter in names:
        new = recorder.runner.recorded.get(chapter, {})
        if check:
            problems = _stale(store.load(chapter), new)
            for p in problems:
                print(f"{chapter}: snapshot {p}")
            status |= bool(problems)
        elif new:
            store.save(chapter, new)
            print(f"{chapter}: {len(new)} reference result(s) recorded")
    if check:
        print("snapshots --check:", "stale (run `make snapshots`)" if status else "current")
    return int(status)
