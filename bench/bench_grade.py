"""Grading throughput: a class of ch01 submissions graded with --jobs 1 and --jobs 2, vs in-process.

Prints seconds per submission, the isolation overhead (sandboxed --jobs 1 time / the same tests run
in process, one submission after another; for the whole batch and for its grading phase, which
leaves out intake, reports and similarity) and the 2-job speed-up (whole batch). ``--full`` includes the slow
AI-strength run (about a minute per working submission).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader import REPO_ROOT
from grader.commands.mutants import apply, load_catalogue
from grader.grading.demo import copy_chapters, _zip_folder
from grader.layout import SOLUTIONS

CHAPTER = "ch01_game2048"


def build(dest: Path, size: int) -> None:
    """``size`` submissions: copies of the reference and every catalogued mutant, in turn."""
    mutants = load_catalogue(CHAPTER)
    dest.mkdir(parents=True)
    for i in range(size):
        if i % 2 == 0:
            copy_chapters(SOLUTIONS, dest / f"s{i:02d}_reference", [CHAPTER])
        else:
            mutant = mutants[(i // 2) % len(mutants)]
            with tempfile.TemporaryDirectory() as tmp:
                apply(mutant, Path(tmp))
                _zip_folder(Path(tmp), dest / f"s{i:02d}_{mutant.id}.zip")


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=REPO_ROOT, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def in_process(klass: Path, full: bool) -> float:
    """The same public + hidden tests, run in process against each submission's tree."""
    total = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for entry in sorted(klass.iterdir()):
            tree = Path(tmp) / entry.stem
            if entry.suffix == ".zip":
                shutil.unpack_archive(entry, tree)
            else:
                shutil.copytree(entry, tree)
            cmd = [sys.executable, "-m", "grader", "test", CHAPTER, "--hidden", "--target", str(tree), "-q",
                   "-p", "no:cacheprovider"] + ([] if full else ["-m", "not slow"])
            total += timed(cmd)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=40)
    parser.add_argument("--full", action="store_true", help="include the slow AI-strength run")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-grade-"))
    klass = work / "class"
    build(klass, args.size)
    quick = [] if args.full else ["--skip-slow"]
    base = [sys.executable, "-m", "grader", "grade", str(klass), "--chapter", CHAPTER] + quick
    print(f"class of {args.size} ch01 submissions ({'with' if args.full else 'without'} the slow strength run)")
    phases = {}
    for jobs in (1, 2):
        total = timed(base + ["--out", str(work / f"out{jobs}"), "--jobs", str(jobs)])
        phases[jobs] = json.loads((work / f"out{jobs}" / "timings.json").read_text())
        print(f"--jobs {jobs}: {total:7.1f} s  ({total / args.size:.2f} s per submission)   phases: "
              + ", ".join(f"{k} {v:.1f} s" for k, v in phases[jobs].items()))
        phases[jobs]["total"] = total
    t1, t2 = phases[1]["total"], phases[2]["total"]
    t0 = in_process(klass, args.full)
    print(f"in process: {t0:7.1f} s  ({t0 / args.size:.2f} s per submission)")
    print(f"isolation overhead (jobs 1 / in process): {t1 / t0:.2f}x whole batch, "
          f"{phases[1]['grading'] / t0:.2f}x grading phase   (target <= 1.3x)")
    print(f"2-job speed-up (jobs 1 / jobs 2):         {t1 / t2:.2f}x   (target >= 1.7x)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
