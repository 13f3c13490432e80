"""What a student reads when a public test fails (issue 13): the call that failed, never a probe's internals.

Each round builds one scratch tree with one core mutant per chapter (round ``k``: the ``k``-th core
mutant of each catalogue, cycled) and runs those chapters' public tests on it in one pytest run, the
slow ones left out (all 14 chapters: 26 s of CPU a round, about 1 min on the 2 shared cores under CI).
"""
import re

import pytest

from grader.commands.mutants import apply, load_catalogue, run_tests
from grader.layout import TESTS_PUBLIC

CHAPTERS = ["ch01_game2048", "ch02_backprop", "ch03_iris", "ch04_cnn", "ch05_tokens", "ch06_attention", "ch07_gpt",
            "ch08_pretrain", "ch09_classify", "ch10_instruct", "ch11_pytorch_primer", "ch12_openjudge", "ch13_transfer",
            "ch14_qa"]
ROUNDS = 2
CALL = re.compile(r"\w\(")  # `slide_and_merge(`, `CausalAttention(3, 2, 6, 0.0)(`
INTERNAL = re.compile(r"'\]\[|\]\['")  # a probe's path into its result: `['states'][0]`, `[0]['loss']`


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
    outcomes, tail = run_tests([TESTS_PUBLIC / c for c in CHAPTERS], tmp_path, ["--reference-snapshots", "-m", "not slow"])
    assert outcomes, tail
    failed = [o for o in outcomes if o["status"] == "fail"]
    assert failed, "no mutant failed a check"
    bad = [f"{o['name']} [{lang}]: {text}" for o in failed for lang, text in o["detail"].items()
           if not CALL.search(text) or INTERNAL.search(text)]
    assert not bad, "failure messages that name no call or show a probe's internals:\n" + "\n".join(bad)
