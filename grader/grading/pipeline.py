"""The batch: intake -> (per submission, in parallel) sandboxed compare -> record -> report."""
from __future__ import annotations

import hashlib
import json
import os
import queue
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

import pytest
import yaml
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from grader import REPO_ROOT, __version__
from grader.grading import rubric
from grader.grading.intake import Submission, entries, stage
from grader.grading.record import Gradebook, Row
from grader.grading.sandbox.client import Limits, SandboxConfig, default_hidden, preflight
from grader.harness.plugin import test_identity
from grader.i18n import get_lang
from grader.layout import SOLUTIONS, TESTS_HIDDEN, TESTS_PUBLIC, chapters as list_chapters


@dataclass
class Options:
    """What ``grader grade`` was asked to do."""

    submissions: Path
    out: Path
    chapters: list[str] = field(default_factory=list)
    jobs: int = 2
    limits: Limits = field(default_factory=Limits)
    similarity_threshold: float = 0.5
    namespaces: bool = True
    skip_slow: bool = False


class SandboxUnavailable(RuntimeError):
    """Workers cannot start on this machine (checked once, before grading anyone)."""


def sandbox_base() -> Path:
    """Where sandbox folders are made (``KIT_SANDBOX_DIR``, else the system's temp folder)."""
    return Path(os.environ.get("KIT_SANDBOX_DIR") or Path(tempfile.gettempdir()) / "ai-kit-sandboxes")


