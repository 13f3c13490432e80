"""Compare: run the checks (public + hidden tests) for one submission in a trusted process.

Probes go to the submission's sandbox (:class:`~.sandbox.client.SandboxRunner`); reference calls run
here, cached on disk for the whole batch. Run as
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
from grader.harness.probes import InProcessRunner, Probe, ProbeRunner, call_key, chapter_of
from grader.harness.trees import Tree
from grader.layout import SOLUTIONS
from grader.grading.sandbox.client import Limits, Sandbox, SandboxConfig, SandboxRunner


class DiskCachedReference:
    """The live reference, its results cached as codec blobs in a folder shared by the batch."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.inner = InProcessRunner(Tree(SOLUTIONS), reference=True)
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, probe: Probe, *args: Any, timeout: Optional[float] = None, **kwargs: Any) -> Any:
        path = self.folder / f"{call_key(probe, args, kwargs)}.npz"
        if path.is_file():
            return codec.decode(path.read_bytes())
        result = self.inner(probe, *args, **kwargs)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(codec.encode(result))
        os.replace(tmp, path)
        return result


class GradingSession:
    """pytest plugin: installs the sandboxed runner and the cached reference before the kit's plugin."""

    def __init__(self, runner: ProbeRunner, reference: ProbeRunner) -> None:
        self.runner, self.reference = runner, reference

    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[RUNNER] = self.runner
        config.stash[REFERENCE] = self.reference
        config.stash[TARGET_ROOT] = None


class ChapterSandboxes:
    """A probe runner with one sandbox per chapter: a chapter is graded alone (only its own package and
    the kit's given code are importable), and the submission's time budget spans all of them."""

    def __init__(self, tree: Path, config: SandboxConfig) -> None:
        self.tree, self.config = tree, config
        self.started = time.monotonic()
        self.runners: dict[str, SandboxRunner] = {}

    def __call__(self, probe: Probe, *args: Any, timeout: Optional[float] = None, **kwargs: Any) -> Any:
        chapter = chapter_of(probe) or ""
        if chapter not in self.runners:
            self.runners[chapter] = SandboxRunner(Sandbox(self.tree, [chapter], self.config), started=self.started)
        return self.runners[chapter](probe, *args, timeout=timeout, **kwargs)

    @property
    def isolation(self) -> str:
        modes = {r.sandbox.isolation for r in self.runners.values()}
        return ", ".join(sorted(modes)) or "not started"

    def close(self) -> None:
        for runner in self.runners.values():
            runner.sandbox.close()


def run_job(job: dict) -> dict:
    """Grade one submission's present chapters; returns ``{"outcomes": [...], "isolation": ...}``."""
    config = SandboxConfig(base_dir=Path(job["sandbox_base"]), hide=job["hide"], limits=Limits(**job["limits"]),
                           slot=job["slot"], namespaces=job.get("namespaces", True))
    sandboxes = ChapterSandboxes(Path(job["tree"]), config)
    report = Path(job["report"])
    try:
        plugin = GradingSession(sandboxes, DiskCachedReference(Path(job["refcache"])))
        args = pytest_args(test_folders(job["chapters"], hidden=True), target=None, quiet=True, task_table=False,
                           report_json=report, skip_slow=job.get("skip_slow", False))
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
