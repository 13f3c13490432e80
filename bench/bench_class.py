"""Class-scale run (``make bench-class``): a generated class graded once straight through, and once killed
with SIGKILL at random points of its phases (intake, grading, reports) and re-run after each kill.

The two gradebooks must agree: one row per student x test, the same statuses and points; the killed
run's output folder must hold no orphan files and no sandbox may be left (folder or process). Prints
submissions per minute, CPU seconds per submission and the peak memory of the straight run (the
grader and every process under it, summed). ``--quick`` (``make check``): 10 entries, two kills.
Exits 1 when a check fails.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

import psutil

from grader import REPO_ROOT
from grader.grading.demo import FAST_CHAPTERS, build_large_class
from grader.grading.sandbox.client import processes_mentioning

PHASES = ("intake", "grading", "reports", "grading", "intake")


def grade_cmd(klass: Path, out: Path, chapters: tuple[str, ...], extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "grader", "grade", str(klass), "--out", str(out), "--skip-slow",
            *[arg for ch in chapters for arg in ("--chapter", ch)], *extra]


def recorded(out: Path) -> int:
    """Students in the gradebook so far (0 before it exists)."""
    try:
        db = sqlite3.connect(f"file:{out / 'gradebook.sqlite'}?mode=ro", uri=True)
        try:
            return int(db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0


class TreeMeter:
    """CPU seconds and peak resident memory of a process and everything under it, sampled.

    ``getrusage(RUSAGE_CHILDREN)`` misses the sandboxed workers: they are killed with their launcher, so
    nobody reaps them. Each process's own CPU time is read while it lives (within one sampling period of
    its end) and summed over every process seen; memory is the peak of the tree's summed RSS."""

    def __init__(self, root: int) -> None:
        self.root, self.cpu, self.peak = psutil.Process(root), {}, 0

    def sample(self) -> None:
        try:
            procs = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        rss = 0
        for proc in procs:
            try:
                with proc.oneshot():
                    times, rss = proc.cpu_times(), rss + proc.memory_info().rss
                    self.cpu[(proc.pid, proc.create_time())] = times.user + times.system
            except psutil.Error:
                continue
        self.peak = max(self.peak, rss)

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu.values())


def comparing(marker: str) -> bool:
    """Whether a compare step of this run is alive."""
    for pid in processes_mentioning(marker):
        try:
            if b"grader.grading.compare" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


class KillPoint:
    """When to kill a run: a random moment of one phase, measured against the straight run's timings."""

    def __init__(self, phase: str, rng: random.Random, timings: dict, size: int, before: int) -> None:
        self.phase, self.size, self.before = phase, size, before
        self.delay = rng.uniform(0.2, 0.8) * timings["intake"]
        self.target = before + rng.randint(1, max(1, size - before - 1))
        self.tail = rng.uniform(0.0, 0.8) * (timings.get("similarity", 0.0) + timings.get("reports", 0.0))
        self.done_at: Optional[float] = None

    def due(self, elapsed: float, count: int, marker: str) -> bool:
        if self.phase == "intake":
            return elapsed >= self.delay
        if self.phase == "grading" and count < self.size:
            return count >= self.target
        if count < self.size or comparing(marker):
            return False
        self.done_at = self.done_at or time.monotonic()
        return time.monotonic() - self.done_at >= self.tail


def run(cmd: list[str], out: Path, base: Path, kill: Optional[KillPoint] = None) -> dict:
    """Run ``grade`` (killing it at ``kill``); wall seconds, CPU seconds of its process tree, peak summed RSS,
    and where a kill landed."""
    env = dict(os.environ, KIT_SANDBOX_DIR=str(base))
    start = time.monotonic()
    with open(out.parent / f"{out.name}.log", "a") as log:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    meter, landed = TreeMeter(proc.pid), ""
    while proc.poll() is None:
        meter.sample()
        count = recorded(out)
        if kill is not None and kill.due(time.monotonic() - start, count, str(base)):
            landed = "intake" if count == kill.before and not comparing(str(base)) else (
                "grading" if count < kill.size or comparing(str(base)) else "reports")
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            break
        time.sleep(0.2)
    wall = time.monotonic() - start
    return {"wall": wall, "cpu": meter.cpu_seconds, "peak_rss": meter.peak, "code": proc.returncode,
            "landed": landed or "finished"}


