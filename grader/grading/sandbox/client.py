"""The trusted side of the sandbox: build a submission's sandbox folder, start and talk to its worker.

The folder holds only the submission's chapter packages, the kit's own given packages (``kitdata``),
the probe modules of the graded chapters and the worker runtime — never the reference, hidden
checks, expected values or held-out labels.
"""
from __future__ import annotations

import ast
import json
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from grader import REPO_ROOT
from grader.harness import codec
from grader.harness.outcomes import ProbeError
from grader.harness.probes import GraderError, Probe, probe_id
from grader.layout import SOLUTIONS, TESTS_HIDDEN, TESTS_PUBLIC, is_chapter
from grader.release.markers import functions

HERE = Path(__file__).parent
GIVEN_PACKAGES = ("kitdata",)
PASS_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
SECRETS = ("solutions", "tests_hidden", "mutants", ".git", "build", "examples", ".cache/grader")


@dataclass
class Limits:
    """Per-worker resource limits."""

    memory_mb: int = 6144
    cpu_seconds: int = 1800
    processes: int = 64
    file_mb: int = 256
    open_files: int = 256
    probe_seconds: float = 30.0  # per probe call unless the check sets its own (training runs do)
    submission_seconds: float = 1800.0
    probe_floor: float = 3.0  # a call the reference was timed on: see probe_limit
    probe_factor: float = 20.0


ONE_OFF_FACTOR = 2.0  # times the reference's one-off cost (what its second run of the call saved)


def probe_limit(limits: Limits, reference: Optional[tuple[float, float]], requested: Optional[float]) -> float:
    """A student call's time limit from the reference's ``(first, second)`` run of the same call:
    ``max(floor, factor × per-call time + 2 × one-off time)`` (a slower solution is slower per call; the one-off
    part — torch's first backward pass, say — is the same for it), never above the default. A check that sets
    its own ``timeout=`` (a training run, a judge enforcing a program's time limit) keeps it, as does a call
    without a reference time."""
    if requested or reference is None:
        return requested or limits.probe_seconds
    first, second = reference
    per_call = min(first, second)
    return min(limits.probe_seconds, max(limits.probe_floor, limits.probe_factor * per_call + ONE_OFF_FACTOR * (first - per_call)))


@dataclass
class SandboxConfig:
    """What the batch grader tells each sandbox: where it lives, what to hide, its limits."""

    base_dir: Path
    hide: list[str] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    slot: int = 0
    namespaces: bool = True


def library_dirs() -> list[str]:
    """The interpreter's package folders on ``sys.path``, including ones a ``.pth`` file adds (a venv
    layered on another one's packages): the worker imports numpy and torch from them."""
    return [p for p in sys.path if os.path.basename(p) in ("site-packages", "dist-packages") and os.path.isdir(p)]


def default_hidden(extra: list[Path]) -> list[str]:
    """The kit's secrets plus the batch's own folders (output, submissions)."""
    return [str(REPO_ROOT / s) for s in SECRETS] + [str(Path(p).resolve()) for p in extra]


def _copy_package(source: Path, dest: Path) -> None:
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"), symlinks=False)


def populate(folder: Path, tree: Path, chapters: list[str]) -> None:
    """Lay out a sandbox folder: the submission's chapters, given packages, probes and their shared
    helpers, the worker runtime."""
    for chapter in chapters:
        if (tree / chapter).is_dir():
            _copy_package(tree / chapter, folder / chapter)
    for name in GIVEN_PACKAGES:
        if (SOLUTIONS / name).is_dir():
            _copy_package(SOLUTIONS / name, folder / name)
    for tests in (TESTS_PUBLIC, TESTS_HIDDEN):
        package = folder / tests.name
        package.mkdir()
        (package / "__init__.py").write_text("")
        for helper in tests.glob("*.py"):  # probe helpers the chapters share (e.g. torch_helpers.py)
            if helper.name != "__init__.py":
                shutil.copy2(helper, package / helper.name)
        for chapter in chapters:
            probes = sorted((tests / chapter).glob("probes*.py"))
            if probes:
                (package / chapter).mkdir()
                (package / chapter / "__init__.py").write_text("")
                for p in probes:
                    shutil.copy2(p, package / chapter / p.name)
    shutil.copy2(HERE / "worker.py", folder / "_kit_worker.py")
    shutil.copy2(REPO_ROOT / "grader" / "harness" / "codec.py", folder / "_kit_codec.py")
    (folder / "tmp").mkdir()


PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a child before exec: get SIGKILL when the parent dies (a ``preexec_fn``; Linux only)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_sandboxes(base: Path) -> list[Path]:
    """Remove sandbox folders left by grader processes that no longer run (e.g. after ``kill -9``)."""
    removed = []
    for folder in base.glob("sbx-*-*") if base.is_dir() else []:
        owner = folder.name.split("-")[1]
        if owner.isdigit() and not _alive(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def processes_mentioning(marker: str) -> list[int]:
    """Pids (not this one) whose environment or command line contains ``marker``, e.g. a run's sandbox folder:
    what a killed run left running."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            blob = (entry / "environ").read_bytes() + (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in blob:
            found.append(int(entry.name))
    return found


def data_dirs() -> dict[str, str]:
    """The data folders a worker reads (read-only): tiktoken's cache, the kit's cache, ``datasets/``."""
    return {"TIKTOKEN_CACHE_DIR": os.environ.get("TIKTOKEN_CACHE_DIR", str(REPO_ROOT / ".cache" / "tiktoken")),
            "KIT_CACHE_DIR": os.environ.get("KIT_CACHE_DIR", str(REPO_ROOT / ".cache" / "kitdata")),
            "KIT_DATASETS_DIR": os.environ.get("KIT_DATASETS_DIR", str(REPO_ROOT / "datasets"))}


def share_caches(paths: list[str]) -> list[str]:
    """Make the caches the sandbox reads world-readable (the worker runs under another uid);
    returns the files that stay unreadable to others."""
    unreadable = []
    for top in paths:
        for root, dirs, files in os.walk(top):
            for name in [*dirs, *files]:
                path = os.path.join(root, name)
                st = os.lstat(path)
                want = 0o005 if name in dirs else 0o004
                if st.st_mode & want != want:
                    try:
                        os.chmod(path, st.st_mode | want)
                    except OSError:
                        unreadable.append(path)
    return unreadable


@dataclass
class Frame:
    """One frame of a call in the submission's chapter code: file relative to the sandbox folder."""

    file: str
    line: int
    name: str


def chapter_frames(stack: Any) -> list[Frame]:
    """The frames in chapter code of a worker's ``stack`` (``[file, line, function]``, outermost first)."""
    frames = []
    for item in stack if isinstance(stack, list) else []:
        try:
            file, line, name = str(item[0]), int(item[1]), str(item[2])
        except (TypeError, ValueError, IndexError):
            continue
        parts = Path(file).parts
        if parts and is_chapter(parts[0]) and ".." not in parts:
            frames.append(Frame(file, line, name))
    return frames


def qualified_name(folder: Path, frame: Frame) -> Optional[tuple[str, str]]:
    """``(module, qualname)`` of the function a frame runs, read from the submission's file in the sandbox."""
    try:
        spans = functions((folder / frame.file).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return None
    inside = [q for first, last, q in spans if first <= frame.line <= last and q.rsplit(".", 1)[-1] == frame.name]
    if not inside:
        return None
    module = frame.file.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    return module, inside[-1]


def probe_imports(folder: Path, chapter: str) -> list[str]:
    """The chapter's probe modules in a sandbox folder and every module they import (torch, the chapter's own)."""
    names: list[str] = []
    for path in sorted(folder.glob(f"tests_*/{chapter}/probes*.py")):
        names.append(path.relative_to(folder).with_suffix("").as_posix().replace("/", "."))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
    return list(dict.fromkeys(names))


INTERRUPT_GRACE = 2.0  # seconds a request that ran out of time has to stop before its worker is killed


class WorkerDied(Exception):
    """The worker stopped answering (timeout, memory, crash or exit), or a request ran out of time and was
    stopped (``timed_out``; ``frames``: where it was, when the worker could say; ``in_chapter``: it was running
    the submission's own code, not a library's)."""

    def __init__(self, message: str, timed_out: bool = False, frames: Optional[list[Frame]] = None,
                 in_chapter: bool = False) -> None:
        super().__init__(message)
        self.timed_out, self.frames, self.in_chapter = timed_out, frames or [], in_chapter


class Sandbox:
    """One submission's sandbox folder and its worker, restarted on demand after a death."""

    def __init__(self, tree: Path, chapters: list[str], config: SandboxConfig) -> None:
        config.base_dir.mkdir(parents=True, exist_ok=True, mode=0o711)
        self.folder = Path(tempfile.mkdtemp(prefix=f"sbx-{os.getpid()}-", dir=config.base_dir))
        self.config = config
        populate(self.folder, tree, chapters)
        self.warm_up = [m for ch in chapters for m in probe_imports(self.folder, ch)]  # emptied if it ever times out
        self.proc: Optional[subprocess.Popen] = None
        self.isolation = "not started"
        self._fds: tuple[int, int, int] = (-1, -1, -1)  # requests, answers, launcher status
        self._interrupted = False  # this request ran out of time and the worker was asked to stop it
        self._deadline = 0.0
        self._launcher: dict = {}  # what the launcher reported

    def _spawn_config(self, fds: list[int]) -> dict:
        lim = self.config.limits
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.folder), "TMPDIR": str(self.folder / "tmp"),
               "LANG": "C.UTF-8", "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
               "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(self.folder / "tmp"), "KIT_OFFLINE": "1",
               "HF_HUB_OFFLINE": "1", **data_dirs()}
        env.update({k: os.environ[k] for k in PASS_ENV if k in os.environ})
        return {
            "sandbox": str(self.folder),
            "parent": os.getpid(),
            "python": sys.executable,
            "fds": fds,
            "env": env,
            "hide": list(self.config.hide),
            "keep": [str(self.folder), sys.prefix, sys.base_prefix, os.path.dirname(os.path.realpath(sys.executable)),
                     env["KIT_DATASETS_DIR"], env["KIT_CACHE_DIR"], env["TIKTOKEN_CACHE_DIR"], *library_dirs()],
            "uid": 61000 + self.config.slot,
            "gid": 61000 + self.config.slot,
            "namespaces": self.config.namespaces,
            "limits": {"data": lim.memory_mb << 20, "cpu": lim.cpu_seconds, "nproc": lim.processes,
                       "fsize": lim.file_mb << 20, "nofile": lim.open_files, "core": 0},
        }

    def start(self) -> None:
        """Launch the worker, read the isolation it got, and have it import what the probes need
        (with the default probe limit: a probe's own limit is not spent importing torch)."""
        req_r, req_w = os.pipe()
        ans_r, ans_w = os.pipe()
        st_r, st_w = os.pipe()
        cfg = self._spawn_config([req_r, ans_w, st_w])
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-S", str(HERE / "launcher.py"), json.dumps(cfg)],
            pass_fds=(req_r, ans_w, st_w), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, close_fds=True, preexec_fn=die_with_parent,
        )
        for fd in (req_r, ans_w, st_w):
            os.close(fd)
        self._fds = (req_w, ans_r, st_r)
        self._launcher = {}
        self._read_status(30)
        self.isolation = self._launcher.get("isolation", "unknown")
        if self.warm_up:
            try:
                self._exchange(codec.encode({"imports": self.warm_up}), self.config.limits.probe_seconds)
            except WorkerDied as exc:  # e.g. a chapter module that loops when imported: its probes tell
                self.warm_up = []
                if not exc.timed_out:
                    raise

    def _read_status(self, wait: float) -> None:
        """Read the launcher's status lines so far (``isolation``, and ``error`` if the worker never ran)."""
        while select.select([self._fds[2]], [], [], wait)[0]:
            chunk = os.read(self._fds[2], 4096)
            if not chunk:
                break
            for line in chunk.decode(errors="replace").splitlines():
                try:
                    self._launcher.update(json.loads(line))
                except ValueError:
                    pass
            wait = 0

    def kill(self) -> Optional[int]:
        """Kill the worker's whole process group; returns the launcher's exit code."""
        if self.proc is None:
            return None
        self._read_status(0)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        code = self.proc.wait()
        for fd in self._fds:
            try:
                os.close(fd)
            except OSError:
                pass
        self.proc = None
        return code

    def _death(self, timed_out: bool, timeout: float) -> WorkerDied:
        code = self.kill()
        if timed_out:
            return WorkerDied(f"timeout: no answer within {timeout:g} s", True)
        if code is not None and code > 128:
            sig = code - 128
            if sig == signal.SIGKILL:
                return WorkerDied("killed (out of memory or too many processes?)")
            if sig == signal.SIGXCPU:
                return WorkerDied("CPU time limit exceeded")
            return WorkerDied(f"crashed (signal {sig})")
        error = str(self._launcher.get("error", ""))[:500]
        return WorkerDied(f"exited (code {code})" + (f": {error}" if error else ""))

    def _read(self, n: int, timeout: float) -> bytes:
        chunks = []
        while n:
            left = self._deadline - time.monotonic()
            ready, _, _ = select.select([self._fds[1]], [], [], max(0.0, left))
            if not ready and not self._interrupted and self._interrupt():
                self._deadline = time.monotonic() + INTERRUPT_GRACE
                continue
            if not ready:
                raise self._death(True, timeout)
            chunk = os.read(self._fds[1], min(n, 1 << 20))
            if not chunk:
                raise self._death(False, timeout)
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def call(self, request: bytes, timeout: float) -> bytes:
        """Send one request and wait for its answer (starting the worker if needed)."""
        if self.proc is None:
            self.start()
        return self._exchange(request, timeout)

    def _interrupt(self) -> bool:
        """Time is up: ask the worker to stop the running request (SIGUSR2 to its process group)."""
        self._interrupted = True
        if self.proc is None:
            return False
        try:
            os.killpg(self.proc.pid, signal.SIGUSR2)
        except (ProcessLookupError, PermissionError):
            return False
        return True

    def _exchange(self, request: bytes, timeout: float) -> bytes:
        """One request and its answer within ``timeout``; a request that ran out of time but stopped when
        asked raises :class:`WorkerDied` (``timed_out``, with where it was) and leaves the worker up."""
        answer = self._answer(request, timeout)
        if self._interrupted:
            try:
                error = codec.decode(answer).get("error", {})
            except (codec.CodecError, AttributeError):
                error = {}
            error = error if isinstance(error, dict) else {}
            raise WorkerDied(f"timeout: stopped after {timeout:g} s", True, chapter_frames(error.get("stack")),
                             error.get("in_chapter") is True)
        return answer

    def _answer(self, request: bytes, timeout: float) -> bytes:
        self._interrupted = False
        self._deadline = time.monotonic() + timeout
        try:
            os.write(self._fds[0], struct.pack(">Q", len(request)) + request)
        except (BrokenPipeError, OSError):
            raise self._death(False, timeout) from None
        (size,) = struct.unpack(">Q", self._read(8, timeout))
        if size > 1 << 30:
            self.kill()
            raise WorkerDied("answer too large")
        return self._read(size, timeout)

    def close(self) -> None:
        """Stop the worker and remove the folder."""
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def preflight(config: SandboxConfig) -> Optional[str]:
    """Start one empty sandbox and ask its worker for its pid: ``None`` if that works, else why not."""
    with tempfile.TemporaryDirectory() as empty:
        sandbox = Sandbox(Path(empty), [], config)
        try:
            codec.decode(sandbox.call(codec.encode({"module": "os", "function": "getpid", "args": [], "kwargs": {}}), 60))
            return None
        except (WorkerDied, codec.CodecError) as exc:
            return str(exc)
        finally:
            sandbox.close()


