"""Intake: one entry per student (a folder or a ``.zip``), read safely into a staged tree.

Every entry ends as exactly one :class:`Submission` whose ``status`` says whether it can be graded:

- ``ok`` — chapter packages found, at the top of the entry or one folder down; a chapter may come
  as the notebook ``grader export nbgrader`` wrote (``<chapter>.ipynb``, alone or in its chapter folder,
  as nbgrader collects it), whose module cells become the package (:mod:`grader.grading.notebooks`);
- ``ungradable`` — cannot be read safely: a bad or encrypted zip, a path outside the entry, a link,
  a device file, two members with one name, too many files or bytes (a zip bomb stops early), or a
  single file that is neither a folder nor a ``.zip``;
- ``empty`` — no files at all; ``nested zip`` — zips where chapter folders should be;
  ``no chapter found`` — files, but no chapter package where one is looked for (the reason says
  what was found instead);
- ``clash`` — two entries with one id (``alice/`` and ``alice.zip``); neither is graded unless
  ``clash="rename"`` grades each under an id of its own.

Ids compare ignoring case and Unicode normalisation form (``Alice/`` clashes with ``alice.ZIP``): a
roster, a case-insensitive disk (macOS, Windows) and a TA would all take them for one student.
Member names inside an entry compare the same way, so a grade never depends on the disk it is
graded on. A folder whose only visible content is one zip is read through it (the usual LMS
download). Reasons are i18n keys (``intake.*`` in :mod:`grader.i18n`), in English and Chinese.
The content hash covers the staged chapter files only, so re-zipping the same code does not
trigger a re-grade.
"""
from __future__ import annotations

import functools
import hashlib
import os
import shutil
import stat
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Optional, Union

from grader.grading import notebooks
from grader.i18n import LANGS, t
from grader.layout import is_chapter

MAX_FILES = 2000
MAX_BYTES = 64 << 20
MAX_PATH = 1024  # characters in a member's path inside the entry
SKIP = {"__pycache__", ".DS_Store", "__MACOSX"}

STATUSES = OK, UNGRADABLE, EMPTY, NO_CHAPTER, NESTED_ZIP, CLASH = (
    "ok", "ungradable", "empty", "no chapter found", "nested zip", "clash")
CLASH_MODES = ("report", "rename")


class Ungradable(Exception):
    """The entry cannot be read safely; ``key`` and ``params`` make the reason (see :mod:`grader.i18n`)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(t(key, "en", **params))
        self.key, self.params = key, params


@dataclass
class Submission:
    """A student's entry after intake."""

    student: str
    source: Path
    status: str = OK  # one of STATUSES
    why: Optional[tuple[str, dict]] = None  # i18n key and parameters of the reason
    tree: Optional[Path] = None  # folder holding the chapter packages
    chapters: list[str] = field(default_factory=list)
    content_hash: str = ""

    def reason_in(self, lang: Optional[str] = None) -> str:
        """Why the entry is not ``ok`` (empty when it is), in ``lang`` (default: the language in force)."""
        return t(self.why[0], lang, **self.why[1]) if self.why else ""

    @property
    def reason(self) -> str:
        """:meth:`reason_in` the language in force."""
        return self.reason_in()

    @property
    def reasons(self) -> dict[str, str]:
        """The reason in every language."""
        return {lang: self.reason_in(lang) for lang in LANGS}

    def note(self, lang: Optional[str] = None) -> str:
        """``<status>: <reason>`` for a results row, in ``lang``."""
        return t("intake.note", lang, status=t(f"intake.status.{self.status}", lang), reason=self.reason_in(lang))


def show(name: Union[str, PurePosixPath, Sequence[str]], limit: int = 80) -> str:
    """A name fit for a message: printable UTF-8 (undecodable bytes and controls replaced), shortened."""
    text = name if isinstance(name, str) else "/".join(name.parts if isinstance(name, PurePosixPath) else name)
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fold(name: str) -> str:
    """The form names are compared in: NFC, case-folded."""
    return unicodedata.normalize("NFC", name).casefold()


def _student_id(path: Path) -> str:
    """The id an entry names: its name without ``.zip`` (or any last suffix of a file), printable."""
    name = path.name if path.is_dir() and not path.is_symlink() else (path.stem or path.name)
    return unicodedata.normalize("NFC", show(name, limit=200))


