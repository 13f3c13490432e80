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


def test_a_chapter_prefix_works_everywhere(monkeypatch):
    """``ch02`` for ``ch02_backprop`` in run (MOD), snapshots, mutants and grade --chapter (test and quiz have their own tests)."""
    from grader import cli

    seen = {}
    monkeypatch.setattr("grader.commands.run.run_module", lambda module, target, extra: seen.setdefault("run", module) and 0)
    monkeypatch.setattr("grader.commands.snapshots.snapshots", lambda names, check: seen.setdefault("snapshots", names) and 0)
    monkeypatch.setattr("grader.commands.mutants.check_mutants", lambda names, **kw: seen.setdefault("mutants", names) and 0)
    monkeypatch.setattr("grader.commands.grade.grade", lambda args: seen.setdefault("grade", args.chapter) and 0)
    cli.main(["run", "ch02.xor_nn", "--target", "solutions"])
    cli.main(["snapshots", "ch02", "--check"])
    cli.main(["mutants", "ch02", "ch03"])
    cli.main(["grade", "examples/none", "--chapter", "ch02"])
    assert seen == {"run": "ch02_backprop.xor_nn", "snapshots": ["ch02_backprop"], "mutants": ["ch02_backprop", "ch03_iris"],
                    "grade": ["ch02_backprop"]}
