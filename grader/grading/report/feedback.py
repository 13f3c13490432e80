"""``feedback/<student>.md`` and ``.html``: what a student may see (hidden tests: name, points, a short reason)."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from grader.i18n import get_lang

TEMPLATES = Path(__file__).parent / "templates"
TEXT = {
    "zh": {"title": "评分反馈", "total": "总分", "test": "测试", "points": "得分", "message": "说明", "status": "状态",
           "passed": "通过", "failed": "未通过", "note": "隐藏测试只显示名称、分数和简短原因。"},
    "en": {"title": "Grading feedback", "total": "Total", "test": "Test", "points": "Points", "message": "Message",
           "status": "Status", "passed": "passed", "failed": "failed",
           "note": "Hidden tests show their name, points and a short reason only."},
}


def environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


def student_view(student: dict, rows: list[dict]) -> dict:
    """The data a student may see: per chapter, per test, points and the visible message."""
    chapters: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if r["visibility"] == "hidden":
            continue
        chapters[r["chapter"]].append({
            "name": r["test"], "points": round(r["points"], 2), "max": r["max_points"], "passed": r["status"] == "pass",
            "message": r["message"] if r["kind"] == "public" else r["brief"],
        })
    return {
        "student": student["student"], "reason": student["reason"], "status": student["status"],
        "total": round(sum(r["points"] for r in rows), 2), "max_total": sum(r["max_points"] for r in rows),
        "chapters": {ch: {"tests": tests, "points": round(sum(t["points"] for t in tests), 2),
                          "max": sum(t["max"] for t in tests)} for ch, tests in sorted(chapters.items())},
    }


def _markdown(view: dict, text: dict) -> str:
    lines = [f"# {text['title']}: {view['student']}", "", f"**{text['total']}: {view['total']} / {view['max_total']}**", ""]
    if view["reason"]:
        lines += [f"> {view['reason']}", ""]
    for chapter, data in view["chapters"].items():
        lines += [f"## {chapter} — {data['points']} / {data['max']}", "",
                  f"| {text['test']} | {text['points']} | {text['message']} |", "|---|---|---|"]
        for t in data["tests"]:
            mark = "✓" if t["passed"] else "✗"
            message = (t["message"] or "").replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {mark} {t['name']} | {t['points']} / {t['max']} | {message} |")
        lines.append("")
    lines.append(f"_{text['note']}_")
    return "\n".join(lines) + "\n"


def write_feedback(folder: Path, students: list[dict], results: list[dict]) -> None:
    """Markdown and HTML feedback per student, in the language in force."""
    folder.mkdir(parents=True, exist_ok=True)
    text = TEXT[get_lang()]
    template = environment().get_template("feedback.html.j2")
    by_student: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        by_student[r["student"]].append(r)
    for s in students:
        view = student_view(s, by_student.get(s["student"], []))
        (folder / f"{s['student']}.md").write_text(_markdown(view, text), encoding="utf-8")
        (folder / f"{s['student']}.html").write_text(template.render(v=view, t=text, lang=get_lang()), encoding="utf-8")
