"""``grader grade SUBMISSIONS``: batch grading with the hidden tests, sandboxed."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from rich.console import Console
from rich.table import Table

from grader import i18n
from grader.grading.adjustments import AdjustmentsError
from grader.grading.pipeline import Options, SandboxUnavailable, run_batch
from grader.grading.sandbox.client import Limits


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("submissions", help="folder with one folder or .zip per student")
    parser.add_argument("--chapter", action="append", default=[], help="grade only this chapter (repeatable)")
    parser.add_argument("--out", default="grading-out", help="output folder (default: grading-out/)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel workers (default: cores)")
    parser.add_argument("--memory-mb", type=int, default=Limits.memory_mb, help="memory limit per worker")
    parser.add_argument("--probe-seconds", type=float, default=Limits.probe_seconds, help="default time limit per probe")
    parser.add_argument("--submission-seconds", type=float, default=Limits.submission_seconds, help="time budget per submission")
    parser.add_argument("--similarity", type=float, default=0.5, help="similarity threshold for the report (0..1)")
    parser.add_argument("--no-namespaces", action="store_true", help="basic isolation only (rlimits, own session)")
    parser.add_argument("--lang", choices=i18n.LANGS, default=None, help="language of feedback")
    parser.add_argument("--skip-slow", action="store_true", help="leave out slow tests (quick checks of the grader only)")
    parser.add_argument("--only", nargs="+", default=[], metavar="ID", help="regrade only these students (the rest stay as recorded)")
    parser.add_argument("--force", action="store_true", help="regrade even when nothing changed")
    parser.add_argument("--prune", action="store_true", help="remove students whose entry is no longer in the folder")
    parser.add_argument("--clash", choices=("report", "rename"), default="report",
                        help="two entries with one id (alice/ and alice.zip): report and grade neither, or grade each apart")
    parser.add_argument("--cluster", default=None, metavar="SPEC",
                        help="grade on Dask: local:N (N worker processes here) or tcp://HOST:PORT (a running scheduler)")
    parser.add_argument("--roster", type=Path, default=None, metavar="CSV",
                        help="id,name,email[,section]: match entries to ids; students without an entry get 'not submitted'")
    parser.add_argument("--adjustments", type=Path, default=None, metavar="YAML",
                        help="per-student points (with a reason) and late days, applied to the outputs, never to the gradebook")


def gradebook_table(students: list[dict], results: list[dict]) -> Table:
    """The gradebook as a terminal table: one row per student, points per chapter."""
    chapters = sorted({r["chapter"] for r in results})
    per: dict[tuple[str, str], list[float]] = {}
    for r in results:
        acc = per.setdefault((r["student"], r["chapter"]), [0.0, 0.0])
        acc[0] += r["points"]
        acc[1] += r["max_points"]
    table = Table(title="gradebook")
    for col in ["student", *chapters, "total", "status"]:
        table.add_column(col)
    for s in students:
        cells = [per.get((s["student"], ch), [0, 0]) for ch in chapters]
        total = sum(c[0] for c in cells), sum(c[1] for c in cells)
        table.add_row(s["student"], *[f"{c[0]:.1f}/{c[1]:g}" for c in cells], f"{total[0]:.1f}/{total[1]:g}",
                      s["status"] if not s["reason"] else f"{s['status']}: {s['reason'][:40]}")
    return table


def grade(args: argparse.Namespace) -> int:
    console = Console()
    limits = Limits(memory_mb=args.memory_mb, probe_seconds=args.probe_seconds, submission_seconds=args.submission_seconds)
    out = Path(args.out).resolve()
    opts = Options(Path(args.submissions).resolve(), out, args.chapter, max(1, args.jobs), limits, args.similarity,
                   not args.no_namespaces, args.skip_slow, args.only, args.force, args.prune, args.roster, args.clash,
                   args.cluster, args.adjustments)
    if args.cluster:
        from grader.grading.cluster import parse

        try:
            parse(args.cluster)
        except ValueError as exc:
            console.print(f"[bold red]{exc}[/]")
            return 2
    try:
        summary = run_batch(opts, console)
    except AdjustmentsError as exc:  # checked before anything is graded
        console.print(f"[bold red]{exc}[/]")
        return 2
    except SandboxUnavailable as exc:
        console.print(f"[bold red]{exc}[/]")
        if os.geteuid() == 0:
            console.print("As root the worker runs under an unprivileged uid, which must be able to read and run the "
                          "Python interpreter and the venv (e.g. not under /root); or allow user/mount namespaces.")
        return 2
    console.print(gradebook_table(summary["students"], summary["results"]))
    console.print(f"graded {summary['graded']} submission(s) with grader {summary['version']}")
    console.print("  time: " + ", ".join(f"{k} {v:.1f} s" for k, v in summary["phases"].items()))
    for label, rel in [("gradebook", "gradebook.sqlite"), ("grades", "grades.csv"), ("Gradescope results", "results/"),
                       ("feedback", "feedback/"), ("report", "report.html"), ("timings", "timings.json")]:
        console.print(f"  {label:<20} {out / rel}")
    errors = summary["grader_errors"]
    if errors:
        console.print(f"[bold red]{len(errors)} test result(s) are grader errors (the kit failed, not the students); "
                      f"they score nothing until fixed and re-run. First: {errors[0]['student']} {errors[0]['test']}: "
                      f"{i18n.shown(errors[0]['message'])[:300]}[/]")
        return 3
    return 0
