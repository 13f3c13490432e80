"""``adjustments.yaml``: late penalties and the TA's points, applied to grades.csv, the LMS exports,
results/<student>.json and the feedback (both languages), never to the gradebook."""
import csv
import json
import sqlite3
import subprocess
import sys

import pytest

from grader import REPO_ROOT, i18n
from grader.grading import adjustments
from grader.grading.report import exports, feedback

CH = "ch02_backprop"


def row(student, test, points, max_points=10.0, chapter=CH):
    return {"student": student, "test": f"{chapter}/hidden/{test}", "chapter": chapter, "kind": "hidden", "status": "pass",
            "points": points, "max_points": max_points, "message": "", "brief": "", "visibility": "visible", "duration": 0.1}


STUDENTS = [{"student": s, "status": "ok", "reason": "", "seconds": 1.0, "isolation": "namespaces"} for s in ("ann", "bo")]
RESULTS = [row("ann", "t1", 10.0), row("ann", "t2", 6.0), row("bo", "t1", 8.0), row("bo", "t2", 0.0)]
DOC = {"late_policy": {"per_day_percent": 10, "max_days": 3},
       "students": {"ann": {"late_days": 2, "points": [{"points": 1.5, "reason": "flaky test re-run by hand"}]},
                    "bo": {"late_days": {"ch02": 4}},
                    "zed": {"points": [{"points": 1, "reason": "not in this class"}]}}}


def test_late_penalty_and_points():
    extra, warnings = adjustments.rows(adjustments.parse(DOC), RESULTS, [CH])
    by = {(r["student"], r["test"].rsplit("/", 1)[1]): r["points"] for r in extra}
    assert by == {("ann", "late"): -3.2, ("ann", "1"): 1.5, ("bo", "late"): -8.0}  # 20% of 16; 4 > 3 days: all of 8
    assert all(r["max_points"] == 0 and r["test"].startswith(CH + "/adjustment/") for r in extra)
    assert warnings == ["adjustments for zed, who is not in the gradebook, are ignored"]


def test_a_chapter_must_be_named_when_several_are_graded():
    adj = adjustments.parse({"students": {"ann": {"points": [{"points": 1, "reason": "r"}]}}})
    extra, warnings = adjustments.rows(adj, RESULTS + [row("ann", "t9", 1.0, chapter="ch05_tokens")], [CH, "ch05_tokens"])
    assert extra == [] and "name its chapter" in warnings[0]


@pytest.mark.parametrize("doc, words", [
    ({"students": {"ann": {"points": [{"points": 1}]}}}, "needs a reason"),
    ({"students": {"ann": {"late_days": -1}}}, "whole number"),
    ({"students": {"ann": {"bonus": 1}}}, "unknown key"),
    ({"late_policy": {"per_day_percent": "ten"}}, "expected a number"),
])
def test_bad_files_are_refused_with_the_reason(doc, words):
    with pytest.raises(adjustments.AdjustmentsError, match=words):
        adjustments.parse(doc)


def test_every_output_shows_the_adjusted_score(tmp_path):
    extra, _ = adjustments.rows(adjustments.parse(DOC), RESULTS, [CH])
    rows = RESULTS + extra
    exports.write_grades_csv(tmp_path / "grades.csv", STUDENTS, rows, [CH], {CH: 20.0})
    totals = {r["student"]: float(r["total"]) for r in csv.DictReader(open(tmp_path / "grades.csv", encoding="utf-8"))}
    assert totals == {"ann": pytest.approx(14.3), "bo": 0.0}
    exports.write_lms_exports(tmp_path / "lms", STUDENTS, rows, [CH], {CH: 20.0})
    canvas = list(csv.reader(open(tmp_path / "lms" / "canvas.csv", encoding="utf-8")))
    assert [float(line[-1]) for line in canvas[2:]] == [14.3, 0.0]
    doc = exports.gradescope_result(STUDENTS[0], [r for r in rows if r["student"] == "ann"])
    assert doc["score"] == 14.3 == round(sum(t["score"] for t in doc["tests"]), 4)
    assert sum(t["max_score"] for t in doc["tests"]) == 20.0
    for lang, words in (("en", ("2 day(s) late", "TA adjustment: flaky test")), ("zh", ("迟交 2 天", "助教调整：flaky test"))):
        i18n.set_lang(lang)
        try:
            feedback.write_feedback(tmp_path / lang, STUDENTS, rows)
        finally:
            i18n.set_lang(None)
        for suffix in ("md", "html"):
            text = (tmp_path / lang / f"ann.{suffix}").read_text(encoding="utf-8")
            assert all(w in text for w in words) and "14.3" in text, (lang, suffix)


def test_grade_applies_them_to_the_outputs_only(tmp_path):
    """The real command (no submission: roster students are 'not submitted', nothing is sandboxed). ~3 s."""
    (tmp_path / "subs").mkdir()
    (tmp_path / "roster.csv").write_text("id,name,email\nann,Ann,a@x.org\nbo,Bo,b@x.org\n", encoding="utf-8")
    (tmp_path / "adjustments.yaml").write_text(
        "students:\n  ann:\n    points:\n      - {points: 2.5, reason: extension granted late}\n", encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "grader", "grade", str(tmp_path / "subs"), "--out", str(out), "--chapter", CH,
           "--roster", str(tmp_path / "roster.csv"), "--adjustments", str(tmp_path / "adjustments.yaml"), "--lang", "en"]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    totals = {r["student"]: float(r["total"]) for r in csv.DictReader(open(out / "grades.csv", encoding="utf-8"))}
    assert totals == {"ann": 2.5, "bo": 0.0}
    recorded = dict(sqlite3.connect(out / "gradebook.sqlite").execute("SELECT student, SUM(points) FROM results GROUP BY student"))
    assert recorded == {"ann": 0.0, "bo": 0.0}
    doc = json.loads((out / "results" / "ann.json").read_text(encoding="utf-8"))
    assert doc["score"] == 2.5 and any(t["output"] == "TA adjustment: extension granted late" for t in doc["tests"])
    assert "extension granted late" in (out / "feedback" / "ann.md").read_text(encoding="utf-8")
    (tmp_path / "adjustments.yaml").write_text("students:\n  ann:\n    points: [{points: 1}]\n", encoding="utf-8")
    refused = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True)
    assert refused.returncode == 2 and "needs a reason" in refused.stdout
