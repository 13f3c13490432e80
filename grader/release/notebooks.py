"""A chapter as an nbgrader source notebook, generated from ``solutions/`` and the kit's tests.

Cells, in order: the chapter's introduction and the setup (``%load_ext grader.harness.notebook``);
per module (``__init__`` first, then imported before importing) a markdown cell with its docstring
and tasks (hints in zh and en, the task functions' docstrings) and a code cell headed
``%%kit_module <chapter>/<module>.py`` whose solution regions are nbgrader's (``### BEGIN SOLUTION``,
after the task's ``# TODO`` comment); modules without a task are read-only cells. Then one
read-only test cell per task: ``kit_checks(...)`` of its public tests, its hidden tests and the
chapter's gates inside ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``, worth the points the
rubric gives those tests (every parametrized case counts, as in ``grade``).
"""
from __future__ import annotations

import ast
import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader.grading import rubric
from grader.harness.notebook import marker_line
from grader.harness.plugin import identity_of
from grader.harness.session import pytest_args, test_folders
from grader.i18n import LANGS, t
from grader.layout import SOLUTIONS
from grader.release.build import build_chapter
from grader.release.markers import find_regions, nbgrader_region, rewrite_regions

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
SETUP = ('import os\nimport sys\n\nif os.environ.get("KIT_ROOT"):  # the kit this course was exported from '
         '(nbgrader_config.py sets it)\n    sys.path.insert(0, os.environ["KIT_ROOT"])\n%load_ext grader.harness.notebook')


@dataclass
class Check:
    """One test function of the kit (all its parametrized cases), as a test cell names it."""

    node: str  # "tests_public/<chapter>/test_x.py::test_y", relative to the kit
    kind: str  # "public" | "hidden"
    tasks: list[str]
    points: float = 0.0
    gate: bool = False


@dataclass
class _Collector:
    """A pytest plugin that keeps every collected test's chapter, kind, tasks and points."""

    checks: dict[str, dict[str, Check]] = field(default_factory=dict)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        for item in session.items:
            chapter, kind, name = identity_of(item)
            node = item.nodeid.split("[")[0]
            rub = rubric.load(chapter)
            check = self.checks.setdefault(chapter, {}).setdefault(
                node, Check(node, kind, [str(a) for m in item.iter_markers("task") for a in m.args], gate=rub.is_gate(name)))
            check.points += rub.points_for(name)


def collect(chapters: list[str]) -> dict[str, list[Check]]:
    """The public and hidden test functions of ``chapters``, in the kit's order, with their points."""
    collector = _Collector()
    args = pytest_args(test_folders(chapters, hidden=True), target="solutions", quiet=True, collect_only=True)
    with open(os.devnull, "w") as null, contextlib.redirect_stdout(null):
        code = pytest.main(args, plugins=[collector])
    if code != 0:
        raise RuntimeError(f"collecting the tests of {chapters} failed (pytest exit code {code})")
    return {chapter: list(checks.values()) for chapter, checks in collector.checks.items()}


def bilingual(key: str, sep: str = " / ", **params: object) -> str:
    """A message in every language, zh first (the notebook is read in both)."""
    return sep.join(t(key, lang, **params) for lang in LANGS)


def _top_level_imports(source: str) -> set[str]:
    """Modules a module imports when it is imported (function bodies left out)."""
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                names.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = ("." * child.level) + (child.module or "")
                names.add(base)
                names.update(f"{base}.{alias.name}" if child.module else base + alias.name for alias in child.names)
            elif not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child)

    visit(ast.parse(source))
    return names


def module_order(chapter: str, sources: dict[str, str]) -> list[str]:
    """Module names with ``__init__`` first and every module after the chapter modules it imports at import time."""
    def deps(name: str) -> set[str]:
        out = set()
        for imported in _top_level_imports(sources[name]):
            for prefix in (f"{chapter}.", "."):
                if imported.startswith(prefix) and imported[len(prefix):].split(".")[0] in sources:
                    out.add(imported[len(prefix):].split(".")[0])
        return out - {name}

    order: list[str] = []

    def place(name: str, seen: frozenset[str]) -> None:
        if name in order or name in seen:
            return
        for dep in sorted(deps(name)):
            place(dep, seen | {name})
        order.append(name)

    for name in sorted(sources, key=lambda n: (n != "__init__", n)):
        place(name, frozenset())
    return order


