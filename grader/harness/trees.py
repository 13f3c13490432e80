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
from types import ModuleType
from typing import Any, Iterator, Optional

from grader.i18n import t
from grader.layout import is_chapter


def _chapter_modules() -> dict[str, ModuleType]:
    return {name: mod for name, mod in sys.modules.items() if is_chapter(name.split(".")[0])}


class ChapterAlone:
    """A meta path finder that refuses every chapter package but one: a chapter is graded alone."""

    def __init__(self, chapter: str) -> None:
        self.chapter = chapter

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        top = name.split(".")[0]
        if is_chapter(top) and top != self.chapter:
            raise ImportError(t("alone", chapter=self.chapter, other=top), name=name)
        return None


class Tree:
    """A folder holding chapter packages (``solutions/``, ``assignments/`` or a submission)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self._modules: dict[str, ModuleType] = {}

    @contextmanager
    def active(self, chapter: Optional[str] = None) -> Iterator["Tree"]:
        """Within the block, ``import chXX_...`` resolves to this tree; with ``chapter``, only that
        chapter's package can be imported (as when the grader stages it alone)."""
        outside = _chapter_modules()
        for name in outside:
            del sys.modules[name]
        sys.modules.update({n: m for n, m in self._modules.items() if chapter is None or n.split(".")[0] == chapter})
        guard = ChapterAlone(chapter) if chapter else None
        if guard:
            sys.meta_path.insert(0, guard)
        entry = str(self.root)
        sys.path.insert(0, entry)
        importlib.invalidate_caches()
        try:
            yield self
        finally:
            if guard in sys.meta_path:
                sys.meta_path.remove(guard)
            if entry in sys.path:
                sys.path.remove(entry)
            now = _chapter_modules()
            self._modules.update(now)
            for name in now:
                del sys.modules[name]
            sys.modules.update(outside)

    def has_chapter(self, chapter: str) -> bool:
        """True when the tree holds the chapter's package."""
        return (self.root / chapter / "__init__.py").is_file()
