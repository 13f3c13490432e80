"""Play your own 2048 in the terminal: ``python -m ch01_game2048.play [--seed N] [--lang zh|en]``.

Given code. It uses only your functions from ``board.py`` (``init_board``, ``MOVES``, ``can_move``,
``add_random_tile``, ``max_tile``) and ``move_score`` from ``ai.py`` for the score, so it works as
soon as tasks 1.1 to 1.5 are done. Keys: w/a/s/d or the arrow keys, q to quit. When stdin is not a
terminal (piped input), keys are read line by line instead, every character being one key.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import sys
from dataclasses import dataclass, field
from typing import Callable, Iterator, Optional, TextIO

from ch01_game2048.ai import move_score
from ch01_game2048.board import MOVES, Board, add_random_tile, can_move, init_board, max_tile, slide_and_merge
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

QUIT = "q"
WIN_TILE = 2048
# escape sequences of the arrow keys (ANSI terminals) -> move keys
ARROWS = {f"\x1b{prefix}{code}": key for prefix in "[O" for code, key in zip("ABCD", "wsda")}
# one key in line input: an arrow's escape sequence or a single character
KEY_TOKEN = re.compile(r"\x1b(?:\[|O)[A-D]|.", re.S)
# second byte after "\xe0" / "\x00" from msvcrt.getwch() on Windows -> move keys
WINDOWS_ARROWS = {"H": "w", "P": "s", "M": "d", "K": "a"}


# ----------------------------------------------------------------------------------------------
# Game state
# ----------------------------------------------------------------------------------------------
@dataclass
class Game:
    """A game in progress, driven by the chapter's board functions."""

    rng: random.Random
    board: Board = field(default_factory=list)
    score: int = 0
    moves: int = 0
    reached_win: bool = False

    def __post_init__(self) -> None:
        if not self.board:
            self.board = init_board(self.rng)

    def step(self, key: str) -> bool:
        """Apply the move ``key`` and spawn a tile; ``False`` (and nothing happens) if it changes nothing."""
        moved = MOVES[key](self.board)
        if moved == self.board:
            return False
        self.score += move_score(self.board, key)
        self.board = moved
        self.moves += 1
        add_random_tile(self.board, self.rng)
        return True

    def just_won(self) -> bool:
        """True exactly once: the first time a 2048 tile is on the board."""
        if not self.reached_win and max_tile(self.board) >= WIN_TILE:
            self.reached_win = True
            return True
        return False

    def over(self) -> bool:
        """No move is possible any more."""
        return not can_move(self.board)

    def stats(self) -> dict[str, int]:
        """Score, moves and the best tile, for the messages."""
        return {"score": self.score, "moves": self.moves, "max_tile": max_tile(self.board)}


def preflight() -> None:
    """Call every board function once, in task order, so that the first unfinished task shows up before
    the game starts."""
    board = [[2, 2, 0, 0], [0, 4, 4, 0], [0, 0, 0, 0], [8, 0, 0, 8]]
    slide_and_merge(board[0])  # 1.1
    for key in MOVES:  # 1.2 the moves
        MOVES[key](board)
    for key in MOVES:  # 1.3 merge_score
        move_score(board, key)
    can_move(board)  # 1.4
    Game(random.Random(0))  # 1.5 add_random_tile (init_board)


# ----------------------------------------------------------------------------------------------
# Keyboard
# ----------------------------------------------------------------------------------------------
def _posix_keys(stdin: TextIO) -> Iterator[str]:
    """Single key presses from a terminal in cbreak mode (no Enter needed, no echo)."""
    import select
    import termios
    import tty

    fd = stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        while True:
            data = os.read(fd, 1)
            if not data:
                return
            if data == b"\x1b":  # maybe an arrow key: ESC [ A, read what follows if it is already there
                while len(data) < 3 and select.select([fd], [], [], 0.05)[0]:
                    data += os.read(fd, 1)
            yield data.decode(errors="replace")
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _windows_keys() -> Iterator[str]:
    """Single key presses from the Windows console."""
    import msvcrt  # type: ignore[import-not-found]

    while True:
        ch = msvcrt.getwch()
        if ch in ("\x00", "\xe0"):
            ch = ch + msvcrt.getwch()
        yield ch


def _line_keys(stdin: TextIO, prompt: Callable[[], None]) -> Iterator[str]:
    """Keys from line input (piped stdin): every character of every line is one key."""
    while True:
        prompt()
        line = stdin.readline()
        if not line:
            return
        yield from KEY_TOKEN.findall(line.strip())


def key_presses(stdin: TextIO, prompt: Callable[[], None]) -> Iterator[str]:
    """Raw key presses on a terminal, else line input."""
    if stdin.isatty():
        if os.name == "nt":
            return _windows_keys()
        try:
            import termios  # noqa: F401  (only to know whether raw mode is available)
        except ImportError:
            pass
        else:
            return _posix_keys(stdin)
    return _line_keys(stdin, prompt)


def to_command(key: str) -> Optional[str]:
    """A key press -> ``"w"``/``"a"``/``"s"``/``"d"``, ``QUIT``, or ``None`` for any other key."""
    if key in ARROWS:
        return ARROWS[key]
    if len(key) == 2 and key[0] in "\x00\xe0":
        return WINDOWS_ARROWS.get(key[1])
    key = key.lower()
    if key in MOVES:
        return key
    if key in (QUIT, "\x1b", "\x03", "\x04"):  # q, Esc, Ctrl-C, Ctrl-D
        return QUIT
    return None


# ----------------------------------------------------------------------------------------------
# The game loop
# ----------------------------------------------------------------------------------------------
def play(game: Game, lang: str, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """Run the game until it is over, the player quits or the input ends."""
    interactive = stdin.isatty() and out.isatty()
    colour = colour_enabled(out)
    notes: tuple[str, ...] = ()

    def draw() -> None:
        show(render_screen(game.board, game.score, game.moves, lang, colour, notes=notes), interactive, out)

    def prompt() -> None:
        if stdin.isatty():
            out.write(msg("line_prompt", lang))
            out.flush()

    draw()
    with contextlib.closing(key_presses(stdin, prompt)) as keys:  # closing restores the terminal
        for key in keys:
            command = to_command(key)
            if command == QUIT:
                break
            if command is None:
                notes = (msg("unknown_key", lang),)
            elif not game.step(command):
                notes = (msg("no_change", lang),)
            else:
                notes = (msg("won", lang),) if game.just_won() else ()
            if game.over():
                notes = (*notes, msg("over", lang, **game.stats()))
                draw()
                return
            draw()
    out.write(msg("quit", lang, **game.stats()) + "\n")


def parse_args(argv: Optional[list[str]] = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m ch01_game2048.play", description="Play 2048 in the terminal.")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: a new game every time)")
    add_lang_argument(parser)
    return parser.parse_args(argv)


def main(argv: Optional[list[str]] = None) -> int:
    """Entry point; returns the exit status (1 when a task still has to be done)."""
    args = parse_args(argv)
    lang = args.lang or default_lang()
    enable_windows_ansi()
    try:
        preflight()
        play(Game(random.Random(args.seed)), lang)
    except NotImplementedError as exc:
        print(todo_message(exc, lang))
        return 1
    except KeyboardInterrupt:
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
