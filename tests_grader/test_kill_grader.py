"""Student code dies with the grader: ``kill -9`` of ``grade`` mid-batch leaves no sandboxed process
running (parent-death signals down the chain grader -> compare -> launcher -> PID 1 of the sandbox's
PID namespace), and the next run removes the sandbox folders the killed run left behind."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from grader import REPO_ROOT
from grader.grading.sandbox.client import processes_mentioning, sweep_sandboxes
from grader.layout import ASSIGNMENTS

LOOP = "\n\ndef sigmoid(self, x):\n    while True:\n        pass\n\nNeuralNetwork.sigmoid = sigmoid\n"


def test_kill_9_takes_every_sandbox_down(tmp_path):
    klass, base = tmp_path / "class", tmp_path / "sandboxes"
    for student in ("loop_a", "loop_b", "loop_c"):
        shutil.copytree(ASSIGNMENTS / "ch02_backprop", klass / student / "ch02_backprop")
        with open(klass / student / "ch02_backprop" / "xor_nn.py", "a", encoding="utf-8") as f:
            f.write(LOOP)
    env = dict(os.environ, KIT_SANDBOX_DIR=str(base))
    cmd = [sys.executable, "-m", "grader", "grade", str(klass), "--out", str(tmp_path / "out"), "--jobs", "2",
           "--skip-slow", "--chapter", "ch02_backprop", "--probe-seconds", "60"]
    grader = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while not any("_kit_worker" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")
                      for p in processes_mentioning(str(base)) if Path(f"/proc/{p}").exists()):
            assert time.monotonic() < deadline and grader.poll() is None, "no sandbox worker ever started"
            time.sleep(0.5)
        time.sleep(2)  # the endless loops are running now
        os.kill(grader.pid, signal.SIGKILL)  # the grader alone, not its process group
        grader.wait()
        time.sleep(2)
        assert processes_mentioning(str(base)) == [], "processes of the killed run are still alive"
    finally:
        if grader.poll() is None:
            os.killpg(grader.pid, signal.SIGKILL)
    left = list(base.glob("sbx-*"))
    assert left, "the killed run left no sandbox folder (nothing to clean up: the test proves nothing)"
    assert sorted(sweep_sandboxes(base)) == sorted(left) and not list(base.glob("sbx-*"))
