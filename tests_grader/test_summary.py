"""The end of ``make test``: "every task passes" only when every test of the chapter ran and passed —
not with tests skipped, not with ``-k`` leaving some out, not for ``--hidden`` where there are none. About 5 s."""
import subprocess
import sys

from grader import REPO_ROOT
from grader.harness.outcomes import Outcome
from grader.harness.summary import load_tasks, print_task_tables, task_status
from grader.i18n import t

CHAPTER = "ch02_backprop"
BANNER = "Every task of ch02_backprop passes"


class Reporter:
    hasmarkup = False

    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text


def _outcomes(status_of_first="pass"):
    tasks = [task["id"] for task in load_tasks(CHAPTER)]
    return [Outcome(f"{CHAPTER}/public/test_{n}", CHAPTER, "public", [task], status_of_first if n == 0 else "pass")
            for n, task in enumerate(tasks)]


def _shown(outcomes, **kwargs):
    reporter = Reporter()
    print_task_tables(outcomes, reporter, **kwargs)
    return reporter.text


def test_task_status_counts_only_tests_that_passed():
    def one(status):
        return Outcome("c/public/x", "c", "public", ["1.1"], status)

    assert task_status([one("pass")]) == "pass"
    assert task_status([one("pass"), one("skip")]) == "none"
    assert task_status([one("grader-error")]) == "fail"
    assert task_status([]) == "none"


def test_banner_only_when_everything_ran_and_passed(monkeypatch):
    monkeypatch.setattr("grader.i18n._lang", "en")
    assert BANNER in _shown(_outcomes())
    assert BANNER not in _shown(_outcomes("skip"))
    for reason in ("chapter_partial", "chapter_public_only"):
        shown = _shown(_outcomes(), incomplete={CHAPTER: reason})
        assert BANNER not in shown and t(reason, chapter=CHAPTER, done=6, n=6)[:30] in shown


def _grader_test(*args, cwd=REPO_ROOT):
    return subprocess.run([sys.executable, "-m", "grader", "test", "ch02", "--target", str(REPO_ROOT / "solutions"),
                           "--lang", "en", *args], cwd=cwd, capture_output=True, text=True, timeout=300).stdout


def test_k_and_hidden_without_hidden_tests_get_no_banner(tmp_path):
    assert BANNER in _grader_test()
    assert BANNER not in _grader_test("-k", "not xor_is_learned")  # one of task 2.6's two tests left out
    from grader.release.dist import write_student_dist

    dist = tmp_path / "student"
    write_student_dist(dist, [CHAPTER])
    out = _grader_test("--hidden", cwd=dist)
    assert BANNER not in out and "the hidden tests are not here" in out, out
