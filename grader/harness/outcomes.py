"""What happened in one test, in plain data: pass / fail / todo / error, with a diagnosis."""
from __future__ import annotations

import reprlib
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional

from grader.harness.check import CheckFailure
from grader.harness.probes import ProbeTimeout, is_students
from grader.i18n import LANGS, t


GRADER_ERROR = "grader-error"


class ProbeError(Exception):
    """The implementation under test failed inside a probe run elsewhere (e.g. in the sandbox)."""

    def __init__(self, exc_type: str, message: str, file: str = "", line: int = 0, todo: bool = False,
                 key: str = "", fields: Optional[dict[str, Any]] = None) -> None:
        super().__init__(f"{exc_type}: {message}")
        self.exc_type, self.message, self.file, self.line, self.todo = exc_type, message, file, line, todo
        self.key, self.fields = key, fields or {}  # an i18n message for the student instead of "raised"


@dataclass
class Outcome:
    """One test's result as students, TAs and the gradebook see it."""

    name: str  # "<chapter>/<public|hidden>/<test>"
    chapter: str
    kind: str  # "public" | "hidden"
    tasks: list[str]
    status: str  # "pass" | "fail" | "todo" | "error" | "skip" | "grader-error"
    fraction: float = 0.0
    detail: dict[str, str] = field(default_factory=dict)  # lang -> full diagnosis
    brief: dict[str, str] = field(default_factory=dict)  # lang -> reason without expected values
    duration: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _both(fn: Any) -> dict[str, str]:
    return {lang: fn(lang) for lang in LANGS}


def _is_todo(exc: Optional[BaseException]) -> bool:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, NotImplementedError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _timed_out(exc: BaseException) -> bool:
    """pytest-timeout's failure (in process, the code under test did not return in time)."""
    return type(exc).__name__ == "Failed" and str(exc).startswith("Timeout")


def _where(exc: BaseException, target_root: Optional[Path]) -> tuple[str, int]:
    """The deepest traceback frame inside the implementation under test."""
    frames = traceback.extract_tb(exc.__traceback__)
    if target_root is not None:
        inside = [f for f in frames if Path(f.filename).resolve().is_relative_to(target_root)]
        if inside:
            f = inside[-1]
            return str(Path(f.filename).resolve().relative_to(target_root)), f.lineno or 0
    return "", 0


def _stuck_call(exc: BaseException, target_root: Optional[Path]) -> str:
    """``function(arg=value, ...)`` of the deepest frame in the code under test when time ran out."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename).resolve()
        if target_root is not None and path.is_relative_to(target_root):
            found = tb.tb_frame
        tb = tb.tb_next
    if found is None:
        return "?"
    code = found.f_code
    names = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
    shown = ", ".join(f"{n}={reprlib.repr(found.f_locals.get(n))}" for n in names if n != "self")
    return f"{code.co_name}({shown})"


def classify(exc: Optional[BaseException], target_root: Optional[Path] = None) -> tuple[str, float, dict, dict]:
    """``(status, fraction, detail, brief)`` for a test that raised ``exc`` (``None``: passed)."""
    if exc is None:
        return "pass", 1.0, {}, {}
    if isinstance(exc, CheckFailure):
        return "fail", exc.fraction, _both(exc.detail), _both(exc.brief)
    if isinstance(exc, ProbeError):
        if exc.todo:
            msg = _both(lambda lang: t("todo", lang, detail=exc.message))
            return "todo", 0.0, msg, msg
        if exc.key:
            msg = _both(lambda lang: t(exc.key, lang, **exc.fields))
            return "error", 0.0, msg, msg
        exc_type, message, file, line = exc.exc_type, exc.message, exc.file, exc.line
    elif not (is_students(exc) or isinstance(exc, NotImplementedError) or _timed_out(exc)):  # the reference, a cache, a check or the kit itself
        msg = _both(lambda lang: t("grader_error", lang, exc=type(exc).__name__, msg=str(exc)[:500]))
        return GRADER_ERROR, 0.0, msg, msg
    elif _is_todo(exc):
        msg = _both(lambda lang: t("todo", lang, detail=str(exc) or type(exc).__name__))
        return "todo", 0.0, msg, msg
    elif isinstance(exc, ProbeTimeout):
        call, (file, line) = _stuck_call(exc, target_root), _where(exc, target_root)
        msg = _both(lambda lang: t("timeout", lang, call=call, seconds=exc.seconds, file=file or "?", line=line))
        return "error", 0.0, msg, msg
    else:
        exc_type, message = type(exc).__name__, str(exc)
        file, line = _where(exc, target_root)

    def render(lang: str) -> str:
        where = t("raised.where", lang, file=file, line=line) if file else ""
        return t("raised", lang, exc=exc_type, msg=message[:500], where=where)

    msg = _both(render)
    return "error", 0.0, msg, msg
