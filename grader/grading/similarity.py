"""Similarity between submissions: copydetect per chapter module, the released skeleton as boilerplate.

Files equal to the skeleton's are given code and left out. Byte-identical files of different
students are paired at 100% without copydetect; copydetect then compares one copy of each distinct
file against the others of the same module name (the chapter contract fixes module names), one
detector per module, the detectors in parallel.
"""
from __future__ import annotations

import hashlib
import logging
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from grader.grading.sandbox.client import die_with_parent
from grader.layout import ASSIGNMENTS
from grader.release.build import without_header


@dataclass
class Pair:
    """Two students' files that share code above the threshold."""

    chapter: str
    student_a: str
    file_a: str
    student_b: str
    file_b: str
    similarity: float  # the larger of the two directions, 0..1
    report: str  # copydetect's side-by-side HTML relative to the output folder; "" for identical files


def own_files(tree: Path, chapter: str) -> dict[str, bytes]:
    """The student's chapter files (``rel path -> content``) without those identical to the skeleton's."""
    files = {}
    for path in sorted((tree / chapter).rglob("*.py")):
        rel = path.relative_to(tree / chapter).as_posix()
        given = ASSIGNMENTS / chapter / rel
        data = path.read_bytes()
        if not (given.is_file() and data in (given.read_bytes(), without_header(given.read_bytes()))):
            files[rel] = data
    return files


def _detect(source: str, boilerplate: list[str], threshold: float, html: str) -> list[tuple[str, str, float]]:
    """copydetect over ``source/<student>/<file>``: ``(student_a, student_b, similarity)`` above threshold."""
    from copydetect import CopyDetector

    logging.getLogger().setLevel(logging.ERROR)
    root = Path(source)
    dirs = sorted(str(d) for d in root.iterdir())
    detector = CopyDetector(test_dirs=dirs, boilerplate_dirs=boilerplate, extensions=["py"], display_t=threshold,
                            same_name_only=True, ignore_leaf=True, autoopen=False, silent=True, out_file=html)
    detector.run()
    found = []
    for test_sim, ref_sim, test_file, ref_file, *_ in detector.get_copied_code_list():
        a, b = Path(test_file).relative_to(root).parts[0], Path(ref_file).relative_to(root).parts[0]
        found.append((a, b, float(max(test_sim, ref_sim))))
    if found:
        detector.generate_html_report()
    return found


def find_pairs(trees: dict[str, Path], chapters: list[str], out: Path, threshold: float = 0.5,
               jobs: int = 1) -> list[Pair]:
    """Pairs of different students' files at or above ``threshold``, with copydetect's HTML per module."""
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "src", ignore_errors=True)
    pairs: list[Pair] = []
    runs = []  # (chapter, module, groups, future args)
    for chapter in chapters:
        modules: dict[str, dict[str, list[str]]] = {}  # module -> content digest -> students
        contents: dict[tuple[str, str], bytes] = {}
        for student in sorted(trees):
            if (trees[student] / chapter).is_dir():
                for rel, data in own_files(trees[student], chapter).items():
                    digest = hashlib.sha256(data).hexdigest()
                    modules.setdefault(rel, {}).setdefault(digest, []).append(student)
                    contents[(rel, digest)] = data
        for rel, groups in modules.items():
            for students in groups.values():
                pairs += [Pair(chapter, a, rel, b, rel, 1.0, "") for a, b in combinations(students, 2)]
            if len(groups) < 2:
                continue
            source = out / "src" / chapter / rel.replace("/", "__")
            for digest, students in groups.items():
                (source / students[0] / rel).parent.mkdir(parents=True, exist_ok=True)
                (source / students[0] / rel).write_bytes(contents[(rel, digest)])
            boilerplate = [str(ASSIGNMENTS / chapter)] if (ASSIGNMENTS / chapter).is_dir() else []
            html = out / f"{chapter}-{rel.replace('/', '__').removesuffix('.py')}.html"
            runs.append((chapter, rel, groups, html, (str(source), boilerplate, threshold, str(html))))
    found: dict[tuple[str, str, str, str], tuple[float, str]] = {}
    if runs:
        with ProcessPoolExecutor(max(1, min(jobs, len(runs))), initializer=die_with_parent) as pool:  # dies with a killed grader
            futures = [pool.submit(_detect, *args) for *_, args in runs]
            for (chapter, rel, groups, html, _), future in zip(runs, futures):
                members = {students[0]: students for students in groups.values()}
                for rep_a, rep_b, similarity in future.result():
                    for a in members[rep_a]:
                        for b in members[rep_b]:
                            lo, hi = sorted((a, b))
                            key = (chapter, rel, lo, hi)
                            if a != b and similarity > found.get(key, (0.0, ""))[0]:
                                found[key] = (similarity, f"similarity/{html.name}")
    pairs += [Pair(chapter, a, rel, b, rel, sim, report) for (chapter, rel, a, b), (sim, report) in found.items()]
    return sorted(pairs, key=lambda p: (-p.similarity, p.chapter, p.student_a, p.student_b))
