"""``grades.csv`` and ``results/<student>.json`` (Gradescope's results.json schema)."""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Optional

from grader.grading.report.feedback import student_view, summary_line
from grader.harness.outcomes import GRADER_ERROR
from grader.i18n import shown

STATUS = {"pass": "passed"}


def chapter_totals(results: list[dict]) -> dict[str, dict[str, float]]:
    """student -> chapter -> points."""
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in results:
        totals[r["student"]][r["chapter"]] += r["points"]
    return totals


def student_status(student: dict, rows: list[dict]) -> tuple[str, str]:
    """``(status, reason)``: the intake's, unless a grader error left some of the student's tests ungraded."""
    errors = [r for r in rows if r["status"] == GRADER_ERROR]
    if errors:
        return GRADER_ERROR, f"{len(errors)} test(s) hit a grader error; fix it and re-run (e.g. {errors[0]['test']}: {shown(errors[0]['message'], 'en')[:200]})"
    return student["status"], student["reason"]


def write_grades_csv(path: Path, students: list[dict], results: list[dict], chapters: list[str],
                     maxima: dict[str, float], people: Optional[dict[str, dict[str, str]]] = None) -> None:
    """One row per student: total, max_total (from the rubric of the chapters), points per chapter, status, reason;
    also ``<name>-excel.csv``, the same table in UTF-8 with a BOM for Excel."""
    totals = chapter_totals(results)
    rows_of: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        rows_of[r["student"]].append(r)
    max_total = sum(maxima.get(ch, 0.0) for ch in chapters)
    extra = list(ROSTER_COLUMNS) if people is not None else []
    table: list[list[object]] = [["student", *extra, "total", "max_total", *chapters, "status", "reason"]]
    for s in students:
        per = totals.get(s["student"], {})
        status, reason = student_status(s, rows_of[s["student"]])
        who = [(people or {}).get(s["student"], {}).get(c, "") for c in extra]
        table.append([s["student"], *who, round(sum(per.values()), 4), round(max_total, 4),
                      *[round(per.get(ch, 0.0), 4) for ch in chapters], status, reason])
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(table)
    # Excel (notably on Chinese Windows) reads a CSV as the local code page unless it starts with a BOM.
    with open(path.with_name(path.stem + "-excel.csv"), "w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f, dialect="excel").writerows(table)


def gradescope_result(student: dict, rows: list[dict]) -> dict:
    """The Gradescope ``results.json`` document for one student."""
    tests = [
        {
            "name": r["test"],
            "score": round(r["points"], 4),
            "max_score": r["max_points"],
            "status": STATUS.get(r["status"], "failed"),
            "output": shown(r["message"] if r["kind"] == "public" else r["brief"]),
            "visibility": r["visibility"],
        }
        for r in rows
    ]
    output = summary_line(student_view(student, rows))
    return {
        "score": round(sum(r["points"] for r in rows), 4),
        "execution_time": round(student["seconds"], 2),
        "output": output,
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def write_results(folder: Path, students: list[dict], results: list[dict]) -> None:
    """``results/<student>.json`` for every student."""
    folder.mkdir(parents=True, exist_ok=True)
    by_student: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        by_student[r["student"]].append(r)
    for s in students:
        doc = gradescope_result(s, by_student.get(s["student"], []))
        (folder / f"{s['student']}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")


ROSTER_COLUMNS = ("name", "email", "section")
# Canvas: Grades > Import; the first five columns identify the student, "Points Possible" is row 2, and a
# column without "(assignment id)" creates a new assignment. Canvas matches on SIS User ID here.
CANVAS_HEADER = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
# Moodle: Grades > Import > CSV file; each column is mapped to a grade item in the import form, and the
# student is identified by one column ("ID number" or "Email address").
MOODLE_HEADER = ("ID number", "Email address", "Full name")


def write_lms_exports(folder: Path, students: list[dict], results: list[dict], chapters: list[str],
                      maxima: dict[str, float], people: Optional[dict[str, dict[str, str]]] = None) -> None:
    """``canvas.csv`` and ``moodle.csv``: one grade column per chapter (points), for the two gradebooks."""
    folder.mkdir(parents=True, exist_ok=True)
    totals = chapter_totals(results)
    people = people or {}
    names = [f"AI kit {ch}" for ch in chapters]
    canvas: list[list[object]] = [[*CANVAS_HEADER, *names], ["Points Possible", "", "", "", "", *[maxima.get(c, 0) for c in chapters]]]
    moodle: list[list[object]] = [[*MOODLE_HEADER, *names]]
    for s in students:
        who = people.get(s["student"], {})
        points = [round(totals.get(s["student"], {}).get(ch, 0.0), 4) for ch in chapters]
        canvas.append([who.get("name") or s["student"], "", s["student"], who.get("email", ""), who.get("section", ""), *points])
        moodle.append([s["student"], who.get("email", ""), who.get("name", ""), *points])
    for name, table in (("canvas.csv", canvas), ("moodle.csv", moodle)):
        with open(folder / name, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(table)
