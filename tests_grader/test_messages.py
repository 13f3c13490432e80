"""What a student reads when a public test fails (issue 13): the call that failed, never a probe's internals.

Each round builds one scratch tree with one core mutant per chapter (round ``k``: the ``k``-th core
mutant of each catalogue, cycled) and runs every chapter's public tests on it in one pytest run.
"""
import re

import pytest

from grader.commands.mutants import apply, load_catalogue, run_tests
from grader.layout import MUTANTS, TESTS_PUBLIC

ROUNDS = 1
CALL = re.compile(r"\w\(")  # `slide_and_merge(`, `SelfAttention_v1(3, 2)(`


def _round(k: int) -> list:
    chosen = []
    for path in sorted(MUTANTS.glob("*.yaml")):
        core = [m for m in load_catalogue(path.stem) if m.core]
        if core:
            chosen.append(core[k % len(core)])
    return chosen


@pytest.mark.parametrize("k", range(ROUNDS))
def test_public_failures_name_the_call(k, tmp_path):
    mutants = _round(k)
    for mutant in mutants:
        apply(mutant, tmp_path)
    outcomes, tail = run_tests(TESTS_PUBLIC, tmp_path, ["--reference-snapshots"])
    assert outcomes, tail
    failed = [o for o in outcomes if o["status"] == "fail"]
    assert {o["chapter"] for o in failed}, "no mutant failed a check"
    bad = [f"{o['name']} [{lang}]: {text}" for o in failed for lang, text in o["detail"].items()
           if not CALL.search(text) or "['" in text]
    assert not bad, "failure messages that name no call or show a probe's internals:\n" + "\n".join(bad)
