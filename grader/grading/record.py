"""Record: the gradebook (SQLite), the record of truth. One transaction per submission.

Results are kept per student *and chapter*: each graded chapter stores the key it was graded under
(the chapter's submitted files, the kit's tests/reference/rubric for it, the grading mode), so a
re-run regrades exactly the chapters whose key changed, and grading one chapter never touches
another's rows. A chapter whose grading hit a grader error keeps no key (it is regraded next time).
An interrupted run leaves every committed submission intact (WAL journal).
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from grader.harness.outcomes import GRADER_ERROR

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
CREATE TABLE IF NOT EXISTS graded (
    student TEXT NOT NULL, chapter TEXT NOT NULL, key TEXT NOT NULL,
    PRIMARY KEY (student, chapter)
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

    def stale(self, student: str, keys: dict[str, str]) -> list[str]:
        """The chapters (of ``keys``: chapter -> key) not yet graded under exactly that key."""
        done = dict(self.db.execute("SELECT chapter, key FROM graded WHERE student = ?", (student,)).fetchall())
        return [chapter for chapter, key in keys.items() if done.get(chapter) != key]

    def record(self, student: str, content_hash: str, version: str, status: str, reason: str, isolation: str,
               seconds: float, rows: Iterable[Row], keys: dict[str, str]) -> None:
        """Replace the student's results for the chapters in ``keys`` (and only those) in one transaction."""
        rows = list(rows)
        failed = {r.chapter for r in rows if r.status == GRADER_ERROR}
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
        with self.db:
            self.db.execute("BEGIN")
            for chapter, key in keys.items():
                self.db.execute("DELETE FROM results WHERE student = ? AND chapter = ?", (student, chapter))
                if chapter in failed:
                    self.db.execute("DELETE FROM graded WHERE student = ? AND chapter = ?", (student, chapter))
                else:
                    self.db.execute("INSERT OR REPLACE INTO graded VALUES (?,?,?)", (student, chapter, key))
            self.db.executemany(
                "INSERT INTO results VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(student, r.test, r.chapter, r.kind, r.status, r.points, r.max_points, r.message, r.brief,
                  r.visibility, r.duration, content_hash, version) for r in rows if r.chapter in keys],
            )
            self.db.execute("INSERT OR REPLACE INTO submissions VALUES (?,?,?,?,?,?,?,?)",
                            (student, content_hash, version, status, reason, isolation, seconds, stamp))

    def remove(self, students: Iterable[str]) -> None:
        """Delete these students entirely (``--prune``)."""
        with self.db:
            self.db.execute("BEGIN")
            for student in students:
                for table in ("results", "graded", "submissions"):
                    self.db.execute(f"DELETE FROM {table} WHERE student = ?", (student,))

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
