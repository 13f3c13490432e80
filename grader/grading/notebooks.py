"""Notebook submissions: the cells of ``<chapter>.ipynb`` back into the chapter's modules.

A notebook written by ``grader export nbgrader`` (and filled in by a student) holds one code cell
per module, headed by the marker ``%%kit_module <chapter>/<module>.py``. Intake writes each such
cell's body to that module, so the chapter is graded in the sandbox like any folder; the notebook
itself never runs. Other cells (markdown, the setup, nbgrader's test cells) are ignored.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import nbformat

from grader.harness.notebook import MARKER


class NotebookError(ValueError):
    """Not a notebook the kit can map to modules; ``key`` and ``params`` make the reason (see :mod:`grader.i18n`)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key, self.params = key, params


def find(root: Path, chapter: str) -> Optional[Path]:
    """The chapter's notebook when the chapter comes as one: ``<chapter>/<chapter>.ipynb`` (nbgrader's
    layout) or ``<chapter>.ipynb`` under ``root``, and no ``<chapter>/__init__.py`` (a package wins)."""
    if (root / chapter / "__init__.py").is_file():
        return None
    for path in (root / chapter / f"{chapter}.ipynb", root / f"{chapter}.ipynb"):
        if path.is_file() and not path.is_symlink():
            return path
    return None


def modules(path: Path, chapter: str) -> dict[str, str]:
    """``{module file name: source}`` from the marked cells of ``path``; raises :class:`NotebookError`."""
    try:
        notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        cells = [c for c in notebook.cells if c.get("cell_type") == "code" and isinstance(c.get("source"), str)]
    except Exception as exc:  # noqa: BLE001 - hostile input: every failure to read it is a reason
        raise NotebookError("intake.notebook", path=path.name, error=f"{type(exc).__name__}: {exc}"[:200]) from None
    out: dict[str, str] = {}
    for cell in cells:
        first, _, body = cell.source.partition("\n")
        match = MARKER.match(first)
        if match is None:
            continue
        if match["chapter"] != chapter:
            raise NotebookError("intake.notebook.other", path=path.name, module=f"{match['chapter']}/{match['module']}.py")
        name = f"{match['module']}.py"
        if name in out:
            raise NotebookError("intake.notebook.twice", path=path.name, module=name)
        out[name] = body if body.endswith("\n") or not body else body + "\n"
    if not out:
        raise NotebookError("intake.notebook.empty", path=path.name)
    out.setdefault("__init__.py", "")
    return out


def unpack(notebook: Path, chapter: str, dest: Path) -> None:
    """Write the chapter's modules from ``notebook`` into ``dest`` (the staged chapter folder)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name, source in modules(notebook, chapter).items():
        (dest / name).write_text(source, encoding="utf-8")
