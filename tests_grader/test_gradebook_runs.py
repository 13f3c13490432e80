"""Re-runs of ``grade`` on one ``--out``: what is regraded, what is kept, what a grader error does.

Each case fails on a grader that keys the cache on the submission alone, rewrites every student on
each run, takes the maximum from the first student, or charges a trusted-side failure to students.
"""
import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import REPO_ROOT
from grader.grading import pipeline
from grader.layout import ASSIGNMENTS, SOLUTIONS

CH2, CH3 = "ch02_backprop", "ch03_iris"


def grade(klass: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "grader", "grade", str(klass), "--out", str(out), "--jobs", "2", "--skip-slow", *extra]
    return subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=900)


def grades(out: Path) -> dict[str, dict]:
    with open(out / "grades.csv", encoding="utf-8") as f:
        return {row["student"]: row for row in csv.DictReader(f)}


@pytest.fixture()
def klass(tmp_path):
    root = tmp_path / "class"
    for student, tree in (("ref", SOLUTIONS), ("skel", ASSIGNMENTS)):
        for chapter in (CH2, CH3):
            shutil.copytree(tree / chapter, root / student / chapter, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_a_chapter_subset_never_freezes_or_zeroes_the_others(klass, tmp_path):
    out = tmp_path / "out"
    assert grade(klass, out, "--chapter", CH2).returncode == 0
    second = grade(klass, out, "--chapter", CH2, "--chapter", CH3)
    assert second.returncode == 0, second.stdout[-2000:]
    assert "2 to grade" in second.stdout  # ch03 is new for both students
    rows = grades(out)
    assert float(rows["ref"][CH3]) > 0 and float(rows["ref"][CH2]) > 0
    assert rows["ref"]["total"] == rows["ref"]["max_total"] == rows["skel"]["max_total"]
    third = grade(klass, out, "--chapter", CH3)  # grading ch03 alone leaves ch02's rows as they are
    assert "0 to grade" in third.stdout and grades(out)["ref"][CH2] == rows["ref"][CH2]


def test_regrading_one_student_keeps_the_others_until_pruned(klass, tmp_path):
    out = tmp_path / "out"
    assert grade(klass, out, "--chapter", CH2).returncode == 0
    alone = tmp_path / "alone"
    shutil.copytree(klass / "ref", alone / "ref")
    kept = grade(alone, out, "--chapter", CH2)
    assert kept.returncode == 0 and "skel" in kept.stdout and "--prune" in kept.stdout
    assert set(grades(out)) == {"ref", "skel"} and (out / "feedback" / "skel.md").is_file()
    pruned = grade(alone, out, "--chapter", CH2, "--prune")
    assert pruned.returncode == 0 and "pruned" in pruned.stdout and "skel" in pruned.stdout
    assert set(grades(out)) == {"ref"}
    assert not list((out / "feedback").glob("skel.*")) and not (out / "results" / "skel.json").exists()


def test_only_and_force(klass, tmp_path):
    out = tmp_path / "out"
    assert grade(klass, out, "--chapter", CH2).returncode == 0
    again = grade(klass, out, "--chapter", CH2, "--only", "skel", "--force")
    assert again.returncode == 0 and "1 submissions, 1 to grade" in again.stdout
    assert set(grades(out)) == {"ref", "skel"}


def test_a_grader_error_is_reported_never_charged_and_regraded(klass, tmp_path):
    out = tmp_path / "out"
    assert grade(klass, out, "--chapter", CH2).returncode == 0
    for blob in (out / "refcache").rglob("*.npz"):
        blob.write_bytes(b"not a codec blob")  # a broken trusted-side cache
    broken = grade(klass, out, "--chapter", CH2, "--force")
    assert broken.returncode == 3 and "grader error" in broken.stdout.lower()
    rows = grades(out)
    assert rows["ref"]["status"] == "grader-error" and "grader error" in rows["ref"]["reason"]
    feedback = (out / "feedback" / "ref.md").read_text(encoding="utf-8")
    assert "your code raised" not in feedback and "你的代码抛出了" not in feedback
    shutil.rmtree(out / "refcache")
    fixed = grade(klass, out, "--chapter", CH2)  # no --force: chapters with grader errors were not marked done
    assert fixed.returncode == 0 and "1 to grade" in fixed.stdout, fixed.stdout[-2000:]  # ref only: skel had no error
    rows = grades(out)
    assert rows["ref"]["status"] == "ok" and rows["ref"]["total"] == rows["ref"]["max_total"]


def test_the_reference_cache_follows_the_reference(tmp_path, monkeypatch):
    copy = tmp_path / "solutions"
    shutil.copytree(SOLUTIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(pipeline, "SOLUTIONS", copy)
    before = pipeline.kit_version(), pipeline.chapter_version(CH2)
    xor = copy / CH2 / "xor_nn.py"
    xor.write_text(xor.read_text(encoding="utf-8") + "\n# a fix in the reference\n", encoding="utf-8")
    after = pipeline.kit_version(), pipeline.chapter_version(CH2)
    assert before[0] != after[0] and before[1] != after[1] and pipeline.chapter_version(CH3) == pipeline.chapter_version(CH3)
    out = tmp_path / "out"
    out.mkdir()
    old = pipeline.reference_cache(out, before[0])
    old.mkdir()
    (old / "x.npz").write_bytes(b"stale")
    assert pipeline.reference_cache(out, after[0]) != old and not old.exists()


def test_the_test_inventory_is_kept_per_chapter_version(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "INVENTORY_CACHE", tmp_path)
    first = pipeline.inventory([CH2], skip_slow=True)
    assert first[CH2] and all("::" not in name for name in first[CH2])
    kept = list(tmp_path.glob(f"{CH2}-*-quick.json"))
    assert len(kept) == 1
    kept[0].write_text('["from the cache"]', encoding="utf-8")
    assert pipeline.inventory([CH2], skip_slow=True) == {CH2: ["from the cache"]}
    monkeypatch.setattr(pipeline, "chapter_version", lambda chapter: "f" * 64)  # the chapter changed
    assert pipeline.inventory([CH2], skip_slow=True) == first
    assert [p.name for p in tmp_path.glob(f"{CH2}-*")] == [f"{CH2}-{'f' * 16}-quick.json"]
