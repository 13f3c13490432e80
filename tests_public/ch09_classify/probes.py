"""Probes for ch09_classify: call the implementation, return plain data. No expected values here.

DataFrames travel as ``{"index": [...], "Label": [...], "Text": [...]}``. The kit's stand-ins
(:class:`ByteTokenizer`, :class:`PositionModel`) are defined here so that the checks can compute
their expected values from the same definitions, independently of the code under test.
"""
from __future__ import annotations

import torch
from torch import nn

from tests_public.torch_helpers import kitdata_module as kit, params as _params

TINY = {"vocab_size": 256, "context_length": 16, "emb_dim": 16, "n_heads": 2, "n_layers": 3, "drop_rate": 0.0,
        "qkv_bias": True}
# weights the hidden test compares after training (biases with near-zero gradients drift between machines under AdamW)
TRAINED_PARAMS = ("out_head.weight", f"trf_blocks.{TINY['n_layers'] - 1}.att.W_query.weight", "final_norm.scale")


class ByteTokenizer:
    """A kit stand-in tokenizer: a text's UTF-8 bytes are its ids."""

    def encode(self, text, **kwargs):
        return list(text.encode("utf-8"))


def tokenizer(kind):
    return ByteTokenizer() if kind == "bytes" else kit("tinygpt").gpt2_encoding()


class PositionModel(nn.Module):
    """A kit stand-in classifier: the logits of token ``t`` with id ``i`` for class ``c`` are
    ``sin(0.37 * (c + 1) * i + 1.3 * t)`` times a learnable ``scale`` (so the first and the last token
    disagree); in train mode dropout (p = 0.5) hits the logits. Records every input and its mode."""

    def __init__(self, num_classes=2, context_length=64):
        super().__init__()
        self.num_classes = num_classes
        self.scale = nn.Parameter(torch.ones(1))
        self.pos_emb = nn.Embedding(context_length, 2)
        self.drop = nn.Dropout(0.5)
        self.inputs, self.modes = [], []

    def forward(self, idx):
        self.inputs.append(idx.detach().clone())
        self.modes.append(bool(self.training))
        return self.drop(self.scale * self.logits(idx, self.num_classes))

    @staticmethod
    def logits(idx, num_classes=2):
        t = torch.arange(idx.shape[1], dtype=torch.float64)
        c = torch.arange(1, num_classes + 1, dtype=torch.float64)
        return torch.sin(0.37 * idx.double()[..., None] * c + 1.3 * t[None, :, None]).float()


def _frame(data):
    import pandas as pd

    df = pd.DataFrame({"Label": data["Label"], "Text": data["Text"]})
    if "index" in data:
        df.index = data["index"]
    return df


def _rows(df):
    return {"index": [int(i) for i in df.index], "Label": [v if isinstance(v, str) else int(v) for v in df["Label"]],
            "Text": [str(t) for t in df["Text"]]}


def balanced(data):
    from ch09_classify.classify import create_balanced_dataset

    return _rows(create_balanced_dataset(_frame(data)))


def split(data, train_frac, validation_frac):
    from ch09_classify.classify import random_split

    return [_rows(part) for part in random_split(_frame(data), train_frac, validation_frac)]


def spam_dataset(data, kind="bytes", max_length=None, pad_token_id=50256, as_csv=False):
    """``SpamDataset`` from a DataFrame or (``as_csv``) a CSV file: every item, ``len``, ``max_length``."""
    import os
    import tempfile

    from ch09_classify.classify import SpamDataset

    kwargs = {} if max_length is None else {"max_length": max_length}
    if pad_token_id != 50256:
        kwargs["pad_token_id"] = pad_token_id
    with tempfile.TemporaryDirectory() as folder:
        source = _frame(data)
        if as_csv:
            source.to_csv(os.path.join(folder, "data.csv"), index=None)
            source = os.path.join(folder, "data.csv")
        dataset = SpamDataset(source, tokenizer(kind), **kwargs)
        items = [dataset[i] for i in range(len(dataset))]
    return {"len": len(dataset), "max_length": int(dataset.max_length),
            "ids": [x.detach().clone() for x, _ in items], "labels": [y.detach().clone() for _, y in items],
            "dtypes": sorted({str(t.dtype) for pair in items for t in pair})}


def classification_head(cfg, model_seed, head_seed, num_classes=2):
    """The kit's GPTModel (seeded) after ``add_classification_head`` (called after ``manual_seed(head_seed)``)."""
    from ch09_classify.classify import add_classification_head

    torch.manual_seed(model_seed)
    model = kit("tinygpt").GPTModel(dict(cfg))
    before = _params(model)
    torch.manual_seed(head_seed)
    returned = add_classification_head(model, num_classes)
    return {"trainable": sorted(n for n, p in model.named_parameters() if p.requires_grad),
            "frozen": sorted(n for n, p in model.named_parameters() if not p.requires_grad),
            "params": _params(model), "before": before, "returned_model": returned is model or returned is None,
            "head_type": type(model.out_head).__name__}


