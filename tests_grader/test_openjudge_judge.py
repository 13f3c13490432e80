"""The ch12 online judge: each verdict from a program written to produce it (no chapter code involved)."""
from __future__ import annotations

from pathlib import Path

import pytest

from grader.harness.check import CheckFailure
from grader.harness.probes import InProcessRunner
from grader.harness.trees import Tree
from tests_public.ch12_openjudge.judge import judge, verdict

PROGRAMS = {
    "accepted": "import sys\ndef main():\n    a, b = map(int, sys.stdin.read().split())\n    print(a + b, ' ')\n",
    "wrong": "def main():\n    print('[3]')\n",
    "crash": "def main():\n    raise KeyError('boom: 1 2')\n",
    "slow": "def main():\n    while True:\n        pass\n",
    "greedy": "def main():\n    block = bytearray(400 << 20)\n    print(len(block))\n",
    "todo": "def main():\n    raise NotImplementedError('TODO 12.2: main')\n",
}


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> InProcessRunner:
    root = tmp_path_factory.mktemp("judge-tree")
    package = root / "ch12_openjudge"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, code in PROGRAMS.items():
        (package / f"{name}.py").write_text(code + "\nif __name__ == '__main__':\n    main()\n")
    return InProcessRunner(Tree(Path(root)))


@pytest.mark.parametrize("module,limit,memory,want", [
    ("accepted", 2.0, 256, "AC"), ("wrong", 2.0, 256, "WA"), ("crash", 2.0, 256, "RE"),
    ("slow", 1.0, 256, "TLE"), ("greedy", 2.0, 200, "MLE"),
])
def test_verdicts(runner: InProcessRunner, module: str, limit: float, memory: int, want: str) -> None:
    from tests_public.ch12_openjudge import probes as P

    result = runner(P.run_program, module, "1 2\n", limit, memory)
    assert verdict(result, "3\n", limit, memory) == want, result


def test_messages_hide_hidden_cases(runner: InProcessRunner) -> None:
    with pytest.raises(CheckFailure) as caught:
        judge(runner, "crash", "hidden-0", "1 2\n", "3\n", 2.0, 256)
    text = caught.value.detail("en") + caught.value.detail("zh")
    assert "Runtime Error" in text and "运行时错误" in text and "KeyError" in text and "limits: time 2 s, memory 256 MB" in text
    assert "boom" not in text and "1 2" not in text  # neither stderr's text nor the input
    with pytest.raises(CheckFailure) as caught:
        judge(runner, "wrong", "sample", "1 2\n", "3\n", 2.0, 256, public=True, how="m")
    assert "Wrong Answer" in caught.value.detail("en") and "[3]" in caught.value.detail("en")


def test_todo_reads_todo(runner: InProcessRunner) -> None:
    from tests_public.ch12_openjudge import probes as P

    with pytest.raises(NotImplementedError, match="TODO 12.2"):
        runner(P.run_program, "todo", "", 2.0, 256)


def test_peak_is_the_programs_own(runner: InProcessRunner) -> None:
    """A large judging process must not make a small program look out of memory (rusage would)."""
    from tests_public.ch12_openjudge import probes as P

    ballast = bytearray(300 << 20)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touched, so it counts in this process's RSS
    result = runner(P.run_program, "crash", "1 2\n", 2.0, 256)
    assert 0 < result["peak_mb"] < 100 and verdict(result, "3\n", 2.0, 256) == "RE", result
