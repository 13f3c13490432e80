"""The pytest plugin behind ``grader test`` / ``make test`` (and the grader's trusted side).

Options: ``--target`` (the tree under test), ``--lang``, ``--report-json``. Fixtures: ``run`` (probes
on the implementation under test), ``ref`` (probes on the reference, cached). Every test is
classified (pass / fail / todo / error), shown as a one-paragraph diagnosis (full traceback with
``-v``) and summarised per chapter as a task table with the next task to do.

PYTEST_DONT_REWRITE: the CLI imports this module before pytest starts, and it has no asserts.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import pytest

from grader import i18n
from grader.harness.outcomes import Outcome, classify
from grader.harness.probes import CachedRunner, InProcessRunner, ProbeRunner
from grader.harness.snapshots import SnapshotRunner
from grader.harness.summary import print_task_tables
from grader.harness.trees import Tree
from grader.layout import SOLUTIONS, is_chapter, resolve_target

RUNNER = pytest.StashKey[ProbeRunner]()
REFERENCE = pytest.StashKey[ProbeRunner]()
TARGET_ROOT = pytest.StashKey[Optional[Path]]()
OUTCOMES = pytest.StashKey[list]()
DESELECTED = pytest.StashKey[set]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("grader")
    group.addoption("--target", default="assignments", help="assignments | solutions | PATH (tree under test)")
    group.addoption("--lang", default=None, choices=i18n.LANGS, help="language of the messages (default: locale)")
    group.addoption("--report-json", default=None, help="write every test's outcome to this JSON file")
    group.addoption("--no-task-table", action="store_true", help="skip the task tables")
    group.addoption("--expect-hidden", action="store_true", help="hidden tests were asked for (no banner without them)")
    group.addoption("--reference-snapshots", action="store_true",
                    help="answer reference calls from the stored snapshots, as in the student release")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "task(*ids): the handout task(s) a test checks, e.g. task('1.1')")
    config.addinivalue_line("markers", "slow: a training run or a timed game (the grader always runs it)")
    if config.getoption("--lang"):
        i18n.set_lang(config.getoption("--lang"))
    if RUNNER not in config.stash:  # the batch grader installs its sandboxed runner first
        root = resolve_target(config.getoption("--target"))
        config.stash[RUNNER] = InProcessRunner(Tree(root))
        config.stash[TARGET_ROOT] = root
    if REFERENCE not in config.stash:  # live reference in the kit, stored snapshots in the student release
        live = SOLUTIONS.is_dir() and not config.getoption("--reference-snapshots")
        config.stash[REFERENCE] = CachedRunner(InProcessRunner(Tree(SOLUTIONS), reference=True)) if live else SnapshotRunner()
    config.stash.setdefault(TARGET_ROOT, None)
    config.stash[OUTCOMES] = []
    config.stash[DESELECTED] = set()


def _task_key(item: pytest.Item) -> tuple:
    tasks = [str(a) for m in item.iter_markers("task") for a in m.args]
    first = min((tuple(int(x) for x in t.split(".") if x.isdigit()) for t in tasks), default=(999,))
    return (item.get_closest_marker("slow") is not None, first)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests in handout order: by chapter, then task, slow runs last (stable otherwise)."""
    items.sort(key=lambda item: (identity_of(item)[0], *_task_key(item)))


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Chapters with tests left out (``-k``, ``-m``): their table says so instead of "all done"."""
    for item in items:
        item.config.stash[DESELECTED].add(identity_of(item)[0])


def incomplete_chapters(config: pytest.Config, outcomes: list[Outcome]) -> dict[str, str]:
    """Chapter -> why a passing run is not "every task passes": tests deselected, or hidden tests asked
    for but none ran (the student release has none)."""
    out = {ch: "chapter_partial" for ch in config.stash.get(DESELECTED, set())}
    if config.getoption("--expect-hidden"):
        hidden = {o.chapter for o in outcomes if o.kind == "hidden"}
        out.update({o.chapter: "chapter_public_only" for o in outcomes if o.chapter not in hidden and o.chapter not in out})
    return out


@pytest.fixture
def run(request: pytest.FixtureRequest) -> ProbeRunner:
    """Run a probe on the implementation under test: ``run(probes.name, *args, **kwargs)``."""
    return request.config.stash[RUNNER]


@pytest.fixture
def ref(request: pytest.FixtureRequest) -> ProbeRunner:
    """Run a probe on the reference solution (results cached for the session)."""
    return request.config.stash[REFERENCE]


def identity_of(item: pytest.Item) -> tuple[str, str, str]:
    """``(chapter, kind, name)`` of a test from its path: ``tests_<kind>/<chapter>/test_*.py``."""
    path = Path(str(item.fspath))
    chapter = path.parent.name if is_chapter(path.parent.name) else "other"
    kind = path.parent.parent.name.removeprefix("tests_") if chapter != "other" else "other"
    return chapter, kind, f"{chapter}/{kind}/{item.name}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    chapter, kind, name = identity_of(item)
    if chapter != "other" and (report.when == "call" or (report.when == "setup" and not report.passed)):
        config = item.config
        tasks = [str(a) for m in item.iter_markers("task") for a in m.args]
        exc = call.excinfo.value if call.excinfo is not None else None
        if report.skipped:
            status, fraction, detail, brief = "skip", 0.0, dict[str, str](), dict[str, str]()
        else:
            status, fraction, detail, brief = classify(exc, config.stash[TARGET_ROOT])
        outcome = Outcome(name, chapter, kind, tasks, status, fraction, detail, brief, report.duration)
        config.stash[OUTCOMES].append(outcome)
        if report.failed and config.getoption("verbose") <= 0:
            report.longrepr = f"[{status.upper()}] {detail.get(i18n.get_lang(), '')}"
    return report


def pytest_unconfigure(config: pytest.Config) -> None:
    """The task tables come last on screen, after pytest's own result line, so the next task is what a student sees."""
    outcomes: list[Outcome] = config.stash.get(OUTCOMES, [])
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and outcomes and not config.getoption("--no-task-table"):
        print_task_tables(outcomes, reporter, verbose=config.getoption("verbose") > 0,
                          incomplete=incomplete_chapters(config, outcomes))


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = session.config.getoption("--report-json")
    if path:
        data = [o.to_dict() for o in session.config.stash[OUTCOMES]]
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
