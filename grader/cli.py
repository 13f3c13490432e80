"""``python -m grader <command>``: test, grade, release, export, quiz, run, snapshots, mutants."""
from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Callable, Optional

from grader import REPO_ROOT, __version__, i18n
from grader.layout import SOLUTIONS, TESTS_PUBLIC, chapters, is_chapter, resolve_chapters, resolve_target

# What the Makefile exports, for `python -m grader` run without make (Windows): set when unset.
ENV_DEFAULTS = {"TIKTOKEN_CACHE_DIR": str(REPO_ROOT / ".cache" / "tiktoken"), "KIT_CACHE_DIR": str(REPO_ROOT / ".cache" / "kitdata"),
                "KIT_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "MPLBACKEND": "Agg"}


def _add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=i18n.LANGS, default=None, help="zh | en (default: from the locale)")


def cmd_test(args: argparse.Namespace, extra: list[str]) -> int:
    from grader.commands.test import run_tests

    return run_tests(args.chapters, args.target, args.hidden, args.lang, extra, expect_todo=args.expect_todo)


def cmd_release(args: argparse.Namespace, extra: list[str]) -> int:
    from grader.commands.release import release

    return release(check=args.check, student_dist=args.student_dist, chapters=args.chapters)


def cmd_run(args: argparse.Namespace, extra: list[str]) -> int:
    from grader.commands.run import run_module

    package, _, rest = args.module.partition(".")
    if CHAPTER_PREFIX.match(package) and not is_chapter(package):  # `ch04.mnist_resnet`
        package = resolve_chapters([package], chapters(resolve_target(args.target)))[0]
    return run_module(".".join(filter(None, [package, rest])), args.target, extra)


def cmd_snapshots(args: argparse.Namespace, extra: list[str]) -> int:
    from grader.commands.snapshots import snapshots

    return snapshots(resolve_chapters(args.chapters, chapters(TESTS_PUBLIC)), check=args.check)


def cmd_mutants(args: argparse.Namespace, extra: list[str]) -> int:
    from grader.commands.mutants import check_mutants

    return check_mutants(resolve_chapters(args.chapters, chapters(SOLUTIONS)), jobs=args.jobs, only=args.only, public=not args.hidden_only,
                         hidden=not args.public_only, lenient=args.lenient, quick=args.quick)


def cmd_quiz(args: argparse.Namespace, extra: list[str]) -> int:
    from grader.quiz import cli as quiz_cli

    return quiz_cli.run(args)


def cmd_submit(args: argparse.Namespace, extra: list[str]) -> int:
    from pathlib import Path

    from grader.commands.submit import submit

    return submit(args.id, args.target, Path(args.out))


def cmd_grade(args: argparse.Namespace, extra: list[str]) -> int:
    from grader.commands.grade import grade

    args.chapter = resolve_chapters(args.chapter, chapters(SOLUTIONS))
    return grade(args)


def cmd_export_gradescope(args: argparse.Namespace, extra: list[str]) -> int:
    from grader.commands.export_gradescope import export_gradescope

    return export_gradescope(args)


