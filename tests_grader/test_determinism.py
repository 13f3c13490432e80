"""Same input, same grade: the demo class (without its red team, which the red-team test grades) graded
with ``--jobs 1`` and, renamed so the batch runs in the opposite order, with ``--jobs 2`` gives
identical rows (status, points, message)."""
import shutil
import sqlite3
import subprocess
import sys

from grader import REPO_ROOT
from grader.grading.demo import build_class


def _rows(out):
    db = sqlite3.connect(out / "gradebook.sqlite")
    return db.execute("SELECT student, test, status, points, message FROM results").fetchall()


def _grade(klass, out, jobs):
    cmd = [sys.executable, "-m", "grader", "grade", str(klass), "--out", str(out), "--chapter", "ch01_game2048",
           "--jobs", str(jobs), "--skip-slow", "--probe-seconds", "8", "--submission-seconds", "60", "--memory-mb", "1024"]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=1500)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


def _renamed_back(row: tuple, renamed: dict[str, str]) -> tuple:
    """A row of the renamed batch under the original name (messages quote the file's name)."""
    new = row[0]
    return tuple(renamed[new] if i == 0 else field.replace(new, renamed[new]) if isinstance(field, str) else field
                 for i, field in enumerate(row))


def test_jobs_and_order_do_not_change_a_grade(tmp_path):
    forward, backward = tmp_path / "forward", tmp_path / "backward"
    build_class(forward, redteam=False)
    names = sorted(p.name for p in forward.iterdir())
    backward.mkdir()
    renamed = {}
    for i, name in enumerate(reversed(names)):  # "000_<last>" sorts first: the batch runs backwards
        new = f"{i:03d}_{name}"
        renamed[new.removesuffix(".zip")] = name.removesuffix(".zip")
        if (forward / name).is_dir():
            shutil.copytree(forward / name, backward / new, symlinks=True)
        else:
            shutil.copy2(forward / name, backward / new)
    _grade(forward, tmp_path / "out1", 1)
    _grade(backward, tmp_path / "out2", 2)
    one = sorted(_rows(tmp_path / "out1"))
    two = sorted(_renamed_back(row, renamed) for row in _rows(tmp_path / "out2"))
    assert len(one) == len(two) > 0
    differ = [(a, b) for a, b in zip(one, two) if a != b]
    assert not differ, differ[:5]
