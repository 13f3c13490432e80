"""Intake fuzzed: random submission folders of hostile, broken and odd entries.

For every generated folder: intake finishes, every visible entry is in exactly one Submission with a
known status (and a reason in both languages when it is not ``ok``), the staged trees hold only plain
files and folders, and nothing outside the staging folder changes. Clean entries (safe names, a
chapter at the top or one folder down) must be ``ok``, with the same hash as a folder or as a zip.

Profiles: ``ci`` (default; deterministic, well under a minute) and ``long`` for maintainers
(``HYPOTHESIS_PROFILE=long pytest tests_grader/test_intake_fuzz.py``).
"""
from __future__ import annotations

import io
import os
import stat
import tempfile
import warnings
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.grading import intake

settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=5000, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE_NAME = os.environ.get("HYPOTHESIS_PROFILE", "ci")
PROFILE = settings(settings.get_profile(PROFILE_NAME))
pytestmark = [pytest.mark.timeout(0)] if PROFILE_NAME == "long" else []  # the long run may take many minutes

CH = "ch01_game2048"
WHEN = (2020, 1, 1, 0, 0, 0)
NUL = "\x7f"  # written as a NUL byte into the archive's bytes (zipfile cuts names at NUL itself)
ROOT = "{ROOT}"  # replaced by the absolute test root: an absolute member path that would land inside it

# --- names -----------------------------------------------------------------------------------------
odd_chars = st.sampled_from(["é", "e\u0301", "É", "文件", "\\", ":", " ", "~", "\t", "\u200b", "Ω", "ß", "SS", "İ"])
plain = st.sampled_from([CH, "board.py", "Board.py", "ai.py", "a", "A", "hw", "assignments", "x.zip", "nb.ipynb"])
odd = st.one_of(
    st.sampled_from([CH.upper(), "ch02_x", "__MACOSX", ".DS_Store", "__pycache__", "a" * 300, "C:", ".", "..", ""]),
    st.lists(st.one_of(odd_chars, st.characters(codec="utf-8", exclude_categories=("Cs",))), min_size=1,
             max_size=6).map("".join),
)
word = st.one_of(plain, plain, plain, odd)  # mostly plain, so that intake gets past the first member
member_name = st.tuples(
    st.sampled_from([""] * 12 + ["/", "../", "../../../../", ROOT + "/", "C:\\", "./"]),
    st.lists(word, min_size=1, max_size=5),
    st.sampled_from(["/"] * 4 + ["\\"]),
    st.sampled_from([""] * 6 + ["/", NUL + "x"]),
).map(lambda t: t[0] + t[2].join(t[1]) + t[3])
disk_word = word.map(lambda w: w.replace("/", "_").replace("\x00", "")).filter(
    lambda w: w not in ("", ".", "..") and len(w.encode("utf-8", "surrogateescape")) <= 255) \
    | st.sampled_from(["\udcff.py", "bad\udce9name"])  # not UTF-8 on disk


