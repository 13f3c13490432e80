"""``grader run MODULE``: run a chapter module as a program, from the chosen tree."""
from __future__ import annotations

import runpy
import sys

from grader.layout import resolve_target


def run_module(module: str, target: str, argv: list[str]) -> int:
    """``python -m MODULE argv...`` with the tree root first on ``sys.path``."""
    sys.path.insert(0, str(resolve_target(target)))
    sys.argv = [module] + argv
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0
