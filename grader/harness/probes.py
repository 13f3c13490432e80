"""Running probes: in this process against a :class:`~grader.harness.trees.Tree`.

A probe is a top-level function of a ``probes*.py`` module under ``tests_public/<chapter>/`` or
``tests_hidden/<chapter>/``. It imports the chapter's modules itself, calls them and returns plain
data. Arguments and results always pass through the codec, in process too, so a probe that works
here works unchanged across the grader's sandbox boundary.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from contextlib import contextmanager, nullcontext
from typing import Any, Callable, Iterator, Optional, Protocol

from grader.harness import codec
from grader.harness.trees import Tree
from grader.layout import is_chapter

Probe = Callable[..., Any]


class ProbeRunner(Protocol):
    """Something that runs a probe on one implementation and returns its (decoded) result."""

    def __call__(self, probe: Probe, *args: Any, timeout: Optional[float] = None, **kwargs: Any) -> Any: ...


def probe_id(probe: Probe) -> str:
    """``module:function`` — how a probe is named across process boundaries."""
    if "<locals>" in probe.__qualname__ or not probe.__module__:
        raise ValueError(f"probe {probe.__qualname__} must be a top-level function of a probes module")
    return f"{probe.__module__}:{probe.__qualname__}"


def chapter_of(probe: Probe) -> Optional[str]:
    """The chapter a probe belongs to: ``tests_public.ch01_game2048.probes`` -> ``ch01_game2048``."""
    parts = probe.__module__.split(".")
    return next((p for p in parts if is_chapter(p)), None)


def call_key(probe: Probe, args: tuple, kwargs: dict) -> str:
    """A stable hash of a probe call (for caching reference results)."""
    return codec.fingerprint({"probe": probe_id(probe), "args": list(args), "kwargs": kwargs})


class GraderError(Exception):
    """Something failed on the trusted side (the reference, a cache, the kit itself): never the student's fault."""


def blame_student(exc: BaseException) -> BaseException:
    """Mark an exception as raised by the implementation under test (see :func:`is_students`)."""
    exc.__dict__["_kit_student"] = True
    return exc


def is_students(exc: BaseException) -> bool:
    """True for an exception that :class:`InProcessRunner` saw coming out of the code under test."""
    return bool(getattr(exc, "__dict__", {}).get("_kit_student"))


DEFAULT_PROBE_SECONDS = float(os.environ.get("KIT_PROBE_SECONDS", "30"))  # make test: per probe call


class ProbeTimeout(TimeoutError):
    """The code under test did not return within the probe's time limit (``make test``, in process)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"did not return within {seconds:g} s")
        self.seconds = seconds


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`ProbeTimeout` inside the running code after ``seconds`` (main thread only; an outer
    alarm such as pytest-timeout's is suspended and re-armed with what it had left)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise ProbeTimeout(seconds)

    start = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(0.001, outer - (time.monotonic() - start)))


class InProcessRunner:
    """Runs probes against ``tree`` in this process (what ``grader test`` and ``make test`` use).

    An exception from the code under test is marked as the student's; from the reference
    (``reference=True``) it becomes a :class:`GraderError`.
    """

    def __init__(self, tree: Tree, reference: bool = False) -> None:
        self.tree = tree
        self.reference = reference

    def __call__(self, probe: Probe, *args: Any, timeout: Optional[float] = None, **kwargs: Any) -> Any:
        args, kwargs = codec.roundtrip((list(args), kwargs))
        limit = None if self.reference else (timeout or DEFAULT_PROBE_SECONDS)
        try:
            with self.tree.active(chapter_of(probe)), time_limit(limit) if limit else nullcontext():
                result = probe(*args, **kwargs)
            return codec.roundtrip(result)
        except Exception as exc:
            if self.reference:
                raise GraderError(f"the reference raised {type(exc).__name__} in {probe_id(probe)}: {exc}") from exc
            blame_student(exc)
            raise


class CachedRunner:
    """Memoises another runner's results by call (reference results are computed once)."""

    def __init__(self, inner: ProbeRunner) -> None:
        self.inner = inner
        self._cache: dict[str, bytes] = {}

    def __call__(self, probe: Probe, *args: Any, timeout: Optional[float] = None, **kwargs: Any) -> Any:
        key = call_key(probe, args, kwargs)
        if key not in self._cache:
            self._cache[key] = codec.encode(self.inner(probe, *args, timeout=timeout, **kwargs))
        return codec.decode(self._cache[key])
