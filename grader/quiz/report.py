"""Answer files: the per-question report for one file and the TA's CSV for a folder of them."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from .answers import from_file, load_answer_file
from grader.i18n import t
from .present import present
from .prose import Prose
from .render import describe, show_feedback, show_key_points, show_question, show_score
from .schema import QuizError
from .scoring import fmt_points, keypoint_hits, score


def score_answers(bank: dict, answers: dict[str, Any]) -> dict[str, float]:
    """Points per question id, in bank order (a missing answer earns 0)."""
    return {q["id"]: score(q, from_file(q, answers.get(q["id"]))) for q in bank["questions"]}


def _notes(bank: dict, chapter: str | None, answers: dict[str, Any], lang: str) -> list[str]:
    notes = []
    if chapter is not None and chapter != bank["chapter"]:
        notes.append(t("chapter_mismatch", lang, found=chapter, chapter=bank["chapter"]))
    known = {q["id"] for q in bank["questions"]}
    unknown = [qid for qid in answers if qid not in known]
    if unknown:
        notes.append(t("unknown_ids", lang, ids=", ".join(unknown)))
    return notes


def print_report(console: Console, bank: dict, path: Path, lang: str) -> int:
    """Check one answer file: each question with right/wrong and the explanation, then the total."""
    try:
        student, chapter, answers = load_answer_file(path)
    except QuizError as exc:
        console.print(Text(t("cannot_read", lang, path=path, error=exc), style="red"))
        return 2
    console.print(Text(t("report_header", lang, student=student, chapter=bank["chapter"]), style="bold magenta"))
    for note in _notes(bank, chapter, answers, lang):
        console.print(Text(note, style="yellow"))
    questions = bank["questions"]
    total = 0.0
    for n, q in enumerate(questions, 1):
        pres = present(q)
        answer = from_file(q, answers.get(q["id"]))
        points = score(q, answer)
        total += points
        show_question(console, pres, lang, n, len(questions), hint=False)
        console.print(Prose(t("your_answer", lang, answer=describe(pres, answer, lang))))
        if q["type"] == "short":
            show_key_points(console, q, lang, keypoint_hits(q, answer or ""))
        show_feedback(console, pres, points, lang)
    show_score(console, total, len(questions), lang)
    return 0


def grade_folder(bank: dict, folder: Path, out: Path, lang: str) -> int:
    """Write one CSV row per answer file in `folder`: student, total, max, points per question, note.

    Returns the number of rows written.
    """
    qids = [q["id"] for q in bank["questions"]]
    rows: list[dict[str, str]] = []
    seen: dict[str, str] = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            student, chapter, answers = load_answer_file(path)
        except QuizError as exc:
            rows.append({"student": path.stem, "total": "0", "max": str(len(qids)),
                         **{qid: "0" for qid in qids}, "note": t("unreadable", lang, error=exc)})
            continue
        notes = _notes(bank, chapter, answers, lang)
        if student in seen:
            notes.append(t("duplicate_student", lang, other=seen[student]))
        seen.setdefault(student, path.name)
        points = score_answers(bank, answers)
        rows.append({"student": student, "total": fmt_points(sum(points.values())), "max": str(len(qids)),
                     **{qid: fmt_points(p) for qid, p in points.items()}, "note": "; ".join(notes)})
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["student", "total", "max", *qids, "note"])
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
