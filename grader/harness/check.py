"""Comparison helpers for checks: exact data, numbers/arrays/tensors with tolerances, partial credit.

Each raises :class:`CheckFailure` (an ``AssertionError``) whose text is rendered in the student's
language when shown. ``detail()`` names where and by how much a value is off (for public tests);
``brief()`` says what failed without any expected value (for hidden tests). :func:`cases` compares
one result per call and names the call that failed (``slide_and_merge([2, 2, 2, 2])``).
"""
from __future__ import annotations

import re
from typing import Any, Callable, Optional, Sequence

import numpy as np

from grader.i18n import pick, t


class CheckFailure(AssertionError):
    """A failed check; ``key``/``params`` name an i18n message (``key.brief`` if it has one)."""

    fraction = 0.0

    def __init__(self, key: str, brief_key: Optional[str] = None, **params: Any) -> None:
        self.key, self.brief_key, self.params = key, brief_key, params
        super().__init__(self.detail())

    def detail(self, lang: Optional[str] = None) -> str:
        """The full diagnosis (may show expected values)."""
        return t(self.key, lang, **self.params)

    def brief(self, lang: Optional[str] = None) -> str:
        """A reason that reveals no expected value."""
        if self.brief_key is None:
            return t(self.key, lang, **self.params)
        return t(self.brief_key, lang, **self.params)

    def __str__(self) -> str:
        return self.detail()


class PartialCredit(CheckFailure):
    """A check that earned ``fraction`` (0 ≤ fraction < 1) of its points."""

    def __init__(self, fraction: float, what: str, detail: "str | dict[str, str]") -> None:
        self.fraction = max(0.0, min(1.0, float(fraction)))
        self._detail_text = detail
        super().__init__("partial", "partial", what=what, fraction=self.fraction, detail="")

    def detail(self, lang: Optional[str] = None) -> str:
        return t("partial", lang, what=self.params["what"], fraction=self.fraction, detail=pick(self._detail_text, lang))

    brief = detail


class Message(CheckFailure):
    """A check failure with a free bilingual message (``{"zh": ..., "en": ...}``)."""

    def __init__(self, text: "dict[str, str] | str", brief: "dict[str, str] | str | None" = None) -> None:
        self._text, self._brief = text, brief if brief is not None else text
        super().__init__("equal")

    def detail(self, lang: Optional[str] = None) -> str:
        return pick(self._text, lang)

    def brief(self, lang: Optional[str] = None) -> str:
        return pick(self._brief, lang)


def that(condition: bool, text: "dict[str, str] | str", brief: "dict[str, str] | str | None" = None) -> None:
    """Fail with a bilingual message unless ``condition``."""
    if not condition:
        raise Message(text, brief)


def partial(fraction: float, what: str, detail: "str | dict[str, str]") -> None:
    """Award ``fraction`` of the points: passes at 1, else fails with :class:`PartialCredit`."""
    if fraction < 1.0:
        raise PartialCredit(fraction, what, detail)


