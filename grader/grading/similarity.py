"""Similarity between submissions: copydetect per chapter, the released skeleton as boilerplate."""
from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from grader.layout import ASSIGNMENTS


@dataclass
class Pair:
    """Two students' files that share code above the threshold."""

    chapter: str
    student_a: str
    file_a: str
    student_b: str
    file_b: str
    similarity: float  # the larger of the two directions, 0..1
    report: str  # copydetect's side-by-side HTML, relative to the output folder


def _owner(path: str, trees: dict[str, Path]) -> tuple[str, str]:
    resolved = Path(path).resolve()
    for student, tree in trees.items():
        if resolved.is_relative_to(tree.resolve()):
            return student, resolved.relative_to(tree.resolve()).as_posix()
    return "?", path


def _own_files(tree: Path, chapter: str, dest: Path) -> Path:
    """Copy of the student's chapter without files identical to the skeleton's (given code)."""
    for path in sorted((tree / chapter).rglob("*.py")):
        rel = path.relative_to(tree / chapter)
        given = ASSIGNMENTS / chapter / rel
        if given.is_file() and given.read_bytes() == path.read_bytes():
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest / rel)
    return dest


def find_pairs(trees: dict[str, Path], chapters: list[str], out: Path, threshold: float = 0.5) -> list[Pair]:
    """Pairs of different students' files above ``threshold``, with copydetect's HTML per chapter."""
    from copydetect import CopyDetector

    logging.getLogger().setLevel(logging.ERROR)
    out.mkdir(parents=True, exist_ok=True)
    pairs: list[Pair] = []
    for chapter in chapters:
        source = out / "src" / chapter
        shutil.rmtree(source, ignore_errors=True)
        dirs = {s: _own_files(t, chapter, source / s) for s, t in trees.items() if (t / chapter).is_dir()}
        dirs = {s: d for s, d in dirs.items() if d.is_dir()}
        if len(dirs) < 2:
            continue
        html = out / f"{chapter}.html"
        detector = CopyDetector(test_dirs=[str(d) for d in dirs.values()],
                                boilerplate_dirs=[str(ASSIGNMENTS / chapter)] if (ASSIGNMENTS / chapter).is_dir() else [],
                                extensions=["py"], display_t=threshold, autoopen=False, silent=True, out_file=str(html))
        detector.run()
        found = []
        for test_sim, ref_sim, test_file, ref_file, *_ in detector.get_copied_code_list():
            (sa, fa), (sb, fb) = _owner(test_file, dirs), _owner(ref_file, dirs)
            if sa != sb:
                found.append(Pair(chapter, sa, fa, sb, fb, float(max(test_sim, ref_sim)), f"similarity/{html.name}"))
        if found:
            detector.generate_html_report()
        pairs.extend(found)
    return sorted(pairs, key=lambda p: -p.similarity)
