"""Hidden checks for board.py: properties against independent oracles, all moves, seeded spawning."""
import random

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from grader.harness import check
from tests_hidden.ch01_game2048 import probes as P

from .oracles import can_move_oracle, move_oracle, slide_oracle

TILES = st.sampled_from([0, 0, 0, 2, 2, 4, 4, 8, 16, 32, 64, 2048])
LINES = st.lists(st.lists(TILES, min_size=1, max_size=6), min_size=20, max_size=40)
# Each example is one probe call with a batch of lines; no shrinking (a failure's first batch is reported).
PROPERTY = settings(max_examples=10, derandomize=True, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
                    report_multiple_bugs=False, suppress_health_check=list(HealthCheck))


def random_boards(seed: int, count: int, density: float = 0.7) -> list[list[list[int]]]:
    rng = random.Random(seed)
    return [[[rng.choice([2, 4, 8, 16, 2, 4]) if rng.random() < density else 0 for _ in range(4)] for _ in range(4)]
            for _ in range(count)]


@pytest.mark.task("1.1")
@PROPERTY
@given(lines=LINES)
def test_slide_and_merge_property(run, lines):
    got = run(P.slide_lines, lines)
    check.equal([g["result"] for g in got], [slide_oracle(line)[0] for line in lines], what="slide_and_merge")
    check.that(all(g["input_unchanged"] for g in got), {"zh": "输入被修改了", "en": "the input was modified"})


@pytest.mark.task("1.1")
def test_slide_and_merge_tricky_lines(run):
    lines = [[2], [0], [2, 2], [4, 4, 8], [8, 4, 4], [2, 2, 4, 4, 8, 8], [4, 4, 4], [16, 16, 16, 16, 16], [2, 0, 0, 2, 0, 2]]
    got = run(P.slide_lines, lines)
    check.equal([g["result"] for g in got], [slide_oracle(line)[0] for line in lines], what="slide_and_merge")


@pytest.mark.task("1.3")
@PROPERTY
@given(lines=LINES)
def test_merge_score_property(run, lines):
    check.equal(run(P.merge_scores, lines), [slide_oracle(line)[1] for line in lines], what="merge_score")


@pytest.mark.task("1.2")
def test_all_moves_random_boards(run):
    boards = random_boards(1, 40)
    got = run(P.apply_moves, boards)
    for key, name in zip("wasd", ("move_up", "move_left", "move_down", "move_right")):
        check.equal([r["board"] for r in got[key]], [move_oracle(b, key) for b in boards], what=name)
        check.that(all(r["input_unchanged"] for r in got[key]),
                   {"zh": f"{name} 修改了输入棋盘", "en": f"{name} modified its input board"})


@pytest.mark.task("1.4")
def test_can_move_random_and_column_only(run):
    column_only = [[2, 4, 2, 4], [2, 8, 4, 2], [4, 2, 8, 4], [8, 4, 2, 8]]
    row_only = [[2, 2, 8, 4], [4, 8, 2, 8], [2, 4, 8, 2], [4, 2, 4, 8]]
    stuck = [[2, 4, 2, 4], [4, 2, 4, 2], [2, 4, 2, 4], [4, 2, 4, 2]]
    boards = [column_only, row_only, stuck] + random_boards(2, 30, density=0.97)
    check.equal(run(P.can_move_many, boards), [can_move_oracle(b) for b in boards], what="can_move")


@pytest.mark.task("1.5")
@pytest.mark.parametrize("seed", [3, 42, 2024])
def test_add_random_tile_seeded(run, ref, seed):
    board = random_boards(seed, 1, density=0.5)[0]
    check.equal(run(P.spawn_tiles, board, seed, 6), ref(P.spawn_tiles, board, seed, 6), what="add_random_tile")


@pytest.mark.task("1.5")
def test_add_random_tile_full_board_draws_nothing(run):
    full = [[2, 4, 2, 4], [4, 2, 4, 2], [2, 4, 2, 4], [4, 2, 4, 2]]
    got = run(P.spawn_tiles, full, 5, 2)
    check.equal(got["states"], [full, full], what="add_random_tile (full board)")
    check.equal(got["next_draw"], random.Random(5).random(), what="rng draws on a full board")


@pytest.mark.task("1.5")
def test_init_board_seeded(run, ref):
    seeds = [0, 1, 99]
    check.equal(run(P.init_boards, seeds), ref(P.init_boards, seeds), what="init_board")


@pytest.mark.task("1.5")
@pytest.mark.parametrize("seed,max_moves", [(8, 60), (21, None)])
def test_play_game_seeded(run, ref, seed, max_moves):
    check.equal(run(P.play_cycle, seed, max_moves), ref(P.play_cycle, seed, max_moves), what="play_game")
