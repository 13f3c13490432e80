# release: reference-only
"""A fast expectimax AI for 2048 in pure Python: the kit's showcase and strength oracle.

How it is fast without numpy or C:

* **Bitboards.** A board is one 64-bit int, 4 bits per cell holding the tile's rank
  (``log2(tile)``, 0 = empty). Cell ``(r, c)`` lives at bits ``16*r + 4*c`` .. ``+3``, so row ``r``
  is the 16-bit chunk ``(b >> 16*r) & 0xFFFF`` with column 0 in the low nibble.
* **A board and its transpose, side by side.** The search carries ``(b, t)`` where ``t`` is the
  transposed board: the columns of ``b`` are the rows of ``t``. Every move and every heuristic then
  works on rows only, and no node ever has to transpose a board.
* **Row tables.** For each of the 65,536 possible rows we precompute the row slid left / right,
  the same row already spread into the transposed layout, the heuristic value of the row, and its
  empty cells. A whole move is 4 table look-ups for ``b`` and 4 for ``t``.
* **Expectimax with a probability cutoff** (chance nodes less likely than ``CPROB_CUTOFF`` are
  evaluated instead of expanded), **a depth adapted to the number of distinct tiles** (and to the
  empty cells, which drive the cost), and a **transposition table** per decision.

The heuristic uses the well-known weights of nneonneo's 2048 AI: a bonus for empty cells and for
possible merges, a penalty for non-monotone lines (ranks to the 4th power) and one growing with the
tiles (ranks to the 3.5th power), computed per row and summed over the 4 rows and the 4 columns.
"""
from __future__ import annotations

from typing import Optional

from ch01_game2048.board import MOVES, Board

__all__ = ["FastAI", "to_bitboard", "from_bitboard", "transpose_bits", "move_bits", "heuristic"]

Bitboard = int
MAX_RANK = 15  # a nibble holds ranks 0..15, i.e. tiles up to 32768
ROW_MASK = 0xFFFF
MOVE_KEYS = tuple(MOVES)  # ("w", "a", "s", "d"), the tie-break order

# Heuristic weights (per row or column); nneonneo-style values.
LOST_PENALTY = 200_000.0
EMPTY_WEIGHT = 270.0
MERGES_WEIGHT = 700.0
MONOTONICITY_POWER = 4.0
MONOTONICITY_WEIGHT = 47.0
SUM_POWER = 3.5
SUM_WEIGHT = 11.0
LOST_SCORE = 0.0  # value of a board with no move left (every live board scores far higher)

# Search parameters.
CPROB_CUTOFF = 1e-4  # chance nodes reached with a lower probability are evaluated, not expanded
PROB_2, PROB_4 = 0.9, 0.1
SHALLOW_DISTINCT = 4  # up to this many distinct tiles: depth 1
DEEP_DISTINCT = 7  # from this many distinct tiles on: depth 3 ...
DEEP_MAX_EMPTY = 6  # ... when at most this many cells are empty (else depth 2)


# ----------------------------------------------------------------------------------------------
# Conversions
# ----------------------------------------------------------------------------------------------
def _rank(tile: int) -> int:
    """``log2(tile)`` for a power of two up to 32768, 0 for an empty cell."""
    if tile == 0:
        return 0
    rank = tile.bit_length() - 1
    if tile != 1 << rank or not 1 <= rank <= MAX_RANK:
        raise ValueError(f"not a 2048 tile (a power of two from 2 to 32768): {tile!r}")
    return rank


def to_bitboard(board: Board) -> Bitboard:
    """The 4x4 ``board`` (tile values) as a 64-bit bitboard of ranks."""
    if len(board) != 4 or any(len(row) != 4 for row in board):
        raise ValueError("FastAI plays on 4x4 boards only")
    bits = 0
    for r, row in enumerate(board):
        for c, tile in enumerate(row):
            bits |= _rank(tile) << (16 * r + 4 * c)
    return bits


def from_bitboard(bits: Bitboard) -> Board:
    """The bitboard ``bits`` back as a 4x4 board of tile values."""
    board = []
    for r in range(4):
        row = []
        for c in range(4):
            rank = (bits >> (16 * r + 4 * c)) & 0xF
            row.append(1 << rank if rank else 0)
        board.append(row)
    return board


def transpose_bits(bits: Bitboard) -> Bitboard:
    """The transposed bitboard: cell ``(r, c)`` moves to ``(c, r)`` (a few masks and shifts)."""
    a1 = bits & 0xF0F00F0FF0F00F0F
    a2 = bits & 0x0000F0F00000F0F0
    a3 = bits & 0x0F0F00000F0F0000
    a = a1 | (a2 << 12) | (a3 >> 12)
    b1 = a & 0xFF00FF0000FF00FF
    b2 = a & 0x00FF00FF00000000
    b3 = a & 0x00000000FF00FF00
    return b1 | (b2 >> 24) | (b3 << 24)


