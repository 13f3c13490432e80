"""Reference results for public tests, stored so students can run them without the reference.

Each chapter's public reference calls live in ``tests_public/<chapter>/snapshots.npz`` (one entry
per call: key = fingerprint of the call, value = the codec blob). Where ``solutions/`` exists the
reference runs live; ``grader snapshots`` records the file and ``--check`` proves it is current.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Optional

import numpy as np

from grader.harness import codec
from grader.harness.check import Message
from grader.harness.probes import Probe, ProbeRunner, call_key, chapter_of
from grader.layout import TESTS_PUBLIC


def snapshot_path(chapter: str) -> Path:
    return TESTS_PUBLIC / chapter / "snapshots.npz"


def load(chapter: str) -> dict[str, bytes]:
    """The stored blobs of one chapter (empty when there is no file)."""
    path = snapshot_path(chapter)
    if not path.is_file():
        return {}
    with np.load(path, allow_pickle=False) as data:
        return {k: data[k].tobytes() for k in data.files}


def save(chapter: str, blobs: dict[str, bytes]) -> None:
    """Write a chapter's snapshot file (sorted keys, so identical content gives identical entries)."""
    buf = io.BytesIO()
    np.savez_compressed(buf, **{k: np.frombuffer(blobs[k], dtype=np.uint8) for k in sorted(blobs)})  # type: ignore[arg-type]
    snapshot_path(chapter).write_bytes(buf.getvalue())


class SnapshotRunner:
    """Answers reference calls from the stored snapshots (the student release has no reference)."""

    def __init__(self) -> None:
        self._chapters: dict[str, dict[str, bytes]] = {}

    def __call__(self, probe: Probe, *args: Any, timeout: Optional[float] = None, **kwargs: Any) -> Any:
        chapter = chapter_of(probe) or ""
        blobs = self._chapters.setdefault(chapter, load(chapter))
        key = call_key(probe, args, kwargs)
        if key not in blobs:
            raise Message(
                {"zh": f"缺少参考结果快照（{probe.__name__}）：请重新获取作业包。",
                 "en": f"missing reference snapshot for {probe.__name__}: please re-download the assignment."}
            )
        return codec.decode(blobs[key])


class RecordingRunner:
    """Wraps the live reference and keeps every public call's result, per chapter."""

    def __init__(self, inner: ProbeRunner) -> None:
        self.inner = inner
        self.recorded: dict[str, dict[str, bytes]] = {}

    def __call__(self, probe: Probe, *args: Any, timeout: Optional[float] = None, **kwargs: Any) -> Any:
        result = self.inner(probe, *args, timeout=timeout, **kwargs)
        if probe.__module__.startswith("tests_public."):
            key = call_key(probe, args, kwargs)
            self.recorded.setdefault(chapter_of(probe) or "", {})[key] = codec.encode(result)
        return result
