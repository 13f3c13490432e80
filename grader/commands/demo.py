"""``grader demo``: build a sample class under ``examples/`` and grade it (the README's first command)."""
from __future__ import annotations

import argparse

from grader import REPO_ROOT
from grader.grading.demo import build_class


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-redteam", action="store_true", help="leave out the hostile submissions")


def demo(args: argparse.Namespace) -> int:
    from grader.commands.grade import add_arguments as grade_arguments, grade

    class_dir, out = REPO_ROOT / "examples" / "class", REPO_ROOT / "examples" / "out"
    build_class(class_dir, redteam=not args.no_redteam)
    print(f"sample class written to {class_dir}")
    parser = argparse.ArgumentParser(prog="grade")
    grade_arguments(parser)
    return grade(parser.parse_args([str(class_dir), "--out", str(out), "--chapter", "ch01_game2048", "--jobs", str(args.jobs),
                                    "--memory-mb", "2048", "--probe-seconds", "10", "--submission-seconds", "150"]))