def small_zip(files: dict[str, bytes]) -> bytes:
    """A well-formed zip of ``files``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(zipfile.ZipInfo(name, WHEN), data)
    return buf.getvalue()


INNER_ZIP = small_zip({f"{CH}/board.py": b"x = 1\n"})
data = st.one_of(st.binary(max_size=64), st.just(INNER_ZIP), st.just(b"\0" * 40000))  # the last exceeds MAX_BYTES


# --- zip entries -----------------------------------------------------------------------------------
member = st.fixed_dictionaries({
    "name": member_name | st.sampled_from([f"{CH}/board.py", f"x/{CH}/ai.py", f"{CH}/", f"a/b/c/{CH}/x.py"]),
    "data": data,
    "mode": st.sampled_from([0] * 8 + [0o100644] * 8 + [0o040755, 0o120777, 0o010644, 0o020644, 0o140644]),
    "method": st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]),
    "zip64": st.booleans(),
    "lie": st.sampled_from([None] * 24 + ["size", "small", "crc", "encrypted", "method", "offset"]),
})
archive = st.fixed_dictionaries({
    "members": st.lists(member, max_size=6),
    "damage": st.sampled_from([None] * 8 + ["truncate", "prefix", "suffix", "nul"]),
    "cut": st.floats(0.0, 1.0),
})


def build_zip(spec: dict, root: Path) -> bytes:
    """A zip as ``spec`` says, lies and damage included."""
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as zf:
        warnings.simplefilter("ignore")  # duplicate names
        for m in spec["members"]:
            info = zipfile.ZipInfo(m["name"].replace(ROOT, str(root)), WHEN)
            info.compress_type, info.external_attr = m["method"], m["mode"] << 16
            with zf.open(info, "w", force_zip64=m["zip64"]) as out:
                out.write(m["data"])
            lied = {"size": info.file_size + 1000, "small": max(0, info.file_size - 1)}
            info.file_size = lied.get(m["lie"], info.file_size)
            info.CRC ^= 0xFFFF if m["lie"] == "crc" else 0
            info.flag_bits |= 1 if m["lie"] == "encrypted" else 0
            info.compress_type = 99 if m["lie"] == "method" else info.compress_type
            info.header_offset += 7 if m["lie"] == "offset" else 0
    blob = buf.getvalue()
    damage = spec["damage"]
    if damage == "truncate":
        return blob[: int(len(blob) * spec["cut"])]
    if damage == "nul":
        return blob.replace(NUL.encode(), b"\0")
    return b"junk" * 5 + blob if damage == "prefix" else blob + b"junk" * 5 if damage == "suffix" else blob


# --- folder entries --------------------------------------------------------------------------------
item = st.tuples(st.lists(disk_word, min_size=1, max_size=4),
                 st.sampled_from(["file"] * 8 + ["dir"] * 2 + ["zip", "link_out", "link_in", "link_dangling", "fifo"]),
                 data)
folder = st.lists(item, max_size=6)


def build_folder(items: list, dest: Path, outside: Path) -> None:
    """A folder entry; items that cannot coexist (a file where a folder is) are left out."""
    dest.mkdir()
    for parts, kind, blob in items:
        path = dest.joinpath(*parts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if kind == "dir":
                path.mkdir(exist_ok=True)
            elif kind == "fifo":
                os.mkfifo(path)
            elif kind.startswith("link"):
                os.symlink({"link_out": outside, "link_in": "..", "link_dangling": "/nonexistent/x"}[kind], path)
            else:
                path.write_bytes(INNER_ZIP if kind == "zip" else blob)
        except OSError:
            pass


# --- the submissions folder ------------------------------------------------------------------------
entry = st.tuples(
    st.sampled_from(["alice", "Alice", "bob", "e\u0301va", "\u00e9va", "zoë", "bad\udcffid", "x.zip"]),
    st.sampled_from(["zip", "ZIP", "folder", "lms", "py", "ipynb", "link_dir", "link_zip", "fifo", "rar"]),
    archive, folder,
)


def build_entry(subs: Path, outside: Path, name: str, kind: str, spec: dict, items: list) -> None:
    """One top-level entry of the submissions folder (skipped when its name is taken)."""
    blob = build_zip(spec, subs.parent)
    path = subs / (name + {"zip": ".zip", "ZIP": ".ZIP", "py": ".py", "ipynb": ".ipynb", "rar": ".rar",
                           "link_zip": ".zip"}.get(kind, ""))
    if os.path.lexists(path):
        return
    if kind in ("zip", "ZIP"):
        path.write_bytes(blob)
    elif kind == "folder":
        build_folder(items, path, outside)
    elif kind == "lms":
        path.mkdir()
        (path / "submission.zip").write_bytes(blob)
    elif kind == "link_dir":
        path.symlink_to(outside, target_is_directory=True)
    elif kind == "link_zip":
        path.symlink_to(outside / "secret.zip")
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.write_bytes(blob[:200])


def snapshot(base: Path, skip: Path) -> dict[str, tuple]:
    """Type, size, mtime and link target of everything under ``base`` except ``skip`` (folders: type only)."""
    out = {}
    for top, dirs, files in os.walk(base):
        dirs[:] = [d for d in dirs if Path(top, d) != skip]
        for name in dirs + files:
            st_ = os.lstat(os.path.join(top, name))
            kind = stat.S_IFMT(st_.st_mode)
            out[os.path.join(top, name)] = (kind,) if kind == stat.S_IFDIR else (
                kind, st_.st_size, st_.st_mtime_ns, os.readlink(os.path.join(top, name)) if kind == stat.S_IFLNK else "")
    return out


def check_submission(sub: intake.Submission, staging: Path) -> None:
    """One Submission: a known status, a reason in both languages unless ok, a staged tree of plain files."""
    assert sub.status in intake.STATUSES, sub.status
    assert sub.note("en").startswith(sub.status) and sub.note("zh")
    assert len(sub.content_hash) == 64
    if sub.status == intake.OK:
        assert sub.chapters and sub.tree is not None and sub.tree.is_dir() and not sub.why
        assert sorted(p.name for p in sub.tree.iterdir()) == sub.chapters
    else:
        assert sub.tree is None and not sub.chapters
        for lang, text in sub.reasons.items():
            assert text.strip() and len(text) < 700 and text.isprintable(), (lang, text)
            text.encode("utf-8")  # fit for CSV, JSON, SQLite
    for top, dirs, files in os.walk(staging):
        for name in dirs + files:
            mode = os.lstat(os.path.join(top, name)).st_mode
            assert stat.S_ISDIR(mode) or stat.S_ISREG(mode), os.path.join(top, name)


@PROFILE
@given(st.lists(entry, min_size=1, max_size=4))
def test_intake_survives_any_submissions_folder(spec):
    with tempfile.TemporaryDirectory() as tmp, mock.patch.object(intake, "MAX_FILES", 12), \
            mock.patch.object(intake, "MAX_BYTES", 1 << 15):
        base = Path(tmp)
        root = base / "a" / "b" / "c"  # so that ../../.. from a staged tree still lands under base
        subs, staging, outside = root / "subs", root / "staging", base / "outside"
        for folder_ in (subs, staging, outside):
            folder_.mkdir(parents=True)
        (outside / "secret.txt").write_text("secret")
        (outside / "secret.zip").write_bytes(INNER_ZIP)
        for args in spec:
            build_entry(subs, outside, *args)
        before = snapshot(base, staging)
        listing = intake.entries(subs)
        visible = {p for p in subs.iterdir() if not (p.name.startswith(".") or p.name in intake.SKIP)}
        paths = [p for _, group in listing for p in group]
        assert sorted(paths) == sorted(visible) and len({intake.fold(s) for s, _ in listing}) == len(listing)
        renamed = intake.entries(subs, clash="rename")  # one path per id, ids distinct as fold() sees them
        assert sorted(p for _, (p,) in renamed) == sorted(visible)
        assert len({intake.fold(s) for s, _ in renamed}) == len(renamed)
        for student, group in listing:
            first = intake.stage(student, group, staging)
            check_submission(first, staging)
            again = intake.stage(student, group, staging)  # same input, same outcome
            assert (again.status, again.reasons, again.content_hash) == \
                (first.status, first.reasons, first.content_hash)
            assert (first.status == intake.CLASH) == (len(group) > 1)
        assert snapshot(base, staging) == before


# --- clean entries must be ok ----------------------------------------------------------------------
safe_word = st.text("abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=12).filter(
    lambda w: w not in intake.SKIP)
clean_tree = st.fixed_dictionaries({
    "prefix": st.sampled_from(["", "assignments/", "hw1/"]),
    "files": st.dictionaries(st.lists(safe_word, min_size=1, max_size=3).map(lambda p: "/".join(p) + ".py"),
                             st.binary(max_size=200), min_size=1, max_size=6),
    "method": st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]),
    "zip64": st.booleans(),
    "dirs": st.booleans(),
})


@PROFILE
@given(clean_tree)
def test_clean_entries_are_ok_as_folder_or_zip(spec):
    files = {f"{spec['prefix']}{CH}/{rel}": blob for rel, blob in spec["files"].items()}
    with tempfile.TemporaryDirectory() as tmp:
        subs = Path(tmp) / "subs"
        for name, blob in files.items():
            (subs / "folder" / name).parent.mkdir(parents=True, exist_ok=True)
            (subs / "folder" / name).write_bytes(blob)
        with warnings.catch_warnings(), zipfile.ZipFile(subs / "zipped.zip", "w") as zf:
            warnings.simplefilter("ignore")  # a folder entry written twice
            for name, blob in files.items():
                if spec["dirs"]:
                    zf.writestr(zipfile.ZipInfo(name.rsplit("/", 1)[0] + "/", WHEN), b"")
                info = zipfile.ZipInfo(name, WHEN)
                info.compress_type = spec["method"]
                with zf.open(info, "w", force_zip64=spec["zip64"]) as out:
                    out.write(blob)
        got = {s: intake.stage(s, paths, Path(tmp) / "staging") for s, paths in intake.entries(subs)}
        assert {s: g.status for s, g in got.items()} == {"folder": "ok", "zipped": "ok"}, \
            {s: g.reason for s, g in got.items()}
        assert got["folder"].content_hash == got["zipped"].content_hash
        for name, blob in files.items():
            assert (got["zipped"].tree / name.removeprefix(spec["prefix"])).read_bytes() == blob