def gradebook(out: Path) -> tuple[dict, dict]:
    db = sqlite3.connect(out / "gradebook.sqlite")
    rows = db.execute("SELECT student, test, status, points FROM results").fetchall()
    subs = dict(db.execute("SELECT student, status FROM submissions"))
    db.close()
    table = {(s, t): (st, p) for s, t, st, p in rows}
    assert len(table) == len(rows)
    return table, subs


def orphans(out: Path, students: set[str], base: Path) -> list[str]:
    """Files and processes the killed run left that the gradebook does not account for."""
    found = []
    for folder in ("results", "feedback"):
        found += [str(p) for p in (out / folder).glob("*") if p.stem not in students]
    found += [str(p) for p in (out / "work").glob("*") if p.name not in students]
    found += [str(p) for p in out.rglob("*.tmp")]
    found += [str(p) for p in base.glob("sbx-*")]
    found += [f"pid {pid}" for pid in processes_mentioning(str(base))]
    missing = [f"no feedback for {s}" for s in students if not (out / "feedback" / f"{s}.md").is_file()]
    return found + missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=300)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--chapters", nargs="+", default=list(FAST_CHAPTERS))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="10 entries over ch01 and ch02, short limits, two kills (make check)")
    parser.add_argument("--keep", type=Path, default=None, help="work here and keep it (default: a temporary folder)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    extra = ["--jobs", str(args.jobs)]
    if args.quick:
        args.size, args.kills, args.chapters = 10, 2, ["ch01_game2048", "ch02_backprop"]
        extra += ["--probe-seconds", "6", "--submission-seconds", "30", "--memory-mb", "1024"]
    chapters = tuple(args.chapters)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        klass, base = root / "class", root / "sandboxes"
        made = build_large_class(klass, args.size, chapters, args.seed)
        straight = run(grade_cmd(klass, root / "straight", chapters, extra), root / "straight", base)
        timings = json.loads((root / "straight" / "timings.json").read_text())
        kills = []
        phases = PHASES[:args.kills] if not args.quick else ("grading", "reports")
        for phase in phases:
            point = KillPoint(phase, rng, timings, len(made), recorded(root / "killed"))
            kills.append(run(grade_cmd(klass, root / "killed", chapters, extra), root / "killed", base, point))
        final = run(grade_cmd(klass, root / "killed", chapters, extra), root / "killed", base)
        want, want_subs = gradebook(root / "straight")
        got, got_subs = gradebook(root / "killed")
        tests = {t for _, t in want}
        problems = []
        if straight["code"] != 0 or final["code"] != 0:
            problems.append(f"grade exited {straight['code']} (straight) / {final['code']} (after the kills)")
        if len(got) != len(got_subs) * len(tests) or set(got_subs) != {Path(n).stem for n in made}:
            problems.append(f"{len(got)} rows for {len(got_subs)} students x {len(tests)} tests")
        differ = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
        if differ or want_subs != got_subs:
            problems.append(f"{len(differ)} rows differ from the straight run, e.g. {differ[:3]}")
        problems += orphans(root / "killed", set(got_subs), base)
    n = len(made)
    figures = {
        "submissions": n, "chapters": list(chapters), "jobs": args.jobs,
        "wall_s": round(straight["wall"], 1), "submissions_per_min": round(60 * n / straight["wall"], 1),
        "cpu_s_per_submission": round(straight["cpu"] / n, 2), "peak_rss_mb": round(straight["peak_rss"] / 2**20),
        "phases_s": timings, "kills": [{"aimed": p, "landed": k["landed"], "after_s": round(k["wall"], 1)}
                                       for p, k in zip(phases, kills)], "problems": problems,
    }
    print(json.dumps(figures, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
