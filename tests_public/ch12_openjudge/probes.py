"""Probes for ch12_openjudge: run the student's program like an online judge and report what happened.

``run_program`` starts a fresh Python process that imports ``ch12_openjudge.<module>`` and calls its
``main()`` (or runs ``python -m``) with the case's input on stdin, under a CPU-time limit (rlimit) and
a memory limit (data rlimit), and returns plain facts: stdout, CPU and wall seconds, peak memory, how
it ended. The verdict is decided on the trusted side (``tests_public/ch12_openjudge/judge.py``). The
student's code never runs in the probe's own process. No expected values here.
"""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

CHAPTER = "ch12_openjudge"

# Peak memory (VmHWM) written at exit. Not rusage: a child's ru_maxrss keeps the high-water mark of
# the process it was forked from, here the (large) probe process.
PEAK_HOOK = '''import atexit
def _kit_peak():
    try:
        with open("/proc/self/status") as f:
            hwm = next((line.split()[1] for line in f if line.startswith("VmHWM:")), "")
        with open({path!r}, "w") as f:
            f.write(hwm)
    except Exception:
        pass
atexit.register(_kit_peak)
del atexit, _kit_peak
'''


def _tree_root() -> str:
    """The folder on ``sys.path`` that holds the chapter package (found without importing it)."""
    for entry in sys.path:
        if entry and os.path.isfile(os.path.join(entry, CHAPTER, "__init__.py")):
            return os.path.abspath(entry)
    raise ModuleNotFoundError(f"No module named '{CHAPTER}'")


def run_program(module: str, stdin: str, time_limit: float, memory_mb: int, how: str = "main") -> dict:
    """Run ``ch12_openjudge.<module>`` on ``stdin``: ``how="main"`` calls ``main()``, ``"m"`` is ``python -m``.

    Returns ``stdout``, ``stderr`` (its tail), ``returncode``, ``cpu`` and ``wall`` seconds,
    ``peak_mb``, ``killed_for_time``. A program that stopped on a ``NotImplementedError`` (a task
    still TODO) raises it here, so the test reads TODO.
    """
    root = _tree_root()
    name = f"{CHAPTER}.{module}"
    tmp = tempfile.mkdtemp(prefix="judge-")
    paths = {k: os.path.join(tmp, k) for k in ("in", "out", "err", "peak")}
    code = (f"import sys; sys.path.insert(0, {root!r}); sys.argv = [{name!r}]\n"
            + PEAK_HOOK.format(path=paths["peak"])
            + (f"from {name} import main\nmain()\n" if how == "main"
               else f"import runpy\nrunpy.run_module({name!r}, run_name='__main__', alter_sys=True)\n"))
    cpu_cap = int(time_limit) + 1
    limit_bytes = int(memory_mb) << 20

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_cap, cpu_cap + 1))
        resource.setrlimit(resource.RLIMIT_DATA, (limit_bytes, limit_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "PYTHONHASHSEED": "0",
           "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8",
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    try:
        with open(paths["in"], "w", encoding="utf-8") as f:
            f.write(stdin)
        with open(paths["in"], "rb") as fin, open(paths["out"], "wb") as fout, open(paths["err"], "wb") as ferr:
            start = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-I", "-c", code], stdin=fin, stdout=fout, stderr=ferr,
                                    cwd=tmp, env=env, preexec_fn=limits, start_new_session=True)
            timer = threading.Timer(3 * time_limit + 5, lambda: os.killpg(proc.pid, signal.SIGKILL))
            timer.start()
            try:
                _, status, usage = os.wait4(proc.pid, 0)
            finally:
                timer.cancel()
                try:  # whatever the program left running in its session ends with it
                    os.killpg(proc.pid, signal.SIGKILL)
                except OSError:
                    pass
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
        with open(paths["out"], "rb") as f:
            stdout = f.read(1 << 22).decode("utf-8", errors="replace")
        with open(paths["err"], "rb") as f:
            stderr = f.read().decode("utf-8", errors="replace")[-2000:]
        try:
            with open(paths["peak"], encoding="ascii") as f:
                peak_mb = int(f.read().strip() or -1024) / 1024
        except (OSError, ValueError):
            peak_mb = -1.0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if "NotImplementedError" in stderr:
        raise NotImplementedError(stderr.strip().splitlines()[-1])
    cpu = usage.ru_utime + usage.ru_stime
    return {"stdout": stdout, "stderr": stderr, "returncode": proc.returncode, "cpu": cpu, "wall": wall,
            "peak_mb": peak_mb,
            "killed_for_time": proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL) and cpu >= cpu_cap - 0.5
            or wall >= 3 * time_limit + 5}


def _ints(values) -> list[int]:
    return values.tolist() if hasattr(values, "tolist") else [int(v) for v in values]


def count_paths(cases):
    """``count_paths(*case)`` for each ``(n, layers, m, entry, between, exit)`` (cost lists or int arrays)."""
    from ch12_openjudge.paths_divisible import count_paths as f

    return [int(f(n, layers, m, _ints(a), _ints(b), _ints(c))) for n, layers, m, a, b, c in cases]


def simulate(cases):
    """``simulate(*case)`` for each ``(n, states, thresholds, edges)``: ``None`` or ``[[i, C], ...]``."""
    from ch12_openjudge.feedforward_network import simulate as f

    out = []
    for n, states, thresholds, edges in cases:
        result = f(n, _ints(states), _ints(thresholds), [tuple(int(v) for v in e) for e in edges])
        out.append(None if result is None else [[int(i), int(c)] for i, c in result])
    return out
