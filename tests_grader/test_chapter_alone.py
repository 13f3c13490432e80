"""A chapter is graded alone: code that borrows a graded task from another chapter's given code
(ch07's previous_chapters.MultiHeadAttention for ch06's task 6.7) earns nothing, in ``make test``
(with a clear message) and under ``grade`` (only the graded chapter is staged in its sandbox)."""
import shutil
import sqlite3
import subprocess
import sys

import pytest

from grader import REPO_ROOT
from grader.layout import ASSIGNMENTS, SOLUTIONS

BORROW = "\n\nfrom ch07_gpt.previous_chapters import MultiHeadAttention  # noqa: E402,F401\n"


@pytest.fixture()
def borrower(tmp_path):
    entry = tmp_path / "class" / "borrower"
    shutil.copytree(ASSIGNMENTS / "ch06_attention", entry / "ch06_attention")
    shutil.copytree(SOLUTIONS / "ch07_gpt", entry / "ch07_gpt")
    with open(entry / "ch06_attention" / "attention.py", "a", encoding="utf-8") as f:
        f.write(BORROW)
    return entry


def test_make_test_refuses_the_import_and_says_why(borrower):
    cmd = [sys.executable, "-m", "grader", "test", "ch06_attention", "--target", str(borrower), "--lang", "en",
           "-p", "no:cacheprovider"]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0 and "graded alone: ch06_attention cannot import ch07_gpt" in " ".join(proc.stdout.split())
    assert " passed" not in proc.stdout.splitlines()[-1], proc.stdout[-500:]


def test_grade_stages_only_the_graded_chapter(borrower):
    out = borrower.parent.parent / "out"
    cmd = [sys.executable, "-m", "grader", "grade", str(borrower.parent), "--out", str(out), "--jobs", "1",
           "--skip-slow", "--chapter", "ch06_attention", "--chapter", "ch07_gpt"]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:]
    db = sqlite3.connect(out / "gradebook.sqlite")
    points = dict(db.execute("SELECT chapter, SUM(points) FROM results GROUP BY chapter"))
    maxima = dict(db.execute("SELECT chapter, SUM(max_points) FROM results GROUP BY chapter"))
    assert points["ch06_attention"] == 0 and points["ch07_gpt"] == maxima["ch07_gpt"] > 0
