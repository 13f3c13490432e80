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
from grader.release.markers import REFERENCE_ONLY, Region, find_regions, rewrite_regions

REDTEAM = REPO_ROOT / "examples" / "redteam.yaml"
DEMO_MUTANTS = ("merge_twice", "chance_half_half")


def copy_chapters(source: Path, dest: Path, chapters: list[str]) -> None:
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
    copy_chapters(base, folder, [chapter])
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
    copy_chapters(SOLUTIONS, link, [chapter])
    (link / chapter / "secrets.py").symlink_to("/etc/passwd")
    (dest / "bad_empty").mkdir()
    syntax = dest / "bad_syntax"
    copy_chapters(SOLUTIONS, syntax, [chapter])
    ai = syntax / chapter / "ai.py"
    ai.write_text(ai.read_text(encoding="utf-8") + "\ndef broken(:\n", encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        copy_chapters(SOLUTIONS, Path(tmp), [chapter])
        _zip_folder(Path(tmp), dest / "zip_of_assignments.zip", prefix="assignments/")


def build_class(dest: Path, chapter: str = "ch01_game2048", mutants: tuple[str, ...] = DEMO_MUTANTS,
                redteam: bool = True) -> None:
    """Write the sample class into ``dest`` (replacing it)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    copy_chapters(SOLUTIONS, dest / "alice_reference", [chapter])
    copy_chapters(ASSIGNMENTS, dest / "bob_skeleton", [chapter])
    catalogue = {m.id: m for m in load_catalogue(chapter)}
    for mutant_id in mutants:
        with tempfile.TemporaryDirectory() as tmp:
            apply(catalogue[mutant_id], Path(tmp))
            _zip_folder(Path(tmp), dest / f"mutant_{mutant_id}.zip")
    build_malformed(dest, chapter)
    if redteam:
        for spec in load_redteam(chapter):
            build_redteam(dest, spec)


FAST_CHAPTERS = ("ch01_game2048", "ch02_backprop", "ch03_iris", "ch05_tokens", "ch06_attention")
# share of a generated class per kind of entry (hostile: the red team; malformed: build_malformed's entries)
CLASS_MIX = {"reference": 0.15, "mutant": 0.3, "skeleton": 0.1, "partial": 0.25, "hostile": 0.1, "malformed": 0.1}


def _entry(source: Path, dest: Path, zipped: bool) -> None:
    """Move a built entry (folder) to ``dest``, as a zip when ``zipped``."""
    if zipped:
        _zip_folder(source, dest.with_suffix(".zip"))
    else:
        shutil.copytree(source, dest, symlinks=True)


def build_large_class(dest: Path, size: int, chapters: tuple[str, ...] = FAST_CHAPTERS, seed: int = 0) -> dict[str, str]:
    """A generated class of ``size`` entries over ``chapters`` (replacing ``dest``), mixed as :data:`CLASS_MIX`:
    reference copies, catalogued mutants, skeletons, partial work (each chapter reference, skeleton or
    absent), the red team and malformed entries; a third of the folders zipped. Returns entry -> kind."""
    import random

    rng = random.Random(seed)
    kinds = [kind for kind, share in CLASS_MIX.items() for _ in range(round(share * size))]
    kinds = (kinds + ["reference"] * size)[:size]
    rng.shuffle(kinds)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    mutants = [m for ch in chapters for m in load_catalogue(ch)]
    attacks = [s for s in yaml.safe_load(REDTEAM.read_text(encoding="utf-8")) if s.get("chapter", "ch01_game2048") in chapters]
    made: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        bad = Path(tmp) / "malformed"
        bad.mkdir()
        build_malformed(bad, chapters[0])
        broken = sorted(bad.iterdir())
        for i, kind in enumerate(kinds):
            name, work = f"s{i:03d}_{kind}", Path(tmp) / f"e{i}"
            zipped = rng.random() < 1 / 3
            if kind == "malformed" or (kind == "hostile" and not attacks):
                pick = broken[i % len(broken)]
                target = dest / (name + pick.suffix)
                shutil.copytree(pick, target, symlinks=True) if pick.is_dir() else shutil.copy2(pick, target)
                made[target.name] = "malformed"
                continue
            if kind == "hostile":
                spec = attacks[i % len(attacks)]
                build_redteam(work, spec)
                work = work / spec["name"]
            elif kind == "partial":
                picks = {ch: rng.choice((SOLUTIONS, SOLUTIONS, ASSIGNMENTS, None)) for ch in chapters}
                picks[rng.choice(chapters)] = SOLUTIONS
                for ch, tree in picks.items():
                    if tree is not None:
                        copy_chapters(tree, work, [ch])
            else:
                copy_chapters(ASSIGNMENTS if kind == "skeleton" else SOLUTIONS, work, list(chapters))
            if kind == "mutant" and mutants:
                mutant = rng.choice(mutants)
                shutil.rmtree(work / mutant.chapter)
                apply(mutant, work)
            _entry(work, dest / name, zipped)
            made[name + (".zip" if zipped else "")] = kind
    return made


def loop_forever(region: Region, hint: dict[str, str]) -> list[str]:
    """A solution region replaced by an endless loop (for :func:`build_looping`)."""
    return [f"{region.indent}while True:", f"{region.indent}    pass"]


def build_looping(dest: Path, chapter: str) -> None:
    """An entry ``dest`` whose every TODO function of ``chapter`` loops forever: what a broken submission costs."""
    copy_chapters(SOLUTIONS, dest, [chapter])
    for path in sorted((dest / chapter).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.startswith(REFERENCE_ONLY):  # students never have these
            path.unlink()
        elif find_regions(text, str(path)):
            path.write_text(rewrite_regions(text, {}, loop_forever, str(path)), encoding="utf-8")
