"""``grader run MODULE``: run a chapter module as a program, from the chosen tree."""
from __future__ import annotations

import os
import runpy
import sys

from grader import i18n
from grader.layout import resolve_target


def run_module(module: str, target: str, argv: list[str]) -> int:
    """``python -m MODULE argv...`` with the tree root first on ``sys.path``.

    The kit's language is passed on as ``GRADER_LANG``; a task still to do ends the program with a
    short message naming it instead of a traceback.
    """
    sys.path.insert(0, str(resolve_target(target)))
    sys.argv = [module] + argv
    os.environ["GRADER_LANG"] = i18n.get_lang()
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except NotImplementedError as exc:
        print(i18n.t("run.todo", detail=str(exc) or type(exc).__name__, chapter=module.split(".")[0]), file=sys.stderr)
        return 1
    return 0
