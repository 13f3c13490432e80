"""Independent oracles for the hidden checks (trusted side only)."""
from __future__ import annotations

import torch

PREAMBLE = ("Below is an instruction that describes a task. "
            "Write a response that appropriately completes the request.")


def prompt_oracle(entry: dict) -> str:
    parts = [PREAMBLE, "### Instruction:\n" + entry["instruction"]]
    if entry.get("input"):
        parts.append("### Input:\n" + entry["input"])
    return "\n\n".join(parts)


def training_text_oracle(entry: dict) -> str:
    return "\n\n".join([prompt_oracle(entry), "### Response:\n" + entry["output"]])


def partition_oracle(data: list, train_frac: float = 0.85, test_frac: float = 0.1) -> list[list]:
    a = int(len(data) * train_frac)
    b = a + int(len(data) * test_frac)
    return [list(data[:a]), list(data[a:b]), list(data[b:])]


def collate_oracle(batch, pad=50256, ignore=-100, allowed_max_length=None):
    """Row by row: pad every sequence to (longest + 1) with ``pad``, shift, mask target pads after the first."""
    width = max(len(seq) for seq in batch) + 1
    rows_in, rows_out = [], []
    for seq in batch:
        row = list(seq) + [pad] * (width - len(seq))
        targets, seen = [], False
        for token in row[1:]:
            if token == pad and seen:
                targets.append(ignore)
            else:
                seen = seen or token == pad
                targets.append(token)
        stop = len(row) - 1 if allowed_max_length is None else min(allowed_max_length, len(row) - 1)
        rows_in.append(row[:stop])
        rows_out.append(targets[:stop])
    return torch.tensor(rows_in, dtype=torch.int64), torch.tensor(rows_out, dtype=torch.int64)


def extract_oracle(generated: str, prompt: str) -> str:
    rest = generated[len(prompt):]
    return "".join(rest.split("### Response:")).strip()


def judge_prompt_oracle(entry: dict, key: str = "model_response") -> str:
    return ("Given the input `" + prompt_oracle(entry) + "` and correct output `" + entry["output"]
            + "`, score the model response `" + entry[key] + "` on a scale from 0 to 100, where 100 is the best "
            "score. Respond with the integer number only.")
