"""Public tests for ch01_game2048/board.py (the handout's examples)."""
import pytest

from grader.harness import check

from . import probes as P

BOARD = [[2, 2, 0, 4], [0, 4, 4, 4], [2, 0, 2, 0], [8, 8, 8, 8]]


def _input_kept(called: str, unchanged: bool) -> None:
    check.that(unchanged, {"zh": f"{called} 修改了传入的参数：应返回新的结果，不要修改输入",
                           "en": f"{called} changed its argument: return a new result, do not modify the input"})


@pytest.mark.task("1.1")
def test_slide_and_merge_handout_examples(run):
    lines = [[2, 2, 2, 2], [2, 2, 2, 0], [4, 0, 4, 8], [0, 0, 0, 2], [2, 4, 8, 16]]
    got = run(P.slide_lines, lines)
    calls = [check.call("slide_and_merge", line) for line in lines]
    check.cases(calls, [g["result"] for g in got], [[4, 4, 0, 0], [4, 2, 0, 0], [8, 8, 0, 0], [2, 0, 0, 0], [2, 4, 8, 16]])
    for called, g in zip(calls, got):
        _input_kept(called, g["input_unchanged"])


@pytest.mark.task("1.2")
def test_four_moves(run):
    got = run(P.apply_moves, [BOARD])
    names = {"a": "move_left", "d": "move_right", "w": "move_up", "s": "move_down"}
    want = {"a": [[4, 4, 0, 0], [8, 4, 0, 0], [4, 0, 0, 0], [16, 16, 0, 0]],
            "d": [[0, 0, 4, 4], [0, 0, 4, 8], [0, 0, 0, 4], [0, 0, 16, 16]],
            "w": [[4, 2, 4, 8], [8, 4, 2, 8], [0, 8, 8, 0], [0, 0, 0, 0]],
            "s": [[0, 0, 0, 0], [0, 2, 4, 0], [4, 4, 2, 8], [8, 8, 8, 8]]}
    calls = [check.call(names[k], BOARD) for k in want]
    check.cases(calls, [got[k][0]["board"] for k in want], list(want.values()))
    for called, k in zip(calls, want):
        _input_kept(called, got[k][0]["input_unchanged"])


@pytest.mark.task("1.3")
def test_merge_score(run):
    lines = [[2, 2, 2, 2], [4, 0, 4, 8], [2, 4, 8, 16], [8, 8, 8, 0]]
    check.cases([check.call("merge_score", line) for line in lines], run(P.merge_scores, lines), [8, 8, 0, 16])


@pytest.mark.task("1.4")
def test_can_move(run):
    full_stuck = [[2, 4, 2, 4], [4, 2, 4, 2], [2, 4, 2, 4], [4, 2, 4, 2]]
    row_pair = [[2, 2, 4, 8], [4, 8, 16, 32], [8, 16, 32, 64], [16, 32, 64, 128]]
    column_pair = [[2, 4, 2, 4], [4, 2, 4, 2], [2, 8, 2, 4], [4, 8, 4, 2]]
    with_empty = [[2, 4, 2, 4], [4, 2, 4, 2], [2, 4, 0, 4], [4, 2, 4, 2]]
    boards = [full_stuck, row_pair, column_pair, with_empty]
    check.cases([check.call("can_move", b) for b in boards], run(P.can_move_many, boards), [False, True, True, True])


@pytest.mark.task("1.5")
def test_add_random_tile_is_seeded(run, ref):
    board, seed, times = [[2, 0, 0, 4], [0, 0, 0, 0], [0, 8, 0, 0], [0, 0, 0, 2]], 7, 3
    got, want = run(P.spawn_tiles, board, seed, times), ref(P.spawn_tiles, board, seed, times)
    start = f"board = {board}, rng = random.Random({seed})"
    calls = [f"add_random_tile(board, rng) ×{i + 1} ({start}): board" for i in range(times)]
    check.cases(calls, got["states"], want["states"])
    check.cases([f"rng.random() after add_random_tile(board, rng) ×{times} ({start})"], [got["next_draw"]], [want["next_draw"]])