def entries(folder: Path, clash: str = "report") -> list[tuple[str, tuple[Path, ...]]]:
    """``(student id, paths)`` for every visible entry of ``folder``, sorted by id.

    ``paths`` holds one path, or several when entries clash (``clash="report"``: :func:`stage`
    then reports them and grades none). With ``clash="rename"`` each clashing entry is graded
    under its full name (``alice`` and ``alice.zip``), with ``~2``, ``~3`` added when that still clashes.
    """
    if clash not in CLASH_MODES:
        raise ValueError(f"clash must be one of {CLASH_MODES}, not {clash!r}")
    groups: dict[str, list[tuple[str, Path]]] = {}
    for path in sorted(folder.iterdir()):
        if not (path.name.startswith(".") or path.name in SKIP):
            student = _student_id(path)
            groups.setdefault(fold(student), []).append((student, path))
    out: list[tuple[str, tuple[Path, ...]]] = [(group[0][0], (group[0][1],)) for group in groups.values() if len(group) == 1]
    clashing = [group for group in groups.values() if len(group) > 1]
    if clash == "report":
        out += [(group[0][0], tuple(path for _, path in group)) for group in clashing]
    else:
        taken = set(groups) - {fold(group[0][0]) for group in clashing}
        for group in clashing:
            for _, path in group:
                base = student = unicodedata.normalize("NFC", show(path.name, limit=200))
                n = 1
                while fold(student) in taken:
                    n += 1
                    student = f"{base}~{n}"
                taken.add(fold(student))
                out.append((student, (path,)))
    return sorted(out, key=lambda entry: (fold(entry[0]), entry[0]))


@contextmanager
def _reading(key: str, **params: object) -> Iterator[None]:
    """Any error while reading student input (a corrupt zip raises many kinds) makes it ungradable."""
    try:
        yield
    except Ungradable:
        raise
    except Exception as exc:  # noqa: BLE001 - hostile input: every failure to read it is a reason
        raise Ungradable(key, **params, error=show(f"{type(exc).__name__}: {exc}", 120)) from None


@dataclass(frozen=True)
class _Member:
    parts: tuple[str, ...]  # path inside the entry
    is_dir: bool
    open: Optional[Callable[[], IO[bytes]]] = None


def _check_parts(parts: tuple[str, ...], name: str) -> None:
    """A member path must be non-empty, free of control characters, and short enough for any disk."""
    if not parts:
        raise Ungradable("intake.bad_name.empty")
    if any(ord(c) < 32 or ord(c) == 127 for p in parts for c in p):
        raise Ungradable("intake.bad_name.control", path=show(name))
    if len("/".join(parts)) > MAX_PATH or any(len(p.encode("utf-8", "surrogatepass")) > 255 for p in parts):
        raise Ungradable("intake.bad_name.long", path=show(name))


def _zip_members(zf: zipfile.ZipFile) -> Iterator[_Member]:
    """Members of an open zip, each checked: a safe relative path, a plain file or folder, not encrypted."""
    infos = zf.infolist()
    if len(infos) > MAX_FILES:
        raise Ungradable("intake.too_many", max=MAX_FILES)
    for info in infos:
        text = info.filename.replace("\\", "/")
        rel = PurePosixPath(text)
        if rel.is_absolute() or ".." in rel.parts or (rel.parts and ":" in rel.parts[0]):
            raise Ungradable("intake.unsafe", path=show(info.filename))
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind == stat.S_IFLNK:
            raise Ungradable("intake.link", path=show(info.filename))
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise Ungradable("intake.special", path=show(info.filename))
        is_dir = text.endswith("/") or kind == stat.S_IFDIR
        if is_dir and not rel.parts:
            continue
        _check_parts(rel.parts, info.filename)
        if info.flag_bits & 0x1 and not is_dir:
            raise Ungradable("intake.encrypted", path=show(info.filename))
        yield _Member(rel.parts, is_dir, None if is_dir else functools.partial(zf.open, info))


def _open_binary(path: str) -> IO[bytes]:
    return open(path, "rb")


def _folder_members(source: Path) -> Iterator[_Member]:
    """Members of a folder, depth first; links and device files make it ungradable."""
    stack: list[tuple[str, ...]] = [()]
    while stack:
        here = stack.pop()
        with _reading("intake.unreadable", path=show(here or ".")):
            with os.scandir(source.joinpath(*here)) as listing:
                items = sorted(listing, key=lambda item: item.name)
        for item in items:
            parts = here + (item.name,)
            with _reading("intake.unreadable", path=show(parts)):
                mode = item.stat(follow_symlinks=False).st_mode
            _check_parts(parts, "/".join(parts))
            if stat.S_ISLNK(mode):
                raise Ungradable("intake.link", path=show(parts))
            if stat.S_ISDIR(mode):
                stack.append(parts)
                yield _Member(parts, True)
            elif stat.S_ISREG(mode):
                yield _Member(parts, False, functools.partial(_open_binary, item.path))
            else:
                raise Ungradable("intake.special", path=show(parts))