def _docstrings(source: str) -> dict[str, str]:
    """Docstrings by qualified function name (``Class.method``), and the module's under ``""``."""
    tree = ast.parse(source)
    out = {"": ast.get_docstring(tree) or ""}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if not isinstance(child, ast.ClassDef):
                    out[prefix + child.name] = ast.get_docstring(child) or ""
                visit(child, prefix + child.name + ".")

    visit(tree, "")
    return out


def _nbgrader(grade_id: str, *, solution: bool = False, points: float = 0.0) -> dict:
    """nbgrader's cell metadata: an autograded answer (``solution``), a test worth ``points``, or read-only."""
    meta = {"grade": points > 0, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
            "solution": solution, "task": False}
    if points > 0:
        meta["points"] = points
    return {"nbgrader": meta}


def _module_markdown(chapter: str, module: str, source: str, tasks: list[dict]) -> str:
    docs = _docstrings(source)
    parts = [f"## `{chapter}/{module}.py`"] + ([docs[""]] if docs[""] else [])
    for task in tasks:
        parts.append(f"### {bilingual('nb.task', task=task['id'], function=task['function'])}")
        parts += [f"- {t('table.hint', lang)}: {task['hint'][lang]}" for lang in LANGS if task["hint"].get(lang)]
        parts += [docs[f] for f in task["function"].split(", ") if docs.get(f)]
    return "\n\n".join(parts)


def _test_cell(chapter: str, group: str, checks: list[Check], gates: list[Check]) -> NotebookNode:
    points = sum(c.points for c in checks)
    shown = [f"    {json.dumps(c.node)}," for c in checks if c.kind == "public"]
    hidden = [f"    {json.dumps(c.node)}," for c in checks if c.kind != "public"]
    hidden += ["    gates=(", *[f"        {json.dumps(g.node)}," for g in gates], "    ),"] if gates else []
    lines = [f"# {bilingual('nb.checks', task=group, points=points)}", "kit_checks(", *shown,
             "    ### BEGIN HIDDEN TESTS", *hidden, "    ### END HIDDEN TESTS", ")"]
    grade_id = f"checks-{chapter}-{group}".replace(".", "_")
    return new_code_cell("\n".join(lines), id=grade_id, metadata=_nbgrader(grade_id, points=points))


def chapter_notebook(chapter: str, checks: list[Check]) -> NotebookNode:
    """The nbgrader source notebook of one chapter."""
    files, doc = build_chapter(chapter)
    released = sorted(rel for rel in files if rel.startswith(f"{chapter}/"))
    if any(not rel.endswith(".py") for rel in released):
        raise ValueError(f"{chapter}: only .py modules fit in a notebook, not {[r for r in released if not r.endswith('.py')]}")
    sources = {Path(rel).stem: (SOLUTIONS / rel).read_text(encoding="utf-8") for rel in released}
    hints = {task["id"]: task["hint"] for task in doc["tasks"]}
    intro = [f"# {chapter}", _docstrings(sources["__init__"])[""], bilingual("nb.intro", sep="\n\n")]
    cells = [new_markdown_cell("\n\n".join(p for p in intro if p), id="intro"),
             new_code_cell(SETUP, id="kit-setup", metadata=_nbgrader("kit-setup"))]
    for module in module_order(chapter, sources):
        source = sources[module]
        regions = find_regions(source, f"{chapter}/{module}.py")
        tasks = [task for task in doc["tasks"] if task["module"] == module and module != "__init__"]
        if module != "__init__":
            cells.append(new_markdown_cell(_module_markdown(chapter, module, source, tasks), id=f"about-{module}"))
        code = rewrite_regions(source, hints, nbgrader_region, f"{chapter}/{module}.py").rstrip("\n")
        grade_id = f"module-{chapter}-{module}"
        cells.append(new_code_cell(f"{marker_line(chapter, module)}\n{code}", id=grade_id[:64],
                                   metadata=_nbgrader(grade_id, solution=bool(regions))))
    order = [task["id"] for task in doc["tasks"]]
    groups: dict[str, list[Check]] = {}
    for check in checks:
        if not check.gate:
            group = min(check.tasks, key=lambda x: order.index(x) if x in order else len(order), default="other")
            groups.setdefault(group, []).append(check)
    gates = [c for c in checks if c.gate]
    cells.append(new_markdown_cell(f"## {bilingual('nb.checks_title')}\n\n{bilingual('nb.checks_about', sep=chr(10) * 2)}",
                                   id="about-checks"))
    for group in sorted(groups, key=lambda g: order.index(g) if g in order else len(order)):
        cells.append(_test_cell(chapter, group, groups[group], gates))
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    nbformat.validate(nb)
    return nb
