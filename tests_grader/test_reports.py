"""The TA's outputs from fabricated gradebook rows: feedback's one-error summary, Gradescope's output,
the Excel CSV, per-pair similarity, pass rates over submitters, and the language of every text."""
import csv
from pathlib import Path

import pytest

from grader import i18n
from grader.grading import rubric
from grader.grading.report import exports, feedback, html
from grader.grading.similarity import Pair

SYNTAX = i18n.stored({"en": "your code raised SyntaxError: invalid syntax (ai.py, line 3)",
                      "zh": "你的代码抛出了 SyntaxError: invalid syntax (ai.py, line 3)"})


def row(student, test, status, points, message="", kind="public", chapter="ch01_game2048"):
    return {"student": student, "test": f"{chapter}/{kind}/{test}", "chapter": chapter, "kind": kind, "status": status,
            "points": points, "max_points": 1.0, "message": message, "brief": message, "visibility": "visible",
            "duration": 0.1}


STUDENTS = [{"student": s, "status": "ok", "reason": "", "seconds": 1.0, "isolation": "namespaces"} for s in ("ann", "bo")]
RESULTS = [row("ann", "test_a", "pass", 1.0), row("ann", "test_b", "error", 0.0, SYNTAX),
           row("ann", "test_c", "error", 0.0, SYNTAX), row("bo", "test_a", "pass", 1.0),
           row("bo", "test_b", "pass", 1.0), row("bo", "test_c", "fail", 0.0, i18n.stored(i18n.both("row.not_submitted")))]


@pytest.fixture(autouse=True)
def english():
    i18n.set_lang("en")
    yield
    i18n.set_lang(None)


def test_one_error_is_said_once_and_reaches_gradescope():
    view = feedback.student_view(STUDENTS[0], [r for r in RESULTS if r["student"] == "ann"])
    data = view["chapters"]["ch01_game2048"]
    assert data["common"].startswith("your code raised SyntaxError") and data["failing"] == 2
    assert [x["message"] for x in data["tests"] if not x["passed"]] == ["see above", "see above"]
    doc = exports.gradescope_result(STUDENTS[0], [r for r in RESULTS if r["student"] == "ann"])
    assert "SyntaxError" in doc["output"] and "2 tests" in doc["output"]


def test_messages_follow_the_language(tmp_path):
    for lang, word in (("zh", "你的代码抛出了"), ("en", "your code raised")):
        i18n.set_lang(lang)
        feedback.write_feedback(tmp_path / lang, STUDENTS, RESULTS)
        assert word in (tmp_path / lang / "ann.md").read_text(encoding="utf-8")
        html.write_report(tmp_path / f"report-{lang}.html", STUDENTS, RESULTS, [], _meta(), {}, {"ch01_game2048": 3.0})
    assert "评分报告" in (tmp_path / "report-zh.html").read_text(encoding="utf-8")
    assert "Grading report" in (tmp_path / "report-en.html").read_text(encoding="utf-8")


def _meta():
    return {"submissions": 2, "chapters": ["ch01_game2048"], "version": "x", "isolation": ["namespaces"], "when": "now",
            "phases": {"intake": 1.0, "grading": 2.0}}


def test_pass_rates_count_only_the_students_who_submitted():
    rates = {r["test"]: r for r in html.pass_rates(RESULTS, {("ann", "ch01_game2048")})}
    assert rates["ch01_game2048/public/test_a"] == {"test": "ch01_game2048/public/test_a", "rate": 1.0, "n": 1}
    assert rates["ch01_game2048/public/test_b"]["rate"] == 0.0


def test_similarity_is_one_row_per_pair_with_its_own_page(tmp_path):
    trees = {}
    for s in ("ann", "bo"):
        for f in ("board.py", "ai.py"):
            (tmp_path / s / "ch01_game2048").mkdir(parents=True, exist_ok=True)
            (tmp_path / s / "ch01_game2048" / f).write_text("x = 1\n")
        trees[s] = tmp_path / s
    pairs = [Pair("ch01_game2048", "ann", "board.py", "bo", "board.py", 1.0, ""),
             Pair("ch01_game2048", "bo", "ai.py", "ann", "ai.py", 0.7, "x.html")]
    rows = html.student_pairs(pairs, trees, tmp_path / "similarity")
    assert len(rows) == 1 and rows[0]["highest"] == 1.0 and rows[0]["n"] == 2
    assert (tmp_path / rows[0]["link"]).is_file()


def test_a_class_of_copies_gets_a_csv_of_every_pair_and_pages_for_the_closest_only(tmp_path):
    names = [f"s{i:02d}" for i in range(20)]  # 190 pairs: one page each was 11 GB for 300 generated entries
    trees = {}
    for n in names:
        (tmp_path / n / "ch01_game2048").mkdir(parents=True)
        (tmp_path / n / "ch01_game2048" / "board.py").write_text("x = 1\n")
        trees[n] = tmp_path / n
    folder = tmp_path / "similarity"
    folder.mkdir()
    (folder / "pair-gone--left.html").write_text("an earlier run's page")
    pairs = [Pair("ch01_game2048", a, "board.py", b, "board.py", 1.0 - i / 1000, "")
             for i, (a, b) in enumerate((a, b) for j, a in enumerate(names) for b in names[j + 1:])]
    rows = html.student_pairs(pairs, trees, folder)
    with open(folder / "pairs.csv", encoding="utf-8") as f:
        listed = list(csv.DictReader(f))
    assert len(rows) == len(listed) == 190 and listed[0]["student_a"] == "s00" and listed[0]["student_b"] == "s01"
    pages = sorted(p.name for p in folder.glob("pair-*.html"))
    assert len(pages) == html.SIDE_BY_SIDE and pages == sorted(Path(r["link"]).name for r in rows if r["link"])
    out = tmp_path / "report.html"
    html.write_report(out, [{"student": n, "status": "ok", "seconds": 1.0, "reason": "", "isolation": "-"} for n in names],
                      [], pairs, {**_meta(), "submissions": 20}, trees, {"ch01_game2048": 1.0})
    text = out.read_text(encoding="utf-8")
    assert text.count(" ↔ ") == html.SHOWN_PAIRS and "similarity/pairs.csv" in text


def test_excel_csv_has_a_bom_and_the_same_rows(tmp_path):
    exports.write_grades_csv(tmp_path / "grades.csv", STUDENTS, RESULTS, ["ch01_game2048"], {"ch01_game2048": 3.0})
    raw = (tmp_path / "grades-excel.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    plain = list(csv.reader(open(tmp_path / "grades.csv", encoding="utf-8")))
    excel = list(csv.reader(open(tmp_path / "grades-excel.csv", encoding="utf-8-sig")))
    assert plain == excel and plain[0][:3] == ["student", "total", "max_total"] and plain[1][2] == "3.0"


def test_rubric_accepts_gradescope_after_published(tmp_path, monkeypatch):
    (tmp_path / "chX").mkdir()
    (tmp_path / "chX" / "rubric.yaml").write_text("visibility: {hidden: after_published}\n")
    monkeypatch.setattr(rubric, "TESTS_HIDDEN", tmp_path)
    rubric.load.cache_clear()
    try:
        assert rubric.load("chX").visibility_for("hidden") == "after_published"
    finally:
        rubric.load.cache_clear()