# ----------------------------------------------------------------------------------------------
# Row tables
# ----------------------------------------------------------------------------------------------
def _unpack_row(row: int) -> list[int]:
    """The 4 ranks of a 16-bit row, column 0 first."""
    return [(row >> (4 * i)) & 0xF for i in range(4)]


def _pack_row(ranks: list[int]) -> int:
    """The 16-bit row holding ``ranks`` (column 0 first)."""
    return ranks[0] | (ranks[1] << 4) | (ranks[2] << 8) | (ranks[3] << 12)


def _slide_ranks(ranks: list[int]) -> list[int]:
    """Slide and merge toward index 0 (ranks, so a merge adds 1). Two 32768s do not merge."""
    tiles = [r for r in ranks if r]
    out: list[int] = []
    while tiles:
        first = tiles.pop(0)
        if tiles and tiles[0] == first and first < MAX_RANK:
            tiles.pop(0)
            first += 1
        out.append(first)
    return out + [0] * (len(ranks) - len(out))


def _reverse(row: int) -> int:
    """The 16-bit row with its 4 cells in reverse order."""
    return ((row & 0xF) << 12) | ((row & 0xF0) << 4) | ((row >> 4) & 0xF0) | (row >> 12)


def _spread(row: int) -> int:
    """A 16-bit row turned into a column of the transposed layout: nibble ``j`` goes to bits ``16*j``."""
    return (row & 0xF) | ((row & 0xF0) << 12) | ((row & 0xF00) << 24) | ((row & 0xF000) << 36)


def _row_heuristic(ranks: list[int]) -> float:
    """Heuristic value of one row or column: empty cells, merges, monotonicity, tile sizes."""
    empty = ranks.count(0)
    merges = 0
    prev = run = 0
    for rank in ranks:
        if rank == 0:
            continue
        if rank == prev:
            run += 1
        else:
            merges += run + 1 if run else 0
            run = 0
            prev = rank
    merges += run + 1 if run else 0
    towards_left = towards_right = 0.0
    for a, b in zip(ranks, ranks[1:]):
        if a > b:
            towards_left += a**MONOTONICITY_POWER - b**MONOTONICITY_POWER
        else:
            towards_right += b**MONOTONICITY_POWER - a**MONOTONICITY_POWER
    size = sum(rank**SUM_POWER for rank in ranks)
    return (
        LOST_PENALTY
        + EMPTY_WEIGHT * empty
        + MERGES_WEIGHT * merges
        - MONOTONICITY_WEIGHT * min(towards_left, towards_right)
        - SUM_WEIGHT * size
    )


def _build_tables() -> dict[str, list]:
    """Every per-row table, indexed by a 16-bit row (65,536 entries each)."""
    n = 1 << 16
    reverse = [_reverse(row) for row in range(n)]
    left, heur, empty_mask = [0] * n, [0.0] * n, [0] * n
    for row in range(n):
        ranks = _unpack_row(row)
        left[row] = _pack_row(_slide_ranks(ranks))
        # the heuristic is symmetric: a row and its reverse score the same
        heur[row] = _row_heuristic(ranks) if reverse[row] >= row else heur[reverse[row]]
        empty_mask[row] = sum(1 << j for j in range(4) if ranks[j] == 0)
    right = [reverse[left[reverse[row]]] for row in range(n)]  # sliding right = reverse, left, reverse
    spread_left = [_spread(r) for r in left]
    spread_right = [_spread(r) for r in right]
    # the empty cells of row i, as (bit in b, bit in t) pairs, for each of the 16 empty masks
    cells_by_mask = [
        [tuple((1 << (16 * i + 4 * j), 1 << (16 * j + 4 * i)) for j in range(4) if mask >> j & 1) for mask in range(16)]
        for i in range(4)
    ]
    return {
        "left": left,
        "right": right,
        # left_t[i][row]: row i slid left, spread into the transposed layout (column i of t)
        "left_t": [[s << (4 * i) for s in spread_left] for i in range(4)],
        "right_t": [[s << (4 * i) for s in spread_right] for i in range(4)],
        "heur": heur,
        "heur_left": [heur[r] for r in left],  # heuristic of the row after sliding it left
        "heur_right": [heur[r] for r in right],
        # empty[i][row]: ((bit in b, bit in t), ...) for each empty cell when `row` is row i of b
        "empty": [[cells[m] for m in empty_mask] for cells in cells_by_mask],
    }


