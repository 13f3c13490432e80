"""The small-device pretraining run: the student's train_model_simple pretrains the kit's tiny GPT.

The probe (student side) trains on the kit's corpus and returns the weights; the validation loss is
computed here, with a float64 GPT forward, on ``heldout.txt`` — original prose written for this test,
which the sandbox cannot read. The threshold comes from the reference over 3 seeds
(``make bench-pretrain``: held-out loss 6.56-6.61, ~18 CPU seconds each).
"""
import math
import os
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from grader.harness import check
from tests_hidden.ch07_gpt import oracles as O
from tests_hidden.ch08_pretrain import probes as P

THREADS = int(os.environ.get("KIT_TRAIN_THREADS", "2"))
CFG = {"vocab_size": 50257, "context_length": 64, "emb_dim": 64, "n_heads": 4, "n_layers": 2, "drop_rate": 0.1,
       "qkv_bias": False}
RUN = dict(epochs=4, batch_size=2, lr=1e-3, eval_freq=20, eval_iter=2)
START_LOSS = math.log(CFG["vocab_size"])  # an untrained model: about ln(50257) = 10.8
MAX_LOSS = 7.2       # full marks; the reference reaches 6.5-6.6 (3 seeds)
BUDGET_SECONDS = 40  # CPU seconds: about twice the reference's (bench/bench_pretrain.py prints both)
TIMEOUT = 300  # wall seconds in the sandbox: room for a loaded grader (the reference took 101 s wall on a 5x-loaded machine)
HELDOUT = Path(__file__).with_name("heldout.txt")


def heldout_loss(state: dict) -> float:
    """Mean cross-entropy over the held-out text's 64-token windows (stride 64), like calc_loss_loader."""
    import tiktoken

    ids = tiktoken.get_encoding("r50k_base").encode(HELDOUT.read_text(encoding="utf-8"))
    T = CFG["context_length"]
    starts = range(0, len(ids) - T, T)
    x = torch.tensor([ids[i:i + T] for i in starts])
    y = torch.tensor([ids[i + 1:i + T + 1] for i in starts])
    sd = {k: v for k, v in state.items() if not k.endswith(".mask")}
    with torch.no_grad():
        losses = [float(F.cross_entropy(O.gpt_oracle(sd, x[i:i + 1], CFG).flatten(0, 1), y[i])) for i in range(len(x))]
    return sum(losses) / len(losses)


@pytest.mark.slow
@pytest.mark.timeout(TIMEOUT + 120)
@pytest.mark.task("8.2", "8.5")
def test_small_device_pretraining(run):
    got = run(P.pretrain_run, CFG, 123, threads=THREADS, timeout=TIMEOUT, **RUN)
    check.that(len(got["val_losses"]) > 0, {"zh": "train_model_simple 没有记录任何验证损失",
                                            "en": "train_model_simple recorded no validation loss"})
    loss = heldout_loss(got["state"])
    fraction = max(0.0, min(1.0, (START_LOSS - loss) / (START_LOSS - MAX_LOSS))) if math.isfinite(loss) else 0.0
    check.partial(fraction, "pretraining", {
        "zh": f"用你的 train_model_simple 预训练 {RUN['epochs']} 轮后，留出文本上的验证损失为 {loss:.3f}；"
              f"满分需要 ≤ {MAX_LOSS}（未训练约 {START_LOSS:.1f}），按下降幅度给部分分",
        "en": f"after {RUN['epochs']} epochs of pretraining with your train_model_simple, the validation loss on held-out "
              f"text is {loss:.3f}; full marks need ≤ {MAX_LOSS} (untrained: about {START_LOSS:.1f}); partial credit for the drop"})
