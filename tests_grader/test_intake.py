"""Intake: safe extraction, chapter discovery, content hashes, statuses."""
import io
import os
import warnings
import zipfile

import pytest

from grader.grading.intake import entries, stage
from grader.i18n import set_lang


def _zip(path, files):
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)


def test_zip_and_folder_at_top_or_one_down(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    _zip(subs / "ann.zip", {"assignments/ch01_game2048/board.py": "x = 1\n", "assignments/readme.txt": "hi"})
    (subs / "ben" / "ch01_game2048").mkdir(parents=True)
    (subs / "ben" / "ch01_game2048" / "board.py").write_text("x = 1\n")
    (subs / ".DS_Store").write_text("")
    got = {student: stage(student, path, tmp_path / "work") for student, path in entries(subs)}
    assert set(got) == {"ann", "ben"} and got["ann"].status == got["ben"].status == "ok"
    assert got["ann"].chapters == got["ben"].chapters == ["ch01_game2048"]
    assert got["ann"].content_hash == got["ben"].content_hash  # same code, same hash


def test_unsafe_entries_are_ungradable(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    _zip(subs / "slip.zip", {"../evil.py": "x"})
    _zip(subs / "abs.zip", {"/etc/evil.py": "x"})
    (subs / "corrupt.zip").write_bytes(b"PK\x03\x04garbage")
    (subs / "link" / "ch01_game2048").mkdir(parents=True)
    os.symlink("/etc/passwd", subs / "link" / "ch01_game2048" / "x.py")
    info = zipfile.ZipInfo("ch01_game2048/l.py")
    info.external_attr = 0o120777 << 16
    with zipfile.ZipFile(subs / "ziplink.zip", "w") as zf:
        zf.writestr(info, "/etc/passwd")
    got = {student: stage(student, path, tmp_path / "work") for student, path in entries(subs)}
    assert all(s.status == "ungradable" and s.reason for s in got.values()), {k: v.reason for k, v in got.items()}
    assert not (tmp_path / "evil.py").exists() and not (tmp_path / "work" / "evil.py").exists()


def test_zip_bomb_stops_early(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    with zipfile.ZipFile(subs / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ch01_game2048/big.txt", b"\0" * (80 << 20))
    sub = stage("bomb", subs / "bomb.zip", tmp_path / "work")
    assert sub.status == "ungradable" and "too large" in sub.reason




# --- issue 14: clashing ids and silent zeros -------------------------------------------------------

CH = "ch01_game2048"


def _folder(root, files):
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    root.mkdir(parents=True, exist_ok=True)


def _staged(subs, work, clash="report"):
    return {student: stage(student, paths, work) for student, paths in entries(subs, clash=clash)}


def test_same_id_is_a_clash_graded_by_neither(tmp_path):
    subs = tmp_path / "subs"
    _folder(subs / "alice", {f"{CH}/board.py": "x = 1\n"})
    _zip(subs / "alice.zip", {f"{CH}/board.py": "x = 2\n"})
    _folder(subs / "Bob", {f"{CH}/board.py": "x = 1\n"})  # ids compare ignoring case
    _zip(subs / "bob.ZIP", {f"{CH}/board.py": "x = 1\n"})
    _folder(subs / "carol", {f"{CH}/board.py": "x = 1\n"})
    got = _staged(subs, tmp_path / "work")
    assert set(got) == {"alice", "Bob", "carol"}
    for student, names in (("alice", ("alice/", "alice.zip")), ("Bob", ("Bob/", "bob.ZIP"))):
        sub = got[student]
        assert sub.status == "clash" and sub.tree is None and not sub.chapters, sub
        assert all(name in sub.reasons["en"] and name in sub.reasons["zh"] for name in names), sub.reasons
    assert got["carol"].status == "ok"


def test_clash_rename_grades_each_under_its_own_id(tmp_path):
    subs = tmp_path / "subs"
    _folder(subs / "alice", {f"{CH}/board.py": "x = 1\n"})
    _zip(subs / "alice.zip", {f"{CH}/board.py": "x = 2\n"})
    _folder(subs / "Dan", {f"{CH}/board.py": "x = 3\n"})
    _folder(subs / "dan", {f"{CH}/board.py": "x = 4\n"})
    got = _staged(subs, tmp_path / "work", clash="rename")
    assert set(got) == {"alice", "alice.zip", "Dan", "dan~2"}
    assert all(s.status == "ok" and s.chapters == [CH] for s in got.values())
    assert len({s.content_hash for s in got.values()}) == 4  # each graded on its own code


def test_empty_entries_say_so(tmp_path):
    subs = tmp_path / "subs"
    _zip(subs / "zipped.zip", {})
    (subs / "folder").mkdir(parents=True)
    _folder(subs / "mac", {".DS_Store": "", "__MACOSX/._x": "", f"{CH}/.keep": ""})
    got = _staged(subs, tmp_path / "work")
    assert {s: v.status for s, v in got.items()} == dict.fromkeys(("zipped", "folder", "mac"), "empty")
    assert all(v.reason for v in got.values())


def test_no_chapter_found_says_what_was_found(tmp_path):
    subs = tmp_path / "subs"
    _zip(subs / "names.zip", {"hw/my_board.py": "x = 1\n", "hw/ai.py": ""})
    _folder(subs / "deep", {f"a/b/c/{CH}/board.py": "x = 1\n"})
    _folder(subs / "two", {f"a/b/{CH}/board.py": "x = 1\n"})
    _folder(subs / "upper", {"CH01_Game2048/board.py": "x = 1\n"})
    got = _staged(subs, tmp_path / "work")
    assert all(v.status == "no chapter found" for v in got.values()), got
    assert "hw/ai.py" in got["names"].reason_in("en") and "hw/my_board.py" in got["names"].reason_in("zh")
    assert f"{CH}/" in got["deep"].reason_in("en") and "a/b/c/" in got["deep"].reason_in("en")
    assert "3 folders down" in got["deep"].reason_in("en") and "a/b/" in got["two"].reason_in("en")
    assert "CH01_Game2048/" in got["upper"].reason_in("en") and "lower case" in got["upper"].reason_in("en")


def test_lms_folder_is_read_through_its_zip(tmp_path):
    subs = tmp_path / "subs"
    (subs / "erin").mkdir(parents=True)
    _zip(subs / "erin" / "submission_1234.zip", {f"hw1/{CH}/board.py": "x = 1\n"})
    (subs / "erin" / ".DS_Store").write_text("")
    _folder(subs / "frank", {f"{CH}/board.py": "x = 1\n"})
    got = _staged(subs, tmp_path / "work")
    assert got["erin"].status == "ok" and got["erin"].chapters == [CH]
    assert got["erin"].content_hash == got["frank"].content_hash


def test_zips_where_chapters_should_be_are_nested_zips(tmp_path):
    subs = tmp_path / "subs"
    inner = tmp_path / "inner.zip"
    _zip(inner, {f"{CH}/board.py": "x = 1\n"})
    _zip(subs / "zipzip.zip", {"inner.zip": inner.read_bytes()})
    (subs / "several").mkdir()
    for name in ("a.zip", "b.zip"):
        (subs / "several" / name).write_bytes(inner.read_bytes())
    got = _staged(subs, tmp_path / "work")
    assert got["zipzip"].status == got["several"].status == "nested zip"
    assert "inner.zip" in got["zipzip"].reason and "a.zip" in got["several"].reason


def test_single_file_entry_gets_a_row(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "gina.py").write_text("x = 1\n")
    (subs / "hal.ipynb").write_text("{}")
    got = _staged(subs, tmp_path / "work")
    assert {s: v.status for s, v in got.items()} == {"gina": "ungradable", "hal": "ungradable"}
    assert "gina.py" in got["gina"].reason


def test_rows_of_an_entry_that_is_not_ok_carry_its_status_and_reason(tmp_path):
    from grader.grading.pipeline import score
    from grader.i18n import shown

    (tmp_path / "subs" / "ivy").mkdir(parents=True)
    sub = stage("ivy", tmp_path / "subs" / "ivy", tmp_path / "work")
    for lang in ("en", "zh"):
        set_lang(lang)
        try:
            (row,) = score(sub, {CH: [f"{CH}/hidden/test_x"]}, [])
        finally:
            set_lang(None)
        assert row.points == 0 and shown(row.message, lang) == shown(row.brief, lang) == sub.note(lang)
    assert sub.note("en") == "empty: the entry holds no files" and sub.note("zh").startswith("空提交：")


# --- issue 10: archives the fuzzer (tests_grader/test_intake_fuzz.py) found crashing or misread -----

def _crafted(members, patch=None):
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as zf:
        warnings.simplefilter("ignore")  # duplicate names
        for name, data, method in members:
            info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
            info.compress_type = method
            zf.writestr(info, data)
            if patch:
                patch(info)
    return bytearray(buf.getvalue())


def _corrupt_deflate():
    blob = _crafted([(f"{CH}/a.py", bytes(range(256)) * 8, zipfile.ZIP_DEFLATED)])
    blob[60:80] = b"\xff" * 20
    return blob


def _bad_utf8_name():
    return _crafted([(f"{CH}/\u00e9.py", b"1", 0)]).replace("é".encode(), b"\xff\xfe")


CRAFTED = {
    "corrupt deflate stream (zlib.error escaped)": _corrupt_deflate,
    "file then folder of one name (FileExistsError escaped)": lambda: _crafted([(f"{CH}/a", b"1", 0), (f"{CH}/a/b.py", b"2", 0)]),
    "folder then file of one name": lambda: _crafted([(f"{CH}/a/b.py", b"2", 0), (f"{CH}/a", b"1", 0)]),
    "name over 255 bytes (OSError escaped)": lambda: _crafted([(f"{CH}/{'d' * 300}/a.py", b"1", 0)]),
    "invalid UTF-8 name (UnicodeDecodeError escaped)": _bad_utf8_name,
    "duplicate member (last one silently won)": lambda: _crafted([(f"{CH}/a.py", b"1", 0), (f"{CH}/a.py", b"2", 0)]),
    "names differing in case (grade depends on the disk)": lambda: _crafted([(f"{CH}/a.py", b"1", 0), (f"{CH}/A.py", b"2", 0)]),
    "names differing in Unicode form": lambda: _crafted([(f"{CH}/\u00e9.py", b"1", 0), (f"{CH}/e\u0301.py", b"2", 0)]),
    "NUL in a name (cut there, a silent duplicate)":
        lambda: _crafted([(f"{CH}/a.py\x7fevil", b"1", 0), (f"{CH}/a.py", b"2", 0)]).replace(b"\x7f", b"\0"),
    "member named '.'": lambda: _crafted([(".", b"x", 0)]),
    "encrypted member": lambda: _crafted([(f"{CH}/a.py", b"1", 0)], lambda info: setattr(info, "flag_bits", info.flag_bits | 1)),
}


@pytest.mark.parametrize("case", list(CRAFTED))
def test_crafted_archives_are_ungradable_with_a_reason(tmp_path, case):
    (tmp_path / "bad.zip").write_bytes(bytes(CRAFTED[case]()))
    sub = stage("bad", tmp_path / "bad.zip", tmp_path / "work")
    assert sub.status == "ungradable" and sub.reasons["en"] and sub.reasons["zh"], (sub.status, sub.reason)
    assert sub.tree is None and not (tmp_path / "work" / "bad").exists()


def test_folder_with_names_that_are_not_utf8(tmp_path):
    chapter = tmp_path / "subs" / "kim" / CH
    chapter.mkdir(parents=True)
    (chapter / "\udcff.py").write_text("x = 1\n")  # the bytes b"\xff.py" on disk
    sub = stage("kim", tmp_path / "subs" / "kim", tmp_path / "work")
    assert sub.status == "ok" and len(sub.content_hash) == 64  # tree_hash raised UnicodeEncodeError
    os.symlink("/etc/passwd", chapter / "\udcfelink")
    sub = stage("kim", tmp_path / "subs" / "kim", tmp_path / "work")
    assert sub.status == "ungradable" and "link" in sub.reason  # the reason's hash raised UnicodeEncodeError
    sub.reason.encode("utf-8")
