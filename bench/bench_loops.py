"""What a broken submission costs: per fast chapter, two entries whose every TODO function loops forever
(``while True: pass``), graded by ``grade --skip-slow --jobs 1`` in a fresh output folder: the first with a
cold reference cache (the reference is timed in the same run: the worst case), the second with a warm one
(what each further such entry of a class costs). Prints each entry's seconds, the run's wall seconds, the
score and the test statuses; fails when an entry scores above 0, gets a grader error or costs more than
``--target`` seconds. ``--quick``: ch02 only.
"""
from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console

from grader.grading.demo import build_looping
from grader.grading.pipeline import Options, run_batch
from grader.harness.outcomes import GRADER_ERROR
from grader.layout import SOLUTIONS

CHAPTERS = ("ch01_game2048", "ch02_backprop", "ch03_iris", "ch05_tokens", "ch06_attention", "ch11_pytorch_primer",
            "ch12_openjudge")
QUICK = ("ch02_backprop",)
TARGET = 60.0


def grade_looping(chapter: str, root: Path) -> dict:
    """Grade two all-loops entries of ``chapter`` under ``root`` (cold, then warm reference cache); their
    seconds, the run's wall seconds, points (both entries) and test statuses."""
    for name in ("a_cold", "b_warm"):
        build_looping(root / "class" / name, chapter)
    start = time.monotonic()
    with open(root / "grade.log", "w") as log:
        summary = run_batch(Options(root / "class", root / "out", [chapter], jobs=1, skip_slow=True), Console(file=log))
    wall = time.monotonic() - start
    results = summary["results"]
    cold, warm = (s["seconds"] for s in summary["students"])
    return {"wall": wall, "cold": cold, "warm": warm, "points": sum(r["points"] for r in results),
            "max": max(sum(r["max_points"] for r in results if r["student"] == s) for s in ("a_cold", "b_warm")),
            "statuses": collections.Counter(r["status"] for r in results)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("chapters", nargs="*", default=list(CHAPTERS), help="chapters (default: the fast ones)")
    parser.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK)}")
    parser.add_argument("--target", type=float, default=TARGET, help="seconds an entry may cost (default: %(default)s)")
    args = parser.parse_args()
    chapters = [ch for ch in (QUICK if args.quick else args.chapters) if (SOLUTIONS / ch).is_dir()]
    print(f"{'chapter':22} {'cold s':>7} {'warm s':>7} {'wall s':>7} {'score':>9}  statuses (both entries)")
    bad = []
    for chapter in chapters:
        with tempfile.TemporaryDirectory(prefix="bench-loops-") as tmp:
            r = grade_looping(chapter, Path(tmp))
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(r["statuses"].items()))
        print(f"{chapter:22} {r['cold']:7.1f} {r['warm']:7.1f} {r['wall']:7.1f} {r['points']:4g}/{r['max']:<4g}  {statuses}",
              flush=True)
        if r["points"] > 0 or r["statuses"][GRADER_ERROR] or max(r["cold"], r["warm"]) > args.target:
            bad.append(chapter)
    if bad:
        print(f"over {args.target:g} s, scored or a grader error: {', '.join(bad)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
