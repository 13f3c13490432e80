"""``report.html`` for the TA: score histogram, per-test pass rates, timings, similarity pairs."""
from __future__ import annotations

import base64
import io
from collections import defaultdict
from pathlib import Path

from grader.grading.report.feedback import environment
from grader.grading.similarity import Pair


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


def pass_rates(results: list[dict]) -> list[dict]:
    """Per test (parametrized cases folded), the share of students who passed; hardest first."""
    stats: dict[str, list[float]] = defaultdict(list)
    for r in results:
        stats[r["test"].split("[")[0]].append(r["points"] / r["max_points"] if r["max_points"] else 0.0)
    rows = [{"test": t, "rate": sum(v) / len(v), "n": len(v)} for t, v in stats.items()]
    return sorted(rows, key=lambda r: (r["rate"], r["test"]))


def write_report(path: Path, students: list[dict], results: list[dict], pairs: list[Pair], meta: dict) -> None:
    """Render the report."""
    totals_by: dict[str, float] = defaultdict(float)
    max_by: dict[str, float] = defaultdict(float)
    for r in results:
        totals_by[r["student"]] += r["points"]
        max_by[r["student"]] += r["max_points"]
    max_total = max(max_by.values(), default=0.0)
    rows = [{**s, "total": round(totals_by.get(s["student"], 0.0), 2)} for s in students]
    html = environment().get_template("report.html.j2").render(
        students=rows, max_total=max_total, histogram=histogram_png([r["total"] for r in rows], max_total),
        rates=pass_rates(results), pairs=pairs, meta=meta,
    )
    path.write_text(html, encoding="utf-8")
