"""``grader demo``: build a sample class under ``examples/`` and grade it (the README's first command)."""
from __future__ import annotations

import argparse

from grader import REPO_ROOT
from grader.grading.demo import build_class


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-redteam", action="store_true", help="leave out the hostile submissions")


def demo(args: argparse.Namespace) -> int:
    from grader.commands.grade import grade

    class_dir, out = REPO_ROOT / "examples" / "class", REPO_ROOT / "examples" / "out"
    build_class(class_dir, redteam=not args.no_redteam)
    print(f"sample class written to {class_dir}")
    grade_args = argparse.Namespace(
        submissions=str(class_dir), out=str(out), chapter=["ch01_game2048"], jobs=args.jobs, memory_mb=2048,
        probe_seconds=10.0, submission_seconds=150.0, similarity=0.5, no_namespaces=False, lang=None, skip_slow=False,
    )
    return grade(grade_args)
