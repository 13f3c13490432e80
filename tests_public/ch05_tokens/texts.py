"""Text for the ch05-ch07 checks: the kit's own corpus (datasets/text/), read directly (trusted side)."""
from __future__ import annotations

from grader.layout import DATASETS


def corpus() -> str:
    """All the kit's documents, in file-name order, joined by a blank line."""
    files = sorted((DATASETS / "text").glob("*.txt"))
    return "\n\n".join(p.read_text(encoding="utf-8").strip("\n") for p in files)


def document(index: int) -> str:
    """One document of the corpus (0-based, in file-name order)."""
    files = sorted((DATASETS / "text").glob("*.txt"))
    return files[index].read_text(encoding="utf-8")
