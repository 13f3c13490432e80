"""Similarity between submissions: copydetect per chapter, the released skeleton as boilerplate."""
from __future__ import annotations

import logging
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


def find_pairs(trees: dict[str, Path], chapters: list[str], out: Path, threshold: float = 0.5) -> list[Pair]:
    """Pairs of different students' files above ``threshold``, with copydetect's HTML per chapter."""
    from copydetect import CopyDetector

    logging.getLogger().setLevel(logging.ERROR)
    out.mkdir(parents=True, exist_ok=True)
    pairs: list[Pair] = []
    for chapter in chapters:
        dirs = {s: t for s, t in trees.items() if (t / chapter).is_dir()}
        if len(dirs) < 2:
            continue
        html = out / f"{chapter}.html"
        detector = CopyDetector(test_dirs=[str(t / chapter) for t in dirs.values()],
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
