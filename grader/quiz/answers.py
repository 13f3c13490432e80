"""Reading answers: typed text (`ac`, `1B 2A`) and YAML answer files."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .schema import QuizError, as_id, blanks, load_yaml
from .scoring import Answer

_SEPARATORS = re.compile(r"[^0-9A-Za-z]+")
_PAIR = re.compile(r"(\d+)\s*[-:=.)>→]*\s*([A-Za-z]+)")


def split_letters(text: str) -> list[str]:
    """`"a,c"`, `"a c"`, `"ac"` and `"a) c)"` all give `["a", "c"]`."""
    parts = [p for p in _SEPARATORS.split(text.strip()) if p]
    if len(parts) == 1:
        return list(parts[0])
    return parts


def split_pairs(text: str) -> dict[str, str] | list[str]:
    """`"1B 2A"` (also `1-b, 2:a`) gives `{"1": "B", "2": "A"}`; text without digits gives its letters in order."""
    pairs = _PAIR.findall(text)
    if pairs:
        return dict(pairs)
    return split_letters(text)


def _lookup(value: Any, ids: list[str]) -> str:
    """The bank id that `value` names, compared case-insensitively; unknown values are kept as text."""
    text = str(as_id(value)).strip()
    folded = {i.casefold(): i for i in ids}
    return folded.get(text.casefold(), text)


def from_file(question: dict, raw: Any) -> Answer:
    """The canonical answer (see `scoring`) for a value written in an answer file."""
    if raw is None:
        return None
    qtype = question["type"]
    if qtype in ("single", "multiple"):
        ids = [o["id"] for o in question["options"]]
        values = raw if isinstance(raw, list) else split_letters(str(raw))
        picked = list(dict.fromkeys(_lookup(v, ids) for v in values))
        if qtype == "multiple":
            return picked
        return picked[0] if len(picked) == 1 else " ".join(picked) or None
    if qtype in ("matching", "code_blanks"):
        slots = [i["id"] for i in question["left"]] if qtype == "matching" else blanks(question["code"])
        targets = [i["id"] for i in question["right" if qtype == "matching" else "terms"]]
        pairs = raw if isinstance(raw, dict) else split_pairs(str(raw))
        if isinstance(pairs, list):
            pairs = dict(zip(slots, pairs))
        return {_lookup(k, slots): _lookup(v, targets) for k, v in pairs.items()}
    return str(raw)


def load_answer_file(path: Path) -> tuple[str, str | None, dict[str, Any]]:
    """`(student, chapter, answers)` of an answer file; the student defaults to the file stem."""
    data = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("answers") or {}, dict):
        raise QuizError(f"{path}: expected a mapping with an 'answers' mapping")
    student = data.get("student")
    student = str(student).strip() if student not in (None, "") else Path(path).stem
    chapter = data.get("chapter")
    answers = {str(k): v for k, v in (data.get("answers") or {}).items()}
    return student, None if chapter is None else str(chapter), answers
