"""Whole-course cost per student (``make bench-course``): a class of students who did every chapter (copies
of the reference, so every check and training run goes the whole way) graded chapter by chapter with the
training runs included, as a TA would. Prints, per chapter, the wall and CPU seconds of the batch and per
student (the batch's reference results are computed once and shared, so they are spread over the class),
and the course total per student against the target (4 CPU-minutes).

    python bench/bench_course.py                      # 5 students, every chapter, --jobs 2
    python bench/bench_course.py --students 2 --chapters ch02 ch03
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
from pathlib import Path

from bench_class import run

from grader.grading.demo import copy_chapters
from grader.layout import SOLUTIONS, chapters, resolve_chapters

TARGET_CPU_MIN = 4.0


def build_course_class(dest: Path, students: int, selected: list[str]) -> list[str]:
    """``students`` entries, each the reference of every selected chapter."""
    names = [f"student{i:02d}" for i in range(1, students + 1)]
    for name in names:
        copy_chapters(SOLUTIONS, dest / name, selected)
    return names


def full_marks(out: Path) -> tuple[int, int]:
    """(results at full marks, results) in the batch's gradebook."""
    db = sqlite3.connect(out / "gradebook.sqlite")
    try:
        full, total = db.execute("SELECT SUM(points >= max_points), COUNT(*) FROM results").fetchone()
    finally:
        db.close()
    return int(full or 0), int(total)


def markdown(rows: list[dict], cpu_min: float, wall_min: float) -> str:
    """The per-chapter figures as the README's table."""
    lines = ["| chapter | CPU s / student | wall s / student | peak MB |", "|---|---|---|---|"]
    lines += [f"| {r['chapter']} | {r['cpu_s_per_student']} | {r['wall_s_per_student']} | {r['peak_rss_mb']} |" for r in rows]
    return "\n".join(lines + [f"| **course** | **{cpu_min * 60:.0f} ({cpu_min:.1f} min)** | **{wall_min * 60:.0f}** | |"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=5)
    parser.add_argument("--chapters", nargs="+", default=[], help="chapters (prefixes work); default: all")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--keep", type=Path, default=None, help="work here and keep it (default: a temporary folder)")
    args = parser.parse_args()
    selected = resolve_chapters(args.chapters, chapters(SOLUTIONS)) or chapters(SOLUTIONS)
    rows, problems = [], []
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        build_course_class(root / "class", args.students, selected)
        (root / "out").mkdir()
        for chapter in selected:
            out = root / "out" / chapter
            cmd = [sys.executable, "-m", "grader", "grade", str(root / "class"), "--out", str(out),
                   "--chapter", chapter, "--jobs", str(args.jobs)]
            took = run(cmd, out, root / "sandboxes")
            full, total = full_marks(out) if took["code"] == 0 else (0, 0)
            if took["code"] != 0 or full != total:
                problems.append(f"{chapter}: exit {took['code']}, {full}/{total} results at full marks")
            rows.append({"chapter": chapter, "wall_s": round(took["wall"], 1), "cpu_s": round(took["cpu"], 1),
                         "wall_s_per_student": round(took["wall"] / args.students, 1),
                         "cpu_s_per_student": round(took["cpu"] / args.students, 1),
                         "peak_rss_mb": round(took["peak_rss"] / 2**20)})
            print(f"{chapter:<22} wall {took['wall']:7.1f} s  cpu {took['cpu']:7.1f} s  "
                  f"per student: wall {took['wall'] / args.students:6.1f} s  cpu {took['cpu'] / args.students:6.1f} s  "
                  f"peak {took['peak_rss'] / 2**20:5.0f} MB  full marks {full}/{total}", flush=True)
    cpu_min = sum(r["cpu_s_per_student"] for r in rows) / 60
    wall_min = sum(r["wall_s_per_student"] for r in rows) / 60
    verdict = "within" if cpu_min <= TARGET_CPU_MIN else "ABOVE"
    print(f"course: {cpu_min:.1f} CPU-min and {wall_min:.1f} wall-min per student ({args.students} students, "
          f"--jobs {args.jobs}); target {TARGET_CPU_MIN:g} CPU-min: {verdict}")
    print(markdown(rows, cpu_min, wall_min))
    for problem in problems:
        print("PROBLEM:", problem)
    if args.json:
        args.json.write_text(json.dumps({"students": args.students, "jobs": args.jobs, "chapters": rows,
                                         "cpu_min_per_student": round(cpu_min, 2), "problems": problems}, indent=1),
                             encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
