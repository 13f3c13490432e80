"""The red team: hostile and malformed submissions graded in one batch with honest ones.

Every hostile entry must score exactly its honest score (0: each is the skeleton plus an attack),
the honest reference must keep full marks, and the batch must complete with intact outputs.
Runs the real ``python -m grader grade`` (sandboxed) without the slow strength run.
"""
import csv
import json
import sqlite3
import subprocess
import sys

import pytest

from grader import REPO_ROOT
from grader.grading.demo import build_class, load_redteam


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("redteam")
    klass, out = root / "class", root / "out"
    build_class(klass, mutants=())
    cmd = [sys.executable, "-m", "grader", "grade", str(klass), "--out", str(out), "--chapter", "ch01_game2048",
           "--jobs", "2", "--skip-slow", "--probe-seconds", "8", "--submission-seconds", "60", "--memory-mb", "1024"]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=1500)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    db = sqlite3.connect(out / "gradebook.sqlite")
    totals = dict(db.execute("SELECT student, SUM(points) FROM results GROUP BY student"))
    maxima = dict(db.execute("SELECT student, SUM(max_points) FROM results GROUP BY student"))
    status = {s: (st, reason) for s, st, reason in db.execute("SELECT student, status, reason FROM submissions")}
    return {"out": out, "klass": klass, "totals": totals, "max": maxima, "status": status, "stdout": proc.stdout}


def test_every_entry_has_a_row(graded):
    names = {p.stem for p in graded["klass"].iterdir()}
    assert names == set(graded["status"]) == set(graded["totals"])


def test_honest_submissions_keep_full_marks(graded):
    for student in ("alice_reference", "zip_of_assignments"):
        assert graded["totals"][student] == graded["max"][student] > 0, student


@pytest.mark.parametrize("name", [spec["name"] for spec in load_redteam()])
def test_attack_scores_its_honest_score(graded, name):
    assert graded["totals"][name] == 0.0, graded["status"][name]


def test_malformed_entries(graded):
    for name in ("bad_corrupt", "bad_zipslip", "bad_link"):
        status, reason = graded["status"][name]
        assert status == "ungradable" and reason, name
    assert graded["status"]["bad_empty"][0] == "empty" and graded["totals"]["bad_empty"] == 0
    assert 0 < graded["totals"]["bad_syntax"] < graded["max"]["bad_syntax"]  # board.py works, ai.py does not import


def test_outputs_are_the_graders(graded):
    out = graded["out"]
    rows = {r["student"]: r for r in csv.DictReader(open(out / "grades.csv", encoding="utf-8"))}
    assert float(rows["alice_reference"]["total"]) == graded["max"]["alice_reference"]
    assert float(rows["rt_fake_outputs"]["total"]) == 0.0
    doc = json.loads((out / "results" / "rt_forged_stdout.json").read_text())
    assert doc["score"] == 0 and all(t["name"].startswith("ch01_game2048/") for t in doc["tests"])
    assert not (REPO_ROOT / "results.json").exists() and not (REPO_ROOT / "grades.csv").exists()
    assert (REPO_ROOT / "solutions" / "ch01_game2048" / "board.py").read_text().startswith('"""')


def test_sandbox_isolation_was_namespaces(graded):
    db = sqlite3.connect(graded["out"] / "gradebook.sqlite")
    modes = {m for (m,) in db.execute("SELECT isolation FROM submissions WHERE status = 'ok' AND isolation != '-'")}
    assert modes == {"namespaces"}, modes
