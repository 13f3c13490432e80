"""``grader run``: the student's program on their tree, in their language; a TODO ends it with a hint."""
import subprocess
import sys

from grader import REPO_ROOT


def _run(*argv):
    return subprocess.run([sys.executable, "-m", "grader", "run", *argv], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=120)


def test_run_names_the_missing_task(tmp_path):
    for lang, text in (("en", "This program needs a task you have not done yet: TODO 2."), ("zh", "还没完成的任务：TODO 2.")):
        done = _run("ch02_backprop.xor_nn", "--lang", lang, "--target", "assignments", "--out", str(tmp_path))
        assert done.returncode == 1 and text in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_run_passes_program_arguments(tmp_path):
    done = _run("ch02_backprop.xor_nn", "--target", "solutions", "--lang", "en", "--epochs", "5000", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "xor_loss.png").is_file()
