"""Benchmarks of ch13_transfer and ch14_qa's reference on this machine (``make bench-transfer-qa``).

Prints wall and CPU time and the metric, per seed, for: the prepare steps (the kit's pretrained
ResNet-18 and QA model, timed only when they are not cached yet), fine-tuning the kit's backbone vs
training from scratch with the same data and epochs (the configuration the hidden test grades; the
accuracy is on held-out generated images), and the exact-match rate of ``answer()`` on held-out
generated questions. The hidden tests' thresholds come from these numbers.

    python bench/bench_transfer_qa.py                          # 3 seeds, 2 threads
    python bench/bench_transfer_qa.py --only finetune --seeds 0 1 2
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(threads: int) -> None:
    os.environ.setdefault("KIT_OFFLINE", "1")
    for entry in (str(ROOT / "solutions"), str(ROOT)):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    import torch

    torch.set_num_threads(threads)


def _timed(fn):
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - start, time.process_time() - cpu


def bench_prepare() -> None:
    from kitdata import qa, tinyimagenet

    for name, fn in (("backbone", tinyimagenet.pretrained_backbone), ("qa-model", qa.kit_qa_model)):
        path, wall, cpu = _timed(fn)
        print(f"prepare {name:<9} {wall:7.1f}s wall {cpu:7.1f}s CPU (0 when cached)  {path}", flush=True)


def bench_finetune(seeds: list[int], threads: int, modes=(True, False)) -> None:
    import numpy as np

    from tests_hidden.ch13_transfer import probes as P
    from tests_hidden.ch13_transfer.test_training_runs import held_out

    images, labels = held_out()
    for pretrained in modes:
        for seed in seeds:
            got = P.finetune_run(seed, images, pretrained, threads=threads, **P.FINETUNE_RUN)
            acc = float(np.mean(np.asarray(got["predicted"]) == labels))
            print(f"finetune {'pretrained' if pretrained else 'scratch':<10} seed {seed}: held-out accuracy {acc:.3f}  "
                  f"{got['seconds']:6.1f}s wall {got['cpu_seconds']:6.1f}s CPU", flush=True)


def bench_qa(seeds: list[int]) -> None:
    from tests_hidden.ch14_qa import probes as P
    from tests_hidden.ch14_qa.test_qa_hidden import HELD_OUT_N, HELD_OUT_SEED

    for seed in seeds:
        examples = P.kitdata_module("qa").generate_examples(HELD_OUT_N, HELD_OUT_SEED + 100 * seed)
        got, wall, cpu = _timed(lambda examples=examples: P.answers([[e["question"], e["context"]] for e in examples]))
        exact = sum(g["answer"].strip() == e["answer"] for g, e in zip(got["answers"], examples)) / len(examples)
        print(f"qa exact match, question seed {seed}: {exact:.3f} on {len(examples)}  {wall:6.1f}s wall {cpu:6.1f}s CPU",
              flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["prepare", "finetune", "qa"], default=None)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--mode", choices=["pretrained", "scratch"], default=None, help="finetune: one of the two runs")
    args = parser.parse_args(argv)
    _setup(args.threads)
    if args.only in (None, "prepare"):
        bench_prepare()
    if args.only in (None, "finetune"):
        modes = (True, False) if args.mode is None else (args.mode == "pretrained",)
        bench_finetune(args.seeds, args.threads, modes)
    if args.only in (None, "qa"):
        bench_qa(args.seeds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
