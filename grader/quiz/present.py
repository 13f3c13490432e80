"""How a question is shown: choices in display order with display labels, mapped back to bank ids."""
from __future__ import annotations

import random
import string
from dataclasses import dataclass

from .answers import split_letters, split_pairs
from grader.i18n import t
from .schema import blanks
from .scoring import Answer
from .style import CHOICE_FIELD, fill


@dataclass
class Presented:
    """A question as displayed: `choices` are (label, item) pairs, `slots` (label, id) pairs."""

    question: dict
    choices: list[tuple[str, dict]]
    slots: list[tuple[str, str]]

    def choice_label(self, item_id: str) -> str:
        """The label shown for a choice id (the id itself if unknown)."""
        return next((label for label, item in self.choices if item["id"] == item_id), item_id)

    def fill(self, text: str) -> str:
        """Bank text with each placeholder `{b}` replaced by the label shown for choice `b`."""
        return fill(text, {item["id"]: label for label, item in self.choices})

    def slot_label(self, slot_id: str) -> str:
        """The label shown for a left-item id or blank number."""
        return next((label for label, sid in self.slots if sid == slot_id), slot_id)

    def choice_id(self, label: str) -> str | None:
        """The choice id behind a typed label (any case), or None."""
        return next((item["id"] for lab, item in self.choices if lab.casefold() == label.casefold()), None)

    def slot_id(self, label: str) -> str | None:
        """The left-item id or blank number behind a typed label, or None."""
        return next((sid for lab, sid in self.slots if lab.casefold() == label.casefold()), None)


def present(question: dict, rng: random.Random | None = None) -> Presented:
    """With `rng`: choices shuffled and re-lettered, matching items numbered 1..n; without: bank order and ids."""
    qtype = question["type"]
    items = list(question.get(CHOICE_FIELD.get(qtype, ""), []))
    if rng is None:
        choices = [(item["id"], item) for item in items]
    else:
        rng.shuffle(items)
        letters = string.ascii_lowercase if qtype in ("single", "multiple") else string.ascii_uppercase
        choices = list(zip(letters, items))
    if qtype == "matching":
        left = [item["id"] for item in question["left"]]
        slots = [(item_id if rng is None else str(n), item_id) for n, item_id in enumerate(left, 1)]
    elif qtype == "code_blanks":
        slots = [(number, number) for number in blanks(question["code"])]
    else:
        slots = []
    return Presented(question, choices, slots)


def parse_typed(pres: Presented, text: str, lang: str) -> tuple[Answer, str | None]:
    """The canonical answer for what the student typed, or `(None, reason)` to ask again."""
    qtype = pres.question["type"]
    if not text.strip():
        return None, t("bad_empty", lang)
    if qtype == "short":
        return text.strip(), None
    if qtype in ("single", "multiple"):
        letters = list(dict.fromkeys(split_letters(text)))
        unknown = [x for x in letters if pres.choice_id(x) is None]
        if unknown:
            return None, t("bad_label", lang, labels=", ".join(unknown))
        if qtype == "single" and len(letters) != 1:
            return None, t("bad_one", lang)
        ids = [pres.choice_id(x) for x in letters]
        return (ids[0] if qtype == "single" else ids), None
    pairs = split_pairs(text)
    if isinstance(pairs, list):
        if len(pairs) != len(pres.slots):
            return None, t("bad_count", lang, n=len(pres.slots))
        pairs = {label: letter for (label, _), letter in zip(pres.slots, pairs)}
    bad_slots = [k for k in pairs if pres.slot_id(k) is None]
    if bad_slots:
        return None, t("bad_slot", lang, labels=", ".join(bad_slots))
    bad_choices = [v for v in pairs.values() if pres.choice_id(v) is None]
    if bad_choices:
        return None, t("bad_label", lang, labels=", ".join(bad_choices))
    answer = {pres.slot_id(k): pres.choice_id(v) for k, v in pairs.items()}
    missing = [label for label, sid in pres.slots if sid not in answer]
    if missing:
        return None, t("bad_missing", lang, labels=", ".join(missing))
    return answer, None
