"""Public tests for ch01_game2048/ai.py."""
import math

import pytest

from grader.harness import check

from . import probes as P

BOARDS = [
    [[2, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 2]],
    [[2, 4, 8, 16], [0, 0, 4, 2], [0, 0, 0, 2], [0, 0, 0, 0]],
]
# Nearly full boards (depth 2 stays fast), with moves that change nothing and tiles in the top-left
# corner that the kit's evaluators prefer; the last can only move vertically.
CROWDED = [
    [[16, 8, 4, 2], [8, 4, 2, 0], [4, 2, 0, 0], [2, 0, 0, 0]],
    [[32, 16, 8, 4], [2, 4, 2, 8], [4, 2, 4, 0], [2, 0, 0, 0]],
    [[4, 2, 4, 2], [2, 4, 2, 4], [8, 2, 8, 2], [8, 4, 16, 0]],
    [[2, 4, 2, 4], [2, 8, 16, 8], [4, 16, 4, 2], [2, 4, 2, 4]],
]


@pytest.mark.task("1.6")
def test_evaluate_board_returns_numbers(run):
    got = run(P.own_evaluations, BOARDS)
    check.that(all(isinstance(v, float) and math.isfinite(v) for v in got),
               {"zh": f"evaluate_board 应返回有限的数字，得到 {got}", "en": f"evaluate_board must return finite numbers, got {got}"})


@pytest.mark.task("1.7")
def test_expectimax_depth_one(run, ref):
    got = run(P.expectimax_values, BOARDS, 1, "empty")
    check.close(got, ref(P.expectimax_values, BOARDS, 1, "empty"), atol=1e-9, rtol=0, what="expectimax(depth=1)")


@pytest.mark.task("1.7")
@pytest.mark.parametrize("is_player", [False, True])
def test_expectimax_depth_two(run, ref, is_player):
    got = run(P.expectimax_values, CROWDED, 2, "weighted", is_player)
    check.close(got, ref(P.expectimax_values, CROWDED, 2, "weighted", is_player), atol=1e-9, rtol=0,
                what=f"expectimax(depth=2, is_player={is_player})")


@pytest.mark.task("1.8")
def test_choose_best_move(run, ref):
    got = run(P.best_moves, BOARDS + CROWDED, 1, "weighted")
    check.equal(got, ref(P.best_moves, BOARDS + CROWDED, 1, "weighted"), what="choose_best_move")


@pytest.mark.task("1.8")
def test_choose_best_move_ties(run, ref):
    got = run(P.best_moves, BOARDS + CROWDED, 1, "corner")
    check.equal(got, ref(P.best_moves, BOARDS + CROWDED, 1, "corner"), what="choose_best_move (ties)")
