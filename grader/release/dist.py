"""``release --student-dist DIR [--chapters CH …]``: what students receive, and proof that nothing secret is in it.

The dist holds the skeleton and public tests (with their reference snapshots) of the released chapters
(all by default; a course releases weekly), the shared given packages (``kitdata``), the grader package
(it runs ``make test``), datasets, quizzes of those chapters (answer keys stripped from graded banks;
banks of no chapter, such as ch00, always), set-up scripts, and the student Makefile and README, cut
from the kit's own (the ``#> student`` lines of ``Makefile``, the ``<!-- student`` block of
``README.md``) so the two cannot drift. It never holds ``solutions/``, ``tests_hidden/`` or
``mutants/``; the leak check scans every file for any line from inside a solution region, from a
reference-only file, or from a hidden test, and every released chapter's code for another released
chapter's solution (:mod:`grader.release.given`: such given code is withheld in the dist).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import NamedTuple, Optional

import yaml

from grader import REPO_ROOT
from grader.layout import ASSIGNMENTS, QUIZZES, SOLUTIONS, TESTS_HIDDEN, TESTS_PUBLIC, chapters, resolve_chapters
from grader.release import given
from grader.release.build import SKIP_PARTS, without_header
from grader.release.markers import REFERENCE_ONLY, find_regions

COPIED = {"grader": REPO_ROOT / "grader", "datasets": REPO_ROOT / "datasets", "scripts": REPO_ROOT / "scripts"}
TOP_FILES = ("pyproject.toml", "requirements.txt")
MIN_SECRET_LEN = 12
MAKEFILE_BLOCK = re.compile(r"^#> student\n(.*?)^#< student\n", re.M | re.S)
README_BLOCK = re.compile(r"^<!-- student\b.*?-->\n(.*?)^<!-- /student -->\n", re.M | re.S)
STUDENT_MAKEFILE_HEAD = "# Your commands (cut from the kit's Makefile). The first `make` installs everything; then seconds.\n"
STUDENT_README_HEAD = "# AI 实践课作业包 · Hands-on AI course assignments\n\n"
STUDENT_GITIGNORE = ".venv/\n.cache/\noutputs/\n__pycache__/\n*.pyc\n.pytest_cache/\n.hypothesis/\n.quiz-history/\n*.zip\n"


def _ignore(_dir: str, names: list[str]) -> list[str]:
    return [n for n in names if n in SKIP_PARTS or n.endswith(".pyc")]


class StudentDist(NamedTuple):
    """What ``write_student_dist`` did: the leaks found (none, we hope) and the given code it withheld."""

    leaks: list[str]
    withheld: list[str]


def student_makefile(kit_makefile: str) -> str:
    """The student Makefile: the ``#> student`` … ``#< student`` blocks of the kit's, in order."""
    return STUDENT_MAKEFILE_HEAD + "\n".join(MAKEFILE_BLOCK.findall(kit_makefile))


def student_readme(kit_readme: str) -> str:
    """The student README: the ``<!-- student`` … ``<!-- /student -->`` block of the kit's."""
    return STUDENT_README_HEAD + "\n".join(README_BLOCK.findall(kit_readme))


def _copy_quizzes(dest: Path, released: list[str]) -> None:
    if not QUIZZES.is_dir():
        return
    dest.mkdir(parents=True, exist_ok=True)
    withheld = set(chapters(SOLUTIONS)) - set(released)
    for path in sorted(QUIZZES.iterdir()):
        if path.suffix != ".yaml" or path.stem in withheld:
            continue  # the authoring guide is the instructors'; banks of chapters not released yet wait

        bank = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(bank, dict) and bank.get("mode") == "graded":
            from grader.quiz.schema import strip_answer_keys

            bank = strip_answer_keys(bank)
            (dest / path.name).write_text(yaml.safe_dump(bank, allow_unicode=True, sort_keys=False), encoding="utf-8")
        else:
            shutil.copy2(path, dest / path.name)


def _significant(line: str) -> str:
    text = line.strip()
    return "" if len(text) < MIN_SECRET_LEN or text.startswith("#") else text


