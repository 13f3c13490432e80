"""The sandboxed worker: answers probe calls on fd 3 / fd 4. Runs with the sandbox folder as cwd.

Frames are an 8-byte big-endian length and a codec blob. A request is
``{"module", "function", "args", "kwargs"}``; the answer is ``{"ok": result}`` or
``{"error": {"kit", "type", "message", "file", "line", "todo"}}`` (``kit``: raised inside the kit's given
``kitdata`` package, e.g. a missing cache — a grader error, not the student's). Imports only the standard library,
numpy (through the codec) and whatever the probes import.
"""
import importlib
import os
import struct
import sys
import traceback

REQUEST_FD, RESPONSE_FD = 3, 4


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
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(root + os.sep)]
    chapter = [f for f in frames if not os.path.basename(f.filename).startswith(("_kit_", "probes"))]
    where = chapter[-1] if chapter else None
    kit = os.path.join(root, "kitdata") + os.sep  # the kit's given support package
    return {
        "kit": bool(frames) and frames[-1].filename.startswith(kit),
        "type": type(exc).__name__,
        "message": str(exc)[:2000],
        "file": os.path.relpath(where.filename, root) if where else "",
        "line": where.lineno if where else 0,
        "todo": _todo(exc),
    }


NETWORK_EVENTS = {"socket.connect", "socket.bind", "socket.getaddrinfo", "socket.sendto", "socket.sendmsg"}


def refuse_sockets(event, args):
    """Audit hook for the basic sandbox (no network namespace): no connection, no name lookup."""
    if event in NETWORK_EVENTS:
        raise PermissionError(f"network access is not allowed while grading ({event})")


def main():
    if os.environ.get("KIT_REFUSE_SOCKETS") == "1":
        sys.addaudithook(refuse_sockets)
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
            request = codec.decode(blob)
            module = importlib.import_module(request["module"])
            result = getattr(module, request["function"])(*request["args"], **request["kwargs"])
            answer = codec.encode({"ok": result})
        except BaseException as exc:  # noqa: BLE001 — everything the student raises is an answer
            try:
                answer = codec.encode({"error": describe(exc, root)})
            except BaseException:  # noqa: BLE001
                answer = codec.encode({"error": {"type": "Error", "message": "unreportable error", "file": "", "line": 0, "todo": False}})
        write_frame(RESPONSE_FD, answer)


if __name__ == "__main__":
    main()
