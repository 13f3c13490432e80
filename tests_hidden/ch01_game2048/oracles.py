"""Independent oracles for the hidden checks (written differently from the reference)."""
from __future__ import annotations


def slide_oracle(line: list[int]) -> tuple[list[int], int]:
    """Stack-based slide: returns (new line, score)."""
    out: list[int] = []
    locked: list[bool] = []
    score = 0
    for v in line:
        if v == 0:
            continue
        if out and out[-1] == v and not locked[-1]:
            out[-1] *= 2
            locked[-1] = True
            score += out[-1]
        else:
            out.append(v)
            locked.append(False)
    return out + [0] * (len(line) - len(out)), score


def move_oracle(board: list[list[int]], key: str) -> list[list[int]]:
    """Move by rotating coordinates: read each line in the move's direction and write it back."""
    n = len(board)
    out = [[0] * n for _ in range(n)]
    for i in range(n):
        if key == "a":
            cells = [(i, j) for j in range(n)]
        elif key == "d":
            cells = [(i, n - 1 - j) for j in range(n)]
        elif key == "w":
            cells = [(j, i) for j in range(n)]
        else:
            cells = [(n - 1 - j, i) for j in range(n)]
        line, _ = slide_oracle([board[r][c] for r, c in cells])
        for (r, c), v in zip(cells, line):
            out[r][c] = v
    return out


def can_move_oracle(board: list[list[int]]) -> bool:
    """Some move changes the board."""
    return any(move_oracle(board, k) != board for k in "wasd")
