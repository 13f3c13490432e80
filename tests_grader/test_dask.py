"""``grade --cluster local:2`` (Dask) gives the single-machine gradebook, even when a worker is killed
mid-batch: the lost task reruns on a worker, the coordinator records each student once, and nothing
of the killed worker (compare step, sandboxes, folders) outlives the run. About a minute."""
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader import REPO_ROOT
from grader.commands.mutants import apply, load_catalogue
from grader.grading.sandbox.client import processes_mentioning
from grader.layout import ASSIGNMENTS, SOLUTIONS

CH = "ch02_backprop"


def _class(root: Path) -> Path:
    klass = root / "class"
    for student, tree in (("ref_a", SOLUTIONS), ("ref_b", SOLUTIONS), ("skel", ASSIGNMENTS)):
        shutil.copytree(tree / CH, klass / student / CH, ignore=shutil.ignore_patterns("__pycache__"))
    for mutant in load_catalogue(CH)[:2]:
        with tempfile.TemporaryDirectory() as tmp:
            apply(mutant, Path(tmp))
            shutil.copytree(Path(tmp), klass / f"mut_{mutant.id}")
    return klass


def _cmd(klass: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "grader", "grade", str(klass), "--out", str(out), "--chapter", CH, "--skip-slow", *extra]


def _rows(out: Path) -> list[tuple]:
    db = sqlite3.connect(out / "gradebook.sqlite")
    return sorted(db.execute("SELECT student, test, status, points FROM results"))


def _compare_children(marker: str) -> dict[int, int]:
    """Running compare steps of this run: pid -> parent pid (the Dask worker that runs it)."""
    found = {}
    for pid in processes_mentioning(marker):
        try:
            if b"grader.grading.compare" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found[pid] = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return found


def test_two_workers_one_killed_equal_one_machine(tmp_path):
    klass = _class(tmp_path)
    alone = subprocess.run(_cmd(klass, tmp_path / "alone", "--jobs", "2"), cwd=REPO_ROOT, capture_output=True, text=True,
                           timeout=600)
    assert alone.returncode == 0, alone.stdout[-2000:] + alone.stderr[-2000:]
    base = tmp_path / "sandboxes"
    env = dict(os.environ, KIT_SANDBOX_DIR=str(base))
    proc = subprocess.Popen(_cmd(klass, tmp_path / "dask", "--cluster", "local:2"), cwd=REPO_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 300
        while not (children := _compare_children(str(base))):
            assert proc.poll() is None and time.monotonic() < deadline, "no compare step ever ran on a worker"
            time.sleep(0.2)
        time.sleep(1)  # its sandbox is working now
        victim = next(iter(children.values()))
        assert victim != proc.pid  # a worker process, not the coordinator
        os.kill(victim, signal.SIGKILL)
        output, _ = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, output[-3000:]
    single, dask = _rows(tmp_path / "alone"), _rows(tmp_path / "dask")
    assert len({(s, t) for s, t, *_ in dask}) == len(dask) == len(single) == 5 * len({t for _, t, *_ in single}) > 0
    assert dask == single
    assert any(p for *_, p in single) and any(not p for *_, p in single)  # some points and some failures: a real grade
    time.sleep(1)
    assert processes_mentioning(str(base)) == [], "the cluster or a sandbox outlived the run"
    assert not list(base.glob("sbx-*")), "sandbox folders were left behind"