def _write_tree(members: Iterable[_Member], dest: Path, read_error: str) -> None:
    """Write members under ``dest`` with caps on count and bytes; names must be distinct as :func:`fold` sees them
    and no path may be both a file and a folder. Errors reading a member are ``read_error``."""
    files: dict[str, str] = {}
    dirs: dict[str, str] = {}
    count = total = 0
    for member in members:
        count += 1
        if count > MAX_FILES:
            raise Ungradable("intake.too_many", max=MAX_FILES)
        shown = show(member.parts)
        for depth in range(1, len(member.parts) + member.is_dir):
            prefix = "/".join(member.parts[:depth])
            key = fold(prefix)
            if key in files:
                raise Ungradable("intake.file_dir", path=show(files[key]))
            if dirs.setdefault(key, prefix) != prefix:
                raise Ungradable("intake.same_name", a=show(dirs[key]), b=show(prefix))
        if any(part in SKIP for part in member.parts):
            continue
        target = dest.joinpath(*member.parts)
        if member.is_dir:
            target.mkdir(parents=True, exist_ok=True)
            continue
        key = fold("/".join(member.parts))
        if key in dirs:
            raise Ungradable("intake.file_dir", path=shown)
        if key in files:
            raise Ungradable("intake.duplicate" if files[key] == "/".join(member.parts) else "intake.same_name",
                             a=show(files[key]), b=shown)
        files[key] = "/".join(member.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        assert member.open is not None  # files always carry their opener
        with _reading(read_error, path=shown):
            src = member.open()
        with src, open(target, "wb") as out:
            while True:
                with _reading(read_error, path=shown):
                    chunk = src.read(1 << 16)
                if not chunk:
                    break
                total += len(chunk)
                if total > MAX_BYTES:
                    raise Ungradable("intake.too_large", mib=MAX_BYTES >> 20)
                out.write(chunk)


def extract_zip(archive: Path, dest: Path) -> None:
    """Extract with every safety check; raises :class:`Ungradable`."""
    with _reading("intake.bad_zip", path=show(archive.name)):
        zf = zipfile.ZipFile(archive)
    with zf:
        _write_tree(_zip_members(zf), dest, "intake.corrupt")


def copy_folder(source: Path, dest: Path) -> None:
    """Copy a folder entry; links, special files and oversize trees make it ungradable."""
    _write_tree(_folder_members(source), dest, "intake.unreadable")


def _visible(path: Path) -> bool:
    return not (path.name.startswith(".") or path.name in SKIP)


def _lone_zip(folder: Path) -> Optional[Path]:
    """The one zip a folder holds when it holds nothing else visible (an LMS download)."""
    with _reading("intake.unreadable", path="."):
        children = [p for p in folder.iterdir() if _visible(p)]
    if len(children) == 1 and children[0].suffix.lower() == ".zip" and stat.S_ISREG(children[0].lstat().st_mode):
        return children[0]
    return None


def find_chapters(root: Path) -> tuple[Path, list[str]]:
    """The folder holding chapter packages (or chapter notebooks, ``<chapter>.ipynb``): ``root`` itself or one folder down."""
    def chapters_in(folder: Path) -> list[str]:
        return sorted({p.name for p in folder.iterdir() if p.is_dir() and is_chapter(p.name)}
                      | {p.stem for p in folder.iterdir() if p.suffix == ".ipynb" and p.is_file() and is_chapter(p.stem)})

    found = chapters_in(root)
    if found:
        return root, found
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and _visible(p)):
        found = chapters_in(sub)
        if found:
            return sub, found
    return root, []


def _listing(root: Path) -> tuple[list[PurePosixPath], list[PurePosixPath]]:
    """Visible files and folders under ``root`` (relative), shallowest first."""
    files: list[PurePosixPath] = []
    dirs: list[PurePosixPath] = []
    for path in sorted(root.rglob("*"), key=lambda p: (len(p.parts), p)):
        rel = PurePosixPath(path.relative_to(root).as_posix())
        if all(_visible(Path(part)) for part in rel.parts):
            (dirs if path.is_dir() else files).append(rel)
    return files, dirs


