"""What a student reads when a public test fails (issue 13): the call that failed, never a probe's internals.

Each round builds one scratch tree with one core mutant per chapter (round ``k``: the ``k``-th core
mutant of each catalogue, cycled) and runs those chapters' public tests on it in one pytest run
(about 15 s a round).
"""
import re

import pytest

from grader.commands.mutants import apply, load_catalogue, run_tests
from grader.layout import TESTS_PUBLIC

# The chapters whose public tests name their calls (check.cases); the others still use check.equal/close
# with a description (issue 13, item 6, is open for ch03, ch04, ch08, ch09, ch11, ch12).
CHAPTERS = ["ch01_game2048", "ch02_backprop", "ch05_tokens", "ch06_attention", "ch07_gpt", "ch10_instruct",
            "ch13_transfer", "ch14_qa"]
ROUNDS = 3
CALL = re.compile(r"\w\(")  # `slide_and_merge(`, `CausalAttention(3, 2, 6, 0.0)(`


def _round(k: int) -> list:
    chosen = []
    for chapter in CHAPTERS:
        core = [m for m in load_catalogue(chapter) if m.core]
        chosen.append(core[k % len(core)])
    return chosen


@pytest.mark.parametrize("k", range(ROUNDS))
def test_public_failures_name_the_call(k, tmp_path):
    for mutant in _round(k):
        apply(mutant, tmp_path)
    outcomes, tail = run_tests([TESTS_PUBLIC / c for c in CHAPTERS], tmp_path, ["--reference-snapshots"])
    assert outcomes, tail
    failed = [o for o in outcomes if o["status"] == "fail"]
    assert failed, "no mutant failed a check"
    bad = [f"{o['name']} [{lang}]: {text}" for o in failed for lang, text in o["detail"].items()
           if not CALL.search(text) or "['" in text]
    assert not bad, "failure messages that name no call or show a probe's internals:\n" + "\n".join(bad)
