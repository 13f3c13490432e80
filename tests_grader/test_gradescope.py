"""The Gradescope round trip: ``export gradescope ch02`` -> unzip -> ``setup.sh install`` -> ``run_autograder``.

A fake ``/autograder`` (``AUTOGRADER_ROOT``) with a venv of its own, layered on the kit's venv by a
``.pth`` file (nothing is downloaded: pip finds every pin installed), into which ``setup.sh``
installs the unpacked kit. Three submissions go through ``run_autograder``: the reference (full
marks), a catalogued mutant uploaded as loose files (loses points) and a hostile skeleton that tries
to copy the reference, read the hidden tests and forge ``results.json`` (scores 0, leaks nothing).
Each ``results.json`` is validated against Gradescope's documented schema. About 30 s.
"""
import json
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path

import jsonschema
import pytest

from grader import REPO_ROOT
from grader.commands.mutants import apply, load_catalogue
from grader.grading.sandbox.client import data_dirs
from grader.layout import ASSIGNMENTS, SOLUTIONS, TESTS_HIDDEN

CHAPTER = "ch02_backprop"
MUTANT = "gradient_ascent"
SCHEMA = json.loads((Path(__file__).parent / "data" / "gradescope_results.schema.json").read_text(encoding="utf-8"))

HOSTILE = '''

import pathlib as _pl
_ROOT = _pl.Path({root!r})
for _forged in ("results.json", "pwned"):
    try:
        (_ROOT / "results" / _forged).write_text('{{"score": 999, "tests": []}}')
    except OSError:
        pass
try:
    exec((_ROOT / "source" / "solutions" / {chapter!r} / "xor_nn.py").read_text(), globals())
except OSError:
    pass
try:
    _leak = "".join(p.read_text() for p in (_ROOT / "source" / "tests_hidden" / {chapter!r}).glob("test_*.py"))
except OSError:
    _leak = ""
if _leak:
    raise RuntimeError(_leak[:4000])
'''


def _unzip(archive: Path, dest: Path) -> list[str]:
    """Extract with the members' recorded modes (as ``unzip`` does); returns the names."""
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            path = Path(zf.extract(info, dest))
            mode = info.external_attr >> 16
            if mode:
                path.chmod(stat.S_IMODE(mode))
        return zf.namelist()


def _layered_venv(venv: Path) -> Path:
    """A venv whose packages are the kit's (a ``.pth`` file), so the install step needs no network."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "_kit_packages.pth").write_text(os.path.realpath(sysconfig.get_paths()["purelib"]) + "\n")
    return python


@pytest.fixture(scope="module")
def autograder():
    base = Path(tempfile.mkdtemp(prefix="kit-gradescope-"))
    base.chmod(0o755)  # the sandboxed uid must reach the venv's interpreter
    root = base / "autograder"
    archive = base / "autograder.zip"
    export = subprocess.run([sys.executable, "-m", "grader", "export", "gradescope", "ch02", "--out", str(archive)],
                            cwd=REPO_ROOT, capture_output=True, text=True)
    assert export.returncode == 0, export.stdout + export.stderr
    names = _unzip(archive, root / "source")
    _layered_venv(root / "venv")
    caches = {k: v for k, v in data_dirs().items() if k in ("TIKTOKEN_CACHE_DIR", "KIT_CACHE_DIR")}  # the kit's, prepared
    env = dict(os.environ, **caches, AUTOGRADER_ROOT=str(root), PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    setup = subprocess.run(["bash", str(root / "source" / "setup.sh"), "install"], env=env, capture_output=True, text=True)
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]
    yield {"root": root, "names": names, "env": env}
    shutil.rmtree(base, ignore_errors=True)


def run_autograder(autograder, fill) -> dict:
    """A fresh submission (``fill(folder)``) and results folder; ``run_autograder``; the results.json."""
    root = autograder["root"]
    for name in ("submission", "results"):
        shutil.rmtree(root / name, ignore_errors=True)
        (root / name).mkdir()
    fill(root / "submission")
    proc = subprocess.run([str(root / "source" / "run_autograder")], cwd=root, env=autograder["env"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    doc = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA, cls=jsonschema.Draft202012Validator)
    return doc


def test_zip_layout(autograder):
    names = autograder["names"]
    assert {"setup.sh", "run_autograder", "gradescope.json"} <= set(names)
    assert os.access(autograder["root"] / "source" / "run_autograder", os.X_OK)
    tops = {n.split("/")[0] for n in names}
    assert not tops & {"mutants", "examples", ".git", "build", "assignments", "tests_grader"}, tops
    chapters = {n.split("/")[1] for n in names if n.startswith(("solutions/", "tests_hidden/")) and n.count("/") > 1}
    assert chapters == {CHAPTER, "kitdata"}


def test_reference_scores_full_marks(autograder):
    doc = run_autograder(autograder, lambda sub: shutil.copytree(SOLUTIONS / CHAPTER, sub / CHAPTER))
    most = sum(t["max_score"] for t in doc["tests"])
    assert most > 0 and doc["score"] == most
    assert all(t["name"].startswith(CHAPTER + "/") for t in doc["tests"])


def test_mutant_as_loose_files_loses_points(autograder):
    mutant = next(m for m in load_catalogue(CHAPTER) if m.id == MUTANT)

    def fill(sub: Path) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            apply(mutant, Path(tmp))
            for path in (Path(tmp) / CHAPTER).glob("*.py"):
                shutil.copy2(path, sub / path.name)

    doc = run_autograder(autograder, fill)
    assert 0 <= doc["score"] < sum(t["max_score"] for t in doc["tests"])
    assert any(t["status"] == "failed" for t in doc["tests"])


def test_hostile_submission_scores_zero_and_leaks_nothing(autograder):
    root = autograder["root"]

    def fill(sub: Path) -> None:
        shutil.copytree(ASSIGNMENTS / CHAPTER, sub / CHAPTER)
        target = sub / CHAPTER / "xor_nn.py"
        target.write_text(target.read_text(encoding="utf-8") + HOSTILE.format(root=str(root), chapter=CHAPTER), encoding="utf-8")

    doc = run_autograder(autograder, fill)
    assert doc["score"] == 0 and doc["tests"]
    assert not (root / "results" / "pwned").exists()
    text = json.dumps(doc)
    for path in (TESTS_HIDDEN / CHAPTER).glob("test_*.py"):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if len(ln.strip()) > 30]
        assert not [ln for ln in lines if json.dumps(ln)[1:-1] in text], path.name
