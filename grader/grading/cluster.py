"""Scale-out on Dask: ``grade --cluster local:N`` (a ``LocalCluster`` of N one-thread worker processes)
or ``--cluster tcp://HOST:PORT`` (an existing scheduler).

Each submission is one task: the worker runs the same trusted compare child as a single machine does
(it stages the submission into its sandboxes, runs them, checks the answers) and returns the result as
plain data; only the coordinator writes the gradebook. A worker lost mid-task takes its compare child
and sandboxes with it (parent-death signals) and the scheduler reruns the task elsewhere, so a lost
worker costs time, never a row. Paths in a task (the staged tree, ``--out``) must mean the same on
every worker: one machine, or a shared filesystem mounted at the same path.
"""
from __future__ import annotations

import logging
from concurrent.futures import Executor
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from grader.grading.pipeline import SandboxUnavailable, run_compare
from grader.grading.sandbox.client import SandboxConfig, data_dirs, preflight, share_caches, sweep_sandboxes


def parse(spec: str) -> Optional[int]:
    """``local:N`` -> N; ``tcp://HOST:PORT`` -> ``None``; anything else raises ``ValueError``."""
    if spec.startswith("local:") and spec[6:].isdigit() and int(spec[6:]) > 0:
        return int(spec[6:])
    if spec.startswith("tcp://") and spec[6:]:
        return None
    raise ValueError(f"--cluster takes local:N or tcp://HOST:PORT, not {spec!r}")


def remote_compare(job: dict) -> dict:
    """The task a worker runs for one submission: sweep sandboxes dead workers left here, then compare."""
    from distributed import get_worker

    sweep_sandboxes(Path(job["sandbox_base"]))
    if job["jobs"] is None:  # a scheduler's worker: its threads share this machine's cores
        job = {**job, "jobs": get_worker().state.nthreads}
    return run_compare(job)


def worker_ready(config: SandboxConfig) -> Optional[str]:
    """On a worker: make its caches readable to the sandbox and start one empty sandbox; ``None`` or why not."""
    unreadable = share_caches(list(data_dirs().values()))
    return preflight(config) or (f"the sandbox cannot read {unreadable[0]}" if unreadable else None)


@contextmanager
def executor(spec: str, config: SandboxConfig) -> Iterator[tuple[Executor, Optional[int]]]:
    """A ``concurrent.futures`` executor on the cluster, after every worker started an empty sandbox;
    yields it and how many tasks run at once per machine (``None`` for a scheduler's workers)."""
    from distributed import Client, LocalCluster

    workers = parse(spec)
    cluster = None
    if workers is not None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
    client = Client(cluster if cluster is not None else spec, timeout=60)
    try:
        problems = {w: p for w, p in client.run(worker_ready, config).items() if p}
        if problems:
            raise SandboxUnavailable("the grading sandbox cannot start on "
                                     + "; ".join(f"{w}: {p}" for w, p in sorted(problems.items())))
        yield client.get_executor(pure=False), workers
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
