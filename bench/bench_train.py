"""Training benchmarks of the reference solutions on this machine (``make bench-train``).

Prints wall time, CPU time and the final metric for: XOR (ch02), Iris (ch03), ResNet-18 on the
offline MNIST-5k (ch04) and the CIFAR-format run (ch04), over a few seeds. Uses exactly the
configurations the hidden tests grade (the probes' training functions and their constants), with
the offline datasets (``KIT_OFFLINE=1``).

    python bench/bench_train.py                 # all, 3 seeds, 2 threads
    python bench/bench_train.py --only mnist --seeds 0 1 2 --threads 2
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"xor": 2.0, "iris": 10.0, "mnist": 120.0, "cifar": None}  # seconds (the targets)


def _setup(threads: int) -> None:
    os.environ.setdefault("KIT_OFFLINE", "1")
    for entry in (str(ROOT / "solutions"), str(ROOT)):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    import torch

    torch.set_num_threads(threads)


def bench_xor(seed: int) -> tuple[float, str]:
    import numpy as np

    from tests_public.ch02_backprop import probes as P2

    outputs = P2.xor_outputs([seed], 4, 10000, 0.5)[0]
    target = np.array([0, 1, 1, 0]) > 0.5
    solved = bool(np.all((outputs > 0.5) == target))
    return float(solved), f"solved={solved} outputs={np.round(outputs, 3).tolist()}"


def bench_iris(seed: int) -> tuple[float, str]:
    import numpy as np

    from tests_hidden.ch03_iris import probes as P3

    got = P3.end_to_end(seed, **P3.IRIS_RUN)
    y_test = np.asarray(P3.kit_iris_test_labels())
    acc = float(np.mean(np.asarray(got["predicted"]) == y_test))
    return acc, f"test accuracy={acc:.4f}"


def bench_mnist(seed: int, threads: int) -> tuple[float, str]:
    import numpy as np

    from tests_hidden.ch04_cnn import probes as P4
    from tests_hidden.ch04_cnn.test_training_runs import scored_set

    images, labels, _ = scored_set("mnist")
    got = P4.mnist_training_run(seed, images, threads=threads, **P4.MNIST_RUN)
    acc = float(np.mean(np.asarray(got["predicted"]) == labels))
    return acc, f"test accuracy={acc:.4f} (losses {[round(x, 3) for x in got['losses']]}, cpu {got['cpu_seconds']:.0f}s)"


def bench_cifar(seed: int, threads: int) -> tuple[float, str]:
    import numpy as np

    from tests_hidden.ch04_cnn import probes as P4
    from tests_hidden.ch04_cnn.test_training_runs import scored_set

    images, labels, _ = scored_set("cifar")
    got = P4.cifar_training_run(seed, images, threads=threads, **P4.CIFAR_RUN)
    acc = float(np.mean(np.asarray(got["predicted"]) == labels))
    return acc, f"test accuracy={acc:.4f} vs chance 0.10 (cpu {got['cpu_seconds']:.0f}s)"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="xor,iris,mnist,cifar")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    _setup(args.threads)
    import torch

    print(f"threads={torch.get_num_threads()}  cores={os.cpu_count()}  load average={os.getloadavg()[0]:.1f}")
    for name in args.only.split(","):
        for seed in args.seeds:
            start, cpu = time.perf_counter(), time.process_time()
            if name == "xor":
                metric, text = bench_xor(seed)
            elif name == "iris":
                metric, text = bench_iris(seed)
            elif name == "mnist":
                metric, text = bench_mnist(seed, args.threads)
            elif name == "cifar":
                metric, text = bench_cifar(seed, args.threads)
            else:
                raise SystemExit(f"unknown benchmark {name!r}")
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            target = TARGETS.get(name)
            flag = "" if target is None else ("  (target <= %gs: %s)" % (target, "ok" if wall <= target else "OVER"))
            print(f"{name:6s} seed={seed}  wall={wall:7.2f}s  cpu={cpu:7.2f}s  {text}{flag}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