def kit_version() -> str:
    """``<version>+<digest>`` of everything that decides a grade (tests, reference, rubrics, grader)."""
    digest = hashlib.sha256()
    for folder in (TESTS_PUBLIC, TESTS_HIDDEN, SOLUTIONS, REPO_ROOT / "grader"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc",):
                digest.update(path.relative_to(REPO_ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


class _Collector:
    def __init__(self) -> None:
        self.names: dict[str, list[str]] = {}

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        for item in session.items:
            chapter, _, name = test_identity(item)
            self.names.setdefault(chapter, []).append(name)


def inventory(chapters: list[str], skip_slow: bool = False) -> dict[str, list[str]]:
    """Every test name per chapter (so absent chapters still list their tests)."""
    collector = _Collector()
    paths = [str(r / c) for c in chapters for r in (TESTS_PUBLIC, TESTS_HIDDEN) if (r / c).is_dir()]
    with open(os.devnull, "w") as null:
        saved, sys.stdout = sys.stdout, null
        try:
            pytest.main(paths + ["-c", str(REPO_ROOT / "pyproject.toml"), "--collect-only", "-q", "-p", "no:cacheprovider",
                                 "--target", "solutions"] + (["-m", "not slow"] if skip_slow else []), plugins=[collector])
        finally:
            sys.stdout = saved
    return collector.names


def _row(name: str, status: str, points: float, message: str, brief: str, duration: float = 0.0) -> Row:
    chapter, kind, _ = name.split("/", 2)
    rub = rubric.load(chapter)
    max_points = rub.points_for(name)
    return Row(name, chapter, kind, status, round(points * max_points, 6), max_points, message, brief,
               rub.visibility_for(kind), duration)


def score(sub: Submission, names: dict[str, list[str]], outcomes: list[dict]) -> list[Row]:
    """Rows for every test of every graded chapter: from outcomes, or failed with the reason."""
    lang = get_lang()
    got = {o["name"]: o for o in outcomes}
    rows = []
    for chapter, tests in names.items():
        for name in tests:
            if sub.status != "ok":
                rows.append(_row(name, "fail", 0.0, sub.note(lang), sub.note(lang)))
            elif chapter not in sub.chapters:
                rows.append(_row(name, "fail", 0.0, "not submitted", "not submitted"))
            elif name not in got:
                rows.append(_row(name, "error", 0.0, "not run (grading stopped early)", "not run"))
            else:
                o = got[name]
                fraction = 1.0 if o["status"] == "pass" else float(o.get("fraction") or 0.0)
                rows.append(_row(name, o["status"], fraction, o["detail"].get(lang, ""), o["brief"].get(lang, ""),
                                 float(o.get("duration", 0.0))))
    return rows


def uses_datasets(chapters: list[str]) -> bool:
    """Whether a dataset manifest (``used_by``) names one of these chapters."""
    for path in (REPO_ROOT / "datasets" / "manifest").glob("*.yaml"):
        if set(chapters) & set(yaml.safe_load(path.read_text(encoding="utf-8")).get("used_by") or []):
            return True
    return False


def prepare_datasets(console: Console) -> None:
    """Make the offline datasets ready in the cache now: the sandboxes see it read-only."""
    if not (SOLUTIONS / "kitdata").is_dir():
        return
    env = dict(os.environ, PYTHONPATH=str(SOLUTIONS), PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-m", "kitdata"], cwd=SOLUTIONS, env=env, capture_output=True, text=True)
    if done.returncode:
        console.print(f"[yellow]offline datasets not prepared:[/] {done.stderr.strip().splitlines()[-1:]}")


def train_threads(jobs: int) -> str:
    """Threads a training probe may use: the cores shared among the parallel workers."""
    return os.environ.get("KIT_TRAIN_THREADS") or str(max(1, (os.cpu_count() or 1) // max(1, jobs)))


def compare_in_child(sub: Submission, chapters: list[str], opts: Options, slot: int) -> dict:
    """Run the trusted compare step for one submission in a fresh process; returns its result."""
    work = opts.out / "work" / sub.student
    job = {
        "tree": str(sub.tree), "chapters": [c for c in chapters if c in sub.chapters], "slot": slot,
        "sandbox_base": str(sandbox_base()), "refcache": str(opts.out / "refcache"),
        "hide": default_hidden([opts.out, opts.submissions]), "limits": asdict(opts.limits),
        "report": str(work / "outcomes.json"), "result": str(work / "result.json"), "namespaces": opts.namespaces,
        "skip_slow": opts.skip_slow,
    }
    job_path = work / "job.json"
    job_path.write_text(json.dumps(job), encoding="utf-8")
    Path(job["result"]).unlink(missing_ok=True)
    env = dict(os.environ, GRADER_LANG=get_lang(), PYTHONDONTWRITEBYTECODE="1", KIT_TRAIN_THREADS=train_threads(opts.jobs))
    try:
        subprocess.run([sys.executable, "-I", "-m", "grader.grading.compare", str(job_path)], cwd=work, env=env,
                       stdout=subprocess.DEVNULL, stderr=open(work / "compare.log", "w"),
                       timeout=opts.limits.submission_seconds + 300)
    except subprocess.TimeoutExpired:
        return {"outcomes": [], "isolation": "unknown", "error": "grading timed out"}
    result_path = Path(job["result"])
    if not result_path.is_file():
        return {"outcomes": [], "isolation": "unknown", "error": "the compare step failed (see work/compare.log)"}
    return json.loads(result_path.read_text(encoding="utf-8"))


def run_batch(opts: Options, console: Optional[Console] = None) -> dict:
    """Grade every changed entry, record each as it finishes, then write every report."""
    from grader.grading.report.exports import write_grades_csv, write_results
    from grader.grading.report.feedback import write_feedback
    from grader.grading.report.html import write_report
    from grader.grading.similarity import find_pairs

    console = console or Console()
    phases: dict[str, float] = {}
    clock = time.monotonic()
    opts.out.mkdir(parents=True, exist_ok=True)
    os.chmod(opts.out, 0o700)
    chapters = opts.chapters or list_chapters(TESTS_PUBLIC)
    version = kit_version() + ("-quick" if opts.skip_slow else "")
    book = Gradebook(opts.out / "gradebook.sqlite")
    names = inventory(chapters, opts.skip_slow)
    subs = [stage(student, path, opts.out / "work") for student, path in entries(opts.submissions)]
    book.forget_missing({s.student for s in subs})
    todo = [s for s in subs if not book.is_current(s.student, s.content_hash, version)]
    console.print(f"{len(subs)} submissions, {len(todo)} to grade ({len(subs) - len(todo)} unchanged), "
                  f"chapters: {', '.join(chapters)}, jobs: {opts.jobs}")
    if todo and uses_datasets(chapters):
        prepare_datasets(console)
    if todo:
        config = SandboxConfig(sandbox_base(), default_hidden([opts.out, opts.submissions]), opts.limits,
                               namespaces=opts.namespaces)
        problem = preflight(config)
        if problem:
            raise SandboxUnavailable(f"the grading sandbox cannot start, nothing was graded: {problem}")
    phases["intake"], clock = time.monotonic() - clock, time.monotonic()
    slots: "queue.Queue[int]" = queue.Queue()
    for i in range(max(1, opts.jobs)):
        slots.put(i)

    def grade_one(sub: Submission) -> tuple[Submission, dict, float]:
        start = time.monotonic()
        if sub.status != "ok" or not set(sub.chapters) & set(chapters):
            return sub, {"outcomes": [], "isolation": "-"}, 0.0
        slot = slots.get()
        try:
            return sub, compare_in_child(sub, chapters, opts, slot), time.monotonic() - start
        finally:
            slots.put(slot)

    isolation: set[str] = set()
    columns = [TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("ETA"),
               TimeRemainingColumn(), TextColumn("{task.description}")]
    with Progress(*columns, console=console, disable=not todo) as progress, ThreadPoolExecutor(max(1, opts.jobs)) as pool:
        task = progress.add_task("", total=len(todo))
        futures = [pool.submit(grade_one, s) for s in todo]
        for future in as_completed(futures):
            sub, result, seconds = future.result()
            rows = score(sub, names, result["outcomes"])
            reason = sub.reason or result.get("error", "")
            isolation.add(result.get("isolation", "-"))
            book.record(sub.student, sub.content_hash, version, sub.status, reason, result.get("isolation", "-"), seconds, rows)
            progress.update(task, advance=1, description=sub.student)
    phases["grading"], clock = time.monotonic() - clock, time.monotonic()
    students, results = book.students(), book.results()
    write_grades_csv(opts.out / "grades.csv", students, results, chapters)
    write_results(opts.out / "results", students, results)
    write_feedback(opts.out / "feedback", students, results)
    trees = {s.student: s.tree for s in subs if s.tree is not None}
    pairs = find_pairs(trees, chapters, opts.out / "similarity", opts.similarity_threshold, opts.jobs)
    phases["similarity"], clock = time.monotonic() - clock, time.monotonic()
    isolation |= {s["isolation"] for s in students}
    meta = {"submissions": len(students), "chapters": chapters, "version": version,
            "isolation": sorted(i for i in isolation if i and i != "-") or ["-"], "when": time.strftime("%Y-%m-%d %H:%M")}
    write_report(opts.out / "report.html", students, results, pairs, meta)
    book.close()
    phases["reports"] = time.monotonic() - clock
    (opts.out / "timings.json").write_text(json.dumps({k: round(v, 3) for k, v in phases.items()}), encoding="utf-8")
    return {"students": students, "results": results, "pairs": pairs, "graded": len(todo), "version": version,
            "phases": phases}
