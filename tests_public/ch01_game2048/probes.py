"""Probes for ch01_game2048: call the implementation, return plain data. No expected values here."""
from __future__ import annotations

import copy
import random


# Kit-supplied evaluators, so expectimax values do not depend on the student's own heuristic.
def eval_empty(board):
    """Number of empty cells."""
    return float(sum(v == 0 for row in board for v in row))


def eval_weighted(board):
    """A snake-weighted tile sum (distinguishes every cell)."""
    weights = [[15, 14, 13, 12], [8, 9, 10, 11], [7, 6, 5, 4], [0, 1, 2, 3]]
    return float(sum(weights[r][c] * v for r, row in enumerate(board) for c, v in enumerate(row)))


def eval_corner(board):
    """The top-left tile minus a small penalty per tile (ties are common: tests tie-breaking)."""
    return float(board[0][0]) - 0.5 * sum(v != 0 for row in board for v in row)


EVALUATORS = {"empty": eval_empty, "weighted": eval_weighted, "corner": eval_corner}


def slide_lines(lines):
    from ch01_game2048.board import slide_and_merge

    out = []
    for line in lines:
        original = list(line)
        result = slide_and_merge(line)
        out.append({"result": list(result), "input_unchanged": line == original})
    return out


def merge_scores(lines):
    from ch01_game2048.board import merge_score

    return [int(merge_score(list(line))) for line in lines]


def apply_moves(boards):
    from ch01_game2048.board import MOVES

    out = {}
    for key in "wasd":
        results = []
        for board in boards:
            original = copy.deepcopy(board)
            moved = MOVES[key](board)
            results.append({"board": [list(r) for r in moved], "input_unchanged": board == original})
        out[key] = results
    return out


def can_move_many(boards):
    from ch01_game2048.board import can_move

    return [bool(can_move(b)) for b in boards]


def spawn_tiles(board, seed, times):
    """Boards after each of ``times`` add_random_tile calls, and the next draw of the rng after them."""
    from ch01_game2048.board import add_random_tile

    rng = random.Random(seed)
    board = copy.deepcopy(board)
    states = []
    for _ in range(times):
        add_random_tile(board, rng)
        states.append([list(r) for r in board])
    return {"states": states, "next_draw": rng.random()}


def expectimax_values(boards, depth, evaluator, is_player=False):
    from ch01_game2048.ai import expectimax

    return [float(expectimax(copy.deepcopy(b), depth, is_player, EVALUATORS[evaluator])) for b in boards]


def best_moves(boards, depth, evaluator):
    from ch01_game2048.ai import choose_best_move

    return [choose_best_move(copy.deepcopy(b), depth, EVALUATORS[evaluator]) for b in boards]


def own_evaluations(boards):
    from ch01_game2048.ai import evaluate_board

    values = []
    for b in boards:
        v = evaluate_board(copy.deepcopy(b))
        values.append(float(v) if isinstance(v, (int, float)) else str(type(v).__name__))
    return values