_TABLES = _build_tables()
_LEFT, _RIGHT = _TABLES["left"], _TABLES["right"]
_LT0, _LT1, _LT2, _LT3 = _TABLES["left_t"]
_RT0, _RT1, _RT2, _RT3 = _TABLES["right_t"]
_HEUR, _HEUR_LEFT, _HEUR_RIGHT = _TABLES["heur"], _TABLES["heur_left"], _TABLES["heur_right"]
_EMPTY0, _EMPTY1, _EMPTY2, _EMPTY3 = _TABLES["empty"]
M = ROW_MASK


# ----------------------------------------------------------------------------------------------
# Moves and evaluation on (board, transpose) pairs
# ----------------------------------------------------------------------------------------------
def _successors(b: Bitboard, t: Bitboard) -> tuple[tuple[Bitboard, Bitboard], ...]:
    """The ``(board, transpose)`` pairs after each move, in ``MOVE_KEYS`` order (w, a, s, d).

    Left/right slide the rows of ``b``; up/down slide the rows of ``t`` (the columns of ``b``).
    The same tables serve both, because the spread of a row is its place in the other layout.
    """
    L, R = _LEFT, _RIGHT
    r0, r1, r2, r3 = b & M, (b >> 16) & M, (b >> 32) & M, b >> 48
    c0, c1, c2, c3 = t & M, (t >> 16) & M, (t >> 32) & M, t >> 48
    up = (
        _LT0[c0] | _LT1[c1] | _LT2[c2] | _LT3[c3],
        L[c0] | (L[c1] << 16) | (L[c2] << 32) | (L[c3] << 48),
    )
    left = (
        L[r0] | (L[r1] << 16) | (L[r2] << 32) | (L[r3] << 48),
        _LT0[r0] | _LT1[r1] | _LT2[r2] | _LT3[r3],
    )
    down = (
        _RT0[c0] | _RT1[c1] | _RT2[c2] | _RT3[c3],
        R[c0] | (R[c1] << 16) | (R[c2] << 32) | (R[c3] << 48),
    )
    right = (
        R[r0] | (R[r1] << 16) | (R[r2] << 32) | (R[r3] << 48),
        _RT0[r0] | _RT1[r1] | _RT2[r2] | _RT3[r3],
    )
    return up, left, down, right


def move_bits(bits: Bitboard, key: str) -> Bitboard:
    """The bitboard after the move ``key`` (``"w"``, ``"a"``, ``"s"`` or ``"d"``)."""
    return _successors(bits, transpose_bits(bits))[MOVE_KEYS.index(key)][0]


def heuristic(bits: Bitboard) -> float:
    """The heuristic value of a bitboard: the row table summed over its rows and columns."""
    return _heur_pair(bits, transpose_bits(bits))


def _heur_pair(b: Bitboard, t: Bitboard) -> float:
    """Heuristic of the board ``b`` whose transpose is ``t``."""
    h = _HEUR
    return (
        h[b & M] + h[(b >> 16) & M] + h[(b >> 32) & M] + h[b >> 48]
        + h[t & M] + h[(t >> 16) & M] + h[(t >> 32) & M] + h[t >> 48]
    )


def _best_leaf_move(b: Bitboard, t: Bitboard) -> float:
    """Max over the moves that change the board of the heuristic after the move (``LOST_SCORE`` if none).

    A player node whose children are all leaves: the hot spot of the search, hence unrolled. It
    never builds a moved board in full. After sliding the rows of ``b`` (left/right), the rows'
    heuristic comes straight from ``_HEUR_LEFT`` / ``_HEUR_RIGHT``, and only the new transpose
    ``y`` is assembled to score the columns; the move changed something iff ``y != t``. Up/down
    are the same with the roles of ``b`` and ``t`` swapped.
    """
    h, hl, hr = _HEUR, _HEUR_LEFT, _HEUR_RIGHT
    best = LOST_SCORE
    for x, other in ((b, t), (t, b)):
        r0, r1, r2, r3 = x & M, (x >> 16) & M, (x >> 32) & M, x >> 48
        y = _LT0[r0] | _LT1[r1] | _LT2[r2] | _LT3[r3]
        if y != other:
            v = hl[r0] + hl[r1] + hl[r2] + hl[r3] + h[y & M] + h[(y >> 16) & M] + h[(y >> 32) & M] + h[y >> 48]
            if v > best:
                best = v
        y = _RT0[r0] | _RT1[r1] | _RT2[r2] | _RT3[r3]
        if y != other:
            v = hr[r0] + hr[r1] + hr[r2] + hr[r3] + h[y & M] + h[(y >> 16) & M] + h[(y >> 32) & M] + h[y >> 48]
            if v > best:
                best = v
    return best


def _empty_cells(b: Bitboard) -> tuple[tuple[int, int], ...]:
    """The empty cells of ``b`` as ``(bit in b, bit in t)`` pairs, row-major."""
    return _EMPTY0[b & M] + _EMPTY1[(b >> 16) & M] + _EMPTY2[(b >> 32) & M] + _EMPTY3[b >> 48]


