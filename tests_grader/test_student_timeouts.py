"""An endless loop in a student's function stops ``make test`` within the probe's limit, with a message
naming the function, its arguments and where it was — in the student's language."""
import os
import shutil
import subprocess
import sys
import time

from grader import REPO_ROOT
from grader.layout import SOLUTIONS


def test_an_endless_loop_is_named_not_hung(tmp_path):
    shutil.copytree(SOLUTIONS / "ch01_game2048", tmp_path / "ch01_game2048")
    board = tmp_path / "ch01_game2048" / "board.py"
    text = board.read_text(encoding="utf-8")
    head = "def slide_and_merge(line: list[int]) -> list[int]:\n"
    board.write_text(text.replace(head, head + "    while True:\n        pass\n", 1), encoding="utf-8")
    env = dict(os.environ, KIT_PROBE_SECONDS="2")
    start = time.monotonic()
    for lang, words in (("en", "did not return within 2 s"), ("zh", "秒内没有返回")):
        cmd = [sys.executable, "-m", "grader", "test", "ch01_game2048", "--target", str(tmp_path), "--lang", lang,
               "-p", "no:cacheprovider", "-k", "slide_and_merge"]
        proc = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode != 0 and words in proc.stdout, proc.stdout[-1500:]
        assert "slide_and_merge(line=[" in proc.stdout and "board.py" in proc.stdout
    assert time.monotonic() - start < 120
