"""`python -m grader quiz CHAPTER ...`: argument parsing and dispatch."""
from __future__ import annotations

import argparse
import random
from pathlib import Path

from rich.console import Console
from rich.text import Text

from . import history
from grader.i18n import default_lang as detect_lang, t
from .report import grade_folder, print_report
from .runner import run_quiz
from .schema import QuizError, has_answer_keys, load_bank, validate_bank

REPO_QUIZZES = Path(__file__).resolve().parents[2] / "quizzes"


def default_quiz_dir() -> Path:
    """`quizzes/` next to the `grader` package, else `quizzes/` in the current folder (student release)."""
    return REPO_QUIZZES if REPO_QUIZZES.is_dir() else Path.cwd() / "quizzes"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the quiz command's arguments to `parser`."""
    parser.add_argument("chapter", nargs="?", default="",
                        help="chapter, e.g. ch02_backprop or ch02; none lists the banks / 章节，例如 ch02_backprop 或 ch02；不填则列出题库")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--answers", type=Path, metavar="FILE",
                      help="check a YAML answer file instead of asking / 检查 YAML 答案文件而不是逐题作答")
    mode.add_argument("--review", action="store_true",
                      help="retake only the questions whose latest answer was wrong / 只重做最近一次答错的题")
    mode.add_argument("--grade", type=Path, metavar="FOLDER",
                      help="TA: grade every *.yaml answer file in FOLDER into a CSV / 助教：把文件夹中的答案文件批改成 CSV")
    parser.add_argument("--lang", choices=("zh", "en"), help="language (default: from the locale) / 语言（默认按系统语言）")
    parser.add_argument("--seed", type=int, help="seed of the option shuffle / 选项打乱的随机种子")
    parser.add_argument("--out", type=Path, metavar="FILE",
                        help="CSV written by --grade (default quiz-<chapter>-grades.csv) / --grade 输出的 CSV")
    parser.add_argument("--quiz-dir", type=Path, metavar="DIR",
                        help=f"folder of the banks (default {REPO_QUIZZES} or ./quizzes) / 题库所在文件夹")


def _bank_path(quiz_dir: Path, chapter: str, lang: str) -> Path:
    """The bank for `chapter`, also accepted as a unique prefix (`ch02`)."""
    names = sorted(p.stem for p in quiz_dir.glob("*.yaml"))
    matches = [n for n in names if n == chapter] or [n for n in names if n.startswith(chapter)]
    if len(matches) == 1:
        return quiz_dir / f"{matches[0]}.yaml"
    key = "ambiguous_chapter" if matches else "unknown_chapter"
    raise QuizError(t(key, lang, chapter=chapter, names=", ".join(matches or names) or "-"))


def run(args: argparse.Namespace) -> int:
    """Run the quiz command; returns the exit code (2 for unusable input)."""
    lang = args.lang or detect_lang()
    console = Console(highlight=False)
    try:
        if args.out is not None and args.grade is None:
            raise QuizError(t("out_needs_grade", lang))
        if not args.chapter:
            names = sorted(p.stem for p in (args.quiz_dir or default_quiz_dir()).glob("*.yaml"))
            console.print(Text(t("banks", lang, names=", ".join(names))))
            return 0
        path = _bank_path(args.quiz_dir or default_quiz_dir(), args.chapter, lang)
        bank = load_bank(path)
    except QuizError as exc:
        console.print(Text(str(exc), style="red"))
        return 2
    if not has_answer_keys(bank):
        console.print(Text(t("no_keys", lang), style="yellow"))
        return 2
    problems = validate_bank(bank, path.stem, style=False)  # authoring rules are for `make check`, not students
    if problems:
        console.print(Text(t("bad_bank", lang, path=path), style="red"))
        console.print(Text("\n".join(problems)))
        return 2
    chapter = bank["chapter"]
    if args.answers is not None:
        return print_report(console, bank, args.answers, lang)
    if args.grade is not None:
        out = args.out or Path(f"quiz-{chapter}-grades.csv")
        if not any(args.grade.glob("*.yaml")):
            console.print(Text(t("grade_none", lang, folder=args.grade), style="red"))
            return 2
        rows = grade_folder(bank, args.grade, out, lang)
        console.print(Text(t("grade_written", lang, n=rows, path=out)))
        return 0
    history_file = history.history_path(chapter)
    questions = _review_questions(console, bank, history_file, lang) if args.review else bank["questions"]
    if not questions:
        return 0
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    return run_quiz(console, bank, questions, lang=lang, seed=seed, history_file=history_file, review=args.review)


def _review_questions(console: Console, bank: dict, history_file: Path, lang: str) -> list[dict]:
    """The questions to retake (see `history.to_review`); says why when there are none."""
    records = history.read(history_file)
    if not records:
        console.print(Text(t("review_no_history", lang, chapter=bank["chapter"])))
        return []
    wanted = set(history.to_review(records, [q["id"] for q in bank["questions"]]))
    if not wanted:
        console.print(Text(t("review_none", lang)))
    return [q for q in bank["questions"] if q["id"] in wanted]


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point (`python -m grader.quiz`)."""
    parser = argparse.ArgumentParser(prog="python -m grader.quiz", description="Self-check quizzes / 自测题")
    add_arguments(parser)
    return run(parser.parse_args(argv))
