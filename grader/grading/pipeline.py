"""The batch: intake -> (per submission, in parallel) sandboxed compare -> record -> report."""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import Executor, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional

import pytest
import yaml
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from grader import REPO_ROOT, __version__
from grader.grading import adjustments, roster, rubric
from grader.grading.intake import Submission, entries, stage, tree_hash
from grader.grading.record import Gradebook, Row
from grader.grading.sandbox.client import Limits, SandboxConfig, data_dirs, default_hidden, die_with_parent, preflight, share_caches, sweep_sandboxes
from grader.harness.outcomes import GRADER_ERROR
from grader.harness.plugin import identity_of
from grader.harness.session import pytest_args, test_folders
from grader.i18n import LANGS, both, get_lang, shown, stored
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
    only: list[str] = field(default_factory=list)  # regrade these ids; everyone else stays as recorded
    force: bool = False  # regrade even when nothing changed
    prune: bool = False  # remove students whose entry left the folder
    roster: Optional[Path] = None  # id,name,email[,section]: match entries, add "not submitted" rows
    clash: str = "report"  # two entries, one id: "report" (grade neither) or "rename" (grade both apart)
    cluster: Optional[str] = None  # Dask: "local:N" or "tcp://HOST:PORT" (else threads on this machine)
    adjustments: Optional[Path] = None  # adjustments.yaml: overrides and late penalties, applied to the outputs only


class SandboxUnavailable(RuntimeError):
    """Workers cannot start on this machine (checked once, before grading anyone)."""


INVENTORY_CACHE = REPO_ROOT / ".cache" / "grader" / "inventory"  # hidden from sandboxes (client.SECRETS)


def sandbox_base() -> Path:
    """Where sandbox folders are made (``KIT_SANDBOX_DIR``, else the system's temp folder)."""
    return Path(os.environ.get("KIT_SANDBOX_DIR") or Path(tempfile.gettempdir()) / "ai-kit-sandboxes")


def _digest(paths: list[Path], digest: "hashlib._Hash") -> None:
    for folder in paths:
        files = [folder] if folder.is_file() else sorted(folder.rglob("*")) if folder.is_dir() else []
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(path.relative_to(folder.parent).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())


def kit_version() -> str:
    """``<version>+<digest>`` of everything that decides a grade (tests, reference, rubrics, grader)."""
    digest = hashlib.sha256()
    _digest([TESTS_PUBLIC, TESTS_HIDDEN, SOLUTIONS, REPO_ROOT / "grader"], digest)
    return f"{__version__}+{digest.hexdigest()[:12]}"


def chapter_version(chapter: str) -> str:
    """A digest of what decides one chapter's grade: its tests, rubric and reference, the shared probe
    helpers, the given ``kitdata`` package and the grader."""
    digest = hashlib.sha256(__version__.encode())
    shared = [p for root in (TESTS_PUBLIC, TESTS_HIDDEN) for p in sorted(root.glob("*.py"))]
    _digest([REPO_ROOT / "grader", SOLUTIONS / "kitdata", *shared,
             TESTS_PUBLIC / chapter, TESTS_HIDDEN / chapter, SOLUTIONS / chapter], digest)
    return digest.hexdigest()


def chapter_key(sub: Submission, chapter: str, version: str, mode: str) -> str:
    """What a chapter's recorded rows were graded under: the kit's chapter version, the mode, and
    the student's files of that chapter (or their absence, or why the entry was unreadable)."""
    files = tree_hash(sub.tree, [chapter]) if sub.tree is not None and chapter in sub.chapters else "absent"
    return hashlib.sha256(f"{version}|{mode}|{sub.status}|{sub.reason}|{files}".encode()).hexdigest()


class _Collector:
    def __init__(self) -> None:
        self.names: dict[str, list[str]] = {}

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        for item in session.items:
            chapter, _, name = identity_of(item)
            self.names.setdefault(chapter, []).append(name)


def _collect(chapters: list[str], skip_slow: bool) -> tuple[dict[str, list[str]], bool]:
    """The test names per chapter, and whether every module was collected cleanly."""
    collector = _Collector()
    args = pytest_args(test_folders(chapters, hidden=True), target="solutions", quiet=True, skip_slow=skip_slow,
                       collect_only=True)
    with open(os.devnull, "w") as null:
        saved, sys.stdout = sys.stdout, null
        try:
            code = pytest.main(args, plugins=[collector])
        finally:
            sys.stdout = saved
    return collector.names, code == pytest.ExitCode.OK


