"""Fine-tuning benchmarks of the ch09 and ch10 references on this machine (``make bench-finetune``).

Runs the hidden tests' small-device runs exactly as graded (same probes, configurations and scoring:
``tests_hidden/ch09_classify/test_training_run.py`` and ``tests_hidden/ch10_instruct/test_training_run.py``)
over a few seeds and prints wall time, CPU time and the metric next to the test's bar.

    python bench/bench_finetune.py                        # both, 3 seeds, 2 threads
    python bench/bench_finetune.py --only instruct --seeds 0
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(threads: int) -> None:
    for key in ("KIT_OFFLINE", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        os.environ.setdefault(key, "1")
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(ROOT / ".cache" / "tiktoken"))
    for entry in (str(ROOT / "solutions"), str(ROOT)):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    import torch

    torch.set_num_threads(threads)


def _timed(call, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    got = call(*args, **kwargs)
    return got, time.perf_counter() - wall, time.process_time() - cpu


def bench_classify(seeds: list[int], threads: int) -> None:
    """ch09: spam fine-tuning; accuracy on the hidden test's fresh balanced messages."""
    from tests_hidden.ch09_classify import probes as P
    from tests_hidden.ch09_classify.test_training_run import MIN_ACCURACY, score

    print(f"ch09 spam fine-tuning ({P.RUN}, {threads} thread(s)); full marks at accuracy >= {MIN_ACCURACY}")
    for seed in seeds:
        got, wall, cpu = _timed(P.finetune_run, seed, threads=threads, **P.RUN)
        print(f"  seed {seed}: wall {wall:6.1f}s  cpu {cpu:6.1f}s  accuracy {score(got):.4f}")


def bench_instruct(seeds: list[int], threads: int) -> None:
    """ch10: instruction fine-tuning; token loss on the hidden test's held-out instructions."""
    from tests_hidden.ch10_instruct import probes as P
    from tests_hidden.ch10_instruct.test_training_run import MAX_HELD_OUT_LOSS, RUN, held_out_loss

    print(f"ch10 instruction fine-tuning ({RUN}, {threads} thread(s)); full marks at held-out loss <= {MAX_HELD_OUT_LOSS}")
    for seed in seeds:
        got, wall, cpu = _timed(P.instruction_training_run, seed, threads=threads, **RUN)
        print(f"  seed {seed}: wall {wall:6.1f}s  cpu {cpu:6.1f}s  held-out loss {held_out_loss(got['state']):.3f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["classify", "instruct"], default=None)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--threads", type=int, default=int(os.environ.get("KIT_TRAIN_THREADS", "2")))
    args = parser.parse_args(argv)
    _setup(args.threads)
    if args.only in (None, "classify"):
        bench_classify(args.seeds, args.threads)
    if args.only in (None, "instruct"):
        bench_instruct(args.seeds, args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
