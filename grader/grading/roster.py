"""The class roster (``--roster roster.csv``: ``id,name,email[,section]``) and matching entries to it.

An entry matches a roster id when its name is the id (case-insensitive), or starts with the id
followed by a separator (LMS downloads name folders like ``2023001_Alice_assignment``). Unmatched
entries keep their own name and are reported; roster students without an entry get a row
"not submitted".
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")  # what an entry carries (its path or paths)

NOT_SUBMITTED = "not submitted"
COLUMNS = ("name", "email", "section")


@dataclass
class Roster:
    """Roster rows by id (each row: ``name``, ``email``, ``section``)."""

    people: dict[str, dict[str, str]]

    def match(self, entry: str) -> str | None:
        """The roster id an entry's name belongs to, if any."""
        lowered = entry.lower()
        for rid in self.people:
            r = rid.lower()
            if lowered == r or re.match(re.escape(r) + r"[\s_\-.]", lowered):
                return rid
        return None


def load(path: Path) -> Roster:
    """Read the roster CSV (UTF-8, with or without a BOM); ``ValueError`` naming what is wrong."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or "id" not in rows[0]:
        raise ValueError(f"{path}: a roster needs a header with at least id,name,email[,section]")
    people: dict[str, dict[str, str]] = {}
    for row in rows:
        rid = (row.get("id") or "").strip()
        if not rid or rid in people:
            raise ValueError(f"{path}: empty or repeated id {rid!r}")
        people[rid] = {c: (row.get(c) or "").strip() for c in COLUMNS}
    return Roster(people)


def assign(entries: list[tuple[str, T]], roster: Roster) -> tuple[list[tuple[str, T]], list[str], list[str]]:
    """``(entries under roster ids where they match, unmatched entry names, roster ids without an entry)``."""
    named, unmatched, taken = [], [], set()
    for name, path in entries:
        rid = roster.match(name)
        if rid is None or rid in taken:
            unmatched.append(name)
            named.append((name, path))
        else:
            taken.add(rid)
            named.append((rid, path))
    return named, unmatched, sorted(set(roster.people) - taken)
