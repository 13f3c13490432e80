"""The 2048 board: sliding, merging, spawning tiles.

Boards are ``list[list[int]]`` of size ``BOARD_SIZE`` x ``BOARD_SIZE``; 0 is an empty cell.
No function here mutates its input unless its docstring says so.
"""
from __future__ import annotations

import random
from typing import Callable

Board = list[list[int]]
BOARD_SIZE = 4


def slide_and_merge(line: list[int]) -> list[int]:
    """Slide a line toward index 0 and merge equal neighbours, front to back.

    A tile takes part in at most one merge per move; the result has the input's length.
    ``[2, 2, 2, 2] -> [4, 4, 0, 0]``, ``[2, 2, 2, 0] -> [4, 2, 0, 0]``, ``[4, 0, 4, 8] -> [8, 8, 0, 0]``.
    """
    ### BEGIN SOLUTION 1.1
    ### zh: 先去掉 0，再从前往后合并相等的相邻方块（每块每步最多合并一次），最后补 0
    ### en: drop the zeros, merge equal neighbours front to back (each tile at most once), pad with zeros
    tiles = [t for t in line if t != 0]
    merged: list[int] = []
    i = 0
    while i < len(tiles):
        if i + 1 < len(tiles) and tiles[i] == tiles[i + 1]:
            merged.append(tiles[i] * 2)
            i += 2
        else:
            merged.append(tiles[i])
            i += 1
    return merged + [0] * (len(line) - len(merged))
    ### END SOLUTION


def merge_score(line: list[int]) -> int:
    """The score ``slide_and_merge(line)`` earns: the sum of the tiles its merges create."""
    ### BEGIN SOLUTION 1.3
    ### zh: 标准 2048 计分：每次合并得到的新方块的值之和
    ### en: the standard 2048 score: the sum of the values of the tiles created by merges
    tiles = [t for t in line if t != 0]
    score = 0
    i = 0
    while i < len(tiles):
        if i + 1 < len(tiles) and tiles[i] == tiles[i + 1]:
            score += tiles[i] * 2
            i += 2
        else:
            i += 1
    return score
    ### END SOLUTION


def transpose(board: Board) -> Board:
    """Rows become columns (a new board)."""
    return [list(col) for col in zip(*board)]


def move_left(board: Board) -> Board:
    """Every row slid and merged toward column 0."""
    ### BEGIN SOLUTION 1.2
    ### zh: 四个方向都可以用 slide_and_merge 加上翻转 / 转置来实现
    ### en: all four moves are slide_and_merge plus reversing and/or transposing
    return [slide_and_merge(row) for row in board]
    ### END SOLUTION


def move_right(board: Board) -> Board:
    """Every row slid and merged toward the last column."""
    ### BEGIN SOLUTION 1.2
    return [slide_and_merge(row[::-1])[::-1] for row in board]
    ### END SOLUTION


def move_up(board: Board) -> Board:
    """Every column slid and merged toward row 0."""
    ### BEGIN SOLUTION 1.2
    return transpose(move_left(transpose(board)))
    ### END SOLUTION


def move_down(board: Board) -> Board:
    """Every column slid and merged toward the last row."""
    ### BEGIN SOLUTION 1.2
    return transpose(move_right(transpose(board)))
    ### END SOLUTION


MOVES: dict[str, Callable[[Board], Board]] = {
    "w": move_up,
    "a": move_left,
    "s": move_down,
    "d": move_right,
}


def can_move(board: Board) -> bool:
    """True when some move is possible: an empty cell, or two equal neighbours in a row or column."""
    ### BEGIN SOLUTION 1.4
    ### zh: 有空格，或者行里 / 列里有相邻的相等方块
    ### en: an empty cell, or two equal neighbours in a row or in a column
    n = len(board)
    for r in range(n):
        for c in range(n):
            v = board[r][c]
            if v == 0:
                return True
            if c + 1 < n and board[r][c + 1] == v:
                return True
            if r + 1 < n and board[r + 1][c] == v:
                return True
    return False
    ### END SOLUTION


def empty_cells(board: Board) -> list[tuple[int, int]]:
    """The empty cells as ``(row, col)``, in row-major order."""
    return [(r, c) for r, row in enumerate(board) for c, v in enumerate(row) if v == 0]


def add_random_tile(board: Board, rng: random.Random) -> None:
    """Mutates ``board``: a 2 (or a 4 with probability 0.1) on a random empty cell.

    Exactly ``cell = rng.choice(empty_cells)`` and then ``rng.random() < 0.1`` for a 4;
    with no empty cell nothing happens and nothing is drawn.
    """
    ### BEGIN SOLUTION 1.5
    ### zh: 先 rng.choice(空格列表)，再 rng.random() < 0.1 时放 4，否则放 2；没有空格就什么都不做
    ### en: first rng.choice(empty cells), then a 4 if rng.random() < 0.1 else a 2; no empty cell: do nothing
    cells = empty_cells(board)
    if not cells:
        return
    r, c = rng.choice(cells)
    board[r][c] = 4 if rng.random() < 0.1 else 2
    ### END SOLUTION


def new_board(size: int = BOARD_SIZE) -> Board:
    """An empty ``size`` x ``size`` board."""
    return [[0] * size for _ in range(size)]


def init_board(rng: random.Random) -> Board:
    """An empty board plus two random tiles."""
    board = new_board()
    add_random_tile(board, rng)
    add_random_tile(board, rng)
    return board


def max_tile(board: Board) -> int:
    """The largest tile on the board."""
    return max(max(row) for row in board)
