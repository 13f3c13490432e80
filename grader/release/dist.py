"""``release --student-dist DIR``: what students receive, and proof that nothing secret is in it.

The dist holds the skeleton, public tests (with their reference snapshots), the grader package
(it runs ``make test``), datasets, quizzes (answer keys stripped from graded banks), set-up
scripts, and a student Makefile and README. It never holds ``solutions/``, ``tests_hidden/`` or
``mutants/``; the leak check scans every file for any line from inside a solution region, from a
reference-only file, or from a hidden test.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from grader import REPO_ROOT
from grader.layout import ASSIGNMENTS, QUIZZES, SOLUTIONS, TESTS_HIDDEN, TESTS_PUBLIC
from grader.release.build import SKIP_PARTS, without_header
from grader.release.markers import REFERENCE_ONLY, find_regions

STUDENT_FILES = Path(__file__).parent / "student"
COPIED = {"assignments": ASSIGNMENTS, "tests_public": TESTS_PUBLIC, "grader": REPO_ROOT / "grader",
          "datasets": REPO_ROOT / "datasets", "scripts": REPO_ROOT / "scripts"}
TOP_FILES = ("pyproject.toml", "requirements.txt")
MIN_SECRET_LEN = 12
STUDENT_GITIGNORE = ".venv/\n.cache/\noutputs/\n__pycache__/\n*.pyc\n.pytest_cache/\n.hypothesis/\n.quiz-history/\n*.zip\n"


def _ignore(_dir: str, names: list[str]) -> list[str]:
    return [n for n in names if n in SKIP_PARTS or n.endswith(".pyc")]


def _copy_quizzes(dest: Path) -> None:
    if not QUIZZES.is_dir():
        return
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(QUIZZES.iterdir()):
        if path.suffix != ".yaml":
            continue  # the authoring guide is the instructors'

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
    given: set[str] = set()
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
        given.update(_significant(x) for n, x in enumerate(lines, 1) if n not in inside)
    for path in TESTS_HIDDEN.rglob("*.py"):
        if not SKIP_PARTS & set(path.parts):
            secret.update({_significant(x): str(path) for x in path.read_text(encoding="utf-8").splitlines() if _significant(x)})
    public = {_significant(x) for p in TESTS_PUBLIC.rglob("*.py") for x in p.read_text(encoding="utf-8").splitlines()}
    grader_code = {_significant(x) for p in (REPO_ROOT / "grader").rglob("*.py") for x in p.read_text(encoding="utf-8").splitlines()}
    return {k: v for k, v in secret.items() if k and k not in given and k not in public and k not in grader_code}


def find_leaks(dist: Path) -> list[str]:
    """Every place in ``dist`` that holds a secret line or a forbidden folder."""
    leaks = [f"forbidden folder: {p}" for name in ("solutions", "tests_hidden", "mutants") for p in dist.rglob(name)]
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


def write_student_dist(dest: Path) -> list[str]:
    """Write the student release into ``dest`` (replacing it) and return the leaks found (none, we hope)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name, source in COPIED.items():
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=_ignore)
    for path in (dest / "assignments").rglob("*.py"):  # the student's own files: no note for maintainers
        path.write_bytes(without_header(path.read_bytes()))
    for name in TOP_FILES:
        shutil.copy2(REPO_ROOT / name, dest / name)
    _copy_quizzes(dest / "quizzes")
    shutil.copy2(STUDENT_FILES / "Makefile", dest / "Makefile")
    shutil.copy2(STUDENT_FILES / "README.md", dest / "README.md")
    (dest / ".gitignore").write_text(STUDENT_GITIGNORE, encoding="utf-8")
    return find_leaks(dest)
