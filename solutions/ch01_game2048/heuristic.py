# release: reference-only
"""The reference's 2048 heuristic, per row or column (task 1.6 is each student's own design)."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1 << 16)
def line_value(line: tuple[int, ...]) -> float:
    """Heuristic value of one row or column (empty cells, merges, monotonicity, big tiles)."""
    ranks = [t.bit_length() - 1 if t else 0 for t in line]
    empty = ranks.count(0)
    merges = 0
    prev, run = 0, 0
    for r in ranks:
        if r == 0:
            continue
        if r == prev:
            run += 1
        else:
            merges += run
            run = 0
            prev = r
    merges += run
    left = right = 0.0
    for a, b in zip(ranks, ranks[1:]):
        if a > b:
            left += a**4 - b**4
        else:
            right += b**4 - a**4
    size = sum(r**3.5 for r in ranks)
    return 270.0 * empty + 700.0 * merges - 47.0 * min(left, right) - 11.0 * size
