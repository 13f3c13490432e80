"""``grader mutants``: every catalogued student bug (``mutants/<chapter>.yaml``) must fail a hidden test."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

from grader import REPO_ROOT
from grader.layout import MUTANTS, SOLUTIONS, TESTS_HIDDEN


@dataclass
class Mutant:
    """One plausible bug: find/replace edits applied to one file of the reference."""

    chapter: str
    id: str
    file: str
    edits: list[dict]
    description: dict


def load_catalogue(chapter: str) -> list[Mutant]:
    """The chapter's mutants (empty when it has no catalogue)."""
    path = MUTANTS / f"{chapter}.yaml"
    if not path.is_file():
        return []
    return [Mutant(chapter, m["id"], m["file"], m["edits"], m.get("description", {})) for m in yaml.safe_load(path.read_text())]


def apply(mutant: Mutant, root: Path) -> None:
    """Copy the reference chapter into ``root`` and apply the mutant's edits (each must match once)."""
    shutil.copytree(SOLUTIONS / mutant.chapter, root / mutant.chapter, ignore=shutil.ignore_patterns("__pycache__"))
    path = root / mutant.chapter / mutant.file
    text = path.read_text(encoding="utf-8")
    for edit in mutant.edits:
        count = text.count(edit["find"])
        if count != 1:
            raise ValueError(f"{mutant.chapter}/{mutant.id}: `find` occurs {count} times in {mutant.file}")
        text = text.replace(edit["find"], edit["replace"])
    path.write_text(text, encoding="utf-8")


def run_hidden(mutant: Mutant) -> tuple[bool, str, float]:
    """``(caught, first failing test or reason, seconds)``: the hidden tests on the mutated copy, stopping at the first failure."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"mutant-{mutant.id}-") as tmp:
        root = Path(tmp)
        apply(mutant, root)
        report = root / "report.json"
        cmd = [sys.executable, "-m", "pytest", str(TESTS_HIDDEN / mutant.chapter), "-c", str(REPO_ROOT / "pyproject.toml"),
               "--target", str(root), "-x", "-q", "-p", "no:cacheprovider", "--no-task-table", "--report-json", str(report)]
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        proc = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
        outcomes = json.loads(report.read_text()) if report.is_file() else []
    failed = [o for o in outcomes if o["status"] not in ("pass", "skip")]
    if failed:
        return True, failed[0]["name"], time.perf_counter() - start
    reason = "all hidden tests pass" if outcomes else f"no outcomes (exit {proc.returncode}): {proc.stdout[-300:]}"
    return False, reason, time.perf_counter() - start


def check_mutants(selected: list[str], jobs: int = 2, only: Optional[str] = None) -> int:
    """Run every mutant of the selected chapters; fail if any survives."""
    names = selected or sorted(p.stem for p in MUTANTS.glob("*.yaml"))
    mutants = [m for n in names for m in load_catalogue(n) if only is None or m.id == only]
    survivors = 0
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for mutant, (caught, info, seconds) in zip(mutants, pool.map(run_hidden, mutants)):
            survivors += not caught
            mark = "caught " if caught else "SURVIVED"
            print(f"{mark} {mutant.chapter}/{mutant.id:<28} {seconds:5.1f}s  {info}", flush=True)
    print(f"mutants: {len(mutants) - survivors}/{len(mutants)} caught")
    return 1 if survivors or not mutants else 0
