"""Intake: safe extraction, chapter discovery, content hashes."""
import os
import zipfile

from grader.grading.intake import entries, stage


def _zip(path, files):
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
    assert set(got) == {"ann", "ben"}
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


def test_empty_folder_has_no_chapters(tmp_path):
    (tmp_path / "subs" / "empty").mkdir(parents=True)
    sub = stage("empty", tmp_path / "subs" / "empty", tmp_path / "work")
    assert sub.status == "ok" and sub.chapters == [] and sub.reason
