"""Text that wraps well in both languages: rich only breaks at spaces, which Chinese lacks."""
from __future__ import annotations

import re

from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CLOSING = "，。、；：？！）」』”’》〉"
_TOKEN = re.compile(rf"[{_CJK}][{_CLOSING}]*|[^\s{_CJK}]+[{_CLOSING}]*\s*|\s+")


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells, breaking at spaces or between Chinese characters."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _TOKEN.findall(paragraph):
            if line.strip() and cell_len((line + token).rstrip()) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines += chop_cells(line.rstrip(), width) if cell_len(line.rstrip()) > width else [line.rstrip()]
    return lines


class Prose:
    """A renderable paragraph; continuation lines are indented as wide as `prefix`."""

    def __init__(self, text: str, prefix: str = "", style: str = "") -> None:
        self.text, self.prefix, self.style = text, prefix, style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = cell_len(self.prefix)
        for n, line in enumerate(wrap(self.text, max(options.max_width - indent, 10))):
            yield Text((self.prefix if n == 0 else " " * indent) + line, style=self.style, no_wrap=True)
