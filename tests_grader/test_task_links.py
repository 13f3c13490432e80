"""Tasks and tests stay linked: every test names tasks that exist in the chapter's solution markers,
and every task has at least one public test (unknown pytest markers fail: ``--strict-markers``)."""
import json

import pytest

from grader import REPO_ROOT
from grader.harness.plugin import identity_of as identity
from grader.layout import TESTS_HIDDEN, TESTS_PUBLIC, chapters


class _Markers:
    def __init__(self) -> None:
        self.tasks: dict[str, list[str]] = {}

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        for item in session.items:
            self.tasks[identity(item)[2]] = [str(a) for m in item.iter_markers("task") for a in m.args]


@pytest.fixture(scope="module")
def collected():
    markers = _Markers()
    paths = [str(root / ch) for ch in chapters(TESTS_PUBLIC) for root in (TESTS_PUBLIC, TESTS_HIDDEN) if (root / ch).is_dir()]
    code = pytest.main(paths + ["-c", str(REPO_ROOT / "pyproject.toml"), "--collect-only", "-q", "-p", "no:cacheprovider",
                                "--target", "solutions"], plugins=[markers])
    assert code == 0, "collection failed (an unknown marker? see --strict-markers)"
    return markers.tasks


@pytest.mark.parametrize("chapter", chapters(TESTS_PUBLIC))
def test_tests_and_tasks_are_linked(collected, chapter):
    known = {t["id"] for t in json.loads((TESTS_PUBLIC / chapter / "tasks.json").read_text(encoding="utf-8"))["tasks"]}
    mine = {name: tasks for name, tasks in collected.items() if name.startswith(chapter + "/")}
    unmarked = sorted(name for name, tasks in mine.items() if not tasks)
    unknown = sorted({t for tasks in mine.values() for t in tasks} - known)
    public = {t for name, tasks in mine.items() if name.split("/")[1] == "public" for t in tasks}
    assert not unmarked, f"{chapter}: tests without @pytest.mark.task: {unmarked}"
    assert not unknown, f"{chapter}: task ids not in the solution's markers: {unknown}"
    assert known <= public, f"{chapter}: tasks without a public test: {sorted(known - public)}"
