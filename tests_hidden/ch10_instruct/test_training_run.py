"""Small-device run: instruction fine-tuning of the kit's tiny pretrained GPT with the student's
``InstructionDataset`` and ``custom_collate_fn``.

The probe returns the fine-tuned weights; this trusted side loads them into the kit's model and computes
the loss on held-out instructions generated here from a seed the sandbox never sees, batched by the
oracle collate function. The threshold was set from the reference over 3 seeds on 2 CPU cores.
"""
import os

import pytest
import torch

from grader.harness import check
from tests_hidden.ch10_instruct import probes as P

from . import oracles as O

THREADS = int(os.environ.get("KIT_TRAIN_THREADS", "2"))
RUN = {"epochs": 1, "batch_size": 8, "lr": 2e-3, "weight_decay": 0.1, "allowed_max_length": 128, "n_train": 400}
HELD_OUT_SEED = 90417  # defined only here: the sandbox cannot regenerate these entries
# Reference over seeds 0, 1, 2: 1.85, 1.74, 1.76 (the pretrained model before fine-tuning: 8.52).
MAX_HELD_OUT_LOSS = 2.5
TIMEOUT = 480  # wall seconds; the run needs ~55 CPU s (measured on a loaded 2-core machine)


def held_out_entries(n=120):
    """Fresh entries from the kit's generator that are not among the training entries."""
    instructions = P.kitdata_module("instructions")
    seen = {(e["instruction"], e["input"]) for e in instructions.generate_instructions()[:RUN["n_train"]]}
    fresh = [e for e in instructions.generate_instructions(400, HELD_OUT_SEED) if (e["instruction"], e["input"]) not in seen]
    return fresh[:n]


def held_out_loss(state):
    """Token-weighted cross-entropy of the kit's GPT with ``state`` on the held-out entries (response tokens,
    end-of-text included; pads after the first masked)."""
    tinygpt = P.kitdata_module("tinygpt")
    tokenizer = tinygpt.gpt2_encoding()
    model = tinygpt.GPTModel(tinygpt.TINY_GPT_CONFIG)
    model.load_state_dict(state)
    model.eval()
    encoded = [tokenizer.encode(O.training_text_oracle(e)) for e in held_out_entries()]
    total, count = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(encoded), 16):
            inputs, targets = O.collate_oracle(encoded[i:i + 16], allowed_max_length=RUN["allowed_max_length"])
            logits = model(inputs)
            losses = torch.nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), reduction="none")
            total += float(losses.sum())
            count += int((targets != -100).sum())
    return total / count


@pytest.mark.slow
@pytest.mark.timeout(TIMEOUT + 120)
@pytest.mark.task("10.3", "10.4")
def test_instruction_finetuning_small_device_run(run):
    got = run(P.instruction_training_run, 0, threads=THREADS, timeout=TIMEOUT, **RUN)
    loss = held_out_loss(got["state"])
    check.that(loss <= MAX_HELD_OUT_LOSS,
               {"zh": f"用你的 InstructionDataset 和 custom_collate_fn 微调 {RUN['epochs']} 轮后，留出指令上的损失是 {loss:.3f}，需要 ≤ {MAX_HELD_OUT_LOSS}",
                "en": f"after {RUN['epochs']} epochs of fine-tuning with your InstructionDataset and custom_collate_fn, "
                      f"the loss on held-out instructions is {loss:.3f}; needs ≤ {MAX_HELD_OUT_LOSS}"})
