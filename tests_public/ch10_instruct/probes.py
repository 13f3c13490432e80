"""Probes for ch10_instruct: call the implementation, return plain data. No expected values here.

Also the kit's fake Ollama server (:func:`fake_ollama`): a real HTTP server (``http.server``) that
answers ``POST /api/chat`` with scripted, streamed JSON lines and records every request. It listens on
127.0.0.1 only. Where this process cannot reach its own loopback (a grading sandbox has no network),
the client's connection to the fake server's address is handed to the same server over a socket
pair instead, so the student's HTTP client still speaks real HTTP to it; no other address is touched.
"""
from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

from tests_public.torch_helpers import kitdata_module


# ------------------------------------------------------------------------------------------------
# Prompts, partitions, dataset, collate, extraction
# ------------------------------------------------------------------------------------------------
def format_many(entries):
    from ch10_instruct.instruct import format_input

    return [format_input(dict(e)) for e in entries]


def partition(data, kwargs):
    from ch10_instruct.instruct import partition_data

    return [list(part) for part in partition_data(list(data), **kwargs)]


def _tokenizer():
    return kitdata_module("tinygpt").gpt2_encoding()


def dataset_encode(entries):
    """``InstructionDataset`` over ``entries`` with GPT-2's tokenizer: its texts, length and items."""
    from ch10_instruct.instruct import InstructionDataset

    dataset = InstructionDataset([dict(e) for e in entries], _tokenizer())
    return {"encoded_texts": [list(map(int, t)) for t in dataset.encoded_texts], "len": len(dataset),
            "items": [list(map(int, dataset[i])) for i in range(len(dataset))]}


def collate(batch, kwargs):
    """``custom_collate_fn(batch, **kwargs)``: the two tensors (on the CPU), their dtypes and device."""
    from ch10_instruct.instruct import custom_collate_fn

    inputs, targets = custom_collate_fn(batch, **kwargs)
    on_cpu = inputs.device.type == "cpu" and targets.device.type == "cpu"
    return {"inputs": inputs if on_cpu else None, "targets": targets if on_cpu else None,
            "dtypes": [str(inputs.dtype), str(targets.dtype)], "devices": [str(inputs.device), str(targets.device)],
            "batch_unchanged": batch}


def extract_many(pairs):
    from ch10_instruct.instruct import extract_response

    return [extract_response(generated, prompt) for generated, prompt in pairs]


# ------------------------------------------------------------------------------------------------
# Scoring with a scripted judge
# ------------------------------------------------------------------------------------------------
class _ScriptedJudge:
    """A kit judge: answers ``answers`` in turn and records every prompt."""

    def __init__(self, answers):
        self.answers, self.prompts = list(answers), []

    def __call__(self, prompt):
        self.prompts.append(prompt)
        return self.answers[len(self.prompts) - 1]


