"""A sample class to grade: the reference, the skeleton, catalogued mutants, malformed and hostile entries."""
from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import yaml

from grader import REPO_ROOT
from grader.commands.mutants import apply, load_catalogue
from grader.layout import ASSIGNMENTS, SOLUTIONS

REDTEAM = REPO_ROOT / "examples" / "redteam.yaml"
DEMO_MUTANTS = ("merge_twice", "chance_half_half")


def _copy_chapters(source: Path, dest: Path, chapters: list[str]) -> None:
    for chapter in chapters:
        shutil.copytree(source / chapter, dest / chapter, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def _zip_folder(folder: Path, archive: Path, prefix: str = "") -> None:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, prefix + path.relative_to(folder).as_posix())


def load_redteam(chapter: str = "ch01_game2048") -> list[dict]:
    """The hostile submissions' specs for one chapter (``examples/redteam.yaml``)."""
    specs = yaml.safe_load(REDTEAM.read_text(encoding="utf-8"))
    return [s for s in specs if s.get("chapter", "ch01_game2048") == chapter]


def build_redteam(dest: Path, spec: dict) -> None:
    """One hostile entry: its base tree plus the attack code and extra files (``chapter``: default ch01)."""
    chapter = spec.get("chapter", "ch01_game2048")
    base = ASSIGNMENTS if spec["base"] == "skeleton" else SOLUTIONS
    folder = dest / spec["name"]
    _copy_chapters(base, folder, [chapter])
    if spec.get("code"):
        target = folder / chapter / spec["file"]
        target.write_text(target.read_text(encoding="utf-8") + "\n\n" + spec["code"], encoding="utf-8")
    for rel, text in (spec.get("extra") or {}).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")


def build_malformed(dest: Path, chapter: str = "ch01_game2048") -> None:
    """Entries that cannot be read, or read oddly: corrupt zip, zip-slip, link, empty, syntax error, assignments/ zip."""
    (dest / "bad_corrupt.zip").write_bytes(b"PK\x03\x04 this is not really a zip" + os.urandom(64))
    with zipfile.ZipFile(dest / "bad_zipslip.zip", "w") as zf:
        zf.writestr(f"{chapter}/__init__.py", "")
        zf.writestr("../../escaped.py", "print('escaped')")
    link = dest / "bad_link"
    _copy_chapters(SOLUTIONS, link, [chapter])
    (link / chapter / "secrets.py").symlink_to("/etc/passwd")
    (dest / "bad_empty").mkdir()
    syntax = dest / "bad_syntax"
    _copy_chapters(SOLUTIONS, syntax, [chapter])
    ai = syntax / chapter / "ai.py"
    ai.write_text(ai.read_text(encoding="utf-8") + "\ndef broken(:\n", encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        _copy_chapters(SOLUTIONS, Path(tmp), [chapter])
        _zip_folder(Path(tmp), dest / "zip_of_assignments.zip", prefix="assignments/")


def build_class(dest: Path, chapter: str = "ch01_game2048", mutants: tuple[str, ...] = DEMO_MUTANTS,
                redteam: bool = True) -> None:
    """Write the sample class into ``dest`` (replacing it)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    _copy_chapters(SOLUTIONS, dest / "alice_reference", [chapter])
    _copy_chapters(ASSIGNMENTS, dest / "bob_skeleton", [chapter])
    catalogue = {m.id: m for m in load_catalogue(chapter)}
    for mutant_id in mutants:
        with tempfile.TemporaryDirectory() as tmp:
            apply(catalogue[mutant_id], Path(tmp))
            _zip_folder(Path(tmp), dest / f"mutant_{mutant_id}.zip")
    build_malformed(dest, chapter)
    if redteam:
        for spec in load_redteam(chapter):
            build_redteam(dest, spec)
