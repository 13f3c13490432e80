"""``report.html`` for the TA: scores with summary statistics, per-test pass rates over the students who
submitted the chapter, similarity per pair of students (with a side-by-side page per pair), timings;
all in the language in force."""
from __future__ import annotations

import base64
import csv
import difflib
import html as html_escape
import io
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

from grader.grading.report.feedback import environment
from grader.grading.similarity import Pair
from grader.harness.outcomes import GRADER_ERROR
from grader.i18n import get_lang, t


def histogram_png(totals: list[float], max_total: float) -> str:
    """A base64 PNG of the class's totals."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 2.8), dpi=110)
    ax.hist(totals, bins=min(20, max(5, len(totals))), range=(0, max(max_total, 1)), color="#3b7dd8", edgecolor="white")
    ax.set_xlabel("total points")
    ax.set_ylabel("students")
    ax.set_title(f"{len(totals)} submissions, max {max_total:g}")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def pass_rates(results: list[dict], submitted: set[tuple[str, str]]) -> list[dict]:
    """Per test (parametrized cases folded), the share passed among the students who submitted its chapter
    (per student: the mean of the test's cases, partial credit pro rata); hardest first."""
    per: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in results:
        if (r["student"], r["chapter"]) in submitted:
            per[r["test"].split("[")[0]][r["student"]].append(r["points"] / r["max_points"] if r["max_points"] else
                                                              float(r["status"] == "pass"))
    rows = []
    for test, students in per.items():
        shares = [sum(v) / len(v) for v in students.values()]
        rows.append({"test": test, "rate": sum(shares) / len(shares), "n": len(shares)})
    return sorted(rows, key=lambda r: (r["rate"], r["test"]))


def _side_by_side(pair: tuple[str, str], files: list[Pair], trees: dict[str, Path], folder: Path) -> str:
    """Write ``similarity/pair-<a>--<b>.html`` (each shared file, the two versions side by side)."""
    a, b = pair
    diff = difflib.HtmlDiff(tabsize=4, wrapcolumn=80)
    parts = [f"<h1>{html_escape.escape(a)} ↔ {html_escape.escape(b)}</h1>"]
    for p in files:
        texts = [(trees[s] / p.chapter / p.file_a).read_text(encoding="utf-8", errors="replace").splitlines()
                 if (trees[s] / p.chapter / p.file_a).is_file() else [] for s in (p.student_a, p.student_b)]
        parts.append(f"<h2>{p.chapter}/{html_escape.escape(p.file_a)} — {100 * p.similarity:.0f}%</h2>")
        parts.append(diff.make_table(texts[0], texts[1], p.student_a, p.student_b, context=False))
    name = f"pair-{a}--{b}.html"
    style = "<style>table.diff{font:12px monospace;border:1px solid #ccc} .diff_add{background:#dfd} .diff_chg{background:#ffa} .diff_sub{background:#fdd}</style>"
    (folder / name).write_text(f"<!doctype html><meta charset='utf-8'>{style}" + "".join(parts), encoding="utf-8")
    return f"similarity/{name}"


SHOWN_PAIRS = 100  # pairs listed in report.html (all of them: similarity/pairs.csv)
SIDE_BY_SIDE = 50  # pairs given a side-by-side page, highest first (a class of copies has thousands of pairs)


def student_pairs(pairs: list[Pair], trees: dict[str, Path], folder: Path) -> list[dict]:
    """Similarity aggregated per pair of students (highest file first), every pair in ``pairs.csv``; the
    first :data:`SIDE_BY_SIDE` get a side-by-side page (stale pages of earlier runs are removed)."""
    grouped: dict[tuple[str, str], list[Pair]] = defaultdict(list)
    for p in pairs:
        a, b = sorted((p.student_a, p.student_b))
        grouped[(a, b)].append(p)
    folder.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    for pair, files in grouped.items():
        files = sorted(files, key=lambda p: -p.similarity)
        rows.append({"a": pair[0], "b": pair[1], "highest": files[0].similarity, "n": len(files),
                     "files": [f"{p.chapter}/{p.file_a} {100 * p.similarity:.0f}%" for p in files], "link": ""})
    rows.sort(key=lambda r: (-r["highest"], -r["n"], r["a"], r["b"]))
    for row in rows[:SIDE_BY_SIDE]:
        if row["a"] in trees and row["b"] in trees:
            row["link"] = _side_by_side((row["a"], row["b"]), grouped[(row["a"], row["b"])], trees, folder)
    kept = {Path(row["link"]).name for row in rows if row["link"]}
    for page in folder.glob("pair-*.html"):
        if page.name not in kept:
            page.unlink()
    with open(folder / "pairs.csv", "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["student_a", "student_b", "highest", "files"])
        out.writerows([r["a"], r["b"], f"{r['highest']:.3f}", "; ".join(r["files"])] for r in rows)
    return rows


def write_report(path: Path, students: list[dict], results: list[dict], pairs: list[Pair], meta: dict,
                 trees: dict[str, Path], maxima: dict[str, float]) -> None:
    """Render the report."""
    totals_by: dict[str, float] = defaultdict(float)
    for r in results:
        totals_by[r["student"]] += r["points"]
    max_total = sum(maxima.values())
    rows = [{**s, "total": round(totals_by.get(s["student"], 0.0), 2)} for s in students]
    totals = [r["total"] for r in rows]
    stats = {"mean": statistics.fmean(totals) if totals else 0.0, "median": statistics.median(totals) if totals else 0.0,
             "max": max_total, "zeros": sum(x == 0 for x in totals),
             "ungradable": sum(s["status"] != "ok" for s in students),
             "errors": sum(r["status"] == GRADER_ERROR for r in results)}
    submitted = {(s["student"], ch) for s in students if s["status"] == "ok"
                 for ch in meta["chapters"] if s["student"] in trees and (trees[s["student"]] / ch).is_dir()}
    shown = student_pairs(pairs, trees, path.parent / "similarity")
    more = max(0, len(shown) - SHOWN_PAIRS)
    words = {k: t(f"rp.{k}") for k in ("title", "scores", "student", "total", "status", "seconds", "note", "feedback",
                                        "rates", "test", "rate", "legend", "similarity", "pair", "files", "highest",
                                        "side", "no_pairs", "timings")}
    words["more_pairs"] = t("rp.more_pairs", n=more, pages=SIDE_BY_SIDE)
    html = environment().get_template("report.html.j2").render(
        students=rows, max_total=max_total, histogram=histogram_png(totals, max_total), stats=t("rp.stats", **stats),
        rates=pass_rates(results, submitted), pairs=shown[:SHOWN_PAIRS], more_pairs=more, meta=meta,
        header=t("rp.meta", n=meta["submissions"], chapters=", ".join(meta["chapters"]), version=meta["version"],
                 isolation=", ".join(meta["isolation"]), when=meta["when"]),
        of=lambda rate, n: t("rp.of", rate=100 * rate, n=n), w=words, lang=get_lang(),
    )
    path.write_text(html, encoding="utf-8")
