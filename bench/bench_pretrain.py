"""Pretraining benchmarks of the ch08 reference on this machine (``make bench-pretrain``).

1. Training throughput (tokens/s) of the reference ``GPTModel`` against Hugging Face's
   ``GPT2LMHeadModel`` with the same tiny configuration, weights and batches, in one run (ratio; target ≥ 0.8):
   with ``out_head`` tied to ``tok_emb`` as GPT-2 (and HF) do — the same parameters — and untied, as the
   kit trains it (twice the vocabulary-sized parameters for AdamW to update).
2. The hidden test's small-device pretraining run (``tests_hidden/ch08_pretrain/test_training_run.py``:
   same configuration, probe and held-out loss) over a few seeds: wall time, CPU time, final loss.

    python bench/bench_pretrain.py                     # both, 3 seeds, 2 threads
    python bench/bench_pretrain.py --only speed --threads 1
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEED_TARGET = 0.8


def _setup(threads: int) -> None:
    for key in ("KIT_OFFLINE", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        os.environ.setdefault(key, "1")
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(ROOT / ".cache" / "tiktoken"))
    for entry in (str(ROOT / "solutions"), str(ROOT)):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    import torch

    torch.set_num_threads(threads)


def _tokens_per_second(model, batches, forward, steps: int) -> float:
    """Training steps (AdamW, cross-entropy) over ``batches``: input tokens per second after one warm-up step."""
    import torch
    import torch.nn.functional as F

    optimizer = torch.optim.AdamW(model.parameters(), lr=4e-4, weight_decay=0.1)
    model.train()
    tokens, start = 0, 0.0
    for i in range(steps + 1):
        x, y = batches[i % len(batches)]
        if i == 1:
            start, tokens = time.perf_counter(), 0
        optimizer.zero_grad()
        F.cross_entropy(forward(model, x).flatten(0, 1), y.flatten()).backward()
        optimizer.step()
        tokens += x.numel()
    return tokens / (time.perf_counter() - start)


def bench_speed(steps: int, rounds: int) -> float:
    """Best-of-``rounds`` tokens/s of both models, alternating; returns the ratio kit / Hugging Face."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel
    from transformers.utils import logging

    from ch08_pretrain.previous_chapters import GPTModel
    from tests_hidden.ch07_gpt.oracles import hf_to_gptmodel
    from tests_hidden.ch08_pretrain.test_training_run import CFG

    logging.set_verbosity_error()
    config = GPT2Config(vocab_size=CFG["vocab_size"], n_positions=CFG["context_length"], n_embd=CFG["emb_dim"],
                        n_layer=CFG["n_layers"], n_head=CFG["n_heads"], activation_function="gelu_new",
                        resid_pdrop=CFG["drop_rate"], embd_pdrop=CFG["drop_rate"], attn_pdrop=CFG["drop_rate"],
                        layer_norm_epsilon=1e-5)
    torch.manual_seed(0)
    hf = GPT2LMHeadModel(config)
    cfg, sd = hf_to_gptmodel(hf)
    kit = GPTModel(dict(cfg, drop_rate=CFG["drop_rate"]))
    kit.load_state_dict(sd, strict=False)
    tied = GPTModel(dict(cfg, drop_rate=CFG["drop_rate"]))
    tied.load_state_dict(sd, strict=False)
    tied.out_head.weight = tied.tok_emb.weight
    g = torch.Generator().manual_seed(1)
    batches = [(torch.randint(0, CFG["vocab_size"], (2, CFG["context_length"]), generator=g),
                torch.randint(0, CFG["vocab_size"], (2, CFG["context_length"]), generator=g)) for _ in range(4)]
    best = {"tied": 0.0, "untied": 0.0, "hf": 0.0}
    for _ in range(rounds):
        best["tied"] = max(best["tied"], _tokens_per_second(tied, batches, lambda m, x: m(x), steps))
        best["untied"] = max(best["untied"], _tokens_per_second(kit, batches, lambda m, x: m(x), steps))
        best["hf"] = max(best["hf"], _tokens_per_second(hf, batches, lambda m, x: m(input_ids=x).logits, steps))
    ratio = best["tied"] / best["hf"]
    print(f"training tokens/s (config {CFG}, batch 2, AdamW, best of {rounds}x{steps} steps):")
    print(f"  HF GPT2LMHeadModel                 {best['hf']:8.0f}")
    print(f"  reference GPTModel, out_head tied  {best['tied']:8.0f}  ratio {ratio:.2f} "
          f"(target >= {SPEED_TARGET}) {'ok' if ratio >= SPEED_TARGET else 'BELOW TARGET'}")
    print(f"  reference GPTModel, untied (kit)   {best['untied']:8.0f}  ratio {best['untied'] / best['hf']:.2f}")
    return ratio


def bench_run(seeds: list[int], threads: int) -> None:
    """The graded pretraining run on the reference, per seed: wall, CPU seconds, held-out loss."""
    from tests_hidden.ch08_pretrain import probes as P
    from tests_hidden.ch08_pretrain.test_training_run import BUDGET_SECONDS, CFG, MAX_LOSS, RUN, heldout_loss

    print(f"pretraining run ({RUN}, {threads} thread(s)); full marks at held-out loss <= {MAX_LOSS}, "
          f"CPU budget {BUDGET_SECONDS}s")
    losses = []
    for seed in seeds:
        wall, cpu = time.perf_counter(), time.process_time()
        got = P.pretrain_run(CFG, seed, threads=threads, **RUN)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        loss = heldout_loss(got["state"])
        losses.append(loss)
        print(f"  seed {seed}: wall {wall:6.1f}s  cpu {cpu:6.1f}s  (training {got['cpu_seconds']:.1f}s)  "
              f"held-out loss {loss:.3f}  last val loss {got['val_losses'][-1]:.3f}")
    print(f"  held-out loss: mean {sum(losses) / len(losses):.3f}, max {max(losses):.3f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["speed", "run"], default=None)
    parser.add_argument("--seeds", type=int, nargs="+", default=[123, 1, 2])
    parser.add_argument("--threads", type=int, default=int(os.environ.get("KIT_TRAIN_THREADS", "2")))
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    _setup(args.threads)
    if args.only in (None, "speed"):
        bench_speed(args.steps, args.rounds)
    if args.only in (None, "run"):
        bench_run(args.seeds, args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
