"""Compare: run the checks (public + hidden tests) for one submission in a trusted process.

Probes go to the submission's sandbox (:class:`~.sandbox.client.SandboxRunner`); reference calls run
here, cached and timed on disk for the whole batch: a student call gets a limit from the reference's time for
the same call (:func:`~.sandbox.client.probe_limit`). Run as
``python -I -m grader.grading.compare JOB_JSON``; writes the outcomes JSON the job names.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Optional

import pytest

from grader.harness import codec
from grader.harness.plugin import REFERENCE, RUNNER, TARGET_ROOT
from grader.harness.session import pytest_args, test_folders
from grader.harness.probes import GraderError, InProcessRunner, Probe, call_key, chapter_of, probe_id
from grader.harness.trees import Tree
from grader.layout import SOLUTIONS
from grader.grading.sandbox.client import Limits, Sandbox, SandboxConfig, SandboxRunner, probe_limit


class DiskCachedReference:
    """The live reference, its results cached as codec blobs in a folder shared by the batch, with the
    wall seconds each call took (``<key>.seconds``: the first run and a second one, which leaves out one-off
    costs such as torch's first backward pass; only a probe's first call in this process is run again, and
    only when that can lower the student's limit)."""

    def __init__(self, folder: Path, limits: Limits) -> None:
        self.folder, self.limits = folder, limits
        self.probes_run: set[str] = set()
        self.inner = InProcessRunner(Tree(SOLUTIONS), reference=True)
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, probe: Probe, *args: Any, timeout: Optional[float] = None, **kwargs: Any) -> Any:
        path = self.folder / f"{call_key(probe, args, kwargs)}.npz"
        if path.is_file():
            return codec.decode(path.read_bytes())
        result, first = self._timed(probe, args, kwargs)
        again, lim = first, self.limits
        if probe_id(probe) not in self.probes_run and lim.probe_floor < lim.probe_factor * first < lim.probe_factor * lim.probe_seconds:
            again = self._timed(probe, args, kwargs)[1]
        self.probes_run.add(probe_id(probe))
        self._write(path.with_suffix(".seconds"), f"{first:.6f} {again:.6f}".encode())
        self._write(path, codec.encode(result))
        return result

    def _timed(self, probe: Probe, args: tuple, kwargs: dict) -> tuple[Any, float]:
        start = time.perf_counter()
        result = self.inner(probe, *args, **kwargs)
        return result, time.perf_counter() - start

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    def seconds(self, probe: Probe, args: tuple, kwargs: dict) -> Optional[tuple[float, float]]:
        """How long the reference took for this call, first and second run, if it ran in this batch."""
        try:
            first, again = map(float, (self.folder / f"{call_key(probe, args, kwargs)}.seconds").read_text().split())
        except (OSError, ValueError):
            return None
        return first, again


class ChapterSandboxes:
    """A probe runner with one sandbox per chapter: a chapter is graded alone (only its own package and
    the kit's given code are importable), and the submission's time budget spans all of them.

    Each call's limit comes from the reference's time for the same call. In a quick test (not ``slow``)
    a call the reference has not been timed on yet runs on the reference first (checks call ``run`` before
    ``ref``; the result is cached for the batch); a slow test's training run keeps the check's own limit
    until the reference was timed on it."""

    def __init__(self, tree: Path, config: SandboxConfig, reference: DiskCachedReference) -> None:
        self.tree, self.config, self.reference = tree, config, reference
        self.started = time.monotonic()
        self.runners: dict[str, SandboxRunner] = {}
        self.prime = True  # the running test is quick: time the reference first

    def reference_seconds(self, probe: Probe, args: tuple, kwargs: dict) -> Optional[tuple[float, float]]:
        seconds = self.reference.seconds(probe, args, kwargs)
        if seconds is None and self.prime:
            try:
                self.reference(probe, *args, **kwargs)
            except GraderError:  # the check's own call of the reference reports it
                return None
            seconds = self.reference.seconds(probe, args, kwargs)
        return seconds

    def __call__(self, probe: Probe, *args: Any, timeout: Optional[float] = None, **kwargs: Any) -> Any:
        chapter = chapter_of(probe) or ""
        if chapter not in self.runners:
            self.runners[chapter] = SandboxRunner(Sandbox(self.tree, [chapter], self.config), started=self.started)
        runner = self.runners[chapter]
        refused = probe_id(probe) in runner.timed_out  # not run again: no need to time the reference
        ceiling = timeout or self.config.limits.probe_seconds
        limit = probe_limit(self.config.limits, None if refused else self.reference_seconds(probe, args, kwargs), timeout)
        return runner.run(probe, args, kwargs, limit, ceiling)

    @property
    def isolation(self) -> str:
        modes = {r.sandbox.isolation for r in self.runners.values()}
        return ", ".join(sorted(modes)) or "not started"

    def close(self) -> None:
        for runner in self.runners.values():
            runner.sandbox.close()


class GradingSession:
    """pytest plugin: installs the sandboxed runner and the cached reference before the kit's plugin."""

    def __init__(self, runner: ChapterSandboxes) -> None:
        self.runner = runner

    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[RUNNER] = self.runner
        config.stash[REFERENCE] = self.runner.reference
        config.stash[TARGET_ROOT] = None

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        self.runner.prime = item.get_closest_marker("slow") is None


def run_job(job: dict) -> dict:
    """Grade one submission's present chapters; returns ``{"outcomes": [...], "isolation": ...}``."""
    config = SandboxConfig(base_dir=Path(job["sandbox_base"]), hide=job["hide"], limits=Limits(**job["limits"]),
                           slot=job["slot"], namespaces=job.get("namespaces", True))
    sandboxes = ChapterSandboxes(Path(job["tree"]), config, DiskCachedReference(Path(job["refcache"]), config.limits))
    report = Path(job["report"])
    try:
        plugin = GradingSession(sandboxes)
        # only the plugins the checks need: an installed plugin's import (hypothesis's alone: ~1 s) is paid
        # once per student and chapter
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        args = pytest_args(test_folders(job["chapters"], hidden=True), target=None, quiet=True, task_table=False,
                           report_json=report, skip_slow=job.get("skip_slow", False), extra=["-p", "pytest_timeout"])
        with open(os.devnull, "w") as null:
            saved = sys.stdout
            sys.stdout = null
            try:
                pytest.main(args, plugins=[plugin])
            finally:
                sys.stdout = saved
        outcomes = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else []
    finally:
        isolation = sandboxes.isolation
        sandboxes.close()
    return {"outcomes": outcomes, "isolation": isolation}


def main() -> int:
    job = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    result = run_job(job)
    Path(job["result"]).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
