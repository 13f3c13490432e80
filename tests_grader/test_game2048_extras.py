"""Tests of the 2048 extras: the reference FastAI (bitboards, row tables, search) and the terminal
programs ``play`` / ``autoplay`` run the way a student runs them."""
from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from grader.harness.trees import Tree

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
CHAPTER = "ch01_game2048"
DEAD_BOARD = [[2, 4, 2, 4], [4, 2, 4, 2], [2, 4, 2, 4], [4, 2, 4, 2]]


@pytest.fixture(scope="module")
def ref() -> SimpleNamespace:
    """The reference modules, imported from ``solutions/`` (usable after the tree is left)."""
    with Tree(SOLUTIONS).active():
        from ch01_game2048 import ai, board, fast_ai

        return SimpleNamespace(ai=ai, board=board, fast=fast_ai)


def random_board(rng: random.Random, max_rank: int = 11, p_empty: float = 0.3) -> list[list[int]]:
    """A random 4x4 board; few distinct ranks make equal neighbours (merges) common."""
    ranks = rng.sample(range(1, max_rank + 1), k=min(max_rank, rng.randint(1, 6)))
    return [[0 if rng.random() < p_empty else 1 << rng.choice(ranks) for _ in range(4)] for _ in range(4)]


# ----------------------------------------------------------------------------------------------
# FastAI
# ----------------------------------------------------------------------------------------------
def test_bitboard_round_trip(ref: SimpleNamespace) -> None:
    rng = random.Random(0)
    for _ in range(500):
        board = random_board(rng, max_rank=15)
        bits = ref.fast.to_bitboard(board)
        assert 0 <= bits < 1 << 64
        assert ref.fast.from_bitboard(bits) == board
        assert ref.fast.from_bitboard(ref.fast.transpose_bits(bits)) == ref.board.transpose(board)
    assert ref.fast.to_bitboard([[0] * 4 for _ in range(4)]) == 0
    assert ref.fast.to_bitboard([[2, 0, 0, 0], [0] * 4, [0] * 4, [0] * 4]) == 1


@pytest.mark.parametrize("bad", [3, 65536, -2])
def test_to_bitboard_rejects_non_tiles(ref: SimpleNamespace, bad: int) -> None:
    with pytest.raises(ValueError):
        ref.fast.to_bitboard([[bad, 0, 0, 0], [0] * 4, [0] * 4, [0] * 4])


def test_row_table_moves_match_reference(ref: SimpleNamespace) -> None:
    rng = random.Random(1)
    for _ in range(1500):
        board = random_board(rng, max_rank=14, p_empty=rng.choice([0.0, 0.2, 0.5]))
        bits = ref.fast.to_bitboard(board)
        for key, move in ref.board.MOVES.items():
            assert ref.fast.from_bitboard(ref.fast.move_bits(bits, key)) == move(board), (board, key)


def test_best_move_changes_the_board(ref: SimpleNamespace) -> None:
    rng = random.Random(2)
    ai = ref.fast.FastAI(depth=1)
    for _ in range(300):
        board = random_board(rng, max_rank=8, p_empty=rng.choice([0.0, 0.05, 0.3]))
        legal = [k for k, move in ref.board.MOVES.items() if move(board) != board]
        key = ai.best_move(board)
        if legal:
            assert key in legal, (board, key, legal)
        else:
            assert key is None


@pytest.mark.parametrize("depth", [1, None])
def test_best_move_finds_the_only_legal_move(ref: SimpleNamespace, depth) -> None:
    board = [[2, 4, 2, 0], [4, 2, 4, 0], [2, 4, 2, 0], [4, 2, 4, 0]]  # only "d" changes it
    ai = ref.fast.FastAI(depth=depth)
    for _ in range(4):
        legal = [k for k, move in ref.board.MOVES.items() if move(board) != board]
        assert len(legal) == 1
        assert ai.best_move(board) == legal[0]
        board = [list(row) for row in zip(*board[::-1])]  # rotate a quarter turn


def test_best_move_default_depth_and_dead_board(ref: SimpleNamespace) -> None:
    ai = ref.fast.FastAI()
    assert ai.best_move(DEAD_BOARD) is None
    assert ai(DEAD_BOARD) is None
    board = [[2, 4, 2, 4], [4, 2, 4, 2], [2, 4, 2, 4], [4, 2, 8, 8]]  # only left/right merge the 8s
    assert ai.best_move(board) in {"a", "d"}
    assert ai.best_move([row[:] for row in DEAD_BOARD]) is None


