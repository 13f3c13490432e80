"""The per-chapter task table a student sees at the end of ``make test``."""
from __future__ import annotations

import io
import json
from collections import defaultdict
from typing import Any, Mapping, Optional

from rich.console import Console
from rich.table import Table

from grader.harness.outcomes import Outcome
from grader.i18n import pick, t
from grader.layout import TESTS_PUBLIC

STYLE = {"pass": "green", "fail": "red", "todo": "yellow"}
MAX_SHOWN = 10


def load_tasks(chapter: str) -> list[dict]:
    """The chapter's task list (``tests_public/<chapter>/tasks.json``, written by ``release``)."""
    path = TESTS_PUBLIC / chapter / "tasks.json"
    return json.loads(path.read_text(encoding="utf-8"))["tasks"] if path.is_file() else []


def task_status(outcomes: list[Outcome]) -> str:
    """``todo`` if any test of the task is unimplemented, ``fail`` if any fails, ``pass`` if every one
    passed, else ``none`` (no test ran, or some were skipped)."""
    statuses = {o.status for o in outcomes}
    if "todo" in statuses:
        return "todo"
    if statuses & {"fail", "error", "grader-error"}:
        return "fail"
    return "pass" if statuses == {"pass"} else "none"


def chapter_table(chapter: str, outcomes: list[Outcome]) -> tuple[Table, list[tuple[dict[str, Any], str]]]:
    """A rich table of the chapter's tasks and their status, and the rows as data."""
    by_task: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        for task_id in o.tasks:
            by_task[task_id].append(o)
    table = Table(title=t("table.title", chapter=chapter), title_justify="left")
    for col in ("table.task", "table.function", "table.status", "table.tests"):
        table.add_column(t(col))
    rows: list[tuple[dict[str, Any], str]] = []
    for task in load_tasks(chapter):
        mine = by_task.get(task["id"], [])
        status = task_status(mine)
        passed = sum(o.status == "pass" for o in mine)
        label = t(f"status.{status}") if status in STYLE else "—"
        table.add_row(task["id"], task["function"], f"[{STYLE.get(status, 'dim')}]{label}", f"{passed}/{len(mine)}")
        rows.append((task, status))
    return table, rows


def print_task_tables(outcomes: list[Outcome], terminalreporter: Any, verbose: bool = False,
                      incomplete: Mapping[str, str] = {}) -> None:
    """What a student reads at the end of ``make test``: the checks that fail (not the TODOs: the table
    says those), the full task table of the first unfinished chapter (done and later chapters in one line
    each, or every table with ``verbose``), and the next task, with its file, last. A chapter gets the
    "every task passes" banner only when every task's tests ran and passed and it is not in
    ``incomplete`` (chapter -> the message saying why not: tests deselected, hidden tests missing)."""
    by_chapter: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_chapter[o.chapter].append(o)
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=bool(getattr(terminalreporter, "hasmarkup", False)), width=110)
    failing = [o for o in outcomes if o.status in ("fail", "error", "grader-error")]
    if failing and not verbose:
        for o in failing[:MAX_SHOWN]:
            console.print(f"[red]✗[/] [bold]{o.name.split('/', 2)[2]}[/]: {pick(o.detail)}", highlight=False)
        if len(failing) > MAX_SHOWN:
            console.print(t("more_failing", n=len(failing) - MAX_SHOWN), style="dim")
    next_task: Optional[tuple[str, dict]] = None
    for chapter in sorted(by_chapter):
        table, rows = chapter_table(chapter, by_chapter[chapter])
        if not rows:
            continue
        todo = [task for task, status in rows if status in ("todo", "fail")]
        unrun = [task for task, status in rows if status == "none"]  # e.g. left out by -k: no banner for those
        done = len(rows) - len(todo) - len(unrun)
        if verbose or (todo and next_task is None):
            console.print(table)
        elif todo:
            console.print(t("chapter_line", chapter=chapter, done=done, n=len(rows), task=todo[0]["id"]), style="dim")
        elif unrun or chapter in incomplete:
            key = "chapter_partial" if unrun else incomplete[chapter]
            console.print(t(key, chapter=chapter, done=done, n=len(rows)), style="dim")
        else:
            console.print(t("all_done", chapter=chapter), style="green")
        if todo and next_task is None:
            next_task = (chapter, todo[0])
    if failing:
        console.print(t("see_verbose"), style="dim")
    if next_task is not None:
        chapter, task = next_task
        where = f"{chapter}/{task['module']}.py" if task.get("module") else chapter
        console.print(t("next", task=task["id"], function=task["function"], hint=pick(task["hint"]), file=where), style="bold")
    terminalreporter.write(buf.getvalue())
