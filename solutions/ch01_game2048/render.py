"""Terminal rendering and bilingual messages shared by ``play`` and ``autoplay``.

Given code: nothing to implement here. The board is drawn with box-drawing characters and, on a
colour terminal, one ANSI 256-colour background per tile value (close to the original game).
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import traceback
from pathlib import Path
from typing import Mapping, Optional, TextIO

Board = list[list[int]]

LANGS = ("zh", "en")
CLEAR_SCREEN = "\x1b[H\x1b[2J"
RESET = "\x1b[0m"
CELL_WIDTH = 7

# tile value -> (foreground, background) in the ANSI 256-colour palette
TILE_COLOURS: dict[int, tuple[int, int]] = {
    0: (245, 237),
    2: (236, 255),
    4: (236, 230),
    8: (231, 215),
    16: (231, 209),
    32: (231, 203),
    64: (231, 196),
    128: (236, 229),
    256: (236, 228),
    512: (236, 227),
    1024: (231, 214),
    2048: (231, 208),
}
BIG_TILE_COLOURS = (231, 235)  # 4096 and beyond

MESSAGES: dict[str, dict[str, str]] = {
    "title": {
        "zh": "2048 —— 用 w/a/s/d 或方向键移动，q 退出",
        "en": "2048 — move with w/a/s/d or the arrow keys, q to quit",
    },
    "title.auto": {
        "zh": "2048 自动演示 —— {who}（Ctrl-C 停止）",
        "en": "2048 autoplay — {who} (Ctrl-C stops)",
    },
    "who.student": {"zh": "你的 choose_best_move（深度 {depth}）", "en": "your choose_best_move (depth {depth})"},
    "who.fast": {"zh": "参考 AI FastAI", "en": "the reference FastAI"},
    "status": {
        "zh": "分数 {score}    步数 {moves}    最大方块 {max_tile}",
        "en": "Score {score}    Moves {moves}    Best tile {max_tile}",
    },
    "won": {"zh": "你达到了 2048！继续加油", "en": "You reached 2048, keep going!"},
    "over": {
        "zh": "游戏结束！最终分数 {score}（{moves} 步，最大方块 {max_tile}）",
        "en": "Game over! Final score {score} ({moves} moves, best tile {max_tile})",
    },
    "quit": {
        "zh": "再见！分数 {score}（{moves} 步，最大方块 {max_tile}）",
        "en": "Bye! Score {score} ({moves} moves, best tile {max_tile})",
    },
    "no_change": {"zh": "这个方向动不了，换一个方向试试", "en": "Nothing moves that way, try another direction"},
    "unknown_key": {"zh": "请用 w/a/s/d、方向键或 q", "en": "Use w/a/s/d, the arrow keys or q"},
    "line_prompt": {
        "zh": "输入 w/a/s/d（可以一次输入多个）后回车，q 退出：",
        "en": "Type w/a/s/d (several at once is fine) and press Enter, q to quit: ",
    },
    "todo": {
        "zh": "先完成任务 {task} {function}{where}，再来运行这个程序。",
        "en": "Finish task {task} {function} first{where}, then run this again.",
    },
    "todo.where": {"zh": "（在 {file} 里）", "en": " (in {file})"},
    "todo.unknown": {
        "zh": "还有没完成的任务：{detail}。先把它实现，再来运行这个程序。",
        "en": "A task is not finished yet: {detail}. Implement it first, then run this again.",
    },
    "ai_stopped": {
        "zh": "AI 没有给出能改变棋盘的走法（返回了 {key!r}），演示结束。",
        "en": "The AI returned no move that changes the board ({key!r}); stopping.",
    },
    "interrupted": {"zh": "已停止。", "en": "Stopped."},
    "summary": {
        "zh": "最大方块 {max_tile}，分数 {score}，{moves} 步，"
        "AI 每步平均 {mean_ms:.1f} ms（中位数 {median_ms:.1f} ms）",
        "en": "Best tile {max_tile}, score {score}, {moves} moves, AI {mean_ms:.1f} ms per move on average "
        "(median {median_ms:.1f} ms)",
    },
    "reference_only": {
        "zh": "--fast 用的是参考实现 ch01_game2048.fast_ai，它只在参考答案里，不在学生的作业包中。"
        "去掉 --fast 来观看你自己的 AI。",
        "en": "--fast uses the reference-only module ch01_game2048.fast_ai, which is not part of the "
        "student kit. Drop --fast to watch your own AI.",
    },
}

TODO_RE = re.compile(r"TODO\s+(?P<task>\d+(?:\.\d+)*)\s*:\s*(?P<function>[\w.]+)")


# ----------------------------------------------------------------------------------------------
# Language
# ----------------------------------------------------------------------------------------------
def default_lang(environ: Mapping[str, str] = os.environ) -> str:
    """``GRADER_LANG`` (set by ``make … LANG_UI=``) if it is ``zh``/``en``; else ``"zh"`` when ``LC_ALL``
    or ``LANG`` (the first one set) starts with ``zh``; else ``"en"``."""
    if environ.get("GRADER_LANG") in LANGS:
        return environ["GRADER_LANG"]
    for var in ("LC_ALL", "LANG"):
        value = environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def add_lang_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--lang zh|en`` (default: from the locale) to ``parser``."""
    parser.add_argument("--lang", choices=LANGS, default=None, help="zh or en (default: from LC_ALL / LANG)")