def test_short_seeded_game(ref: SimpleNamespace) -> None:
    result = ref.ai.play_game(random.Random(0), policy=ref.fast.FastAI(), max_moves=200)
    assert result["moves"] == 200
    assert result["max_tile"] >= 128
    again = ref.ai.play_game(random.Random(0), policy=ref.fast.FastAI(), max_moves=200)
    assert again == result  # deterministic


# ----------------------------------------------------------------------------------------------
# play / autoplay as programs
# ----------------------------------------------------------------------------------------------
def run_module(
    module: str, *args: str, cwd: Path, stdin: str = "", lang_env: str = "C.UTF-8"
) -> subprocess.CompletedProcess:
    """``python -m ch01_game2048.<module> ARGS`` in ``cwd`` with piped stdin/stdout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LC_ALL", "LANG", "LANGUAGE")}
    env.update(LANG=lang_env, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", f"{CHAPTER}.{module}", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )


@pytest.fixture(scope="module")
def todo_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A student-like copy of the chapter: no ``fast_ai``, and task 1.1 still a TODO."""
    root = tmp_path_factory.mktemp("student")
    pkg = root / CHAPTER
    shutil.copytree(SOLUTIONS / CHAPTER, pkg, ignore=shutil.ignore_patterns("__pycache__", "fast_ai.py"))
    source = (pkg / "board.py").read_text(encoding="utf-8")
    region = re.compile(r"^(\s*)### BEGIN SOLUTION 1\.1\n.*?### END SOLUTION\n", re.S | re.M)
    stub, count = region.subn(r'\1raise NotImplementedError("TODO 1.1: slide_and_merge")\n', source)
    assert count == 1
    (pkg / "board.py").write_text(stub, encoding="utf-8")
    return root


def test_play_with_piped_keys() -> None:
    proc = run_module("play", "--seed", "3", "--lang", "en", cwd=SOLUTIONS, stdin="wasdq")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.count("┌") >= 2  # the first board and at least one more
    assert "Score" in out and "Moves" in out
    assert "Bye!" in out
    assert "\x1b[" not in out  # no colour codes into a pipe
    assert proc.stderr == ""


def test_play_language_from_locale_and_arrow_escape() -> None:
    proc = run_module("play", "--seed", "3", cwd=SOLUTIONS, stdin="\x1b[Aq\n", lang_env="zh_CN.UTF-8")
    assert proc.returncode == 0, proc.stderr
    assert "分数" in proc.stdout and "再见" in proc.stdout


def test_play_until_game_over() -> None:
    proc = run_module("play", "--seed", "0", "--lang", "en", cwd=SOLUTIONS, stdin="wasd" * 400)
    assert proc.returncode == 0, proc.stderr
    assert "Game over! Final score" in proc.stdout


@pytest.mark.parametrize(
    "lang, text", [("en", "Finish task 1.1 slide_and_merge first"), ("zh", "先完成任务 1.1 slide_and_merge")]
)
def test_play_names_the_unfinished_task(todo_tree: Path, lang: str, text: str) -> None:
    proc = run_module("play", "--lang", lang, cwd=todo_tree, stdin="wasdq")
    assert proc.returncode == 1
    assert text in proc.stdout
    assert "board.py" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_autoplay_short_game() -> None:
    args = ["--depth", "1", "--max-moves", "5", "--delay", "0", "--seed", "1", "--lang", "en"]
    proc = run_module("autoplay", *args, cwd=SOLUTIONS)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("┌") == 6  # the start and 5 moves
    assert re.search(r"score \d+, 5 moves, AI [\d.]+ ms per move", proc.stdout)


def test_autoplay_fast_reference(todo_tree: Path) -> None:
    args = ["--max-moves", "5", "--delay", "0", "--seed", "1", "--lang", "en"]
    proc = run_module("autoplay", "--fast", *args, cwd=SOLUTIONS)
    assert proc.returncode == 0, proc.stderr
    assert "FastAI" in proc.stdout and "5 moves" in proc.stdout
    proc = run_module("autoplay", "--fast", "--lang", "en", cwd=todo_tree)
    assert proc.returncode == 1
    assert "reference-only" in proc.stdout and "Traceback" not in proc.stderr
    proc = run_module("autoplay", "--max-moves", "5", "--delay", "0", "--lang", "zh", cwd=todo_tree)
    assert proc.returncode == 1
    assert "先完成任务 1.1 slide_and_merge" in proc.stdout


def test_language_from_the_kit_then_the_locale():
    with Tree(SOLUTIONS).active():
        from ch01_game2048.render import default_lang

    assert default_lang({"GRADER_LANG": "zh", "LANG": "en_US.UTF-8"}) == "zh"
    assert default_lang({"GRADER_LANG": "xx", "LANG": "zh_CN.UTF-8"}) == "zh"
    assert default_lang({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert default_lang({}) == "en"
