"""``grader run MODULE``: run a chapter module as a program, from the chosen tree."""
from __future__ import annotations

import os
import re
import runpy
import sys
from pathlib import Path
from typing import Optional

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
        chapter = module.split(".")[0]
        first = first_todo(resolve_target(target) / chapter)
        print(i18n.t("run.todo", detail=first or str(exc) or type(exc).__name__, chapter=chapter), file=sys.stderr)
        return 1
    return 0


TODO_STUB = re.compile(r'NotImplementedError\("(TODO (\d+)\.(\d+)[^"]*)"\)')


def first_todo(folder: Path) -> Optional[str]:
    """The lowest-numbered task still a stub in the chapter (``TODO 1.1: slide_and_merge``): programs use
    the chapter's earlier tasks, so that is the one to do first."""
    found = [(int(m[2]), int(m[3]), m[1]) for path in sorted(folder.glob("*.py"))
             for m in TODO_STUB.finditer(path.read_text(encoding="utf-8", errors="replace"))]
    return min(found)[2] if found else None
