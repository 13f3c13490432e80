"""Hidden probes stay hidden: a probe no public file reaches lives in ``tests_hidden/<chapter>/probes.py``
(students receive ``tests_public/``, so a public probe tells them what is checked), and the hidden
tests reach every probe through the hidden module, which imports the public ones."""
import ast
import re

import pytest

from grader.layout import TESTS_HIDDEN, TESTS_PUBLIC, chapters

# Kit code only hidden probes call, public on purpose: quizzes/ch13_transfer.yaml quotes their line
# ``model = models.resnet18(weights=None)``, which the release's leak check allows only from a public file.
KEPT_PUBLIC = {"ch04_cnn": {"kit_resnet18_cifar", "kit_resnet18_mnist"}}


def _top_level(tree: ast.Module) -> dict[str, ast.AST]:
    """The module's own functions, classes and constants, by name."""
    found: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            found[node.name] = node
        elif isinstance(node, ast.Assign):
            found.update({t.id: node for t in node.targets if isinstance(t, ast.Name)})
    return found


def unreached(chapter: str) -> list[str]:
    """Names of ``tests_public/<chapter>/probes.py`` that no other public file uses, directly or through
    another name of the module (word matches: a common name may pass unused, a used one never fails)."""
    probes = TESTS_PUBLIC / chapter / "probes.py"
    names = _top_level(ast.parse(probes.read_text(encoding="utf-8")))
    words = set(re.findall(r"\w+", " ".join(p.read_text(encoding="utf-8") for p in TESTS_PUBLIC.rglob("*.py") if p != probes)))
    reached = [n for n in names if n in words]
    seen = set(reached)
    while reached:
        uses = {m.id for m in ast.walk(names[reached.pop()]) if isinstance(m, ast.Name)}
        for name in (uses & names.keys()) - seen:
            seen.add(name)
            reached.append(name)
    return sorted(names.keys() - seen)


@pytest.mark.parametrize("chapter", chapters(TESTS_PUBLIC))
def test_every_public_probe_has_a_public_use(chapter):
    hidden = sorted(set(unreached(chapter)) - KEPT_PUBLIC.get(chapter, set()))
    assert not hidden, f"{chapter}: move to tests_hidden/{chapter}/probes.py: {hidden}"


@pytest.mark.parametrize("chapter", chapters(TESTS_PUBLIC))
def test_hidden_tests_use_the_hidden_probes(chapter):
    star = f"from tests_public.{chapter}.probes import *"
    assert star in (TESTS_HIDDEN / chapter / "probes.py").read_text(encoding="utf-8"), f"{chapter}: no `{star}`"
    for test in (TESTS_HIDDEN / chapter).glob("test_*.py"):
        imports = [line for line in test.read_text(encoding="utf-8").splitlines() if re.match(r"from \S+ import probes\b", line)]
        assert imports == [f"from tests_hidden.{chapter} import probes as P"], f"{test.name}: {imports}"