def secret_lines() -> dict[str, str]:
    """Lines students must never see -> where they come from (given code's lines excluded)."""
    secret: dict[str, str] = {}
    given_lines: set[str] = set()
    for path in SOLUTIONS.rglob("*.py"):
        if SKIP_PARTS & set(path.parts):
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        if text.startswith(REFERENCE_ONLY):
            secret.update({_significant(x): f"{path}" for x in lines if _significant(x)})
            continue
        inside: set[int] = set()
        for region in find_regions(text, str(path)):
            inside.update(range(region.begin, region.end + 1))
            secret.update({_significant(x): f"{path}:{region.begin}" for x in region.body if _significant(x)})
        given_lines.update(_significant(x) for n, x in enumerate(lines, 1) if n not in inside)
    for path in TESTS_HIDDEN.rglob("*.py"):
        if not SKIP_PARTS & set(path.parts):
            secret.update({_significant(x): str(path) for x in path.read_text(encoding="utf-8").splitlines() if _significant(x)})
    public = {_significant(x) for p in TESTS_PUBLIC.rglob("*.py") for x in p.read_text(encoding="utf-8").splitlines()}
    grader_code = {_significant(x) for p in (REPO_ROOT / "grader").rglob("*.py") for x in p.read_text(encoding="utf-8").splitlines()}
    return {k: v for k, v in secret.items() if k and k not in given_lines and k not in public and k not in grader_code}


def find_leaks(dist: Path, released: Optional[list[str]] = None) -> list[str]:
    """Every place in ``dist`` that holds a secret line or a forbidden folder, and every released chapter's
    code reproducing another released chapter's solution (``released``: all chapters by default)."""
    leaks = [f"forbidden folder: {p}" for name in ("solutions", "tests_hidden", "mutants") for p in dist.rglob(name)]
    leaks += given.cross_leaks(dist / "assignments", chapters(SOLUTIONS) if released is None else released)
    secret = secret_lines()
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(lines, 1):
            origin = secret.get(line.strip())
            if origin:
                leaks.append(f"{path.relative_to(dist)}:{number} comes from {origin}")
    return leaks


def _copy_tree(source: Path, dest: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, dest, ignore=_ignore)


def _copy_skeleton(dest: Path, released: list[str]) -> list[str]:
    """The skeleton of the released chapters and the shared packages, without the maintainers' header line,
    each chapter's given code that reproduces another released chapter's solution withheld."""
    shared = [p.parent.name for p in ASSIGNMENTS.glob("*/__init__.py") if p.parent.name not in chapters(SOLUTIONS)]
    others = given.released_solutions(released)
    notes = []
    for package in [*released, *shared]:
        _copy_tree(ASSIGNMENTS / package, dest / package)
        for path in sorted((dest / package).rglob("*.py")):
            text, withheld = given.withhold(without_header(path.read_bytes()).decode("utf-8"), others.get(package, []))
            notes += [f"{path.relative_to(dest.parent)}: {n}" for n in withheld]
            path.write_text(text, encoding="utf-8")
    return notes


def write_student_dist(dest: Path, selected: Optional[list[str]] = None) -> StudentDist:
    """Write the student release of the ``selected`` chapters (prefixes allowed; all by default) into
    ``dest`` (replacing it); return the leaks found and the given code withheld."""
    released = resolve_chapters(selected, chapters(SOLUTIONS)) if selected else chapters(SOLUTIONS)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name, source in COPIED.items():
        _copy_tree(source, dest / name)
    notes = _copy_skeleton(dest / "assignments", released)
    (dest / "tests_public").mkdir()
    for path in TESTS_PUBLIC.iterdir():
        if path.is_file():
            shutil.copy2(path, dest / "tests_public" / path.name)
    for chapter in released:
        _copy_tree(TESTS_PUBLIC / chapter, dest / "tests_public" / chapter)
    for name in TOP_FILES:
        shutil.copy2(REPO_ROOT / name, dest / name)
    _copy_quizzes(dest / "quizzes", released)
    (dest / "Makefile").write_text(student_makefile((REPO_ROOT / "Makefile").read_text(encoding="utf-8")), encoding="utf-8")
    (dest / "README.md").write_text(student_readme((REPO_ROOT / "README.md").read_text(encoding="utf-8")), encoding="utf-8")
    (dest / ".gitignore").write_text(STUDENT_GITIGNORE, encoding="utf-8")
    return StudentDist(find_leaks(dest, released), notes)