def cmd_demo(args: argparse.Namespace, extra: list[str]) -> int:
    from grader.commands.demo import demo

    return demo(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m grader", description="AI course kit (zh/en): run `python -m grader COMMAND --help` for a command.")
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("test", help="public (and --hidden) tests against one tree, in process")
    p.add_argument("chapters", nargs="*", help="chapters (default: all)")
    p.add_argument("--target", default="assignments", help="assignments | solutions | PATH")
    p.add_argument("--hidden", action="store_true", help="also run the hidden tests")
    p.add_argument("--expect-todo", action="store_true", help="succeed only if every test reads TODO (skeleton check)")
    _add_lang(p)
    p.set_defaults(func=cmd_test)

    p = sub.add_parser("run", help="run a chapter module as a program (e.g. ch01_game2048.play)")
    p.add_argument("module")
    p.add_argument("--target", default="assignments", help="assignments | solutions | PATH")
    p.add_argument("--lang", choices=i18n.LANGS, default=None, help="language of the program's messages")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("submit", help="zip your chapters as <ID>.zip for your TA, checked as the grader reads it")
    p.add_argument("id", nargs="?", default="", help="your student id")
    p.add_argument("--target", default="assignments", help="assignments | PATH (the tree to hand in)")
    p.add_argument("--out", default=".", help="folder for the zip (default: here)")
    _add_lang(p)
    p.set_defaults(func=cmd_submit)

    p = sub.add_parser("quiz", help="self-check quizzes")
    try:
        from grader.quiz import cli as quiz_cli

        quiz_cli.add_arguments(p)
    except ImportError:
        p.add_argument("chapter")
    p.set_defaults(func=cmd_quiz)
    if not SOLUTIONS.is_dir():  # the student release: the student's commands only
        return parser

    p = sub.add_parser("release", help="write assignments/ from solutions/")
    p.add_argument("--check", action="store_true", help="fail when assignments/ differs from what release writes")
    p.add_argument("--student-dist", metavar="DIR", help="also write what students receive to DIR (and check it for leaks)")
    p.add_argument("--chapters", nargs="+", default=[], metavar="CH",
                   help="the student dist releases only these chapters (prefixes allowed, e.g. ch06 ch07)")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("snapshots", help="record the reference results public tests compare with")
    p.add_argument("chapters", nargs="*")
    p.add_argument("--check", action="store_true", help="fail when the stored snapshots are stale")
    p.set_defaults(func=cmd_snapshots)

    p = sub.add_parser("mutants", help="check that the hidden tests catch every catalogued mutant, the public tests every core one")
    p.add_argument("chapters", nargs="*")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--only", default=None, help="one mutant id")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--hidden-only", action="store_true", help="skip the public-test run of each mutant")
    mode.add_argument("--public-only", action="store_true", help="only the public tests: the public catch rate, fast")
    p.add_argument("--lenient", action="store_true", help="list core mutants the public tests miss without failing")
    p.add_argument("--quick", action="store_true", help="a chapter's first core and first edge mutant only (CI; make mutants runs all)")
    p.set_defaults(func=cmd_mutants)

    p = sub.add_parser("grade", help="grade a folder of submissions (sandboxed, hidden tests)")
    from grader.commands.grade import add_arguments as grade_arguments

    grade_arguments(p)
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("export", help="the chapters in another grader's format")
    formats = p.add_subparsers(dest="format", required=True)
    from grader.commands.export_nbgrader import add_parser as add_nbgrader

    add_nbgrader(formats)
    e = formats.add_parser("gradescope", help="write autograder.zip (setup.sh, run_autograder, the kit) for Gradescope")
    from grader.commands.export_gradescope import add_arguments as gradescope_arguments

    gradescope_arguments(e)
    e.set_defaults(func=cmd_export_gradescope)

    p = sub.add_parser("demo", help="build a sample class under examples/ and grade it")
    from grader.commands.demo import add_arguments as demo_arguments

    demo_arguments(p)
    p.set_defaults(func=cmd_demo)
    return parser


CHAPTER_PREFIX = re.compile(r"^ch\d\d(_[a-z0-9_]*)?$")  # `ch02` works wherever a chapter is named
OWN_OPTIONS = {"--target": 1, "--lang": 1, "--hidden": 0, "--expect-todo": 0, "-h": 0, "--help": 0}


def split_passthrough(command: str, rest: list[str]) -> tuple[list[str], list[str]]:
    """``test``/``run``: our own options and positionals vs. arguments for pytest / the program."""
    ours, extra = [command], []
    i = 0
    while i < len(rest):
        token = rest[i]
        name = token.split("=", 1)[0]
        if name in OWN_OPTIONS:
            width = 1 + (OWN_OPTIONS[name] if "=" not in token else 0)
            ours += rest[i : i + width]
            i += width
            continue
        positional = (is_chapter(token) or CHAPTER_PREFIX.match(token) is not None) if command == "test" \
            else len(ours) == 1 and not token.startswith("-")
        if positional:
            ours.append(token)
        elif token != "--":
            extra.append(token)
        i += 1
    return ours, extra


def main(argv: Optional[list[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for name, value in ENV_DEFAULTS.items():
        os.environ.setdefault(name, value)
    parser = build_parser()
    if argv and argv[0] in ("test", "run"):
        ours, extra = split_passthrough(argv[0], argv[1:])
        args = parser.parse_args(ours)
    else:
        args, extra = parser.parse_args(argv), []
    if getattr(args, "lang", None):
        i18n.set_lang(args.lang)
    func: Callable[[argparse.Namespace, list[str]], int] = args.func
    return func(args, extra)
