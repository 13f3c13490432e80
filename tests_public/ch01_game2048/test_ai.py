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
    for board, v in zip(BOARDS, run(P.own_evaluations, BOARDS)):
        check.that(isinstance(v, float) and math.isfinite(v),
                   {"zh": f"evaluate_board({board}) 应返回有限的数字，得到 {v}",
                    "en": f"evaluate_board({board}) must return a finite number, got {v}"})


@pytest.mark.task("1.7")
def test_expectimax_depth_one(run, ref):
    got, want = run(P.expectimax_values, BOARDS, 1, "empty"), ref(P.expectimax_values, BOARDS, 1, "empty")
    calls = [check.call("expectimax", b, 1, False, P.eval_empty) for b in BOARDS]
    check.cases(calls, got, want, check.close, atol=1e-9, rtol=0)


@pytest.mark.task("1.7")
@pytest.mark.parametrize("is_player", [False, True])
def test_expectimax_depth_two(run, ref, is_player):
    got = run(P.expectimax_values, CROWDED, 2, "weighted", is_player)
    want = ref(P.expectimax_values, CROWDED, 2, "weighted", is_player)
    calls = [check.call("expectimax", b, 2, is_player, P.eval_weighted) for b in CROWDED]
    check.cases(calls, got, want, check.close, atol=1e-9, rtol=0)


def _best_moves(run, ref, evaluator):
    boards = BOARDS + CROWDED
    got, want = run(P.best_moves, boards, 1, evaluator), ref(P.best_moves, boards, 1, evaluator)
    check.cases([check.call("choose_best_move", b, 1, P.EVALUATORS[evaluator]) for b in boards], got, want)


@pytest.mark.task("1.8")
def test_choose_best_move(run, ref):
    _best_moves(run, ref, "weighted")


@pytest.mark.task("1.8")
def test_choose_best_move_ties(run, ref):
    _best_moves(run, ref, "corner")  # the corner evaluator ties often
