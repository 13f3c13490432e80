"""Expectimax AI for 2048: a heuristic, the search, the best move, and a game loop."""
from __future__ import annotations

import random
from typing import Callable, Optional

from ch01_game2048.board import (
    MOVES,
    Board,
    add_random_tile,
    can_move,
    empty_cells,
    init_board,
    max_tile,
    merge_score,
    transpose,
)

Evaluator = Callable[[Board], float]
Policy = Callable[[Board], Optional[str]]


def evaluate_board(board: Board) -> float:
    """Your own heuristic: larger means a better position for the player. Free design."""
    ### BEGIN SOLUTION 1.6
    ### zh: 自己设计启发式：空格多、可合并、行列单调、大数在角落通常更好
    ### en: design your own heuristic: many empty cells, possible merges, monotone rows/columns, big tiles in a corner
    from ch01_game2048.heuristic import line_value  # the reference's own helper, never released

    if not can_move(board):
        return -1e9
    rows = sum(line_value(tuple(row)) for row in board)
    cols = sum(line_value(tuple(col)) for col in transpose(board))
    return rows + cols
    ### END SOLUTION


def expectimax(board: Board, depth: int, is_player: bool, evaluate: Evaluator = evaluate_board) -> float:
    """The expectimax value of ``board``.

    Leaf (``depth == 0`` or no move possible): ``evaluate(board)``.
    Player node: max over the moves that change the board of the chance node after it (same depth).
    Chance node: mean over empty cells (row-major) of ``0.9 * value(with 2) + 0.1 * value(with 4)``,
    whose player nodes are searched with ``depth - 1``.
    """
    ### BEGIN SOLUTION 1.7
    ### zh: 玩家节点取最大（只考虑会改变棋盘的走法），机会节点对每个空格按 0.9/0.1 加权求平均，深度只在机会节点减一
    ### en: player node = max over moves that change the board; chance node = mean over empty cells of 0.9/0.1-weighted values; depth drops by one at chance nodes only
    if depth == 0 or not can_move(board):
        return evaluate(board)
    if is_player:
        best: Optional[float] = None
        for move in MOVES.values():
            moved = move(board)
            if moved != board:
                value = expectimax(moved, depth, False, evaluate)
                if best is None or value > best:
                    best = value
        return evaluate(board) if best is None else best
    cells = empty_cells(board)
    if not cells:
        return evaluate(board)
    total = 0.0
    for r, c in cells:
        for tile, p in ((2, 0.9), (4, 0.1)):
            child = [row[:] for row in board]
            child[r][c] = tile
            total += p * expectimax(child, depth - 1, True, evaluate)
    return total / len(cells)
    ### END SOLUTION


def choose_best_move(board: Board, depth: int = 2, evaluate: Evaluator = evaluate_board) -> Optional[str]:
    """The key of ``MOVES`` with the best ``expectimax(moved, depth, False, evaluate)``.

    Only moves that change the board count; ties go to the earlier key in ``w, a, s, d``;
    ``None`` when no move changes the board.
    """
    ### BEGIN SOLUTION 1.8
    ### zh: 对每个会改变棋盘的走法，计算其后机会节点的 expectimax 值，取最大；平局取 w,a,s,d 中靠前者
    ### en: for every move that changes the board, score the chance node after it; take the best, ties to the earlier of w,a,s,d
    best_key: Optional[str] = None
    best_value = 0.0
    for key, move in MOVES.items():
        moved = move(board)
        if moved == board:
            continue
        value = expectimax(moved, depth, False, evaluate)
        if best_key is None or value > best_value:
            best_key, best_value = key, value
    return best_key
    ### END SOLUTION


def move_score(board: Board, key: str) -> int:
    """Points the move ``key`` earns on ``board``: ``merge_score`` of every moved line."""
    lines = board if key in "ad" else transpose(board)
    if key in "ds":
        lines = [line[::-1] for line in lines]
    return sum(merge_score(list(line)) for line in lines)


def play_game(rng: random.Random, policy: Optional[Policy] = None, max_moves: Optional[int] = None) -> dict:
    """Play one game; returns ``max_tile``, ``score``, ``moves`` (and the final ``board``).

    ``init_board(rng)`` first, then one ``add_random_tile(board, rng)`` after each applied move.
    The policy sees a copy of the board. The game ends when no move changes the board, when the
    policy returns ``None`` or a move that changes nothing, or after ``max_moves`` moves.
    """
    policy = policy or (lambda b: choose_best_move(b))
    board = init_board(rng)
    score = moves = 0
    while (max_moves is None or moves < max_moves) and can_move(board):
        key = policy([row[:] for row in board])
        if key not in MOVES:
            break
        moved = MOVES[key](board)
        if moved == board:
            break
        score += move_score(board, key)
        board = moved
        moves += 1
        add_random_tile(board, rng)
    return {"max_tile": max_tile(board), "score": score, "moves": moves, "board": board}
