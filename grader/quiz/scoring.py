"""Points for one answer (1 per question, partial credit as in quizzes/README.md).

Answers are in their canonical form, written with the bank's ids: single -> str,
multiple -> list[str], matching / code_blanks -> dict[str, str] (left id or blank number ->
right or term id), short -> str. `None` means not answered.
"""
from __future__ import annotations

from typing import Any

Answer = Any


def keypoint_hits(question: dict, text: str) -> list[bool]:
    """For each key point, whether one of its keywords occurs in `text` (case-insensitive)."""
    lowered = text.lower()
    return [any(word in lowered for word in point["keywords"]) for point in question["key_points"]]


def score(question: dict, answer: Answer) -> float:
    """Points in [0, 1] that `answer` earns on `question`."""
    if answer is None:
        return 0.0
    qtype, key = question["type"], question.get("answer")
    if qtype == "single":
        return float(answer == key)
    if qtype == "multiple":
        picked, right = set(answer or ()), set(key or ())
        return max(0.0, (len(picked & right) - len(picked - right)) / len(right))
    if qtype in ("matching", "code_blanks"):
        answered, wanted = answer or {}, key or {}
        return sum(answered.get(slot) == target for slot, target in wanted.items()) / max(1, len(wanted))
    hits = keypoint_hits(question, str(answer))
    return sum(hits) / len(hits)


def fmt_points(points: float) -> str:
    """Points as shown and written to CSV: at most three decimals, no trailing zeros."""
    return f"{round(points, 3) + 0.0:g}"
