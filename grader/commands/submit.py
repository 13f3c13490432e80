"""``grader submit ID``: the zip a student hands in, checked the way the grader will read it.

Writes ``<ID>.zip`` with the chapter packages at its top, then reads it back with the batch grader's
own intake (layout, names, size caps) and reports what a TA will receive: the chapters, the tasks
still TODO, and imports from another chapter (which fail under grading: each chapter is graded alone).
"""
from __future__ import annotations

import ast
import re
import tempfile
import zipfile
from pathlib import Path

from grader.grading.intake import stage
from grader.i18n import t
from grader.layout import chapters, is_chapter, resolve_target

STUB = re.compile(r'NotImplementedError\("TODO (\d+\.\d+)')


def build_zip(tree: Path, archive: Path) -> list[str]:
    """Zip every chapter package of ``tree`` (no caches) into ``archive``; returns the chapters."""
    found = chapters(tree)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for chapter in found:
            for path in sorted((tree / chapter).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                    zf.write(path, path.relative_to(tree).as_posix())
    return found


def todo_tasks(folder: Path) -> list[str]:
    """Task ids whose stubs are still in the chapter."""
    return sorted({m for p in folder.rglob("*.py") for m in STUB.findall(p.read_text(encoding="utf-8", errors="replace"))},
                  key=lambda x: tuple(int(n) for n in x.split(".")))


def foreign_imports(folder: Path) -> list[str]:
    """``file:line chXX_other`` for every import of another chapter's package."""
    out = []
    for path in sorted(folder.rglob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
        except SyntaxError as exc:
            out.append(f"{path.name}:{exc.lineno} SyntaxError")
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if is_chapter(top) and top != folder.name:
                    out.append(f"{path.relative_to(folder.parent)}:{node.lineno} {top}")
    return out


def submit(student: str, target: str = "assignments", out: Path = Path(".")) -> int:
    """Write and check ``<student>.zip``; 0 when the grader will read it as meant."""
    if not student or "/" in student or student.startswith("."):
        print(t("submit.need_id"))
        return 2
    tree = resolve_target(target)
    archive = out.resolve() / f"{student}.zip"
    packed = build_zip(tree, archive)
    with tempfile.TemporaryDirectory() as staging:
        sub = stage(student, archive, Path(staging))
        problems = [] if sub.status == "ok" and sub.chapters else [f"{sub.status}: {sub.reason}"]
        borrowed = [line for ch in sub.chapters for line in foreign_imports(sub.tree / ch)] if sub.tree else []
        todos = {ch: todo_tasks(sub.tree / ch) for ch in sub.chapters} if sub.tree else {}
    print(t("submit.wrote", path=archive, size=archive.stat().st_size / 1024, n=len(packed)))
    for ch in sub.chapters:
        left = todos.get(ch) or []
        print(f"  {ch}: " + (t("submit.todo", tasks=", ".join(left)) if left else t("submit.complete")))
    for line in borrowed:
        print(t("submit.borrowed", where=line))
    for line in problems:
        print(t("submit.problem", problem=line))
    if problems or borrowed:
        return 1
    print(t("submit.ok", path=archive.name))
    return 0
