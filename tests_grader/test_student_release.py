"""The student release holds the student's commands only, a .gitignore, no authoring guide, and its
``submit`` writes a zip that the grader's intake reads with every chapter."""
import subprocess
import sys
import zipfile

import pytest

from grader.release.dist import write_student_dist


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    dest = tmp_path_factory.mktemp("release") / "student"
    assert write_student_dist(dest) == []
    return dest


def _grader(dist, *args):
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=dist, capture_output=True, text=True, timeout=300)


def test_only_the_students_commands(dist):
    out = _grader(dist, "--help").stdout
    assert "{test,run,submit,quiz}" in out  # no release, snapshots, mutants, grade or demo
    assert _grader(dist, "demo").returncode == 2  # argparse: not a command here


def test_release_files(dist):
    assert ".venv/" in (dist / ".gitignore").read_text() and "outputs/" in (dist / ".gitignore").read_text()
    assert not (dist / "quizzes" / "README.md").exists() and list((dist / "quizzes").glob("*.yaml"))
    assert "MOD=" in (dist / "Makefile").read_text() and "submit" in (dist / "Makefile").read_text()


def test_submit_from_the_release(dist, tmp_path):
    done = _grader(dist, "submit", "2023001", "--out", str(tmp_path), "--lang", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    names = zipfile.ZipFile(tmp_path / "2023001.zip").namelist()
    chapters = {n.split("/")[0] for n in names}
    assert chapters == {p.name for p in (dist / "assignments").iterdir() if p.name.startswith("ch")}
    assert "tasks still TODO" in done.stdout and "hand it in" in done.stdout
