"""What a broken submission costs: an entry whose every ch02 TODO function loops forever is graded 0 by
``grade`` within a minute (the reference is timed in the same run), each timeout reported as the student's,
in both languages — the first one where it was, later checks cut short because of it.

About 40 s (60 s with the machine's 2 cores at load 10); bench/bench_loops.py measures every fast chapter."""
from pathlib import Path

import pytest
from rich.console import Console

from grader.grading.demo import build_looping
from grader.grading.pipeline import Options, run_batch
from grader.grading.sandbox.client import Limits, probe_limit
from grader.harness.outcomes import GRADER_ERROR
from grader.i18n import shown

CHAPTER = "ch02_backprop"
TARGET = 60.0


def test_an_all_loops_entry_costs_under_a_minute_and_scores_zero(tmp_path: Path) -> None:
    build_looping(tmp_path / "class" / "loops", CHAPTER)
    source = (tmp_path / "class" / "loops" / CHAPTER / "xor_nn.py").read_text(encoding="utf-8")
    assert "while True:" in source and "### BEGIN SOLUTION" not in source
    with open(tmp_path / "grade.log", "w") as log:
        summary = run_batch(Options(tmp_path / "class", tmp_path / "out", [CHAPTER], jobs=1, skip_slow=True), Console(file=log))
    assert summary["students"][0]["seconds"] < TARGET  # the entry's compare step: the reference's timing included
    results = summary["results"]
    assert results and sum(r["points"] for r in results) == 0
    assert not [r for r in results if r["status"] == GRADER_ERROR]
    english = [shown(r["message"], "en") for r in results]
    chinese = [shown(r["message"], "zh") for r in results]
    assert any(m.startswith("NeuralNetwork.feedforward did not return within") and "xor_nn.py" in m for m in english)
    assert any(m.startswith("cut short: NeuralNetwork.") for m in english)
    assert any("秒内没有返回" in m for m in chinese) and any(m.startswith("提前中止") for m in chinese)


def test_probe_limit_follows_the_reference_within_the_checks_limit() -> None:
    limits = Limits(probe_seconds=30, probe_floor=3, probe_factor=20)
    assert probe_limit(limits, None, None) == 30 and probe_limit(limits, None, 120) == 120  # no reference time
    assert probe_limit(limits, (0.01, 0.01), None) == 3  # the floor
    assert probe_limit(limits, (0.5, 0.5), None) == 10 and probe_limit(limits, (2.0, 2.0), None) == 30
    assert probe_limit(limits, (4.0, 0.1), None) == pytest.approx(2 * 3.9 + 20 * 0.1)  # one-off start-up counted twice, not 20 times
    assert probe_limit(limits, (0.01, 0.01), 300) == 300  # a check's own timeout= (training run, judge) stays