class SandboxRunner:
    """Runs probes in one sandbox, each call within a limit (see :func:`probe_limit`) and the submission's budget.

    A call that ran out of a limit below the ``ceiling`` (the check's own or the default) while it was not
    running the submission's own code — a library's lazy import, say, which the reference had already done —
    runs again with the ceiling in a fresh worker (the interrupted library may be half-initialised).

    Fail fast, so that a function that loops forever costs one time limit, not one per test: a probe that timed out is not run again in this submission, and the student function it was stuck in (the
    outermost frame in the chapter's code: the call the probe made that did not return) raises at once
    wherever a later probe calls it. Timeouts and both refusals are the student's, with bilingual messages."""

    def __init__(self, sandbox: Sandbox, started: Optional[float] = None) -> None:
        self.sandbox = sandbox
        self.started = time.monotonic() if started is None else started
        self.timed_out: dict[str, dict] = {}  # probe id -> its timeout's message fields
        self.stuck: dict[str, dict] = {}  # "module:qualname" of a student function that did not return -> fields

    def _timeout(self, exc: WorkerDied, limit: float) -> ProbeError:
        """The student's timeout, with where it was; remembers the function it was stuck in."""
        fields: dict[str, Any] = {"seconds": round(limit, 1), "call": "?", "file": "?", "line": 0}
        named = qualified_name(self.sandbox.folder, exc.frames[0]) if exc.frames else None
        if named:
            fields.update(call=named[1], file=exc.frames[-1].file, line=exc.frames[-1].line)
            self.stuck.setdefault(":".join(named), fields)
        return ProbeError("Timeout", str(exc), fields["file"] if named else "", fields["line"],
                          key="timeout" if named else "timeout.unknown", fields=fields)

    def run(self, probe: Probe, args: tuple, kwargs: dict, limit: float, ceiling: float) -> Any:
        """``probe(*args, **kwargs)`` in the sandbox within ``limit`` seconds (at most ``ceiling`` with the retry)."""
        limits = self.sandbox.config.limits
        left = limits.submission_seconds - (time.monotonic() - self.started)
        if left <= 0:
            raise ProbeError("Timeout", "the submission's time budget is used up", key="budget",
                             fields={"seconds": limits.submission_seconds})
        pid = probe_id(probe)
        if pid in self.timed_out:
            raise ProbeError("Timeout", "timed out earlier in this submission; not run again", key="timeout.again",
                             fields=self.timed_out[pid])
        module, function = pid.split(":")
        request = codec.encode({"module": module, "function": function, "args": list(args), "kwargs": kwargs,
                                "stubs": [key.split(":") for key in self.stuck]})
        limit = min(left, limit)
        try:
            answer = codec.decode(self.sandbox.call(request, limit))
        except WorkerDied as exc:
            if not exc.timed_out:
                raise ProbeError("WorkerDied", str(exc)) from None
            if not exc.in_chapter and limit < min(left, ceiling):
                self.sandbox.kill()  # stopped inside a library (an import, say): its state is not to be trusted
                return self.run(probe, args, kwargs, ceiling, ceiling)
            error = self._timeout(exc, limit)
            self.timed_out[pid] = error.fields
            raise error from None
        except codec.CodecError as exc:
            raise ProbeError("BadAnswer", f"unreadable answer from the sandbox: {exc}") from None
        if not isinstance(answer, dict) or len(answer) != 1 or not ({"ok", "error"} & answer.keys()):
            raise ProbeError("BadAnswer", "malformed answer from the sandbox")
        if "error" in answer:
            err = answer["error"] if isinstance(answer["error"], dict) else {}
            if err.get("kit") and not err.get("todo"):
                raise GraderError(f"the kit's given code raised {err.get('type')} in the sandbox: {err.get('message')}")
            if err.get("type") == "EarlierTimeout" and err.get("message") in self.stuck:
                raise ProbeError("Timeout", "cut short: it timed out earlier", str(err.get("file", "")),
                                 int(err.get("line", 0) or 0), key="timeout.earlier", fields=self.stuck[err["message"]])
            raise ProbeError(str(err.get("type", "Error")), str(err.get("message", "")), str(err.get("file", "")),
                             int(err.get("line", 0) or 0), bool(err.get("todo", False)))
        return answer["ok"]
