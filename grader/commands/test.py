"""``grader test``: the public (and hidden) tests against one tree, in this process."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Optional

import pytest

from grader.harness.session import pytest_args, test_folders
from grader.layout import TESTS_PUBLIC, chapters, resolve_chapters


# What a student sees by default: progress dots, then the kit's own summary (failing checks, task table,
# next task) instead of pytest's failure sections and short summary; -v brings back tracebacks.
STUDENT_VIEW = ["-q", "--tb=no", "-rN", "--no-header"]


def chapter_dirs(selected: list[str], hidden: bool) -> list[Path]:
    """The test folders of the selected chapters (all chapters with public tests by default)."""
    names = resolve_chapters(selected, chapters(TESTS_PUBLIC)) if selected else chapters(TESTS_PUBLIC)
    return test_folders(names, hidden=hidden)


def run_tests(
    selected: list[str],
    target: str,
    hidden: bool,
    lang: Optional[str],
    extra: list[str],
    expect_todo: bool = False,
) -> int:
    """Run pytest on the selected chapters; with ``expect_todo``, succeed only if every test is TODO."""
    folders = chapter_dirs(selected, hidden)
    lang_opt = (["--lang", lang] if lang else []) + (["--expect-hidden"] if hidden else [])
    if not expect_todo:
        view = [] if any(a.startswith("-v") or a.startswith("--tb") for a in extra) else STUDENT_VIEW
        return int(pytest.main(pytest_args(folders, target=target, extra=[*lang_opt, *view, *extra])))
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        pytest.main(pytest_args(folders, target=target, quiet=True, task_table=False, report_json=report,
                                extra=[*lang_opt, *extra]))
        outcomes = json.loads(report.read_text(encoding="utf-8"))
    wrong = [o for o in outcomes if o["status"] != "todo"]
    for o in wrong:
        print(f"not TODO: {o['name']} -> {o['status']} {o['detail'].get('en', '')}")
    print(f"skeleton check: {len(outcomes) - len(wrong)}/{len(outcomes)} tests read TODO")
    return 1 if wrong or not outcomes else 0