def inventory(chapters: list[str], skip_slow: bool = False) -> dict[str, list[str]]:
    """Every test name per chapter (so absent chapters still list their tests). Collecting imports every
    chapter's tests (seconds), so the names are kept in :data:`INVENTORY_CACHE` under the chapter's version."""
    mode = "quick" if skip_slow else "full"
    files = {ch: INVENTORY_CACHE / f"{ch}-{chapter_version(ch)[:16]}-{mode}.json" for ch in chapters}
    names: dict[str, list[str]] = {}
    for chapter, path in files.items():
        try:
            names[chapter] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    missing = [ch for ch in chapters if ch not in names]
    if missing:
        collected, clean = _collect(missing, skip_slow)
        for chapter in missing:
            names[chapter] = collected.get(chapter, [])
            if not (clean and names[chapter]):
                continue
            try:  # best effort: a read-only kit collects every time
                INVENTORY_CACHE.mkdir(parents=True, exist_ok=True)
                tmp = files[chapter].with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(names[chapter]), encoding="utf-8")
                tmp.replace(files[chapter])
                for old in INVENTORY_CACHE.glob(f"{chapter}-*-{mode}.json"):
                    if old != files[chapter]:
                        old.unlink()
            except OSError:
                pass
    return {ch: names[ch] for ch in chapters if names[ch]}


def _row(name: str, status: str, points: float, message: str, brief: str, duration: float = 0.0) -> Row:
    chapter, kind, _ = name.split("/", 2)
    rub = rubric.load(chapter)
    max_points = rub.points_for(name)
    return Row(name, chapter, kind, status, round(points * max_points, 6), max_points, message, brief,
               rub.visibility_for(kind), duration)


def score(sub: Submission, names: dict[str, list[str]], outcomes: list[dict], error: str = "") -> list[Row]:
    """Rows for every test of the given chapters: from outcomes, or failed with the reason.

    Messages are stored in both languages (reports pick theirs). ``error`` is a failure of the trusted
    compare step (it never charges the student). A gate (rubric ``gates``) that does not pass zeroes
    the rest of its chapter.
    """
    got = {o["name"]: o for o in outcomes}
    rows = []
    for chapter, tests in names.items():
        chapter_rows = []
        for name in tests:
            if sub.status == roster.NOT_SUBMITTED:
                absent = stored(both("row.not_submitted"))
                chapter_rows.append(_row(name, "fail", 0.0, absent, absent))
            elif sub.status != "ok":
                reason = stored({lang: sub.note(lang) for lang in LANGS})
                chapter_rows.append(_row(name, "fail", 0.0, reason, reason))
            elif chapter not in sub.chapters:
                absent = stored(both("row.not_submitted"))
                chapter_rows.append(_row(name, "fail", 0.0, absent, absent))
            elif name not in got:
                why = stored(both("grader_error", exc="GradingStopped", msg=error or "the test produced no outcome"))
                chapter_rows.append(_row(name, GRADER_ERROR, 0.0, why, why))
            else:
                o = got[name]
                fraction = 1.0 if o["status"] == "pass" else float(o.get("fraction") or 0.0)
                chapter_rows.append(_row(name, o["status"], fraction, stored(o["detail"]) if o["detail"] else "",
                                         stored(o["brief"]) if o["brief"] else "", float(o.get("duration", 0.0))))
        rows += apply_gates(chapter, chapter_rows)
    return rows


def apply_gates(chapter: str, rows: list[Row]) -> list[Row]:
    """Zero the chapter's points when one of its gates did not pass (the rows keep their status); a gate
    the grader failed to decide (a grader error) leaves the whole chapter undecided: grader errors too."""
    rub = rubric.load(chapter)
    closed = [r for r in rows if rub.is_gate(r.test) and r.status != "pass"]
    if not closed:
        return rows
    undecided = [r for r in closed if r.status == GRADER_ERROR]
    if undecided:
        why = stored(both("row.gate_undecided", gate=undecided[0].test.split("/", 2)[2]))
        return [r if r.status == GRADER_ERROR else Row(**{**asdict(r), "status": GRADER_ERROR, "points": 0.0,
                                                          "message": why, "brief": why}) for r in rows]
    note = both("row.gated", gate=closed[0].test.split("/", 2)[2])

    def prefixed(text: str) -> str:
        return stored({lang: f"{note[lang]} {shown(text, lang)}".strip() for lang in LANGS})

    return [r if rub.is_gate(r.test) or not r.points else
            Row(**{**asdict(r), "points": 0.0, "message": prefixed(r.message), "brief": prefixed(r.brief)})
            for r in rows]


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


