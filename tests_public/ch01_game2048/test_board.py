"""Public tests for ch01_game2048/board.py (the handout's examples)."""
import pytest

from grader.harness import check

from . import probes as P

BOARD = [[2, 2, 0, 4], [0, 4, 4, 4], [2, 0, 2, 0], [8, 8, 8, 8]]


@pytest.mark.task("1.1")
def test_slide_and_merge_handout_examples(run):
    lines = [[2, 2, 2, 2], [2, 2, 2, 0], [4, 0, 4, 8], [0, 0, 0, 2], [2, 4, 8, 16]]
    got = run(P.slide_lines, lines)
    check.equal([g["result"] for g in got], [[4, 4, 0, 0], [4, 2, 0, 0], [8, 8, 0, 0], [2, 0, 0, 0], [2, 4, 8, 16]],
                what="slide_and_merge")
    check.that(all(g["input_unchanged"] for g in got),
               {"zh": "slide_and_merge 不应修改传入的列表", "en": "slide_and_merge must not modify its input list"})


@pytest.mark.task("1.2")
def test_four_moves(run):
    got = run(P.apply_moves, [BOARD])
    check.equal(got["a"][0]["board"], [[4, 4, 0, 0], [8, 4, 0, 0], [4, 0, 0, 0], [16, 16, 0, 0]], what="move_left")
    check.equal(got["d"][0]["board"], [[0, 0, 4, 4], [0, 0, 4, 8], [0, 0, 0, 4], [0, 0, 16, 16]], what="move_right")
    check.equal(got["w"][0]["board"], [[4, 2, 4, 8], [8, 4, 2, 8], [0, 8, 8, 0], [0, 0, 0, 0]], what="move_up")
    check.equal(got["s"][0]["board"], [[0, 0, 0, 0], [0, 2, 4, 0], [4, 4, 2, 8], [8, 8, 8, 8]], what="move_down")
    check.that(all(r["input_unchanged"] for rs in got.values() for r in rs),
               {"zh": "移动函数应返回新棋盘，不要修改输入", "en": "moves must return a new board, not modify their input"})


@pytest.mark.task("1.3")
def test_merge_score(run):
    got = run(P.merge_scores, [[2, 2, 2, 2], [4, 0, 4, 8], [2, 4, 8, 16], [8, 8, 8, 0]])
    check.equal(got, [8, 8, 0, 16], what="merge_score")


@pytest.mark.task("1.4")
def test_can_move(run):
    full_stuck = [[2, 4, 2, 4], [4, 2, 4, 2], [2, 4, 2, 4], [4, 2, 4, 2]]
    row_pair = [[2, 2, 4, 8], [4, 8, 16, 32], [8, 16, 32, 64], [16, 32, 64, 128]]
    column_pair = [[2, 4, 2, 4], [4, 2, 4, 2], [2, 8, 2, 4], [4, 8, 4, 2]]
    with_empty = [[2, 4, 2, 4], [4, 2, 4, 2], [2, 4, 0, 4], [4, 2, 4, 2]]
    got = run(P.can_move_many, [full_stuck, row_pair, column_pair, with_empty])
    check.equal(got, [False, True, True, True], what="can_move")


@pytest.mark.task("1.5")
def test_add_random_tile_is_seeded(run, ref):
    board = [[2, 0, 0, 4], [0, 0, 0, 0], [0, 8, 0, 0], [0, 0, 0, 2]]
    check.equal(run(P.spawn_tiles, board, 7, 3), ref(P.spawn_tiles, board, 7, 3), what="add_random_tile")
