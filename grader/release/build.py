"""``grader release``: write ``assignments/`` (and task lists) from ``solutions/``, check, make the student dist."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from grader.layout import ASSIGNMENTS, SOLUTIONS, TESTS_PUBLIC, chapters
from grader.release.markers import REFERENCE_ONLY, find_regions, strip_solutions

SKIP_PARTS = {"__pycache__", ".pytest_cache", ".ipynb_checkpoints"}


def _source_files(chapter_dir: Path) -> list[Path]:
    return sorted(
        p for p in chapter_dir.rglob("*") if p.is_file() and not SKIP_PARTS & set(p.parts) and p.suffix != ".pyc"
    )


def _task_key(task_id: str) -> tuple:
    return tuple(int(x) if x.isdigit() else x for x in task_id.replace("_", ".").split("."))


def build_chapter(chapter: str) -> tuple[dict[str, bytes], dict]:
    """``({relative path in assignments/: content}, tasks document)`` for one package."""
    files: dict[str, bytes] = {}
    hints: dict[str, dict[str, str]] = {}
    tasks: dict[str, dict] = {}
    sources = _source_files(SOLUTIONS / chapter)
    texts = {p: p.read_text(encoding="utf-8") for p in sources if p.suffix == ".py"}
    for path, text in texts.items():
        for region in find_regions(text, str(path)):
            if region.hint:
                hints.setdefault(region.task, region.hint)
            entry = tasks.setdefault(region.task, {"id": region.task, "functions": [], "module": path.stem})
            if region.function not in entry["functions"]:
                entry["functions"].append(region.function)
    for path in sources:
        rel = path.relative_to(SOLUTIONS).as_posix()
        if path in texts:
            if texts[path].startswith(REFERENCE_ONLY):
                continue
            files[rel] = strip_solutions(texts[path], hints, str(path)).encode("utf-8")
        else:
            files[rel] = path.read_bytes()
    doc = {
        "chapter": chapter,
        "tasks": [
            {"id": e["id"], "function": ", ".join(e["functions"]), "module": e["module"], "hint": hints.get(e["id"], {})}
            for e in sorted(tasks.values(), key=lambda e: _task_key(e["id"]))
        ],
    }
    return files, doc


def packages() -> list[str]:
    """The packages under ``solutions/``: the chapters and shared given code such as ``kitdata``."""
    return sorted(p.parent.name for p in SOLUTIONS.glob("*/__init__.py"))


def expected_outputs() -> dict[Path, bytes]:
    """Every file ``release`` writes: the skeleton and ``tests_public/<chapter>/tasks.json``."""
    out: dict[Path, bytes] = {}
    for package in packages():
        files, doc = build_chapter(package)
        out.update({ASSIGNMENTS / rel: data for rel, data in files.items()})
        if package in chapters(SOLUTIONS) and (TESTS_PUBLIC / package).is_dir():
            out[TESTS_PUBLIC / package / "tasks.json"] = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()
    return out


def _current_skeleton() -> set[Path]:
    if not ASSIGNMENTS.is_dir():
        return set()
    return {p for p in ASSIGNMENTS.rglob("*") if p.is_file() and not SKIP_PARTS & set(p.parts) and p.suffix != ".pyc"}


def differences() -> list[str]:
    """What differs between the files on disk and what ``release`` would write."""
    wanted = expected_outputs()
    problems = []
    for path, data in wanted.items():
        if not path.is_file():
            problems.append(f"missing: {path}")
        elif path.read_bytes() != data:
            problems.append(f"differs: {path}")
    problems += [f"extra: {p}" for p in sorted(_current_skeleton() - set(wanted))]
    return problems


def write() -> list[Path]:
    """Write the skeleton and the task lists; remove skeleton files with no source. Returns what changed."""
    wanted = expected_outputs()
    changed = []
    for path in sorted(_current_skeleton() - set(wanted)):
        path.unlink()
        changed.append(path)
    for path, data in wanted.items():
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            changed.append(path)
    for chapter_dir in ASSIGNMENTS.iterdir() if ASSIGNMENTS.is_dir() else []:
        if chapter_dir.is_dir() and chapter_dir.name not in packages():
            shutil.rmtree(chapter_dir)
    return changed
