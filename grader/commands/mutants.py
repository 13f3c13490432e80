"""``grader mutants``: every catalogued student bug (``mutants/<chapter>.yaml``) must fail a hidden test,
and every core-semantics bug must also fail a public test (run as in the student release).

A catalogue entry is scoped to a task's solution region (``task: "1.3"``: each ``find`` must occur
exactly once in the bodies of that task's regions, hint lines excluded, so rewording a hint never
breaks a mutant) or, for given code, to a file (``file: board.py``: exactly once in the file).
``core`` (default true) marks the contract's core semantics, which public tests must catch; edge
cases, properties and training-run-only bugs are ``core: false`` and left to the hidden tests.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

from grader import REPO_ROOT
from grader.layout import MUTANTS, SOLUTIONS, TESTS_HIDDEN, TESTS_PUBLIC
from grader.release.markers import find_regions


class CatalogueError(ValueError):
    """A catalogue entry that does not apply to the reference."""


@dataclass
class Mutant:
    """One plausible bug: find/replace edits inside one task's solution regions (or one given file)."""

    chapter: str
    id: str
    edits: list[dict]
    description: dict
    task: Optional[str] = None
    file: Optional[str] = None
    core: bool = True


@dataclass
class Verdict:
    """What the hidden and the public tests made of one mutant (``info``: first failing test or reason)."""

    hidden: Optional[bool]  # None: not run (``--public-only``)
    hidden_info: str
    public: Optional[bool]  # None: not run (``--hidden-only``)
    public_info: str
    seconds: float


def load_catalogue(chapter: str) -> list[Mutant]:
    """The chapter's mutants (empty when it has no catalogue)."""
    path = MUTANTS / f"{chapter}.yaml"
    if not path.is_file():
        return []
    out = []
    for m in yaml.safe_load(path.read_text(encoding="utf-8")):
        if "task" in m and "file" in m:
            raise CatalogueError(f"{chapter}/{m['id']}: give `task:` (a solution region) or `file:` (given code), not both")
        task = str(m["task"]) if "task" in m else None
        out.append(Mutant(chapter, m["id"], m["edits"], m.get("description", {}), task, m.get("file"), bool(m.get("core", True))))
    return out


def _line_offsets(text: str) -> list[int]:
    """Character offset of the start of every line (1-based index; one past the end last)."""
    offsets = [0, 0]
    for line in text.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    return offsets


def _region_spans(chapter_dir: Path, task: str) -> list[tuple[Path, int, int, str]]:
    """``(file, start, end, "file:first-last")`` of the bodies of ``task``'s solution regions."""
    spans = []
    for path in sorted(chapter_dir.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "### BEGIN SOLUTION" not in text:
            continue
        offsets = _line_offsets(text)
        for region in find_regions(text, str(path)):
            if region.task == task:
                first = region.end - len(region.body)  # the body ends just above END; hint lines precede it
                where = f"{path.relative_to(chapter_dir)}:{first}-{region.end - 1}"
                spans.append((path, offsets[first], offsets[region.end], where))
    return spans


def _edit(mutant: Mutant, chapter_dir: Path, edit: dict) -> None:
    """Apply one find/replace, which must match exactly once in its scope."""
    find, task = edit["find"], str(edit.get("task", mutant.task or "")) or None
    if task:
        spans = _region_spans(chapter_dir, task)
        if not spans:
            raise CatalogueError(f"{mutant.chapter}/{mutant.id}: no solution region for task {task}")
        hits = [(path, start + i) for path, start, end, _ in spans
                for i in _occurrences(path.read_text(encoding="utf-8")[start:end], find)]
        scope = f"the body of task {task}'s solution region(s) ({', '.join(s[3] for s in spans)})"
    elif edit.get("file") or mutant.file:
        path = chapter_dir / str(edit.get("file") or mutant.file)
        hits = [(path, i) for i in _occurrences(path.read_text(encoding="utf-8"), find)]
        scope = str(path.relative_to(chapter_dir))
    else:
        raise CatalogueError(f"{mutant.chapter}/{mutant.id}: an edit needs `task:` or `file:` (on the edit or the mutant)")
    if len(hits) != 1:
        raise CatalogueError(f"{mutant.chapter}/{mutant.id}: `find` occurs {len(hits)} times in {scope}, "
                             f"must be exactly once:\n{find}")
    path, at = hits[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:at] + edit["replace"] + text[at + len(find):], encoding="utf-8")


def _occurrences(text: str, find: str) -> list[int]:
    out, at = [], text.find(find)
    while at >= 0:
        out.append(at)
        at = text.find(find, at + 1)
    return out


def apply(mutant: Mutant, root: Path) -> None:
    """Copy the reference chapter into ``root`` and apply the mutant's edits (each must match once)."""
    shutil.copytree(SOLUTIONS / mutant.chapter, root / mutant.chapter, ignore=shutil.ignore_patterns("__pycache__"))
    for edit in mutant.edits:
        _edit(mutant, root / mutant.chapter, edit)


