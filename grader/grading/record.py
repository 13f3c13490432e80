"""Record: the gradebook (SQLite), the record of truth. One transaction per submission.

A re-run skips a student whose content hash and grader version are unchanged and whose last run
finished; an interrupted run leaves every committed submission intact (WAL journal).
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    student TEXT PRIMARY KEY, content_hash TEXT NOT NULL, grader_version TEXT NOT NULL,
    status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', isolation TEXT NOT NULL DEFAULT '',
    seconds REAL NOT NULL DEFAULT 0, graded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS results (
    student TEXT NOT NULL, test TEXT NOT NULL, chapter TEXT NOT NULL, kind TEXT NOT NULL,
    status TEXT NOT NULL, points REAL NOT NULL, max_points REAL NOT NULL, message TEXT NOT NULL,
    brief TEXT NOT NULL, visibility TEXT NOT NULL, duration REAL NOT NULL,
    content_hash TEXT NOT NULL, grader_version TEXT NOT NULL,
    PRIMARY KEY (student, test)
);
"""


@dataclass
class Row:
    """One submission x test result."""

    test: str
    chapter: str
    kind: str
    status: str
    points: float
    max_points: float
    message: str
    brief: str
    visibility: str
    duration: float


class Gradebook:
    """``gradebook.sqlite`` under the output folder."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)

    def is_current(self, student: str, content_hash: str, version: str) -> bool:
        """True when this exact content was already graded by this grader version."""
        row = self.db.execute("SELECT content_hash, grader_version FROM submissions WHERE student = ?", (student,)).fetchone()
        return row == (content_hash, version)

    def record(self, student: str, content_hash: str, version: str, status: str, reason: str, isolation: str,
               seconds: float, rows: Iterable[Row]) -> None:
        """Replace the student's results in one transaction."""
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("DELETE FROM results WHERE student = ?", (student,))
            self.db.executemany(
                "INSERT INTO results VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(student, r.test, r.chapter, r.kind, r.status, r.points, r.max_points, r.message, r.brief,
                  r.visibility, r.duration, content_hash, version) for r in rows],
            )
            self.db.execute("INSERT OR REPLACE INTO submissions VALUES (?,?,?,?,?,?,?,?)",
                            (student, content_hash, version, status, reason, isolation, seconds, stamp))

    def forget_missing(self, students: set[str]) -> None:
        """Drop students whose entry left the submissions folder."""
        with self.db:
            self.db.execute("BEGIN")
            for (student,) in self.db.execute("SELECT student FROM submissions").fetchall():
                if student not in students:
                    self.db.execute("DELETE FROM results WHERE student = ?", (student,))
                    self.db.execute("DELETE FROM submissions WHERE student = ?", (student,))

    def students(self) -> list[dict]:
        cur = self.db.execute("SELECT * FROM submissions ORDER BY student")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def results(self, student: Optional[str] = None) -> list[dict]:
        query = "SELECT * FROM results" + (" WHERE student = ?" if student else "") + " ORDER BY student, chapter, kind DESC, test"
        cur = self.db.execute(query, (student,) if student else ())
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def close(self) -> None:
        self.db.close()
