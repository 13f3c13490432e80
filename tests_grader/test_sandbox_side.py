"""The modules copied into a sandbox (codec, worker, launcher) import only the standard library (and
numpy / torch where needed), never the kit: the sandbox has no grader package, and the trusted code
must not depend on anything a submission could shadow. Each says so at its top."""
import ast
import sys

import pytest

from grader import REPO_ROOT

SANDBOX_SIDE = {"grader/harness/codec.py": {"numpy", "torch"}, "grader/grading/sandbox/worker.py": set(),
                "grader/grading/sandbox/launcher.py": set()}


@pytest.mark.parametrize("rel", sorted(SANDBOX_SIDE))
def test_imports_only_the_standard_library(rel):
    text = (REPO_ROOT / rel).read_text(encoding="utf-8")
    tops = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            tops |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level:
            tops.add((node.module or "").split(".")[0])
    allowed = set(sys.stdlib_module_names) | SANDBOX_SIDE[rel] | {"_kit_codec"}
    assert tops <= allowed, f"{rel} imports {sorted(tops - allowed)}"
    assert "sandbox" in ast.get_docstring(ast.parse(text)).lower(), f"{rel}: say at the top that it runs sandbox-side"
