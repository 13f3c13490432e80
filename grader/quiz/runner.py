"""The interactive terminal quiz."""
from __future__ import annotations

import random
from datetime import datetime, timezone
from pathlib import Path

from rich.console import Console
from rich.text import Text

from . import history
from grader.i18n import t
from .present import Presented, parse_typed, present
from .render import show_feedback, show_key_points, show_question, show_score
from .scoring import fmt_points, score

_YES = {"y", "yes", "是", "对", "1"}
_NO = {"n", "no", "否", "不", "不是", "0"}


def _ask(console: Console, prompt: str) -> str:
    return console.input(Text(prompt, style="bold"))


def _ask_question(console: Console, pres: Presented, lang: str) -> float:
    """Read answers until one parses, then score it (short answers are self-assessed)."""
    while True:
        answer, problem = parse_typed(pres, _ask(console, t("prompt", lang)), lang)
        if problem is None:
            break
        console.print(Text(problem, style="yellow"))
    if pres.question["type"] != "short":
        return score(pres.question, answer)
    show_key_points(console, pres.question, lang)
    while True:
        reply = _ask(console, t("self_assess", lang)).strip().lower()
        if reply in _YES | _NO:
            return float(reply in _YES)
        console.print(Text(t("bad_yes_no", lang), style="yellow"))


def run_quiz(console: Console, bank: dict, questions: list[dict], *, lang: str, seed: int,
             history_file: Path, review: bool) -> int:
    """Ask `questions` in bank order with options shuffled by `seed`; record the attempt. Returns an exit code."""
    rng = random.Random(seed)
    title = t("review_header", lang, total=len(questions)) if review else bank["title"][lang]
    console.print(Text(t("header", lang, title=title, total=len(questions), seed=seed), style="bold magenta"))
    results: dict[str, float] = {}
    try:
        for n, q in enumerate(questions, 1):
            pres = present(q, rng)
            show_question(console, pres, lang, n, len(questions))
            results[q["id"]] = _ask_question(console, pres, lang)
            show_feedback(console, pres, results[q["id"]], lang)
    except (EOFError, KeyboardInterrupt):
        console.print(Text(t("aborted", lang), style="yellow"))
        return 130
    total = sum(results.values())
    show_score(console, total, len(questions), lang)
    missed = [qid for qid, points in results.items() if points < 1]
    console.print(Text(t("missed", lang, ids=", ".join(missed)) if missed else t("all_right", lang)))
    history.append(history_file, {
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "chapter": bank["chapter"], "seed": seed, "lang": lang, "review": review,
        "score": float(fmt_points(total)), "max": len(questions), "results": results,
    })
    console.print(Text(t("saved", lang, path=history_file), style="dim"))
    return 0