def _few(paths: Sequence[PurePosixPath], limit: int = 5) -> str:
    names = ", ".join(show(p, 60) for p in paths[:limit])
    return names + (f", … (+{len(paths) - limit})" if len(paths) > limit else "")


def diagnose(files: Sequence[PurePosixPath], dirs: Sequence[PurePosixPath]) -> tuple[str, tuple[str, dict]]:
    """Status and reason of an entry holding ``files`` and ``dirs`` but no chapter package where one is looked for."""
    if not files:
        return EMPTY, ("intake.empty", {})
    zips = [f for f in files if f.suffix.lower() == ".zip"]
    if zips:
        return NESTED_ZIP, ("intake.nested_zip", {"names": _few(zips)})
    deep = [d for d in dirs if is_chapter(d.name.lower())]
    if deep:
        where = "/".join(deep[0].parent.parts)
        return NO_CHAPTER, ("intake.deep", {"found": show(deep[0].name) + "/", "depth": len(deep[0].parts) - 1,
                                            "where": show(where + "/" if where else "./")})
    code = [f for f in files if f.suffix.lower() in (".py", ".ipynb")]
    if code:
        return NO_CHAPTER, ("intake.no_chapter.code", {"names": _few(code)})
    return NO_CHAPTER, ("intake.no_chapter.files", {"names": _few(files)})


def tree_hash(tree: Path, chapters: list[str]) -> str:
    """sha256 over the chapter files' relative paths and bytes."""
    digest = hashlib.sha256()
    for chapter in chapters:
        for path in sorted((tree / chapter).rglob("*")):
            if path.is_file() and not SKIP & set(path.parts) and path.suffix != ".pyc":
                digest.update(path.relative_to(tree).as_posix().encode("utf-8", "surrogateescape") + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _clear(folder: Path) -> None:
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)


def _refuse(sub: Submission, status: str, why: tuple[str, dict]) -> Submission:
    """Mark ``sub`` not gradable; its hash changes when the reason or a file entry's bytes do."""
    sub.status, sub.why = status, why
    digest = hashlib.sha256(f"{status}\0{sub.reason_in('en')}".encode())
    if sub.source.is_file() and not sub.source.is_symlink():
        with open(sub.source, "rb") as data:
            while chunk := data.read(1 << 20):
                digest.update(chunk)
    sub.content_hash = digest.hexdigest()
    return sub


def stage(student: str, source: Union[Path, Sequence[Path]], staging: Path) -> Submission:
    """Read one entry (the paths :func:`entries` gives) into ``staging/<student>``, replacing what was there."""
    sources = (source,) if isinstance(source, Path) else tuple(source)
    sub = Submission(student, sources[0])
    folder = staging / student
    _clear(folder)
    if len(sources) > 1:
        names = ", ".join(show(p.name + ("/" if p.is_dir() else "")) for p in sources)
        return _refuse(sub, CLASH, ("intake.clash", {"student": student, "n": len(sources), "names": names}))
    raw = folder / "raw"
    raw.mkdir(parents=True)
    try:
        mode = sub.source.lstat().st_mode
        if stat.S_ISLNK(mode):
            raise Ungradable("intake.link_entry")
        if stat.S_ISDIR(mode):
            inner = _lone_zip(sub.source)
            if inner:
                extract_zip(inner, raw)
            else:
                copy_folder(sub.source, raw)
        elif stat.S_ISREG(mode) and sub.source.suffix.lower() == ".zip":
            extract_zip(sub.source, raw)
        else:
            raise Ungradable("intake.single_file", name=show(sub.source.name))
    except Ungradable as exc:
        _clear(folder)
        return _refuse(sub, UNGRADABLE, (exc.key, exc.params))
    files, dirs = _listing(raw)
    found_root, chapters = find_chapters(raw) if files else (raw, [])
    if not chapters:
        _clear(folder)
        return _refuse(sub, *diagnose(files, dirs))
    tree = folder / "tree"
    tree.mkdir()
    for chapter in chapters:
        notebook = notebooks.find(found_root, chapter)
        if notebook is None:
            shutil.copytree(found_root / chapter, tree / chapter, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            continue
        try:
            notebooks.unpack(notebook, chapter, tree / chapter)
        except notebooks.NotebookError as exc:
            _clear(folder)
            return _refuse(sub, UNGRADABLE, (exc.key, exc.params))
    shutil.rmtree(raw)
    sub.tree, sub.chapters = tree, chapters
    sub.content_hash = tree_hash(tree, chapters)
    return sub