def _short(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def show(value: Any, limit: int = 400) -> str:
    """A whole value as a student reads it: plain data as Python, arrays and tensors rounded, functions by name
    (cut when long)."""
    if callable(value) and hasattr(value, "__name__"):
        return str(value.__name__)
    if _is_arraylike(value):
        text = " ".join(np.array2string(_to_numpy(value), precision=4, threshold=60, edgeitems=3, separator=", ").split())
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def call(name: str, *args: Any, **kwargs: Any) -> str:
    """How a check names the call it made: ``call("slide_and_merge", [2, 2, 2, 2])`` -> ``slide_and_merge([2, 2, 2, 2])``."""
    shown = [show(a, 80) for a in args] + [f"{k}={show(v, 80)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(shown)})"


def _path(path: Sequence[Any]) -> str:
    return "".join(f"[{p!r}]" for p in path) or "(top)"


def _is_arraylike(x: Any) -> bool:
    return isinstance(x, np.ndarray) or type(x).__name__ in ("Tensor", "Parameter")


def _to_numpy(x: Any) -> np.ndarray:
    if type(x).__name__ in ("Tensor", "Parameter"):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def equal(got: Any, want: Any, what: str = "result", _path_: tuple = ()) -> None:
    """Exact structural equality of plain data (lists, tuples, dicts, numbers, strings)."""
    if _is_arraylike(want):
        close(got, want, atol=0.0, rtol=0.0, what=what)
        return
    if isinstance(want, (list, tuple)):
        if not isinstance(got, (list, tuple)):
            raise CheckFailure("type", "type.brief", what=what, got=type(got).__name__, want=type(want).__name__)
        if len(got) != len(want):
            raise CheckFailure("length", "length", what=what, path=_path(_path_), got=len(got), want=len(want))
        for i, (g, w) in enumerate(zip(got, want)):
            equal(g, w, what, _path_ + (i,))
        return
    if isinstance(want, dict):
        if not isinstance(got, dict):
            raise CheckFailure("type", "type.brief", what=what, got=type(got).__name__, want="dict")
        if set(got) != set(want):
            missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
            raise CheckFailure("keys", "keys", what=what, missing=missing, extra=extra)
        for k in want:
            equal(got[k], want[k], what, _path_ + (k,))
        return
    same = type(got) is type(want) or (isinstance(got, (int, float)) and isinstance(want, (int, float)) and not isinstance(got, bool))
    if not same or got != want:
        if isinstance(want, float) and isinstance(got, float) and np.isnan(want) and np.isnan(got):
            return
        raise CheckFailure("equal", "equal.brief", what=what, path=_path(_path_), got=_short(got), want=_short(want))


def close(
    got: Any,
    want: Any,
    atol: float = 1e-6,
    rtol: float = 1e-5,
    what: str = "result",
    check_dtype: bool = False,
) -> None:
    """``|got - want| <= atol + rtol * |want|`` elementwise; shapes must match; NaNs must match.

    Accepts scalars, (nested) sequences, numpy arrays and torch tensors.
    """
    if _is_arraylike(want) and not _is_arraylike(got) and not isinstance(got, (list, tuple, int, float)):
        raise CheckFailure("type", "type.brief", what=what, got=type(got).__name__, want=type(want).__name__)
    try:
        g = _to_numpy(got)
        w = _to_numpy(want)
    except (TypeError, ValueError):
        raise CheckFailure("type", "type.brief", what=what, got=type(got).__name__, want=type(want).__name__) from None
    if g.dtype == object or not (np.issubdtype(g.dtype, np.number) or g.dtype == bool):
        raise CheckFailure("type", "type.brief", what=what, got=f"{type(got).__name__}[{g.dtype}]", want="numbers")
    if g.shape != w.shape:
        raise CheckFailure("shape", "shape.brief", what=what, got=tuple(g.shape), want=tuple(w.shape))
    if check_dtype and _is_arraylike(got) and _is_arraylike(want) and str(got.dtype) != str(want.dtype):
        raise CheckFailure("dtype", "dtype", what=what, got=str(got.dtype), want=str(want.dtype))
    g64, w64 = g.astype(np.float64), w.astype(np.float64)
    finite_g, finite_w = np.isfinite(g64), np.isfinite(w64)
    odd = (finite_g != finite_w) | (~finite_w & ~np.isnan(w64) & (g64 != w64)) | (np.isnan(w64) != np.isnan(g64))
    if odd.any():
        index = tuple(int(i) for i in np.argwhere(odd)[0])
        raise CheckFailure("nan", "nan", what=what, index=index)
    both = finite_g & finite_w
    err = np.where(both, np.abs(g64 - w64), 0.0)
    bad = err > atol + rtol * np.abs(np.where(both, w64, 0.0))
    if bad.any():
        flat = int(np.argmax(np.where(bad, err, -1.0)))
        index = tuple(int(i) for i in np.unravel_index(flat, g.shape)) if g.shape else ()
        rel = err / np.maximum(np.abs(np.where(both, w64, 0.0)), 1e-300)
        raise CheckFailure(
            "close",
            "close.brief",
            what=what,
            shape=tuple(g.shape),
            n_bad=int(bad.sum()),
            n=int(g.size),
            max_abs=float(err.max()),
            max_rel=float(np.where(both, rel, 0.0).max()),
            index=index,
            got_at=_short(float(g64[index] if g.shape else g64.item())),
            want_at=_short(float(w64[index] if w.shape else w64.item())),
            atol=atol,
            rtol=rtol,
        )


class CaseFailure(CheckFailure):
    """One call's result was wrong: ``detail()`` names the call and shows the whole result and the expected
    one; ``brief()`` names the function only (a hidden test's inputs and expected values stay hidden)."""

    def __init__(self, called: str, got: Any, want: Any, why: CheckFailure) -> None:
        self.why = why
        super().__init__("case", None, call=called, got=show(got), want=show(want))

    def detail(self, lang: Optional[str] = None) -> str:
        text = t("case", lang, **self.params)
        return text if self.why.key in ("equal", "length") else f"{text}\n  {self.why.detail(lang)}"

    def brief(self, lang: Optional[str] = None) -> str:
        return self.why.brief(lang)


_CALLED = re.compile(r"[A-Za-z_][\w.]*(?=\()")


def _called_name(called: str) -> str:
    """The function a check's call names: the first one in its last statement that calls one
    (``torch.manual_seed(0); m = Net(); m(x)`` -> ``m``), else the text before the first parenthesis."""
    for statement in reversed(called.split(";")):
        found = _CALLED.search(statement)
        if found:
            return found.group()
    return called.split("(")[0]


def cases(calls: Sequence[str], got: Sequence[Any], want: Sequence[Any], compare: Callable[..., None] = equal,
          **tolerances: Any) -> None:
    """Compare one result per call (``compare``: :func:`equal`, or :func:`close` with ``atol``/``rtol``); the first
    mismatch fails naming its call (see :func:`call`) with the whole result and the whole expected value."""
    if not (len(calls) == len(got) == len(want)):
        raise ValueError(f"cases: {len(calls)} calls, {len(got)} results, {len(want)} expected values")
    for called, g, w in zip(calls, got, want):
        try:
            compare(g, w, what=_called_name(called), **tolerances)
        except CheckFailure as why:
            raise CaseFailure(called, g, w, why) from None


def entries(called: str, got: "dict[str, Any]", want: "dict[str, Any]", compare: Callable[..., None] = equal,
            **tolerances: Any) -> None:
    """Compare two mappings (state dicts) entry by entry: first their keys, then each value as ``called[key]``."""
    cases([f"{called}.keys()"], [sorted(got)], [sorted(want)])
    cases([f"{called}[{key!r}]" for key in want], [got[key] for key in want], list(want.values()), compare, **tolerances)