def _scored(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scores = call()
    return {"scores": [int(s) for s in scores], "score_types": sorted({type(s).__name__ for s in scores}),
            "warnings": [{"category": w.category.__name__, "message": str(w.message)} for w in caught]}


def score_scripted(entries, answers, json_key=None):
    """``score_responses`` with a scripted judge: scores, warnings, and the prompts it was sent."""
    from ch10_instruct.instruct import score_responses

    judge = _ScriptedJudge(answers)
    kwargs = {} if json_key is None else {"json_key": json_key}
    result = _scored(lambda: score_responses([dict(e) for e in entries], judge, **kwargs))
    result["prompts"] = judge.prompts
    return result


# ------------------------------------------------------------------------------------------------
# The fake Ollama server
# ------------------------------------------------------------------------------------------------
def _chunk_line(model, content, done):
    body = {"model": model, "created_at": "2026-01-01T00:00:00Z", "message": {"role": "assistant", "content": content},
            "done": done}
    if done:
        body.update(done_reason="stop", total_duration=1000, eval_count=3)
    return json.dumps(body)


class _Handler(BaseHTTPRequestHandler):
    """Serves one scripted reply per POST. A reply is a dict:
    ``{"chunks": [...]}`` streamed as chat chunks plus a final ``done`` line (``"after": [...]`` raw
    lines follow it); ``{"lines": [...]}`` raw lines; ``{"status": 404, "body": "..."}`` an HTTP error;
    ``"stall": s`` sleeps ``s`` seconds after the first line."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        self._send(200, b'{"models": []}', "application/json")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            body = {"unparsable": raw.decode("utf-8", errors="replace")[:500]}
        self.server.requests.append({"method": "POST", "path": self.path, "content_type": self.headers.get("Content-Type"),
                                     "body": body})
        replies = self.server.replies
        reply = replies.pop(0) if replies else {"status": 500, "body": '{"error": "the fake server has no reply left"}'}
        if "status" in reply:
            self._send(reply["status"], reply.get("body", "").encode(), "application/json")
            return
        model = body.get("model", "?") if isinstance(body, dict) else "?"
        lines = list(reply.get("lines") or [])
        if "chunks" in reply:
            lines = [_chunk_line(model, c, False) for c in reply["chunks"]] + [_chunk_line(model, "", True)]
            lines += list(reply.get("after") or [])
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for i, line in enumerate(lines):
                data = (line + "\n").encode("utf-8")
                self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()
                if i == 0 and reply.get("stall"):
                    time.sleep(float(reply["stall"]))
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except OSError:  # the client gave up (timeout)
            pass
        self.close_connection = True

    def _send(self, status, data, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, replies):
        super().__init__(("127.0.0.1", 0), _Handler, bind_and_activate=False)
        self.replies, self.requests = [dict(r) for r in replies], []


class _PairSocket:
    """The client end of a socket pair that tolerates TCP-only socket options (``TCP_NODELAY``)."""

    def __init__(self, sock):
        self._sock = sock

    def setsockopt(self, level, *args):
        if level != socket.IPPROTO_TCP:
            self._sock.setsockopt(level, *args)

    def __getattr__(self, name):
        return getattr(self._sock, name)


@contextlib.contextmanager
def fake_ollama(replies) -> Iterator[tuple[str, _Server]]:
    """Start the fake server; yields ``("127.0.0.1:PORT", server)`` (``server.requests`` records the calls)."""
    server = _Server(replies)
    try:
        server.server_bind()
        server.server_activate()
        address = server.server_address[:2]
        probe = socket.create_connection(address, timeout=2)  # can this process reach its own loopback?
        probe.close()
        over_tcp = True
    except OSError:
        address, over_tcp = ("127.0.0.1", server.server_address[1] or 11434), False
    original = socket.create_connection

    def connect_through_pair(addr, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **kwargs):
        if tuple(addr[:2]) not in ((address[0], address[1]), ("localhost", address[1])):
            return original(addr, timeout, source_address, **kwargs)
        client, served = socket.socketpair()
        if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
            client.settimeout(timeout)
        server.process_request(served, address)
        return _PairSocket(client)

    if over_tcp:
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
    else:
        socket.create_connection = connect_through_pair
    try:
        yield f"{address[0]}:{address[1]}", server
    finally:
        socket.create_connection = original
        if over_tcp:
            server.shutdown()
        server.server_close()


def _closed_port() -> int:
    """A 127.0.0.1 port nobody listens on (bound, then released)."""
    try:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    except OSError:
        return 9  # the sandbox may refuse binding: any port then fails to connect


def _outcome(call):
    start = time.perf_counter()
    try:
        result = {"answer": call()}
    except Exception as exc:  # noqa: BLE001 — reported as data
        result = {"raised": [c.__name__ for c in type(exc).__mro__], "message": str(exc)}
    result["seconds"] = time.perf_counter() - start
    return result


def ollama_chat(replies, prompts, judge_kwargs=None, host="http://{addr}"):
    """``OllamaJudge(host=host.format(addr=...), **judge_kwargs)`` asked each prompt against the fake server."""
    from ch10_instruct.instruct import OllamaJudge

    with fake_ollama(replies) as (addr, server):
        judge = OllamaJudge(host=host.format(addr=addr), **dict(judge_kwargs or {}))
        answers = [_outcome(lambda p=p: judge(p)) for p in prompts]
        time.sleep(0.05)
        return {"answers": answers, "requests": server.requests}


def ollama_no_server(judge_kwargs=None):
    """``OllamaJudge`` pointed at a port where no server listens."""
    from ch10_instruct.instruct import OllamaJudge

    port = _closed_port()
    judge = OllamaJudge(host=f"http://127.0.0.1:{port}", **dict(judge_kwargs or {}))
    result = _outcome(lambda: judge("Respond with the integer number only."))
    result["url"] = f"http://127.0.0.1:{port}/api/chat"
    return result