def held_out_paths() -> list[str]:
    """Files with held-out labels that sandboxes must not see, as the kit's data layer names them."""
    if not (SOLUTIONS / "kitdata").is_dir():
        return []
    env = dict(os.environ, PYTHONPATH=str(SOLUTIONS), PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-m", "kitdata", "--sandbox-hidden"], cwd=SOLUTIONS, env=env,
                          capture_output=True, text=True, check=True)
    return [line for line in done.stdout.splitlines() if line.strip()]


def train_threads(jobs: int) -> str:
    """Threads a training probe may use: the cores shared among the parallel workers."""
    return os.environ.get("KIT_TRAIN_THREADS") or str(max(1, (os.cpu_count() or 1) // max(1, jobs)))


def compare_job(sub: Submission, chapters: list[str], opts: Options, refcache: Path, hidden: list[str],
                jobs: Optional[int]) -> dict:
    """What the compare step of one submission's ``chapters`` needs (plain data: it may run on another machine).

    ``jobs``: how many submissions run at once on the machine that runs it (``None``: that machine's worker knows).
    """
    work = opts.out / "work" / sub.student
    return {
        "student": sub.student, "tree": str(sub.tree), "chapters": chapters, "slot": None,
        "sandbox_base": str(sandbox_base()), "refcache": str(refcache),
        "hide": hidden, "limits": asdict(opts.limits), "work": str(work),
        "report": str(work / "outcomes.json"), "result": str(work / "result.json"), "namespaces": opts.namespaces,
        "skip_slow": opts.skip_slow, "lang": get_lang(), "jobs": jobs,
    }


SLOTS = 64  # sandbox uids 61000.. on one machine


@contextmanager
def machine_slot(base: Path) -> Iterator[int]:
    """A slot number free on this machine (a sandbox runs under uid 61000 + slot), held by a file lock that
    dies with its process, so concurrent graders, threads and cluster workers never share one."""
    base.mkdir(parents=True, exist_ok=True, mode=0o711)
    folder = base / "slots"
    folder.mkdir(exist_ok=True, mode=0o700)
    while True:
        for slot in range(SLOTS):
            with open(folder / f"{slot}.lock", "a") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                try:
                    yield slot
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
                return
        time.sleep(0.5)


def run_compare(job: dict) -> dict:
    """Run the trusted compare step of a :func:`compare_job` in a fresh process; returns its result and
    ``seconds``. The child dies with this process (parent-death signal), and so do its sandboxes."""
    start = time.monotonic()
    work = Path(job["work"])
    work.mkdir(parents=True, exist_ok=True)
    with machine_slot(Path(job["sandbox_base"])) as slot:
        job_path = work / "job.json"
        job_path.write_text(json.dumps({**job, "slot": slot}), encoding="utf-8")
        Path(job["result"]).unlink(missing_ok=True)
        # the compare step imports this very kit (not whichever one the venv installed), and never the
        # work folder it runs in: -P keeps the cwd off sys.path, -s the user's site-packages. Its own torch
        # (oracles, held-out scoring) shares the cores like the training probes: no over-subscription.
        threads = train_threads(job["jobs"] or 1)
        env = dict(os.environ, GRADER_LANG=job["lang"], PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(REPO_ROOT),
                   KIT_TRAIN_THREADS=threads, OMP_NUM_THREADS=threads, MKL_NUM_THREADS=threads)
        try:
            with open(work / "compare.log", "w") as log:
                subprocess.run([sys.executable, "-P", "-s", "-m", "grader.grading.compare", str(job_path)], cwd=work, env=env,
                               stdout=subprocess.DEVNULL, stderr=log, timeout=job["limits"]["submission_seconds"] + 300,
                               preexec_fn=die_with_parent)
        except subprocess.TimeoutExpired:
            return {"outcomes": [], "isolation": "unknown", "error": "the compare step did not finish in time",
                    "seconds": time.monotonic() - start}
    result_path = Path(job["result"])
    if not result_path.is_file():
        return {"outcomes": [], "isolation": "unknown", "error": f"the compare step failed (see {work / 'compare.log'})",
                "seconds": time.monotonic() - start}
    return {**json.loads(result_path.read_text(encoding="utf-8")), "seconds": time.monotonic() - start}


def sweep_outputs(out: Path, students: set[str]) -> None:
    """Remove results/feedback files of students the gradebook no longer has (outputs agree with it)."""
    for folder in (out / "results", out / "feedback"):
        for path in folder.glob("*") if folder.is_dir() else []:
            if path.stem not in students:
                path.unlink()
    for path in (out / "work").glob("*") if (out / "work").is_dir() else []:
        if path.name not in students:
            shutil.rmtree(path, ignore_errors=True)


def reference_cache(out: Path, version: str) -> Path:
    """The batch's cache of reference results, one folder per kit version (older ones removed)."""
    root = out / "refcache"
    root.mkdir(exist_ok=True)
    for old in root.iterdir():
        if old.name != version:
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink()
    return root / version


@contextmanager
def workers(opts: Options, config: SandboxConfig, cluster: Optional[str]) -> Iterator[tuple[Executor, Optional[int], Callable[[dict], dict]]]:
    """Where compare steps run: threads here (``--jobs``), or a Dask cluster (``--cluster``). Yields the
    executor, how many run at once per machine (``None``: each worker knows) and the function to submit."""
    if not cluster:
        with ThreadPoolExecutor(max(1, opts.jobs)) as pool:
            yield pool, opts.jobs, run_compare
        return
    from grader.grading import cluster as dask_cluster

    with dask_cluster.executor(cluster, config) as (pool, jobs):
        yield pool, jobs, dask_cluster.remote_compare


def run_batch(opts: Options, console: Optional[Console] = None) -> dict:
    """Grade every changed chapter of every entry, record each submission as it finishes, then write every report."""
    from grader.grading.report.exports import write_grades_csv, write_lms_exports, write_results
    from grader.grading.report.feedback import write_feedback
    from grader.grading.report.html import write_report
    from grader.grading.similarity import find_pairs

    console = console or Console()
    adjusted = adjustments.load(opts.adjustments) if opts.adjustments else None  # a bad file stops before grading
    phases: dict[str, float] = {}
    clock = time.monotonic()
    opts.out.mkdir(parents=True, exist_ok=True)
    os.chmod(opts.out, 0o700)
    sweep_sandboxes(sandbox_base())
    chapters = opts.chapters or list_chapters(TESTS_PUBLIC)
    version = kit_version() + ("-quick" if opts.skip_slow else "")
    mode = "quick" if opts.skip_slow else "full"
    versions = {ch: chapter_version(ch) for ch in chapters}
    book = Gradebook(opts.out / "gradebook.sqlite")
    names = inventory(chapters, opts.skip_slow)
    found = entries(opts.submissions, opts.clash)
    people = roster.load(opts.roster) if opts.roster else None
    missing: list[str] = []
    if people is not None:
        found, unmatched, missing = roster.assign(found, people)
        if unmatched:
            console.print(f"[yellow]{len(unmatched)} entr(ies) match no roster id (graded under their own name): "
                          f"{', '.join(unmatched[:10])}[/]")
        if missing:
            console.print(f"{len(missing)} roster student(s) without an entry get 'not submitted': {', '.join(missing[:10])}")
    present = {student for student, _ in found} | set(missing)
    unknown = sorted(set(opts.only) - present)
    if unknown:
        console.print(f"[yellow]--only: no entry for {', '.join(unknown)}[/]")
    if opts.only:
        found = [(student, path) for student, path in found if student in opts.only]
    subs = [stage(student, path, opts.out / "work") for student, path in found]
    subs += [Submission(rid, Path(), status=roster.NOT_SUBMITTED, why=("row.not_submitted", {}))
             for rid in missing if not opts.only or rid in opts.only]
    gone = sorted({s["student"] for s in book.students()} - present)
    if gone and opts.prune:
        book.remove(gone)
        console.print(f"pruned (no entry any more): {', '.join(gone)}")
    elif gone:
        console.print(f"[yellow]{len(gone)} student(s) in the gradebook have no entry here and are kept "
                      f"(--prune removes them): {', '.join(gone[:10])}{' …' if len(gone) > 10 else ''}[/]")
    keys = {s.student: {ch: chapter_key(s, ch, versions[ch], mode) for ch in chapters} for s in subs}
    stale = {s.student: list(keys[s.student]) if opts.force else book.stale(s.student, keys[s.student]) for s in subs}
    todo = [s for s in subs if stale[s.student]]
    console.print(f"{len(subs)} submissions, {len(todo)} to grade ({len(subs) - len(todo)} unchanged), "
                  f"chapters: {', '.join(chapters)}, " + (f"cluster: {opts.cluster}" if opts.cluster else f"jobs: {opts.jobs}"))
    to_run = sorted({ch for s in todo if s.status == "ok" for ch in stale[s.student] if ch in s.chapters})
    if to_run and uses_datasets(to_run):
        prepare_datasets(console)
    hidden = default_hidden([opts.out, opts.submissions]) + (held_out_paths() if to_run else [])
    config = SandboxConfig(sandbox_base(), hidden, opts.limits, namespaces=opts.namespaces)
    if to_run and not opts.cluster:  # a cluster's workers check their own sandbox
        for path in share_caches(list(data_dirs().values())):
            console.print(f"[yellow]the sandbox cannot read {path} (not ours to chmod)[/]")
        problem = preflight(config)
        if problem:
            raise SandboxUnavailable(f"the grading sandbox cannot start, nothing was graded: {problem}")
    refcache = reference_cache(opts.out, version)
    phases["intake"], clock = time.monotonic() - clock, time.monotonic()
    runs = {s.student: [ch for ch in stale[s.student] if ch in s.chapters] if s.status == "ok" else [] for s in todo}
    isolation: set[str] = set()

    def record(sub: Submission, result: dict) -> None:
        graded = {ch: keys[sub.student][ch] for ch in stale[sub.student]}
        rows = score(sub, {ch: names.get(ch, []) for ch in graded}, result["outcomes"], result.get("error", ""))
        isolation.add(result.get("isolation", "-"))
        book.record(sub.student, sub.content_hash, version, sub.status, sub.reason, result.get("isolation", "-"),
                    result.get("seconds", 0.0), rows, graded)

    for sub in todo:
        if not runs[sub.student]:
            record(sub, {"outcomes": [], "isolation": "-"})
    columns = [TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("ETA"),
               TimeRemainingColumn(), TextColumn("{task.description}")]
    running = [s for s in todo if runs[s.student]]
    with Progress(*columns, console=console, disable=not running) as progress, workers(opts, config, opts.cluster if running else None) as (pool, jobs, task_fn):
        task = progress.add_task("", total=len(running))
        futures = {pool.submit(task_fn, compare_job(s, runs[s.student], opts, refcache, hidden, jobs)): s for s in running}
        for future in as_completed(futures):
            sub = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the cluster gave up on the task (e.g. its workers kept dying): not the student's
                result = {"outcomes": [], "isolation": "unknown", "error": f"the cluster lost this task: {exc!r}"}
            record(sub, result)
            progress.update(task, advance=1, description=sub.student)
    sweep_sandboxes(sandbox_base())
    phases["grading"], clock = time.monotonic() - clock, time.monotonic()
    students, results = book.students(), book.results()
    shown = sorted(set(chapters) | {r["chapter"] for r in results})
    if set(shown) - set(names):
        names.update(inventory(sorted(set(shown) - set(names)), opts.skip_slow))
    maxima = {ch: sum(rubric.load(ch).points_for(n) for n in names.get(ch, [])) for ch in shown}
    sweep_outputs(opts.out, {s["student"] for s in students})
    roster_rows = people.people if people is not None else None
    exported = results
    if adjusted is not None:
        extra, warnings = adjustments.rows(adjusted, results, shown)
        for warning in warnings:
            console.print(f"[yellow]{warning}[/]")
        exported = results + extra
    write_grades_csv(opts.out / "grades.csv", students, exported, shown, maxima, roster_rows)
    write_lms_exports(opts.out / "exports", students, exported, shown, maxima, roster_rows)
    write_results(opts.out / "results", students, exported)
    write_feedback(opts.out / "feedback", students, exported)
    trees = {s["student"]: opts.out / "work" / s["student"] / "tree" for s in students
             if (opts.out / "work" / s["student"] / "tree").is_dir()}
    pairs = find_pairs(trees, chapters, opts.out / "similarity", opts.similarity_threshold, opts.jobs)
    phases["similarity"], clock = time.monotonic() - clock, time.monotonic()
    isolation |= {s["isolation"] for s in students}
    errors = [r for r in results if r["status"] == GRADER_ERROR]
    meta = {"submissions": len(students), "chapters": shown, "version": version, "grader_errors": len(errors),
            "isolation": sorted(i for i in isolation if i and i != "-") or ["-"], "when": time.strftime("%Y-%m-%d %H:%M"),
            "phases": dict(phases)}
    write_report(opts.out / "report.html", students, results, pairs, meta, trees, maxima)
    book.close()
    phases["reports"] = time.monotonic() - clock
    (opts.out / "timings.json").write_text(json.dumps({k: round(v, 3) for k, v in phases.items()}), encoding="utf-8")
    return {"students": students, "results": results, "pairs": pairs, "graded": len(todo), "version": version,
            "phases": phases, "grader_errors": errors, "pruned": gone if opts.prune else [], "kept": [] if opts.prune else gone}