def accuracy(ids, labels, batch_size, num_batches=None, train_mode=False, num_classes=2):
    """``calc_accuracy_loader`` with the kit's PositionModel on a DataLoader over ``(ids, labels)``."""
    from torch.utils.data import DataLoader, TensorDataset

    from ch09_classify.classify import calc_accuracy_loader

    torch.manual_seed(0)
    model = PositionModel(num_classes)
    model.train(bool(train_mode))
    loader = DataLoader(TensorDataset(ids, labels), batch_size=batch_size)
    got = calc_accuracy_loader(loader, model, torch.device("cpu"), num_batches=num_batches)
    return {"accuracy": float(got), "calls": len(model.inputs), "modes": model.modes}


def loss_batch(ids, labels, num_classes=2):
    """``calc_loss_batch`` with the kit's PositionModel: the loss, whether it has a graph, its shape."""
    from ch09_classify.classify import calc_loss_batch

    model = PositionModel(num_classes).eval()
    loss = calc_loss_batch(ids, labels, model, torch.device("cpu"))
    loss.backward()
    return {"loss": loss.detach().clone(), "shape": list(loss.shape), "grad": model.scale.grad.detach().clone()}


def _kit_head(model, num_classes):
    """The kit's own head set-up (so the loop's check does not depend on add_classification_head)."""

    for p in model.parameters():
        p.requires_grad = False
    model.out_head = torch.nn.Linear(model.out_head.in_features, num_classes)
    for module in (model.trf_blocks[-1], model.final_norm):
        for p in module.parameters():
            p.requires_grad = True
    return model


def toy_classification_data(seed, n, length, vocab):
    """Random ids whose label is 1 when the last id is in the upper half of the vocabulary."""

    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, vocab, (n, length), generator=g)
    return ids, (ids[:, -1] >= vocab // 2).long()


def train_loop(cfg, seed, n_train, n_val, batch_size, num_epochs, eval_freq, eval_iter, lr=1e-2):
    """``train_classifier_simple`` on a seeded tiny GPT with the kit's head and random toy data.

    The module's ``calc_loss_batch`` / ``calc_accuracy_loader`` are replaced by the kit's, so this
    checks the loop alone. Returns its five results and the trained parameters.
    """
    import contextlib
    import io

    from torch.utils.data import DataLoader, TensorDataset

    from ch09_classify import classify

    cpu = torch.device("cpu")
    patched = {"calc_loss_batch": _kit_loss_batch, "calc_accuracy_loader": _kit_accuracy}
    saved = {name: getattr(classify, name, None) for name in patched}
    ids, labels = toy_classification_data(seed, n_train + n_val, cfg["context_length"] // 2, cfg["vocab_size"])
    torch.manual_seed(seed)
    model = _kit_head(kit("tinygpt").GPTModel(dict(cfg)), 2)
    train = DataLoader(TensorDataset(ids[:n_train], labels[:n_train]), batch_size=batch_size, shuffle=True,
                       generator=torch.Generator().manual_seed(seed))
    val = DataLoader(TensorDataset(ids[n_train:], labels[n_train:]), batch_size=batch_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.1)
    try:
        for name, fn in patched.items():
            setattr(classify, name, fn)
        with contextlib.redirect_stdout(io.StringIO()) as printed:
            result = classify.train_classifier_simple(model, train, val, optimizer, cpu, num_epochs, eval_freq, eval_iter)
    finally:
        for name, fn in saved.items():
            if fn is not None:
                setattr(classify, name, fn)
    train_losses, val_losses, train_accs, val_accs, examples_seen = result
    return {"train_losses": [float(x) for x in train_losses], "val_losses": [float(x) for x in val_losses],
            "train_accs": [float(x) for x in train_accs], "val_accs": [float(x) for x in val_accs],
            "examples_seen": int(examples_seen), "printed": printed.getvalue(),
            "params": {name: p for name, p in _params(model).items() if name in TRAINED_PARAMS}}


def _kit_loss_batch(input_batch, target_batch, model, device):

    logits = model(input_batch.to(device))[:, -1, :]
    return torch.nn.functional.cross_entropy(logits, target_batch.to(device))


def _kit_accuracy(data_loader, model, device, num_batches=None):

    model.eval()
    n = len(data_loader) if num_batches is None else min(num_batches, len(data_loader))
    correct = total = 0
    with torch.no_grad():
        for i, (x, y) in enumerate(data_loader):
            if i >= n:
                break
            correct += (model(x.to(device))[:, -1, :].argmax(-1) == y.to(device)).sum().item()
            total += len(y)
    return correct / total


def classify_texts(texts, kind="bytes", max_length=None, context_length=64, pad_token_id=50256):
    """``classify_review`` on the kit's PositionModel (in train mode): each answer and the ids the model got."""
    from ch09_classify.classify import classify_review

    model = PositionModel(2, context_length).train()
    kwargs = {} if pad_token_id == 50256 else {"pad_token_id": pad_token_id}
    answers = [classify_review(text, model, tokenizer(kind), torch.device("cpu"), max_length=max_length, **kwargs)
               for text in texts]
    return {"answers": answers, "inputs": model.inputs, "modes": model.modes}
