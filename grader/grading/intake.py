"""Intake: one entry per student (a folder or a ``.zip``), read safely into a staged tree.

A zip is extracted entry by entry with caps on file count and total size (a zip bomb stops early);
absolute paths, ``..``, links and device files make the entry ungradable. Chapter packages are
found at the top of the entry or one folder down. The content hash covers the staged chapter
files only, so re-zipping the same code does not trigger a re-grade.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Optional

from grader.layout import is_chapter

MAX_FILES = 2000
MAX_BYTES = 64 << 20
SKIP = {"__pycache__", ".DS_Store", "__MACOSX"}


class Ungradable(Exception):
    """The entry cannot be read safely; the message is the reason."""


@dataclass
class Submission:
    """A student's entry after intake."""

    student: str
    source: Path
    status: str = "ok"  # "ok" | "ungradable"
    reason: str = ""
    tree: Optional[Path] = None  # folder holding the chapter packages
    chapters: list[str] = field(default_factory=list)
    content_hash: str = ""


def entries(folder: Path) -> list[tuple[str, Path]]:
    """``(student id, path)`` for every folder or ``.zip`` in ``folder`` (hidden files skipped)."""
    out = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name in SKIP:
            continue
        if path.suffix.lower() == ".zip" and not path.is_dir():
            out.append((path.stem, path))
        elif path.is_dir() or path.is_symlink():
            out.append((path.name, path))
    return out


def _safe_relative(name: str) -> PurePosixPath:
    rel = PurePosixPath(name.replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts or (rel.parts and ":" in rel.parts[0]):
        raise Ungradable(f"unsafe path in archive: {name!r}")
    return rel


def extract_zip(archive: Path, dest: Path) -> None:
    """Extract with every safety check; raises :class:`Ungradable`."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Ungradable(f"not a readable zip: {exc}") from None
    total = 0
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_FILES:
            raise Ungradable(f"too many files ({len(infos)} > {MAX_FILES})")
        for info in infos:
            rel = _safe_relative(info.filename)
            kind = stat.S_IFMT(info.external_attr >> 16)
            if kind == stat.S_IFLNK:
                raise Ungradable(f"link in archive: {info.filename!r}")
            if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
                raise Ungradable(f"special file in archive: {info.filename!r}")
            target = dest.joinpath(*rel.parts) if rel.parts else dest
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, open(target, "wb") as out:
                    while chunk := src.read(1 << 16):
                        total += len(chunk)
                        if total > MAX_BYTES:
                            raise Ungradable(f"archive too large (> {MAX_BYTES >> 20} MiB uncompressed)")
                        out.write(chunk)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
                raise Ungradable(f"corrupt archive member {info.filename!r}: {exc}") from None


def copy_folder(source: Path, dest: Path) -> None:
    """Copy a folder entry; links, special files and oversize trees make it ungradable."""
    if source.is_symlink():
        raise Ungradable("the entry is a link")
    count = total = 0
    for root, dirs, files in os.walk(source, followlinks=False):
        for name in dirs + files:
            path = Path(root) / name
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode):
                raise Ungradable(f"link in submission: {path.relative_to(source)}")
            if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
                raise Ungradable(f"special file in submission: {path.relative_to(source)}")
            count += 1
            total += st.st_size if stat.S_ISREG(st.st_mode) else 0
        if count > MAX_FILES or total > MAX_BYTES:
            raise Ungradable("submission too large")
    shutil.copytree(source, dest, symlinks=True, dirs_exist_ok=True)


def find_chapters(root: Path) -> tuple[Path, list[str]]:
    """The folder holding chapter packages: ``root`` itself or one folder down."""
    def chapters_in(folder: Path) -> list[str]:
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and is_chapter(p.name))

    found = chapters_in(root)
    if found:
        return root, found
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and p.name not in SKIP):
        found = chapters_in(sub)
        if found:
            return sub, found
    return root, []


def tree_hash(tree: Path, chapters: list[str]) -> str:
    """sha256 over the chapter files' relative paths and bytes."""
    digest = hashlib.sha256()
    for chapter in chapters:
        for path in sorted((tree / chapter).rglob("*")):
            if path.is_file() and not SKIP & set(path.parts) and path.suffix != ".pyc":
                digest.update(path.relative_to(tree).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def stage(student: str, source: Path, staging: Path) -> Submission:
    """Read one entry into ``staging/<student>`` (replacing what was there)."""
    sub = Submission(student, source)
    raw = staging / student / "raw"
    if raw.parent.exists():
        shutil.rmtree(raw.parent)
    raw.mkdir(parents=True)
    try:
        if source.suffix.lower() == ".zip" and source.is_file():
            extract_zip(source, raw)
        else:
            copy_folder(source, raw)
    except Ungradable as exc:
        sub.status, sub.reason = "ungradable", str(exc)
        sub.content_hash = hashlib.sha256(str(exc).encode() + (source.read_bytes() if source.is_file() else b"")).hexdigest()
        return sub
    found_root, chapters = find_chapters(raw)
    tree = staging / student / "tree"
    tree.mkdir()
    for chapter in chapters:
        shutil.copytree(found_root / chapter, tree / chapter, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.rmtree(raw)
    sub.tree, sub.chapters = tree, chapters
    sub.content_hash = tree_hash(tree, chapters)
    if not chapters:
        sub.reason = "no chapter package found"
    return sub
