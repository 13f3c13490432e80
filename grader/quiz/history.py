"""Attempt history: one JSON line per attempt in `.quiz-history/<chapter>.jsonl`."""
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path


def history_path(chapter: str, environ: Mapping[str, str] | None = None) -> Path:
    """`$QUIZ_HISTORY_DIR/<chapter>.jsonl`, by default under `.quiz-history/` in the current folder."""
    env = os.environ if environ is None else environ
    folder = env.get("QUIZ_HISTORY_DIR") or Path.cwd() / ".quiz-history"
    return Path(folder) / f"{chapter}.jsonl"


def append(path: Path, record: dict) -> None:
    """Add one attempt record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")


def read(path: Path) -> list[dict]:
    """All readable attempt records, oldest first (a damaged line is skipped)."""
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and isinstance(record.get("results"), dict):
            records.append(record)
    return records


def to_review(records: list[dict], question_ids: list[str]) -> list[str]:
    """Questions whose latest answer was not fully right: missed at some point and not answered right since."""
    latest: dict[str, float] = {}
    for record in records:
        latest.update(record["results"])
    return [qid for qid in question_ids if qid in latest and latest[qid] < 1]
