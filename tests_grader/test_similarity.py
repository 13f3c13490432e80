"""Similarity: identical files pair at 100%, edited copies are found by copydetect, given code is ignored."""
import shutil

from grader.grading.similarity import find_pairs
from grader.layout import ASSIGNMENTS, SOLUTIONS

CH = "ch02_backprop"


def _tree(tmp_path, name, base, edit=None):
    shutil.copytree(base / CH, tmp_path / "class" / name / CH, ignore=shutil.ignore_patterns("__pycache__"))
    if edit:
        path = tmp_path / "class" / name / CH / "xor_nn.py"
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return tmp_path / "class" / name


def test_pairs(tmp_path):
    trees = {
        "alice": _tree(tmp_path, "alice", SOLUTIONS),
        "carol": _tree(tmp_path, "carol", SOLUTIONS),  # byte-identical to alice
        "bob": _tree(tmp_path, "bob", SOLUTIONS, lambda s: s.replace("hidden", "h_layer").replace('"""', '"""Mine. ', 1)),
        "dave": _tree(tmp_path, "dave", ASSIGNMENTS),  # the untouched skeleton: nothing of his own
        "erin": _tree(tmp_path, "erin", ASSIGNMENTS, lambda s: s + "\n\ndef helper(x):\n    return [i * i for i in range(x)]\n"),
    }
    pairs = find_pairs(trees, [CH], tmp_path / "out", threshold=0.5, jobs=2)
    found = {(p.student_a, p.student_b): p for p in pairs}
    assert found[("alice", "carol")].similarity == 1.0 and found[("alice", "carol")].report == ""
    for other in ("alice", "carol"):
        pair = found.get((other, "bob")) or found.get(("bob", other))
        assert pair is not None and pair.similarity > 0.5 and pair.report, pairs  # renames do not hide a copy
        assert (tmp_path / "out" / pair.report.removeprefix("similarity/")).is_file()
    assert not [p for p in pairs if {"dave", "erin"} & {p.student_a, p.student_b}], pairs
    assert len(pairs) == 3
