"""``grader export nbgrader``: the committed export, nbgrader's own round trip, and the kit grading the same notebooks.

ROUND TRIP (ch02_backprop, about 45 s): export the chapter, then nbgrader's commands —
``generate_assignment``, two submissions copied into ``submitted/`` (the release with the reference's
answers typed into its solution cells, and the release untouched), ``autograde`` (the test cells run
the kit's checks in nbgrader's kernel) and ``export`` (grades.csv): full marks vs 0. The kit's
``grade`` of the same ``submitted/`` folder (sandboxed, about 30 s) must agree.
"""
import ast
import csv
import json
import os
import shutil
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import nbformat
import pytest

from grader import REPO_ROOT
from grader.grading import notebooks, rubric
from grader.grading.intake import stage
from grader.layout import SOLUTIONS
from grader.release.build import build_chapter

CH = "ch02_backprop"
COMMITTED = REPO_ROOT / "exports" / "nbgrader"


def _nbgrader(course: Path, *args: str) -> str:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")  # nbgrader runs alembic
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def _kit_max(chapter: str) -> float:
    """The chapter's maximum under ``grade``: every collected test's rubric points (computed apart from the export)."""
    from grader.grading.pipeline import inventory

    return sum(rubric.load(chapter).points_for(name) for name in inventory([chapter])[chapter])


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """An exported, generated and autograded ch02 course with the submissions ``reference`` and ``untouched``."""
    from grader.commands.export_nbgrader import run

    course = tmp_path_factory.mktemp("nbgrader") / "course"
    assert run(Namespace(out=str(course), chapters=[CH], check=False), []) == 0
    _nbgrader(course, "generate_assignment", CH)
    source = nbformat.read(course / "source" / CH / f"{CH}.ipynb", as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    for student, typed in (("reference", answers), ("untouched", {})):
        notebook = nbformat.read(course / "release" / CH / f"{CH}.ipynb", as_version=4)
        for cell in notebook.cells:
            cell.source = typed.get(cell.metadata.get("nbgrader", {}).get("grade_id"), cell.source)
        (course / "submitted" / student / CH).mkdir(parents=True)
        nbformat.write(notebook, course / "submitted" / student / CH / f"{CH}.ipynb")
    _nbgrader(course, "autograde", CH)
    _nbgrader(course, "export", "--to", str(course / "grades.csv"))
    return course


def test_committed_export_is_valid_and_maps_back_to_the_reference():
    """Every committed notebook validates, and its module cells are the released modules (same code as solutions/)."""
    chapters = sorted(p.name for p in (COMMITTED / "source").iterdir())
    assert chapters and (COMMITTED / "nbgrader_config.py").is_file()
    for chapter in chapters:
        path = COMMITTED / "source" / chapter / f"{chapter}.ipynb"
        nbformat.validate(nbformat.read(path, as_version=4))
        released = {Path(rel).name for rel in build_chapter(chapter)[0] if rel.startswith(f"{chapter}/")}
        mapped = notebooks.modules(path, chapter)
        assert set(mapped) == released, chapter
        for name, text in mapped.items():  # comments (TODO hints, nbgrader markers) aside, the reference's code
            reference = (SOLUTIONS / chapter / name).read_text(encoding="utf-8")
            assert ast.dump(ast.parse(text)) == ast.dump(ast.parse(reference)), f"{chapter}/{name}"


def test_check_fails_when_the_export_drifts(tmp_path, monkeypatch):
    from grader.commands import export_nbgrader
    from grader.release import notebooks as builder

    checks = builder.collect([CH])
    monkeypatch.setattr(builder, "collect", lambda selected: checks)
    args = Namespace(out=str(tmp_path / "c"), chapters=[CH], check=False)
    assert export_nbgrader.run(args, []) == 0
    assert export_nbgrader.run(Namespace(**{**vars(args), "check": True}), []) == 0
    path = tmp_path / "c" / "source" / CH / f"{CH}.ipynb"
    path.write_text(path.read_text(encoding="utf-8").replace("XOR", "xor", 1), encoding="utf-8")
    assert export_nbgrader.run(Namespace(**{**vars(args), "check": True}), []) == 1


def test_nbgrader_round_trip_full_marks_vs_zero(course):
    with open(course / "grades.csv", encoding="utf-8") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    expected = _kit_max(CH)
    assert expected > 0
    assert float(rows["reference"]["max_score"]) == expected
    assert float(rows["reference"]["score"]) == expected, rows["reference"]
    assert float(rows["untouched"]["score"]) == 0, rows["untouched"]
    graded = nbformat.read(course / "autograded" / "reference" / CH / f"{CH}.ipynb", as_version=4)
    hidden_ran = [c for c in graded.cells if "### BEGIN HIDDEN TESTS" in c.source
                  and any("/hidden/" in o.get("text", "") for o in c.outputs)]
    assert hidden_ran, "the hidden tests did not run in nbgrader's kernel"


def test_kit_grades_the_same_notebooks_in_the_sandbox(course, tmp_path):
    out = tmp_path / "out"
    env = dict(os.environ, KIT_SANDBOX_DIR=str(tmp_path / "sandboxes"), PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, "-m", "grader", "grade", str(course / "submitted"), "--chapter", CH,
                           "--out", str(out), "--jobs", "2"], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    with open(out / "grades.csv", encoding="utf-8") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    with open(course / "grades.csv", encoding="utf-8") as f:
        theirs = {row["student_id"]: float(row["score"]) for row in csv.DictReader(f)}
    assert float(rows["reference"]["total"]) == float(rows["reference"]["max_total"]) == theirs["reference"]
    assert float(rows["untouched"]["total"]) == theirs["untouched"] == 0


def _notebook_with(tmp_path: Path, edit) -> Path:
    notebook = nbformat.read(COMMITTED / "source" / CH / f"{CH}.ipynb", as_version=4)
    edit(notebook)
    entry = tmp_path / "subs" / "amy"
    entry.mkdir(parents=True)
    nbformat.write(notebook, entry / f"{CH}.ipynb")
    return entry


def test_intake_maps_a_notebook_and_refuses_a_bad_one(tmp_path):
    got = stage("amy", _notebook_with(tmp_path / "a", lambda nb: None), tmp_path / "work")
    assert got.status == "ok" and got.chapters == [CH]
    assert sorted(p.name for p in (got.tree / CH).iterdir()) == ["__init__.py", "xor_nn.py"]

    def twice(nb):
        nb.cells.append(nbformat.v4.new_code_cell(f"%%kit_module {CH}/xor_nn.py\nx = 1"))

    def other(nb):
        nb.cells.append(nbformat.v4.new_code_cell("%%kit_module ch05_tokens/tokenizer.py\nx = 1"))

    for edit, key in ((twice, "intake.notebook.twice"), (other, "intake.notebook.other")):
        sub = stage("amy", _notebook_with(tmp_path / key, edit), tmp_path / "work")
        assert sub.status == "ungradable" and sub.why is not None and sub.why[0] == key
    broken = tmp_path / "broken" / "amy" / CH
    broken.mkdir(parents=True)
    (broken / f"{CH}.ipynb").write_text(json.dumps({"cells": "nope"}))
    sub = stage("amy", broken.parent, tmp_path / "work")
    assert sub.status == "ungradable" and sub.why is not None and sub.why[0] == "intake.notebook"
    shutil.rmtree(tmp_path / "work")
