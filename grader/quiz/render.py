"""Printing questions and feedback with rich (bank text is never read as rich markup)."""
from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.rule import Rule
from rich.syntax import Syntax
from rich.text import Text

from grader.i18n import t
from .present import Presented
from .prose import Prose
from .schema import BLANK_RE
from .scoring import Answer, fmt_points


def _code(code: str) -> Syntax:
    return Syntax(code.rstrip("\n"), "python", theme="ansi_dark", background_color="default", word_wrap=True)


def show_question(console: Console, pres: Presented, lang: str, n: int, total: int, hint: bool = True) -> None:
    """The question with its choices, and (with `hint`) how to type the answer."""
    q = pres.question
    head = f"{t('question', lang, n=n, total=total)} · {q['id']} · {t(q['type'], lang)}"
    console.print()
    console.print(Rule(Text(head, style="bold cyan"), align="left"))
    if "topic" in q:
        console.print(Prose(t("topic", lang, topic=q["topic"][lang]), style="dim"))
    console.print(Prose(pres.fill(q["prompt"][lang]), style="bold"))
    if q["type"] == "code_blanks":
        console.print(_code(q["code"]))
    if q["type"] == "matching":
        for label, left_id in pres.slots:
            item = next(i for i in q["left"] if i["id"] == left_id)
            console.print(Prose(pres.fill(item[lang]), prefix=f"  {label}. "))
        console.print()
    for label, item in pres.choices:
        console.print(Prose(item["text"] if "text" in item else pres.fill(item[lang]), prefix=f"  {label}) "))
    if hint:
        console.print(Prose(t(f"hint_{q['type']}", lang), style="dim"))


def describe(pres: Presented, answer: Answer, lang: str) -> str:
    """An answer written with the display labels, e.g. `b) text`, `a, c` or `1B 2A`."""
    qtype = pres.question["type"]
    if answer is None or answer == [] or answer == {}:
        return t("no_answer", lang)
    if qtype == "single":
        item = next((i for _, i in pres.choices if i["id"] == answer), None)
        return f"{pres.choice_label(answer)}) {item[lang]}" if item else str(answer)
    if qtype == "multiple":
        order = [label for label, _ in pres.choices]
        labels = [pres.choice_label(a) for a in answer]
        return ", ".join(sorted(labels, key=lambda x: order.index(x) if x in order else len(order)))
    if qtype in ("matching", "code_blanks"):
        order = [sid for _, sid in pres.slots]
        keys = sorted(answer, key=lambda k: order.index(k) if k in order else len(order))
        return " ".join(f"{pres.slot_label(k)}{pres.choice_label(answer[k])}" for k in keys)
    return str(answer)


def _solution(console: Console, pres: Presented, lang: str) -> None:
    q = pres.question
    console.print(Prose(t("correct_answer", lang, answer=describe(pres, q["answer"], lang)), style="green"))
    if q["type"] == "matching":
        for label, left_id in pres.slots:
            left = next(i for i in q["left"] if i["id"] == left_id)
            right_id = q["answer"][left_id]
            right = next(i for i in q["right"] if i["id"] == right_id)
            console.print(Prose(f"{left[lang]} → {pres.choice_label(right_id)}) {right[lang]}", prefix=f"  {label}. "))
    elif q["type"] == "code_blanks":
        terms = {term["id"]: term["text"] for term in q["terms"]}
        console.print(Text(t("completed_code", lang), style="green"))
        console.print(_code(BLANK_RE.sub(lambda m: terms[q["answer"][m.group(1)]], q["code"])))


def show_key_points(console: Console, question: dict, lang: str, hits: list[bool] | None = None) -> None:
    """The reference answer and the key points, marked ✓/✗ when `hits` is given."""
    marks = ["•"] * len(question["key_points"]) if hits is None else ["✓" if hit else "✗" for hit in hits]
    body = Group(Prose(question["reference"][lang]), Text(""), Text(t("key_points", lang)),
                 *(Prose(point[lang], prefix=f" {mark} ") for mark, point in zip(marks, question["key_points"])))
    console.print(Panel(body, title=t("reference", lang), title_align="left", border_style="blue"))


def show_feedback(console: Console, pres: Presented, points: float, lang: str) -> None:
    """Right / partly right / wrong, the correct answer when not fully right, and the explanation."""
    q = pres.question
    if points >= 1:
        console.print(Text(t("correct", lang), style="bold green"))
    elif points > 0:
        console.print(Text(t("quiz.partial", lang, points=fmt_points(points)), style="bold yellow"))
    else:
        console.print(Text(t("wrong", lang), style="bold red"))
    if q["type"] != "short" and points < 1:
        _solution(console, pres, lang)
    console.print(Panel(Prose(pres.fill(q["explanation"][lang])), title=t("explanation", lang), title_align="left", border_style="dim"))


def show_score(console: Console, score: float, maximum: int, lang: str) -> None:
    """The total line."""
    pct = round(100 * score / maximum) if maximum else 0
    console.print(Rule())
    console.print(Text(t("score", lang, score=fmt_points(score), max=maximum, pct=pct), style="bold"))
