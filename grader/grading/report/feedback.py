"""``feedback/<student>.md`` and ``.html``: what a student may see (hidden tests: name, points, a short reason).

When one error fails most of a chapter's tests (a ``SyntaxError``, a missing module), it is said once
at the top of the chapter and the rows point to it.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Optional

from jinja2 import Environment, FileSystemLoader, select_autoescape

from grader.grading.adjustments import KIND as ADJUSTMENT
from grader.i18n import get_lang, shown, t

TEMPLATES = Path(__file__).parent / "templates"
WORDS = ("title", "total", "test", "points", "message", "note", "adjustment")


def environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


def common_error(tests: list[dict]) -> Optional[str]:
    """The message shared by every failing test of a chapter, when there are at least two of them."""
    failing = [x["message"] for x in tests if not x["passed"]]
    if len(failing) < 2:
        return None
    message, count = Counter(failing).most_common(1)[0]
    return message if count == len(failing) and message else None


def student_view(student: dict, rows: list[dict]) -> dict:
    """The data a student may see: per chapter, per test, points and the visible message; then the
    chapter's adjustments (late penalty, the TA's), counted in its points."""
    chapters: dict[str, list[dict]] = defaultdict(list)
    adjustments: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if r["kind"] == ADJUSTMENT:
            adjustments[r["chapter"]].append({"points": round(r["points"], 2), "message": shown(r["message"])})
            continue
        if r["visibility"] == "hidden":
            continue
        chapters[r["chapter"]].append({
            "name": r["test"], "points": round(r["points"], 2), "max": r["max_points"], "passed": r["status"] == "pass",
            "message": shown(r["message"] if r["kind"] == "public" else r["brief"]),
        })
    view = {}
    for ch in sorted(set(chapters) | set(adjustments)):
        tests = chapters[ch]
        common = common_error(tests)
        if common:
            tests = [{**x, "message": t("fb.see_above")} if not x["passed"] else x for x in tests]
        view[ch] = {"tests": tests, "common": common, "failing": sum(not x["passed"] for x in tests),
                    "points": round(sum(x["points"] for x in tests + adjustments[ch]), 2), "max": sum(x["max"] for x in tests),
                    "adjustments": adjustments[ch]}
    return {
        "student": student["student"], "reason": student["reason"], "status": student["status"],
        "total": round(sum(r["points"] for r in rows), 2), "max_total": sum(r["max_points"] for r in rows),
        "chapters": view,
    }


def summary_line(view: dict) -> str:
    """One paragraph for the top of a student's results: the entry's reason and each chapter's common error."""
    parts = [view["reason"]] if view["reason"] else []
    parts += [f"{ch}: {t('fb.common', n=data['failing'])} {data['common']}" for ch, data in view["chapters"].items()
              if data["common"]]
    return "\n".join(parts)


def _markdown(view: dict, text: dict) -> str:
    lines = [f"# {text['title']}: {view['student']}", "", f"**{text['total']}: {view['total']} / {view['max_total']}**", ""]
    if view["reason"]:
        lines += [f"> {view['reason']}", ""]
    for chapter, data in view["chapters"].items():
        lines += [f"## {chapter} — {data['points']} / {data['max']}", ""]
        if data["common"]:
            lines += [f"> **{t('fb.common', n=data['failing'])}** {data['common']}", ""]
        lines += [f"| {text['test']} | {text['points']} | {text['message']} |", "|---|---|---|"]
        for x in data["tests"]:
            mark = "✓" if x["passed"] else "✗"
            message = (x["message"] or "").replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {mark} {x['name']} | {x['points']}&nbsp;/&nbsp;{x['max']} | {message} |")
        lines.append("")
        lines += [f"- **{text['adjustment']} {a['points']:+g}**: {a['message']}" for a in data["adjustments"]]
        lines += [""] if data["adjustments"] else []
    lines.append(f"_{text['note']}_")
    return "\n".join(lines) + "\n"


def write_feedback(folder: Path, students: list[dict], results: list[dict]) -> None:
    """Markdown and HTML feedback per student, in the language in force."""
    folder.mkdir(parents=True, exist_ok=True)
    text = {w: t(f"fb.{w}") for w in WORDS}
    template = environment().get_template("feedback.html.j2")
    by_student: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        by_student[r["student"]].append(r)
    for s in students:
        view = student_view(s, by_student.get(s["student"], []))
        (folder / f"{s['student']}.md").write_text(_markdown(view, text), encoding="utf-8")
        html = template.render(v=view, t=text, lang=get_lang(), common=lambda n: t("fb.common", n=n))
        (folder / f"{s['student']}.html").write_text(html, encoding="utf-8")
