"""Hidden probes for ch01_game2048: the public probes, plus the opening boards and whole games (kit policy, own AI)."""
from __future__ import annotations

import random
import time

from tests_public.ch01_game2048.probes import *  # noqa: F401,F403 — the grader ships both modules


def init_boards(seeds):
    from ch01_game2048.board import init_board

    return [[list(r) for r in init_board(random.Random(s))] for s in seeds]


def play_cycle(seed, max_moves):
    """``play_game`` with a kit policy that cycles a, s, d, w (ignores the student's AI)."""
    from ch01_game2048.ai import play_game

    order = "asdw"
    state = {"i": 0, "seen": []}

    def policy(board):
        state["seen"].append([list(r) for r in board])
        for k in range(4):
            key = order[(state["i"] + k) % 4]
            from ch01_game2048.board import MOVES

            if MOVES[key](board) != board:
                state["i"] += 1
                return key
        return None

    result = play_game(random.Random(seed), policy=policy, max_moves=max_moves)
    return {
        "max_tile": int(result["max_tile"]),
        "score": int(result["score"]),
        "moves": int(result["moves"]),
        "boards_seen": len(state["seen"]),
    }


def play_own_ai(seeds, depth, seconds_per_game):
    """Seeded games of the student's own AI, each stopped after ``seconds_per_game`` of CPU time."""
    from ch01_game2048.ai import choose_best_move, play_game

    games = []
    for seed in seeds:
        start = time.process_time()

        def policy(board):
            if time.process_time() - start > seconds_per_game:
                return None
            return choose_best_move(board, depth)

        result = play_game(random.Random(seed), policy=policy)
        games.append({"max_tile": int(result["max_tile"]), "moves": int(result["moves"]),
                      "seconds": time.process_time() - start})
    return games