def msg(key: str, lang: str, **fields: object) -> str:
    """The message ``key`` in ``lang``, formatted with ``fields``."""
    return MESSAGES[key][lang].format(**fields)


def todo_message(exc: NotImplementedError, lang: str) -> str:
    """A friendly message naming the unfinished task behind ``exc`` ("TODO 1.1: slide_and_merge")."""
    match = TODO_RE.search(str(exc))
    if not match:
        return msg("todo.unknown", lang, detail=str(exc) or "NotImplementedError")
    frames = traceback.extract_tb(exc.__traceback__)
    where = msg("todo.where", lang, file=Path(frames[-1].filename).name) if frames else ""
    return msg("todo", lang, task=match["task"], function=match["function"], where=where)


# ----------------------------------------------------------------------------------------------
# Drawing
# ----------------------------------------------------------------------------------------------
def colour_enabled(stream: TextIO = sys.stdout) -> bool:
    """Colours on a terminal, unless the ``NO_COLOR`` convention asks otherwise."""
    return stream.isatty() and "NO_COLOR" not in os.environ


def _cell(value: int, colour: bool) -> str:
    """One cell, ``CELL_WIDTH`` characters wide (plus the colour codes)."""
    text = str(value) if value else ("·" if colour else "")
    text = text.center(CELL_WIDTH)
    if not colour:
        return text
    fg, bg = TILE_COLOURS.get(value, BIG_TILE_COLOURS)
    return f"\x1b[1;38;5;{fg};48;5;{bg}m{text}{RESET}"


def render_board(board: Board, colour: bool = False) -> str:
    """The board as a box-drawn grid, one text line per row of tiles."""
    n = len(board[0])
    bar = "─" * CELL_WIDTH
    top = "┌" + "┬".join([bar] * n) + "┐"
    middle = "├" + "┼".join([bar] * n) + "┤"
    bottom = "└" + "┴".join([bar] * n) + "┘"
    lines = [top]
    for i, row in enumerate(board):
        if i:
            lines.append(middle)
        lines.append("│" + "│".join(_cell(v, colour) for v in row) + "│")
    lines.append(bottom)
    return "\n".join(lines)


def render_screen(
    board: Board,
    score: int,
    moves: int,
    lang: str,
    colour: bool = False,
    title: Optional[str] = None,
    notes: tuple[str, ...] = (),
) -> str:
    """A full frame: the title, the score line, the board and any notes below it."""
    status = msg("status", lang, score=score, moves=moves, max_tile=max(max(row) for row in board))
    parts = [title or msg("title", lang), status, render_board(board, colour), *[n for n in notes if n]]
    return "\n".join(parts)


def show(frame: str, interactive: bool, out: TextIO = sys.stdout) -> None:
    """Print a frame; on an interactive terminal, redraw the screen in place instead of scrolling."""
    if interactive:
        out.write(CLEAR_SCREEN)
    out.write(frame + "\n")
    out.flush()


def enable_windows_ansi() -> None:
    """Let the Windows console interpret ANSI escape codes (a no-op elsewhere)."""
    if os.name == "nt":
        os.system("")