def run_tests(tests: list[Path], root: Path, extra: list[str]) -> tuple[list[dict], str]:
    """Every outcome (as in ``--report-json``) of test folders run on ``root``, and pytest's output tail."""
    report = root / f"report-{tests[0].parent.name}.json"
    cmd = [sys.executable, "-m", "pytest", *map(str, tests), "-c", str(REPO_ROOT / "pyproject.toml"), "--target", str(root),
           "-q", "-p", "no:cacheprovider", "--no-task-table", "--report-json", str(report), *extra]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    outcomes = json.loads(report.read_text()) if report.is_file() else []
    return outcomes, f"exit {proc.returncode}: {proc.stdout[-300:]}"


def _run_tests(tests: Path, root: Path, extra: list[str]) -> tuple[bool, str]:
    """``(caught, first failing test or reason)``: one test folder on ``root``, stopping at the first failure."""
    outcomes, tail = run_tests([tests], root, ["-x", *extra])
    failed = [o for o in outcomes if o["status"] not in ("pass", "skip")]
    if failed:
        detail = failed[0]["detail"].get("en", "")
        if "missing reference snapshot" in detail:  # not a catch: the snapshots are stale
            return False, f"{failed[0]['name']}: {detail} (run `grader snapshots {tests.name}`)"
        return True, failed[0]["name"]
    if outcomes:
        return False, f"all {tests.parent.name.removeprefix('tests_')} tests pass"
    return False, f"no outcomes ({tail})"


def run_mutant(mutant: Mutant, public: bool = True, hidden: bool = True) -> Verdict:
    """The hidden tests, then the public tests (reference answered from the snapshots), on a mutated copy."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"mutant-{mutant.id}-") as tmp:
        root = Path(tmp)
        apply(mutant, root)
        found, hidden_info = _run_tests(TESTS_HIDDEN / mutant.chapter, root, []) if hidden else (None, "not run")
        caught, public_info = None, "not run"
        if public:
            caught, public_info = _run_tests(TESTS_PUBLIC / mutant.chapter, root, ["--reference-snapshots"])
    return Verdict(found, hidden_info, caught, public_info, time.perf_counter() - start)


def check_catalogues(names: list[str]) -> int:
    """Apply every mutant of the chapters to a scratch copy; report entries that do not apply."""
    problems = 0
    for name in names:
        for mutant in load_catalogue(name):
            with tempfile.TemporaryDirectory() as tmp:
                try:
                    apply(mutant, Path(tmp))
                except CatalogueError as exc:
                    problems += 1
                    print(exc)
    print(f"mutant catalogues: {'ok' if not problems else f'{problems} entr(ies) do not apply'}")
    return int(bool(problems))


def quick_sample(catalogue: list[Mutant]) -> list[Mutant]:
    """CI's quick mode: a chapter's first core mutant, and its first edge one where the catalogue marks any
    (none does today: every catalogued bug is core); ``make mutants`` runs them all."""
    return [m for m in catalogue if m.core][:1] + [m for m in catalogue if not m.core][:1]


def check_mutants(selected: list[str], jobs: int = 2, only: Optional[str] = None, public: bool = True,
                  hidden: bool = True, lenient: bool = False, quick: bool = False) -> int:
    """Run every mutant of the selected chapters (``quick``: a sample of each); fail if any survives the
    hidden tests or a core one the public tests (``lenient``: core public escapes are listed but do not fail)."""
    names = selected or sorted(p.stem for p in MUTANTS.glob("*.yaml"))
    mutants = [m for n in names for m in (quick_sample if quick else list)(load_catalogue(n)) if only is None or m.id == only]
    if check_catalogues(names):
        return 1
    survivors, core_escapes = 0, 0
    public_caught: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # caught, run, core caught, core
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for mutant, v in zip(mutants, pool.map(lambda m: run_mutant(m, public, hidden), mutants)):
            survivors += v.hidden is False
            counts = public_caught[mutant.chapter]
            if v.public is not None:
                counts[0] += v.public
                counts[1] += 1
                counts[2] += v.public and mutant.core
                counts[3] += mutant.core
                core_escapes += mutant.core and not v.public
            mark = "-      " if v.hidden is None else "caught " if v.hidden else "SURVIVED"
            pub = "-" if v.public is None else "public ✓" if v.public else ("PUBLIC ✗" if mutant.core else "public ✗")
            kind = "core" if mutant.core else "edge"
            print(f"{mark} {pub:<8} {kind} {mutant.chapter}/{mutant.id:<30} {v.seconds:5.1f}s  "
                  f"hidden: {v.hidden_info}; public: {v.public_info}", flush=True)
    if hidden:
        print(f"mutants: {len(mutants) - survivors}/{len(mutants)} caught by the hidden tests")
    for chapter, (caught, run, core_caught, core) in sorted(public_caught.items()):
        rate = f"{100 * caught / run:.0f}%" if run else "-"
        print(f"  {chapter}: public tests catch {caught}/{run} ({rate}), core {core_caught}/{core}")
    if core_escapes:
        print(f"mutants: {core_escapes} core mutant(s) pass every public test (PUBLIC ✗): strengthen the public tests")
    return 1 if survivors or (core_escapes and not lenient) or not mutants else 0
