"""The standing invariant: graded by ``grade`` (sandboxed), the reference scores full marks and the
skeleton scores 0 in every chapter — as root and as an ordinary user.

CI runs the quick mode (``--skip-slow``; as an ordinary user, only :data:`USER_CHAPTERS`: the worker's uid
is unprivileged in both runs, so what differs is the user namespace and the invoker's own folders);
``make selfgrade`` runs every chapter with the training runs, as both (``KIT_SELFGRADE_FULL=1``).
"""
import contextlib
import csv
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from grader import REPO_ROOT
from grader.layout import ASSIGNMENTS, SOLUTIONS, TESTS_PUBLIC, chapters

FULL = os.environ.get("KIT_SELFGRADE_FULL") == "1"
NOBODY = 65534
# one chapter of each kind: plain Python, scikit-learn's data, the kit's image cache, a judged program, a pretrained model
USER_CHAPTERS = ("ch01_game2048", "ch03_iris", "ch04_cnn", "ch12_openjudge", "ch14_qa")


def _class(root: Path, selected: list[str]) -> Path:
    klass = root / "class"
    for student, tree in (("reference", SOLUTIONS), ("skeleton", ASSIGNMENTS)):
        for chapter in selected:
            shutil.copytree(tree / chapter, klass / student / chapter, ignore=shutil.ignore_patterns("__pycache__"))
    return klass


@contextlib.contextmanager
def _reachable_interpreter():
    """Let an ordinary user run this interpreter: add o+x to the folders on its way that lack it
    (e.g. /root, when Python lives under /root/.pyenv) for the duration; restored afterwards."""
    changed = []
    for target in {Path(sys.executable).resolve(), Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}:
        for folder in reversed(target.parents):
            mode = folder.stat().st_mode
            if not mode & 0o001:
                os.chmod(folder, mode | 0o001)
                changed.append((folder, mode))
    try:
        yield
    finally:
        for folder, mode in changed:
            os.chmod(folder, mode)


def _grade(as_user: bool, selected: list[str]) -> tuple[dict, str]:
    root = Path(tempfile.mkdtemp(prefix="selfgrade-"))
    try:
        os.chmod(root, 0o755)
        klass = _class(root, selected)
        env = dict(os.environ, KIT_SANDBOX_DIR=str(root / "sandboxes"), HOME=str(root), PYTHONDONTWRITEBYTECODE="1")
        cmd = [sys.executable, "-m", "grader", "grade", str(klass), "--out", str(root / "out"), "--jobs", "2"]
        cmd += [] if FULL else ["--skip-slow"]
        cmd += [arg for chapter in selected for arg in ("--chapter", chapter)]
        if as_user:
            subprocess.run(["chown", "-R", f"{NOBODY}:{NOBODY}", str(root)], check=True)
            cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *cmd]
        with _reachable_interpreter() if as_user else contextlib.nullcontext():
            proc = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=5400)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        with open(root / "out" / "grades.csv", encoding="utf-8") as f:
            return {row["student"]: row for row in csv.DictReader(f)}, proc.stdout
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("as_user", [False, True], ids=["as-invoker", "as-ordinary-user"])
def test_reference_full_marks_skeleton_zero(as_user):
    if as_user and os.geteuid() != 0:
        pytest.skip("already an ordinary user (the first case covers it)")
    selected = list(USER_CHAPTERS) if as_user and not FULL else chapters(TESTS_PUBLIC)
    rows, stdout = _grade(as_user, selected)
    ref, skel = rows["reference"], rows["skeleton"]
    assert float(ref["max_total"]) > 0 and all(ch in ref for ch in selected)
    short = {ch: ref[ch] for ch in selected if float(ref[ch]) < float(ref["max_total"]) and ref["total"] != ref["max_total"]}
    assert ref["total"] == ref["max_total"], f"the reference loses points: {short}\n{stdout[-2000:]}"
    assert float(skel["total"]) == 0, {ch: skel[ch] for ch in selected if float(skel[ch])}
    assert ref["status"] == skel["status"] == "ok", (ref["reason"], skel["reason"])
