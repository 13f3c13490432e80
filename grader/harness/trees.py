"""Import chapter packages from one tree at a time, in this process.

The reference (``solutions/``) and the implementation under test (``assignments/`` or a
submission) define the same package names. A :class:`Tree` keeps its own copies of the chapter
modules and swaps them into ``sys.modules`` (and its root onto ``sys.path``) only while active, so
both trees can be used in one test session, one after the other.
"""
from __future__ import annotations

import importlib
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from grader.layout import is_chapter


def _chapter_modules() -> dict[str, object]:
    return {name: mod for name, mod in sys.modules.items() if is_chapter(name.split(".")[0])}


class Tree:
    """A folder holding chapter packages (``solutions/``, ``assignments/`` or a submission)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self._modules: dict[str, object] = {}

    @contextmanager
    def active(self) -> Iterator["Tree"]:
        """Within the block, ``import chXX_...`` resolves to this tree."""
        outside = _chapter_modules()
        for name in outside:
            del sys.modules[name]
        sys.modules.update(self._modules)
        entry = str(self.root)
        sys.path.insert(0, entry)
        importlib.invalidate_caches()
        try:
            yield self
        finally:
            if entry in sys.path:
                sys.path.remove(entry)
            self._modules = _chapter_modules()
            for name in self._modules:
                del sys.modules[name]
            sys.modules.update(outside)

    def has_chapter(self, chapter: str) -> bool:
        """True when the tree holds the chapter's package."""
        return (self.root / chapter / "__init__.py").is_file()
