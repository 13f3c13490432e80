"""One way to run the kit's tests: the pytest argument list every command builds its run from."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional

from grader import REPO_ROOT
from grader.layout import TESTS_HIDDEN, TESTS_PUBLIC


def test_folders(chapters: Iterable[str], public: bool = True, hidden: bool = False) -> list[Path]:
    """The existing public and/or hidden test folders of ``chapters``, chapter by chapter."""
    roots = ([TESTS_PUBLIC] if public else []) + ([TESTS_HIDDEN] if hidden else [])
    return [root / ch for ch in chapters for root in roots if (root / ch).is_dir()]


def pytest_args(folders: Iterable[Path], target: Optional[str] = "assignments", quiet: bool = False,
                task_table: bool = True, report_json: Optional[Path] = None, skip_slow: bool = False,
                collect_only: bool = False, extra: Iterable[str] = ()) -> list[str]:
    """``pytest.main`` arguments: the kit's config and plugin, the tree under test, and the options asked for."""
    args = [str(f) for f in folders] + ["-c", str(REPO_ROOT / "pyproject.toml"), "-p", "no:cacheprovider"]
    args += ["--target", target] if target else []
    args += ["-q"] if quiet else []
    args += [] if task_table else ["--no-task-table"]
    args += ["--report-json", str(report_json)] if report_json else []
    args += ["-m", "not slow"] if skip_slow else []
    args += ["--collect-only"] if collect_only else []
    return args + list(extra)
