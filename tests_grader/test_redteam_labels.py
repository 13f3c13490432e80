"""The label thief (examples/redteam.yaml, ch04): a train_one_epoch that ignores its loader and trains only
on the scored test labels it can find. In the grading sandbox it must find none, so both small-device
training runs fail; outside the sandbox the same code does find MNIST-5k's test labels, which proves the
attack is real. The reference's full marks under ``grade`` are the standing check's."""
import sqlite3
import subprocess
import sys

import pytest

from grader import REPO_ROOT
from grader.grading.demo import build_redteam, load_redteam

RUNS = ("ch04_cnn/hidden/test_mnist5k_small_device_run", "ch04_cnn/hidden/test_cifar_format_short_run")


@pytest.fixture(scope="module")
def thief(tmp_path_factory):
    root = tmp_path_factory.mktemp("thief")
    (spec,) = load_redteam("ch04_cnn")
    build_redteam(root / "class", spec)
    return root, spec["name"]


def test_the_thief_finds_nothing_in_the_sandbox(thief):
    root, name = thief
    out = root / "out"
    cmd = [sys.executable, "-m", "grader", "grade", str(root / "class"), "--out", str(out), "--chapter", "ch04_cnn",
           "--jobs", "1", "--probe-seconds", "60", "--memory-mb", "4096"]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    rows = dict(sqlite3.connect(out / "gradebook.sqlite").execute(
        "SELECT test, status || ' ' || points || ' ' || message FROM results WHERE student = ?", (name,)))
    for test in RUNS:
        assert rows[test].startswith("fail 0.0"), rows[test]


def test_the_thief_is_a_real_attack_without_the_sandbox(thief):
    """Outside the sandbox (a student's own machine) the same code does find the MNIST-5k test labels."""
    root, name = thief
    env = {"PYTHONPATH": f"{root / 'class' / name}:{REPO_ROOT / 'solutions'}", "PATH": "/usr/bin:/bin"}
    code = "import ch04_cnn.mnist_resnet as m; print(sum(len(labels) for _, _, labels in m._steal()))"
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and int(proc.stdout.split()[-1]) == 1000, proc.stdout + proc.stderr
