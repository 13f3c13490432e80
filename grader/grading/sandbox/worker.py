"""The sandboxed worker: answers probe calls on fd 3 / fd 4. Runs with the sandbox folder as cwd.

Frames are an 8-byte big-endian length and a codec blob. A request is
``{"module", "function", "args", "kwargs", "stubs"}`` (``stubs``: ``[module, qualname]`` of student functions
that timed out before: they raise :class:`EarlierTimeout` instead of running) or ``{"imports": [module, ...]}``
(import them now, errors ignored: the modules the probes need, so that a probe's time limit is not spent
importing torch); the answer is ``{"ok": result}`` or
``{"error": {"kit", "type", "message", "file", "line", "todo"}}`` (``kit``: raised inside the kit's given
``kitdata`` package, e.g. a missing cache — a grader error, not the student's; ``stack``: the frames in the
submission's code, outermost first; ``in_chapter``: an interrupted request was running the submission's own
code, not a library's). SIGUSR2 (the parent's time limit passed) raises :class:`Interrupted`
in the running request, whose answer then says where it was, and the worker stays up for the next one;
a call that does not stop for it is killed with the worker by the parent.
Imports only the standard library, numpy (through the codec) and whatever the probes import.
"""
import importlib
import os
import signal
import struct
import sys
import traceback

REQUEST_FD, RESPONSE_FD = 3, 4


class Interrupted(BaseException):
    """The parent's time limit for this request passed (a BaseException: ``except Exception`` does not swallow it)."""


class Busy:
    """Whether a request is running (SIGUSR2 interrupts only that, never the worker's own reading and writing)."""

    now = False


def interrupt(signum, frame):
    if Busy.now:
        Busy.now = False
        raise Interrupted()


def read_exact(fd, n):
    chunks = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def write_frame(fd, blob):
    data = struct.pack(">Q", len(blob)) + blob
    while data:
        data = data[os.write(fd, data):]


def _todo(exc):  # as grader.harness.outcomes._is_todo; the worker imports nothing from the kit
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, NotImplementedError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def describe(exc, root):
    """The error as plain data, located at the deepest frame inside the sandbox's chapter code."""
    trace = traceback.extract_tb(exc.__traceback__)
    frames = [f for f in trace if f.filename.startswith(root + os.sep)]
    chapter = [f for f in frames if not os.path.basename(f.filename).startswith(("_kit_", "probes"))]
    running = trace[-2] if isinstance(exc, Interrupted) and len(trace) > 1 else None  # the frame the signal stopped
    where = chapter[-1] if chapter else None
    kit = os.path.join(root, "kitdata") + os.sep  # the kit's given support package
    return {
        "kit": bool(frames) and frames[-1].filename.startswith(kit),
        "type": type(exc).__name__,
        "message": str(exc)[:2000],
        "file": os.path.relpath(where.filename, root) if where else "",
        "line": where.lineno if where else 0,
        "todo": _todo(exc),
        "stack": [[os.path.relpath(f.filename, root), f.lineno or 0, f.name] for f in chapter[:50]],
        "in_chapter": running is not None and bool(chapter) and running is chapter[-1],
    }


class EarlierTimeout(Exception):
    """Raised by a student function that did not return in time in an earlier call of this submission."""


def stub(module_name, qualname):
    """Replace ``module_name``'s ``qualname`` (a function or method) by one raising :class:`EarlierTimeout`."""
    try:
        owner = importlib.import_module(module_name)
        *path, name = qualname.split(".")
        for part in path:
            owner = getattr(owner, part)
        getattr(owner, name)
    except Interrupted:
        raise
    except BaseException:  # noqa: BLE001 — the probe reports the module's own errors
        return
    key = f"{module_name}:{qualname}"

    def earlier_timeout(*args, **kwargs):
        raise EarlierTimeout(key)

    setattr(owner, name, earlier_timeout)


def warm(modules):
    """Import ``modules`` now; a module that fails to import fails again, and is reported, in its probe."""
    for name in modules:
        try:
            importlib.import_module(name)
        except Interrupted:
            raise
        except BaseException:  # noqa: BLE001
            pass


NETWORK_EVENTS = {"socket.connect", "socket.bind", "socket.getaddrinfo", "socket.sendto", "socket.sendmsg"}


def refuse_sockets(event, args):
    """Audit hook for the basic sandbox (no network namespace): no connection, no name lookup."""
    if event in NETWORK_EVENTS:
        raise PermissionError(f"network access is not allowed while grading ({event})")


def handle(request):
    """One request's result: warm the imports, or stub the functions that timed out and run the probe."""
    if "imports" in request:
        return warm(request["imports"])
    for module_name, qualname in request.get("stubs", []):
        stub(module_name, qualname)
    module = importlib.import_module(request["module"])
    return getattr(module, request["function"])(*request["args"], **request["kwargs"])


def main():
    if os.environ.get("KIT_REFUSE_SOCKETS") == "1":
        sys.addaudithook(refuse_sockets)
    signal.signal(signal.SIGUSR2, interrupt)
    root = os.getcwd()
    sys.path.insert(0, root)
    import _kit_codec as codec

    null = os.open(os.devnull, os.O_WRONLY)
    log = os.open(os.path.join(root, "worker.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    while True:
        header = read_exact(REQUEST_FD, 8)
        if header is None:
            return
        blob = read_exact(REQUEST_FD, struct.unpack(">Q", header)[0])
        if blob is None:
            return
        try:
            Busy.now = True
            result = handle(codec.decode(blob))
            Busy.now = False
            answer = codec.encode({"ok": result})
        except BaseException as exc:  # noqa: BLE001 — everything the student raises is an answer
            Busy.now = False
            try:
                answer = codec.encode({"error": describe(exc, root)})
            except BaseException:  # noqa: BLE001
                answer = codec.encode({"error": {"type": "Error", "message": "unreportable error", "file": "", "line": 0, "todo": False}})
        write_frame(RESPONSE_FD, answer)


if __name__ == "__main__":
    main()
