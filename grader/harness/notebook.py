"""The kit inside a Jupyter kernel: the ``%%kit_module`` cell magic and ``kit_checks`` (``%load_ext grader.harness.notebook``).

A notebook written by ``grader export nbgrader`` holds one code cell per chapter module, headed
``%%kit_module <chapter>/<module>.py``. Running the cell writes it to that path in a folder of this
kernel and imports it, so the cell *is* the module. A test cell calls ``kit_checks(node ids...)``:
the kit's own tests (pytest, with the kit's plugin) run in this kernel against that folder, and
the cell's value is the points earned under the chapter's rubric (nbgrader reads a test cell's
number as partial credit). A failed gate (``gates=``) scores the cell 0. Nothing here is written to
stderr, which nbgrader would take for a failure.
"""
from __future__ import annotations

import atexit
import contextlib
import importlib
import io
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Optional

from grader import REPO_ROOT
from grader.grading.sandbox.client import GIVEN_PACKAGES
from grader.i18n import pick, t
from grader.layout import ASSIGNMENTS

MAGIC = "kit_module"
#: The first line of a module cell; the path is ``<chapter>/<module>.py`` (how ``grade`` maps cells back).
MARKER = re.compile(rf"^%%{MAGIC}[ \t]+(?P<chapter>ch\d\d_[a-z0-9_]+)/(?P<module>[a-z_][a-z0-9_]*)\.py[ \t]*$")


def marker_line(chapter: str, module: str) -> str:
    """``%%kit_module <chapter>/<module>.py``."""
    return f"%%{MAGIC} {chapter}/{module}.py"


class KernelTree:
    """This kernel's folder of chapter modules written from cells (removed when the kernel exits)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="kit-notebook-"))
        atexit.register(shutil.rmtree, self.root, True)
        for name in GIVEN_PACKAGES:
            given = ASSIGNMENTS / name  # given code, importable beside the chapter as when graded
            if given.is_dir():
                (self.root / name).symlink_to(given, target_is_directory=True)
        sys.dont_write_bytecode = True  # a cell re-run within a second must never meet a stale .pyc
        sys.path.append(str(self.root))

    def write(self, chapter: str, module: str, source: str) -> None:
        """Write ``<chapter>/<module>.py`` and import it afresh (the cell's errors surface here, as a module's would)."""
        folder = self.root / chapter
        folder.mkdir(exist_ok=True)
        (folder / f"{module}.py").write_text(source, encoding="utf-8")
        (folder / "__init__.py").touch()
        for name in [n for n in sys.modules if n == chapter or n.startswith(chapter + ".")]:
            del sys.modules[name]
        importlib.invalidate_caches()
        importlib.import_module(chapter if module == "__init__" else f"{chapter}.{module}")


_tree: Optional[KernelTree] = None


def tree() -> KernelTree:
    """The kernel's tree (made on first use)."""
    global _tree
    if _tree is None:
        _tree = KernelTree()
    return _tree


def kit_module(line: str, cell: str) -> None:
    """The cell magic: ``%%kit_module <chapter>/<module>.py`` then the module's source."""
    match = MARKER.match(f"%%{MAGIC} {line.strip()}")
    if match is None:
        raise ValueError(t("nb.bad_marker", line=line.strip()))
    tree().write(match["chapter"], match["module"], cell)


def _run(node_ids: list[str]) -> list[dict[str, Any]]:
    """The kit's outcomes of ``node_ids`` (relative to the kit) on this kernel's tree; pytest's output is kept."""
    import pytest  # only when checks run

    from grader.harness.session import pytest_args

    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        args = pytest_args([REPO_ROOT / n for n in node_ids], target=str(tree().root), quiet=True, task_table=False,
                           report_json=report, extra=["--capture=sys", "-p", "no:faulthandler", "-W", "ignore"])
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            pytest.main(args)
        return json.loads(report.read_text(encoding="utf-8")) if report.is_file() else []


def kit_checks(*tests: str, gates: tuple[str, ...] = ()) -> float:
    """Run the kit's tests ``tests`` (and the chapter's ``gates``); print each result; return the points earned."""
    from grader.grading import rubric

    if not tests:
        print(t("nb.no_public"))
        return 0.0
    outcomes = _run([*tests, *gates])
    if not outcomes:
        raise RuntimeError(t("nb.no_outcome", tests=", ".join(tests)))
    earned = 0.0
    for o in outcomes:
        points = rubric.load(o["chapter"]).points_for(o["name"])
        got = points * (1.0 if o["status"] == "pass" else float(o.get("fraction") or 0.0))
        earned += got
        message = o["brief"] if o["kind"] == "hidden" else o["detail"]  # hidden tests show no expected value
        print(f"{'✓' if o['status'] == 'pass' else '✗'} {o['name']}  {got:g}/{points:g}  {pick(message) if message else ''}".rstrip())
    closed = [o["name"] for o in outcomes if rubric.load(o["chapter"]).is_gate(o["name"]) and o["status"] != "pass"]
    if closed:
        print(t("row.gated", gate=closed[0].split("/", 2)[2]))
        return 0.0
    return round(earned, 6)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext grader.harness.notebook``: the magic, and ``kit_checks`` in the user's namespace."""
    ipython.register_magic_function(kit_module, magic_kind="cell", magic_name=MAGIC)
    ipython.push({"kit_checks": kit_checks})
