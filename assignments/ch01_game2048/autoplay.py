"""Watch your AI play: ``python -m ch01_game2048.autoplay [--depth 2] [--delay 0.1] [--seed N]
[--max-moves N] [--fast] [--lang zh|en]``.

Given code. Every move comes from your ``choose_best_move(board, depth)`` in ``ai.py`` (or, with
``--fast``, from the reference ``FastAI``, which only exists in the reference solutions) and is
drawn with the same renderer as ``play``. At the end: best tile, score, moves and the time the AI
took per move. Ctrl-C stops early and still prints the summary.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from typing import Callable, Optional

from ch01_game2048.ai import choose_best_move
from ch01_game2048.board import MOVES, Board
from ch01_game2048.play import Game, preflight
from ch01_game2048.render import (
    add_lang_argument,
    colour_enabled,
    default_lang,
    enable_windows_ansi,
    msg,
    render_screen,
    show,
    todo_message,
)

Policy = Callable[[Board], Optional[str]]


def load_fast_ai() -> Optional[Policy]:
    """The reference ``FastAI`` when ``ch01_game2048.fast_ai`` exists, else ``None``."""
    try:
        from ch01_game2048.fast_ai import FastAI
    except ModuleNotFoundError as exc:
        if exc.name != "ch01_game2048.fast_ai":
            raise
        return None
    return FastAI()


def autoplay(
    game: Game,
    policy: Policy,
    lang: str,
    title: str,
    delay: float = 0.1,
    max_moves: Optional[int] = None,
) -> list[float]:
    """Let ``policy`` play ``game``, drawing every position; returns the policy's time per move (s)."""
    interactive = sys.stdout.isatty()
    colour = colour_enabled(sys.stdout)
    think: list[float] = []
    notes: tuple[str, ...] = ()

    def draw() -> None:
        show(render_screen(game.board, game.score, game.moves, lang, colour, title, notes), interactive)

    draw()
    try:
        while not game.over() and (max_moves is None or game.moves < max_moves):
            start = time.perf_counter()
            key = policy([row[:] for row in game.board])
            think.append(time.perf_counter() - start)
            if key not in MOVES or not game.step(key):
                print(msg("ai_stopped", lang, key=key))
                break
            notes = (msg("won", lang),) if game.just_won() else ()
            if delay > 0:
                time.sleep(delay)
            draw()
    except KeyboardInterrupt:
        print(msg("interrupted", lang))
    if game.over():
        print(msg("over", lang, **game.stats()))
    return think


def summary(game: Game, think: list[float], lang: str) -> str:
    """Best tile, score, moves and milliseconds per move."""
    mean_ms = 1000 * statistics.mean(think) if think else 0.0
    median_ms = 1000 * statistics.median(think) if think else 0.0
    return msg("summary", lang, mean_ms=mean_ms, median_ms=median_ms, **game.stats())


def parse_args(argv: Optional[list[str]] = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m ch01_game2048.autoplay", description="Watch an AI play 2048.")
    parser.add_argument("--depth", type=int, default=2, help="search depth for choose_best_move (default 2)")
    parser.add_argument("--delay", type=float, default=0.1, help="seconds to wait after each move (default 0.1)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: a new game every time)")
    parser.add_argument("--max-moves", type=int, default=None, help="stop after this many moves")
    parser.add_argument("--fast", action="store_true", help="use the reference FastAI (reference solutions only)")
    add_lang_argument(parser)
    return parser.parse_args(argv)


def main(argv: Optional[list[str]] = None) -> int:
    """Entry point; returns the exit status (1 when a task still has to be done or --fast is unavailable)."""
    args = parse_args(argv)
    lang = args.lang or default_lang()
    enable_windows_ansi()
    if args.fast:
        policy = load_fast_ai()
        if policy is None:
            print(msg("reference_only", lang))
            return 1
        who = msg("who.fast", lang)
    else:
        depth = args.depth
        policy = lambda board: choose_best_move(board, depth)  # noqa: E731
        who = msg("who.student", lang, depth=depth)
    try:
        preflight()
        game = Game(random.Random(args.seed))
        think = autoplay(game, policy, lang, msg("title.auto", lang, who=who), args.delay, args.max_moves)
    except NotImplementedError as exc:
        print(todo_message(exc, lang))
        return 1
    print(summary(game, think, lang))
    return 0


if __name__ == "__main__":
    sys.exit(main())
