"""Hidden checks for ai.py: exact expectimax values, best moves, and the AI-strength ladder."""
import pytest

from grader.harness import check
from tests_hidden.ch01_game2048 import probes as P

SHALLOW = [
    [[2, 0, 0, 0], [0, 4, 0, 0], [0, 0, 8, 0], [0, 0, 0, 2]],
    [[2, 4, 8, 16], [32, 64, 128, 256], [0, 0, 0, 0], [0, 0, 2, 2]],
    [[4, 4, 4, 4], [0, 2, 0, 2], [8, 0, 8, 0], [2, 2, 2, 2]],
]
DEEP = [  # few empty cells keep depth 2 fast
    [[2, 4, 8, 16], [16, 8, 4, 2], [2, 4, 8, 0], [4, 2, 0, 0]],
    [[2, 2, 4, 8], [4, 8, 16, 32], [8, 16, 32, 64], [16, 32, 0, 0]],
    [[128, 64, 32, 16], [2, 4, 8, 8], [4, 2, 0, 2], [2, 4, 2, 4]],
]
NOOPS = [  # some moves change nothing here, and the weighted evaluator would like them
    [[64, 32, 16, 8], [4, 2, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
    [[2, 0, 0, 0], [4, 0, 0, 0], [8, 0, 0, 0], [16, 0, 0, 0]],
]
STUCK = [[2, 4, 2, 4], [4, 2, 4, 2], [2, 4, 2, 4], [4, 2, 4, 2]]
NO_UP = [[2, 4, 8, 16], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]  # "w" changes nothing


@pytest.mark.task("1.7")
@pytest.mark.parametrize("evaluator", ["empty", "weighted", "corner"])
@pytest.mark.parametrize("is_player", [False, True])
def test_expectimax_depth1(run, ref, evaluator, is_player):
    got = run(P.expectimax_values, SHALLOW + NOOPS, 1, evaluator, is_player)
    want = ref(P.expectimax_values, SHALLOW + NOOPS, 1, evaluator, is_player)
    check.close(got, want, atol=1e-9, rtol=0, what=f"expectimax(depth=1, {evaluator}, is_player={is_player})")


@pytest.mark.task("1.7")
@pytest.mark.parametrize("evaluator", ["empty", "weighted"])
def test_expectimax_depth2(run, ref, evaluator):
    got = run(P.expectimax_values, DEEP, 2, evaluator, True)
    want = ref(P.expectimax_values, DEEP, 2, evaluator, True)
    check.close(got, want, atol=1e-9, rtol=0, what=f"expectimax(depth=2, {evaluator})")


@pytest.mark.task("1.7")
def test_expectimax_leaves(run):
    got = run(P.expectimax_values, [STUCK, SHALLOW[0]], 0, "weighted", True)
    check.close(got, [P.eval_weighted(STUCK), P.eval_weighted(SHALLOW[0])], atol=1e-9, rtol=0,
                what="expectimax at depth 0 / dead board")
    check.close(run(P.expectimax_values, [STUCK], 2, "weighted", False), [P.eval_weighted(STUCK)], atol=1e-9, rtol=0,
                what="expectimax on a dead board")


@pytest.mark.task("1.8")
@pytest.mark.parametrize("evaluator", ["empty", "weighted", "corner"])
def test_choose_best_move_ties_and_noops(run, ref, evaluator):
    boards = SHALLOW + DEEP + [NO_UP]
    check.equal(run(P.best_moves, boards, 1, evaluator), ref(P.best_moves, boards, 1, evaluator),
                what=f"choose_best_move({evaluator})")


@pytest.mark.task("1.8")
def test_choose_best_move_dead_board_and_noop(run):
    got = run(P.best_moves, [STUCK, NO_UP], 1, "empty")
    check.equal(got[0], None, what="choose_best_move on a dead board")
    check.that(got[1] != "w", {"zh": "不能选择不改变棋盘的走法", "en": "a move that changes nothing must not be chosen"})
