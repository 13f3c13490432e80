"""``grades.csv`` and ``results/<student>.json`` (Gradescope's results.json schema)."""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

STATUS = {"pass": "passed"}


def chapter_totals(results: list[dict]) -> dict[str, dict[str, float]]:
    """student -> chapter -> points."""
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in results:
        totals[r["student"]][r["chapter"]] += r["points"]
    return totals


def write_grades_csv(path: Path, students: list[dict], results: list[dict], chapters: list[str]) -> None:
    """One row per student: total, max_total, points per chapter, status."""
    totals = chapter_totals(results)
    max_total = sum(r["max_points"] for r in results if r["student"] == students[0]["student"]) if students else 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "total", "max_total", *chapters, "status"])
        for s in students:
            per = totals.get(s["student"], {})
            writer.writerow([s["student"], round(sum(per.values()), 4), round(max_total, 4),
                             *[round(per.get(ch, 0.0), 4) for ch in chapters], s["status"]])


def gradescope_result(student: dict, rows: list[dict]) -> dict:
    """The Gradescope ``results.json`` document for one student."""
    tests = [
        {
            "name": r["test"],
            "score": round(r["points"], 4),
            "max_score": r["max_points"],
            "status": STATUS.get(r["status"], "failed"),
            "output": r["message"] if r["kind"] == "public" else r["brief"],
            "visibility": r["visibility"],
        }
        for r in rows
    ]
    output = student["reason"] or ""
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
