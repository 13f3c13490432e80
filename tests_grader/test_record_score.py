"""Unit tests of the modules that decide grades: the gradebook's per-chapter keys and replacement,
``pipeline.score`` (statuses, bilingual messages, grader errors, gates) and the feedback's visibility."""
import json
from pathlib import Path

from grader.grading import pipeline
from grader.grading.intake import Submission
from grader.grading.record import Gradebook, Row
from grader.grading.report.feedback import student_view
from grader.i18n import shown

CH = "ch02_backprop"
NAMES = {CH: [f"{CH}/hidden/test_constructor_contract", f"{CH}/public/test_sigmoid", f"{CH}/public/test_train_losses"]}


def _row(test, status="pass", points=1.0, chapter=CH):
    return Row(test, chapter, test.split("/")[1], status, points, 1.0, "", "", "visible", 0.0)


def test_gradebook_replaces_only_the_recorded_chapters(tmp_path):
    book = Gradebook(tmp_path / "g.sqlite")
    book.record("ann", "h", "v", "ok", "", "ns", 1.0, [_row("a/public/t1", chapter="a"), _row("b/public/t1", chapter="b")],
                {"a": "ka", "b": "kb"})
    assert book.stale("ann", {"a": "ka", "b": "kb"}) == [] and book.stale("ann", {"a": "ka2", "b": "kb"}) == ["a"]
    book.record("ann", "h", "v", "ok", "", "ns", 1.0, [_row("a/public/t1", "fail", 0.0, chapter="a")], {"a": "ka2"})
    rows = {(r["chapter"], r["status"]) for r in book.results("ann")}
    assert rows == {("a", "fail"), ("b", "pass")}


def test_a_grader_error_leaves_its_chapter_stale(tmp_path):
    book = Gradebook(tmp_path / "g.sqlite")
    book.record("ann", "h", "v", "ok", "", "ns", 1.0, [_row("a/public/t1", "grader-error", 0.0, chapter="a")], {"a": "k"})
    assert book.stale("ann", {"a": "k"}) == ["a"]
    book.remove(["ann"])
    assert book.students() == [] and book.results() == []


def _sub(status="ok", chapters=(CH,)):
    why = ("intake.empty", {}) if status != "ok" else None
    return Submission("ann", Path("x"), status=status, why=why, chapters=list(chapters))


def test_score_statuses_and_both_languages():
    absent = pipeline.score(_sub(chapters=()), NAMES, [])
    assert {r.status for r in absent} == {"fail"} and shown(absent[0].message, "zh") == "未提交"
    unreadable = pipeline.score(_sub(status="empty"), NAMES, [])
    assert shown(unreadable[0].message, "en") == "empty: the entry holds no files"
    assert shown(unreadable[0].message, "zh") == "空提交：提交里没有任何文件"
    stopped = pipeline.score(_sub(), NAMES, [], error="the compare step failed")
    assert {r.status for r in stopped} == {"grader-error"} and all(r.points == 0 for r in stopped)


def test_a_failed_gate_zeroes_the_chapter_and_says_why():
    outcome = {"status": "pass", "fraction": 1.0, "detail": {}, "brief": {}, "duration": 0.1}
    failing_gate = {"status": "fail", "fraction": 0.0, "detail": {"en": "x", "zh": "x"}, "brief": {"en": "x", "zh": "x"}}
    outcomes = [{**failing_gate, "name": NAMES[CH][0]}, {**outcome, "name": NAMES[CH][1]}, {**outcome, "name": NAMES[CH][2]}]
    rows = pipeline.score(_sub(), NAMES, outcomes)
    assert [r.points for r in rows] == [0.0, 0.0, 0.0] and rows[1].status == "pass"
    assert "test_constructor_contract" in shown(rows[1].message, "en")
    passing = pipeline.score(_sub(), NAMES, [{**outcome, "name": n} for n in NAMES[CH]])
    assert [r.points for r in passing] == [0.0, 1.0, 1.0]  # a gate is worth nothing itself


def test_an_undecided_gate_leaves_the_chapter_to_the_grader_not_the_student():
    outcome = {"status": "pass", "fraction": 1.0, "detail": {}, "brief": {}, "duration": 0.1}
    outcomes = [{**outcome, "name": n} for n in NAMES[CH][1:]]  # the gate produced no outcome
    rows = pipeline.score(_sub(), NAMES, outcomes)
    assert [r.status for r in rows] == ["grader-error"] * 3 and [r.points for r in rows] == [0.0] * 3
    assert "not your fault" in shown(rows[1].message, "en") and "policy check" in shown(rows[1].message, "en")
    assert "不是你的问题" in shown(rows[1].message, "zh")


def test_feedback_never_shows_hidden_rows():
    rows = [{"student": "ann", "test": f"{CH}/hidden/test_x", "chapter": CH, "kind": "hidden", "status": "fail",
             "points": 0.0, "max_points": 1.0, "message": json.dumps({"en": "expected 4"}), "brief": json.dumps({"en": "differs"}),
             "visibility": v} for v in ("hidden", "after_due_date")]
    view = student_view({"student": "ann", "reason": "", "status": "ok"}, rows)
    tests = view["chapters"][CH]["tests"]
    assert len(tests) == 1 and tests[0]["message"] == "differs"  # brief, never the expected value
