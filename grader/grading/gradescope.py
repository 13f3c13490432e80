"""What ``run_autograder`` does inside Gradescope's container (``python -m grader.grading.gradescope``).

The submission in ``<root>/submission`` is staged as the one entry of a temporary submissions folder
and graded by the batch pipeline (sandboxed, hidden tests); that student's ``results/<id>.json``,
already in Gradescope's schema, becomes ``<root>/results/results.json``. ``<root>`` is
``$AUTOGRADER_ROOT`` (default ``/autograder``); the kit is ``<root>/source`` (the unpacked zip) and
``<root>/source/gradescope.json`` says which chapters and options the zip was exported with.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from rich.console import Console

from grader import REPO_ROOT, i18n
from grader.grading.intake import find_chapters
from grader.grading.pipeline import Options, run_batch
from grader.grading.sandbox.client import SECRETS, Limits

CONFIG = "gradescope.json"
STUDENT = "submission"  # the one entry's id (Gradescope knows who submitted)


def autograder_root() -> Path:
    """Gradescope's ``/autograder``, or ``$AUTOGRADER_ROOT`` (tests use a fake root)."""
    return Path(os.environ.get("AUTOGRADER_ROOT") or "/autograder")


def lock_secrets(kit: Path) -> None:
    """Close the folders of the reference, hidden tests and rubrics to other uids: without namespaces
    the sandboxed worker runs as an unprivileged uid that sees the container's files (root keeps
    access; the files keep their modes, so the probe modules copied into a sandbox stay readable)."""
    for name in SECRETS:
        if (kit / name).is_dir():
            (kit / name).chmod(0o700)


def stage_submission(submission: Path, entry: Path, chapters: list[str]) -> None:
    """Copy the upload into ``entry`` (links stay links, for the intake to refuse). Loose files of a
    one-chapter assignment (the student uploaded ``backprop.py``, not ``ch02_backprop/``) go into
    that chapter's folder."""
    loose = len(chapters) == 1 and not find_chapters(submission)[1] and any(submission.glob("*.py"))
    shutil.copytree(submission, entry / chapters[0] if loose else entry, symlinks=True)


def run(root: Path, console: Console) -> int:
    """Grade ``<root>/submission``, write ``<root>/results/results.json``; 0 when written."""
    config = json.loads((REPO_ROOT / CONFIG).read_text(encoding="utf-8"))
    i18n.set_lang(config.get("lang"))
    lock_secrets(REPO_ROOT)
    with tempfile.TemporaryDirectory(prefix="gradescope-") as tmp:
        folder, out = Path(tmp) / "submissions", Path(tmp) / "out"
        stage_submission(root / "submission", folder / STUDENT, config["chapters"])
        limits = Limits(**config.get("limits", {}))
        summary = run_batch(Options(folder, out, config["chapters"], jobs=1, limits=limits,
                                    namespaces=config.get("namespaces", True)), console)
        if summary["grader_errors"]:  # no results.json: Gradescope reports a failed run, the TA re-runs it
            first = summary["grader_errors"][0]
            console.print(f"grader error, nothing recorded: {first['test']}: {i18n.shown(first['message'], 'en')[:500]}")
            return 3
        (root / "results").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out / "results" / f"{STUDENT}.json", root / "results" / "results.json")
    points, most = (sum(r[k] for r in summary["results"]) for k in ("points", "max_points"))
    console.print(f"graded {', '.join(config['chapters'])}: {points:g} / {most:g}")
    return 0


if __name__ == "__main__":
    sys.exit(run(autograder_root(), Console()))
