"""Basic isolation (no namespaces): the worker starts, or the grader says exactly why before grading."""
import os

from grader.grading.sandbox.client import Limits, Sandbox, SandboxConfig, WorkerDied, preflight
from grader.grading.pipeline import sandbox_base
from grader.harness import codec


def _call(sandbox, module, function, *args):
    return codec.decode(sandbox.call(codec.encode({"module": module, "function": function, "args": list(args),
                                                   "kwargs": {}}), 30))


def test_basic_mode_refuses_sockets_or_explains(tmp_path):
    config = SandboxConfig(sandbox_base(), [], Limits(), namespaces=False)
    problem = preflight(config)
    if problem is not None:  # e.g. root with the interpreter under /root: the unprivileged uid cannot run it
        assert os.geteuid() == 0 and "cannot start the worker as uid 61000 (basic)" in problem, problem
        return
    (tmp_path / "empty").mkdir()
    sandbox = Sandbox(tmp_path / "empty", [], config)
    try:
        answer = _call(sandbox, "socket", "create_connection", ["127.0.0.1", 9])
        assert "network access is not allowed" in answer["error"]["message"], answer
        assert sandbox.isolation.startswith("basic")
    finally:
        sandbox.close()


class _BrokenInterpreter(Sandbox):
    def _spawn_config(self, fds):
        return {**super()._spawn_config(fds), "python": "/nonexistent/python3"}


def test_launcher_failure_reaches_the_grader(tmp_path):
    (tmp_path / "empty").mkdir()
    sandbox = _BrokenInterpreter(tmp_path / "empty", [], SandboxConfig(sandbox_base(), [], Limits()))
    try:
        _call(sandbox, "os", "getpid")
    except WorkerDied as exc:
        assert "cannot start the worker as uid" in str(exc) and "/nonexistent/python3" in str(exc)
    else:
        raise AssertionError("a worker without an interpreter answered")
    finally:
        sandbox.close()
