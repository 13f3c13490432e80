"""``grader export gradescope CHAPTER ... --out autograder.zip``: a Gradescope autograder.

The zip holds ``setup.sh`` and ``run_autograder`` at its root (Gradescope's layout) and the part of
the kit that grading the chapters needs: the grader, the chapters' reference, public and hidden
tests and rubrics, the given ``kitdata`` package, ``datasets/``, the pinned requirements and
``gradescope.json`` (the chapters and options). Students never see the zip; inside the container
their code runs in the kit's sandbox, which hides ``/autograder/source`` (namespaces) or, without
namespaces, runs as an unprivileged uid that cannot read the reference and the hidden tests
(``run_autograder`` makes them owner-only first).
"""
from __future__ import annotations

import argparse
import json
import zipfile
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from grader import REPO_ROOT, i18n
from grader.grading.gradescope import CONFIG
from grader.grading.sandbox.client import Limits
from grader.layout import DATASETS, SOLUTIONS, TESTS_HIDDEN, TESTS_PUBLIC, chapters as list_chapters, resolve_chapters

FILES = Path(__file__).resolve().parent.parent / "grading" / "gradescope_files"
SCRIPTS = ("setup.sh", "run_autograder")
KIT_FILES = ("pyproject.toml", "requirements.txt", "scripts/fetch_gpt2_bpe.py")
GIVEN = ("kitdata",)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("chapters", nargs="+", help="the chapters this Gradescope assignment grades (ch02 or ch02_backprop)")
    parser.add_argument("--out", default="autograder.zip", help="the zip to upload (default: autograder.zip)")
    parser.add_argument("--no-namespaces", action="store_true", help="basic isolation only (if the container refuses namespaces)")
    parser.add_argument("--memory-mb", type=int, default=Limits.memory_mb, help="memory limit of the sandboxed worker")
    parser.add_argument("--probe-seconds", type=float, default=Limits.probe_seconds, help="default time limit per probe")
    parser.add_argument("--submission-seconds", type=float, default=Limits.submission_seconds, help="time budget per submission")
    parser.add_argument("--lang", choices=i18n.LANGS, default=None, help="language of the students' results (default: the locale)")


def _tree(folder: Path) -> Iterator[Path]:
    """Files under ``folder``, without byte code."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            yield path


def kit_members(chapters: list[str]) -> list[Path]:
    """The kit's files the zip carries (under ``source/`` once unpacked)."""
    files = [REPO_ROOT / name for name in KIT_FILES]
    files += _tree(REPO_ROOT / "grader")
    files += _tree(DATASETS)
    for name in [*chapters, *GIVEN]:
        files += _tree(SOLUTIONS / name)
    for tests in (TESTS_PUBLIC, TESTS_HIDDEN):
        files += sorted(tests.glob("*.py"))
        for chapter in chapters:
            files += _tree(tests / chapter)
    return files


def _add(zf: zipfile.ZipFile, name: str, data: bytes, mode: int) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # fixed: the same kit gives the same zip
    info.external_attr = (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def write_zip(out: Path, chapters: list[str], config: dict) -> int:
    """Write the autograder zip; returns the number of members."""
    members = kit_members(chapters)
    with zipfile.ZipFile(out, "w") as zf:
        for name in SCRIPTS:
            _add(zf, name, (FILES / name).read_bytes(), 0o755)
        _add(zf, CONFIG, json.dumps(config, indent=1).encode(), 0o644)
        for path in members:
            _add(zf, path.relative_to(REPO_ROOT).as_posix(), path.read_bytes(), 0o644)
    return len(members) + len(SCRIPTS) + 1


def export_gradescope(args: argparse.Namespace) -> int:
    chapters = resolve_chapters(args.chapters, list_chapters(SOLUTIONS))
    limits = Limits(memory_mb=args.memory_mb, probe_seconds=args.probe_seconds, submission_seconds=args.submission_seconds)
    config = {"chapters": chapters, "namespaces": not args.no_namespaces, "lang": args.lang or i18n.get_lang(),
              "limits": {k: v for k, v in asdict(limits).items() if k in ("memory_mb", "probe_seconds", "submission_seconds")}}
    out = Path(args.out)
    count = write_zip(out, chapters, config)
    print(f"{out}: {count} files, {out.stat().st_size / 1e6:.1f} MB; chapters {', '.join(chapters)}. Upload it as the "
          f"assignment's autograder (Gradescope: Configure Autograder > Zip file upload; base image Ubuntu 24.04).")
    return 0
