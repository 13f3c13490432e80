"""`python -m grader.quiz.check [DIR]`: every bank's problems and its longest-option share per language."""
from __future__ import annotations

import sys
from pathlib import Path

from .cli import default_quiz_dir
from .schema import QuizError, check_question, load_bank, validate_all
from .style import MAX_LONGEST_SHARE, longest_share


def share_lines(quiz_dir: Path) -> list[str]:
    """One line per bank: how often a single-choice answer is the uniquely longest option, in zh and en."""
    lines = []
    for path in sorted(Path(quiz_dir).glob("*.yaml")):
        try:
            questions = [q for q in load_bank(path).get("questions") or [] if not check_question(q)]
        except QuizError:
            continue
        cells = [f"{lang} {hits}/{total} ({hits / total:.0%})" if total else f"{lang} -"
                 for lang, (hits, total) in longest_share(questions).items()]
        lines.append(f"{path.stem}: answer is the uniquely longest option in {', '.join(cells)}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print the share table and the problems; exit status 1 when a bank has problems."""
    args = sys.argv[1:] if argv is None else argv
    quiz_dir = Path(args[0]) if args else default_quiz_dir()
    print("\n".join(share_lines(quiz_dir)))
    print(f"(a bank fails above {MAX_LONGEST_SHARE:.0%} in either language)")
    problems = validate_all(quiz_dir)
    print("\n".join(problems) if problems else "No problems.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
