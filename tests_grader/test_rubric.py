"""Every rubric names tests that exist, with known visibilities and positive points."""
import ast

import pytest

from grader.grading import rubric
from grader.layout import TESTS_HIDDEN, TESTS_PUBLIC, chapters

KINDS = {"public": TESTS_PUBLIC, "hidden": TESTS_HIDDEN}


def _test_functions(kind: str, chapter: str) -> set[str]:
    names = set()
    for path in (KINDS[kind] / chapter).glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= {f"{kind}/{n.name}" for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}
    return names


@pytest.mark.parametrize("chapter", chapters(TESTS_PUBLIC))
def test_rubric_names_real_tests(chapter):
    rules = rubric.load(chapter)
    known = _test_functions("public", chapter) | _test_functions("hidden", chapter)
    assert set(rules.points) <= known, f"{chapter}: rubric names unknown tests {sorted(set(rules.points) - known)}"
    assert set(rules.gates) <= known, f"{chapter}: rubric gates name unknown tests {sorted(set(rules.gates) - known)}"
    assert not set(rules.gates) & set(rules.points), f"{chapter}: a gate scores nothing; it cannot have points"
    assert all(p > 0 for p in rules.points.values())
