"""The AI-strength run: the student's own AI plays seeded games within a CPU-time budget (runs last)."""
import pytest

from grader.harness import check
from tests_hidden.ch01_game2048 import probes as P

SEEDS = [10, 13]
SECONDS_PER_GAME = 60.0
RUNGS = [256, 512, 1024, 2048]  # the reference (depth 2) reaches 2048 on 11 of seeds 10-21, on these in ~20 s of CPU each


@pytest.mark.slow
@pytest.mark.timeout(400)
@pytest.mark.task("1.6", "1.8")
def test_ai_strength_ladder(run):
    games = run(P.play_own_ai, SEEDS, 2, SECONDS_PER_GAME, timeout=2.5 * SECONDS_PER_GAME * len(SEEDS))
    reached = [sum(g["max_tile"] >= rung for rung in RUNGS) for g in games]
    fraction = sum(reached) / (len(RUNGS) * len(games))
    tiles = ", ".join(f"seed {s}: {g['max_tile']} in {g['moves']} moves" for s, g in zip(SEEDS, games))
    check.partial(fraction, "AI strength", {"zh": f"最大方块 {tiles}；阶梯 {RUNGS}", "en": f"max tiles {tiles}; ladder {RUNGS}"})
