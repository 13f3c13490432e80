"""Independent expected values for ch09_classify: pandas for the data steps, plain Python for padding,
PyTorch for the loss, and the kit's stand-in model's own logits."""
from __future__ import annotations

import pandas as pd
import torch

from .probes import PositionModel


def frame(data: dict) -> pd.DataFrame:
    df = pd.DataFrame({"Label": data["Label"], "Text": data["Text"]})
    if "index" in data:
        df.index = data["index"]
    return df


def rows(df: pd.DataFrame) -> dict:
    return {"index": [int(i) for i in df.index], "Label": list(df["Label"]), "Text": list(df["Text"])}


def balanced(data: dict) -> dict:
    """The book's undersampling: ``num_spam`` ham rows sampled with ``random_state=123``, then all spam."""
    df = frame(data)
    spam = df[df["Label"] == "spam"]
    return rows(pd.concat([df[df["Label"] == "ham"].sample(len(spam), random_state=123), spam]))


def split(data: dict, train_frac: float, validation_frac: float) -> list[dict]:
    """The book's shuffle (``random_state=123``) and slicing; only ``Label`` and ``Text`` are compared."""
    df = frame(data).sample(frac=1, random_state=123)
    n = len(df)
    a = int(n * train_frac)
    b = a + int(n * validation_frac)
    return [{"Label": list(part["Label"]), "Text": list(part["Text"])} for part in (df[:a], df[a:b], df[b:])]


def padded(encoded: list[list[int]], max_length, pad_token_id: int) -> tuple[list[list[int]], int]:
    """Truncate to ``max_length`` (when given) else use the longest; pad right with ``pad_token_id``."""
    length = max(len(ids) for ids in encoded) if max_length is None else max_length
    return [ids[:length] + [pad_token_id] * (length - len(ids[:length])) for ids in encoded], length


def labels(values) -> list[int]:
    return [{"ham": 0, "spam": 1}[v] if isinstance(v, str) else int(v) for v in values]


def last_token_predictions(ids: torch.Tensor, num_classes: int = 2) -> torch.Tensor:
    return PositionModel.logits(ids, num_classes)[:, -1, :].argmax(-1)


def accuracy(ids: torch.Tensor, labels_: torch.Tensor, batch_size: int, num_batches=None) -> float:
    n_batches = -(-len(ids) // batch_size)
    used = min(n_batches, num_batches if num_batches is not None else n_batches) * batch_size
    correct = int((last_token_predictions(ids[:used]) == labels_[:used]).sum())
    return correct / min(used, len(ids))


def last_token_loss(ids: torch.Tensor, labels_: torch.Tensor, num_classes: int = 2) -> torch.Tensor:
    return torch.nn.functional.cross_entropy(PositionModel.logits(ids, num_classes)[:, -1, :], labels_)


def review_ids(encoded: list[int], max_length, context_length: int, pad_token_id: int = 50256) -> list[int]:
    """What ``classify_review`` feeds the model: cut to ``min(max_length, context)``, pad to ``max_length``."""
    cut = encoded[:context_length if max_length is None else min(max_length, context_length)]
    return cut if max_length is None else cut + [pad_token_id] * (max_length - len(cut))


def review_answer(ids: list[int]) -> str:
    return "spam" if int(last_token_predictions(torch.tensor([ids]))[0]) == 1 else "not spam"


def eval_freq_count(total_steps: int, eval_freq: int) -> int:
    """How many of the steps 0 .. total_steps - 1 are multiples of ``eval_freq``."""
    return sum(1 for step in range(total_steps) if step % eval_freq == 0)