def count_distinct_tiles(bits: Bitboard) -> int:
    """How many different tile values are on the board."""
    seen = 0
    while bits:
        seen |= 1 << (bits & 0xF)
        bits >>= 4
    return bin(seen >> 1).count("1")


def count_empty(bits: Bitboard) -> int:
    """How many cells are empty."""
    return len(_empty_cells(bits))


# ----------------------------------------------------------------------------------------------
# The search
# ----------------------------------------------------------------------------------------------
class FastAI:
    """Expectimax on bitboards; an instance is a ``policy`` for ``ch01_game2048.ai.play_game``.

    ``depth`` fixes the number of chance layers searched below each root move; by default it adapts
    to the position (see ``search_depth``). ``cprob_cutoff`` is the probability below which chance
    nodes are evaluated instead of expanded.
    """

    def __init__(self, depth: Optional[int] = None, cprob_cutoff: float = CPROB_CUTOFF) -> None:
        self.depth = depth
        self.cprob_cutoff = cprob_cutoff
        self._cache: dict[Bitboard, tuple[int, float]] = {}  # chance node -> (depth, value)
        self.nodes = 0  # chance nodes expanded by the last search (for profiling)

    # -- depth policy ----------------------------------------------------------------------------
    def search_depth(self, bits: Bitboard) -> int:
        """Chance layers to search below each root move, from the position alone (so games replay exactly).

        Few distinct tiles (the opening) need little look-ahead: depth 1, then 2. From
        ``DEEP_DISTINCT`` distinct tiles on, the board is crowded with tiles that cannot merge soon and
        mistakes become fatal: depth 3, unless many cells are empty (a safe position, where depth 3
        would also be the most expensive, as the cost grows with the empty cells cubed).
        """
        if self.depth is not None:
            return self.depth
        distinct = count_distinct_tiles(bits)
        if distinct <= SHALLOW_DISTINCT:
            return 1
        if distinct < DEEP_DISTINCT or count_empty(bits) > DEEP_MAX_EMPTY:
            return 2
        return 3

    # -- public API ------------------------------------------------------------------------------
    def best_move(self, board: Board) -> Optional[str]:
        """The key of ``MOVES`` with the best expectimax value; ``None`` when no move changes the board.

        Ties go to the earlier key in ``w, a, s, d``.
        """
        b = to_bitboard(board)
        t = transpose_bits(b)
        depth = self.search_depth(b)
        self._cache = {}  # one transposition table per decision, shared by the root moves
        self.nodes = 0
        best_key: Optional[str] = None
        best_value = 0.0
        for key, (new_b, new_t) in zip(MOVE_KEYS, _successors(b, t)):
            if new_b == b:
                continue
            value = self._chance(new_b, new_t, 1.0, depth)
            if best_key is None or value > best_value:
                best_key, best_value = key, value
        return best_key

    __call__ = best_move

    # -- nodes -----------------------------------------------------------------------------------
    def _chance(self, b: Bitboard, t: Bitboard, cprob: float, depth: int) -> float:
        """Expected value over the new tile: a 2 (p=0.9) or a 4 (p=0.1) on any empty cell.

        ``cprob`` is the probability of reaching this node; ``depth`` the chance layers left.
        """
        if depth <= 0 or cprob < self.cprob_cutoff:
            return _heur_pair(b, t)
        cached = self._cache.get(b)
        if cached is not None and cached[0] >= depth:
            return cached[1]
        self.nodes += 1
        cells = _empty_cells(b)
        n = len(cells)  # > 0: this board was just moved, so some cell is free
        total = 0.0
        if depth == 1:  # the player nodes below only see leaves
            for bit_b, bit_t in cells:
                total += PROB_2 * _best_leaf_move(b | bit_b, t | bit_t)
                total += PROB_4 * _best_leaf_move(b | (bit_b << 1), t | (bit_t << 1))
        else:
            p2, p4 = cprob * PROB_2 / n, cprob * PROB_4 / n
            for bit_b, bit_t in cells:
                total += PROB_2 * self._player(b | bit_b, t | bit_t, p2, depth - 1)
                total += PROB_4 * self._player(b | (bit_b << 1), t | (bit_t << 1), p4, depth - 1)
        value = total / n
        self._cache[b] = (depth, value)
        return value

    def _player(self, b: Bitboard, t: Bitboard, cprob: float, depth: int) -> float:
        """Max over the moves that change the board of the chance node after them."""
        if cprob < self.cprob_cutoff:  # every child would be a leaf
            return _best_leaf_move(b, t)
        best = LOST_SCORE
        for new_b, new_t in _successors(b, t):
            if new_b != b:
                value = self._chance(new_b, new_t, cprob, depth)
                if value > best:
                    best = value
        return best
