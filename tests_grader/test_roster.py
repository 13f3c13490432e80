"""``grade --roster``: entries matched to roster ids (LMS folder names too), roster students without an
entry get "not submitted" rows, grades.csv carries the roster's columns, and the Canvas / Moodle import
files have the headers their documentation states."""
import csv
import shutil
import subprocess
import sys

from grader import REPO_ROOT
from grader.grading import roster
from grader.layout import ASSIGNMENTS, SOLUTIONS

CH = "ch02_backprop"


def test_matching_rules(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("\ufeffid,name,email,section\n2023001,Alice,a@x.edu,A\n2023002,Bob,b@x.edu,B\n", encoding="utf-8")
    people = roster.load(path)
    found, unmatched, missing = roster.assign([("2023001_Alice_hw3", tmp_path), ("stranger", tmp_path)], people)
    assert [n for n, _ in found] == ["2023001", "stranger"] and unmatched == ["stranger"] and missing == ["2023002"]
    assert people.match("20230011") is None  # a longer id is another student


def test_grade_with_a_roster(tmp_path):
    klass = tmp_path / "class"
    shutil.copytree(SOLUTIONS / CH, klass / "2023001_Alice_hw" / CH)
    shutil.copytree(ASSIGNMENTS / CH, klass / "stranger" / CH)
    (tmp_path / "roster.csv").write_text("id,name,email,section\n2023001,Alice,a@x.edu,A\n2023002,Bob,b@x.edu,B\n",
                                         encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "grader", "grade", str(klass), "--out", str(out), "--chapter", CH, "--jobs", "1",
           "--skip-slow", "--roster", str(tmp_path / "roster.csv")]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert "stranger" in proc.stdout and "2023002" in proc.stdout
    rows = {r["student"]: r for r in csv.DictReader(open(out / "grades.csv", encoding="utf-8"))}
    assert set(rows) == {"2023001", "2023002", "stranger"}
    assert rows["2023001"]["name"] == "Alice" and rows["2023001"]["total"] == rows["2023001"]["max_total"]
    assert rows["2023002"]["status"] == "not submitted" and float(rows["2023002"]["total"]) == 0
    canvas = list(csv.reader(open(out / "exports" / "canvas.csv", encoding="utf-8")))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] and canvas[1][0] == "Points Possible"
    moodle = list(csv.reader(open(out / "exports" / "moodle.csv", encoding="utf-8")))
    assert moodle[0][:3] == ["ID number", "Email address", "Full name"]
    assert {r[0] for r in moodle[1:]} == set(rows)
