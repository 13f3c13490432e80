"""The per-chapter task table a student sees at the end of ``make test``."""
from __future__ import annotations

import io
import json
from collections import defaultdict
from typing import Any

from rich.console import Console
from rich.table import Table

from grader.harness.outcomes import Outcome
from grader.i18n import pick, t
from grader.layout import TESTS_PUBLIC

STYLE = {"pass": "green", "fail": "red", "todo": "yellow"}


def load_tasks(chapter: str) -> list[dict]:
    """The chapter's task list (``tests_public/<chapter>/tasks.json``, written by ``release``)."""
    path = TESTS_PUBLIC / chapter / "tasks.json"
    return json.loads(path.read_text(encoding="utf-8"))["tasks"] if path.is_file() else []


def task_status(outcomes: list[Outcome]) -> str:
    """``todo`` if any test of the task is unimplemented, ``fail`` if any fails, else ``pass``."""
    statuses = {o.status for o in outcomes}
    if "todo" in statuses:
        return "todo"
    if statuses & {"fail", "error"}:
        return "fail"
    return "pass" if statuses else "none"


def chapter_table(chapter: str, outcomes: list[Outcome]) -> tuple[Table, list[tuple[dict, str]]]:
    """A rich table of the chapter's tasks and their status, and the rows as data."""
    by_task: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        for task in o.tasks:
            by_task[task].append(o)
    table = Table(title=t("table.title", chapter=chapter), title_justify="left")
    for col in ("table.task", "table.function", "table.status", "table.tests"):
        table.add_column(t(col))
    rows = []
    for task in load_tasks(chapter):
        mine = by_task.get(task["id"], [])
        status = task_status(mine)
        passed = sum(o.status == "pass" for o in mine)
        label = t(f"status.{status}") if status in STYLE else "—"
        table.add_row(task["id"], task["function"], f"[{STYLE.get(status, 'dim')}]{label}", f"{passed}/{len(mine)}")
        rows.append((task, status))
    return table, rows


def print_task_tables(outcomes: list[Outcome], terminalreporter: Any) -> None:
    """Write one table per chapter, then the next task to do (or a well done)."""
    by_chapter: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_chapter[o.chapter].append(o)
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=bool(getattr(terminalreporter, "hasmarkup", False)), width=100)
    for chapter in sorted(by_chapter):
        table, rows = chapter_table(chapter, by_chapter[chapter])
        if not rows:
            continue
        console.print(table)
        todo = [task for task, status in rows if status in ("todo", "fail")]
        if todo:
            task = todo[0]
            console.print(t("next", task=task["id"], function=task["function"], hint=pick(task["hint"])), style="bold")
        else:
            console.print(t("all_done", chapter=chapter), style="bold green")
    if any(o.status in ("fail", "error") for o in outcomes):
        console.print(t("see_verbose"), style="dim")
    terminalreporter.write(buf.getvalue())
