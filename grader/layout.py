"""Where things live in the kit, and how chapters are named."""
from __future__ import annotations

import re
from pathlib import Path

from grader import REPO_ROOT

CHAPTER_RE = re.compile(r"^ch\d\d_[a-z0-9_]+$")

SOLUTIONS = REPO_ROOT / "solutions"
ASSIGNMENTS = REPO_ROOT / "assignments"
TESTS_PUBLIC = REPO_ROOT / "tests_public"
TESTS_HIDDEN = REPO_ROOT / "tests_hidden"
MUTANTS = REPO_ROOT / "mutants"
QUIZZES = REPO_ROOT / "quizzes"
DATASETS = REPO_ROOT / "datasets"


def is_chapter(name: str) -> bool:
    """True for a chapter package name such as ``ch06_attention``."""
    return bool(CHAPTER_RE.match(name))


def chapters(root: Path = SOLUTIONS) -> list[str]:
    """The chapter packages under ``root``, sorted."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and is_chapter(p.name))


def resolve_target(target: str) -> Path:
    """``assignments`` / ``solutions`` / a path -> the tree root holding chapter packages."""
    named = {"assignments": ASSIGNMENTS, "solutions": SOLUTIONS}
    return named.get(target, Path(target)).resolve()


def resolve_chapters(names: list[str], available: list[str]) -> list[str]:
    """Chapter names as typed (``ch01`` or ``ch01_game2048``) -> full names; ``SystemExit`` naming the choices."""
    out = []
    for name in names:
        hits = [c for c in available if c == name] or [c for c in available if c.startswith(name)]
        if len(hits) != 1:
            raise SystemExit(f"unknown chapter {name!r}; choose one of: {', '.join(available)}")
        out.append(hits[0])
    return out
