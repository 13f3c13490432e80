"""Probes for ch11_pytorch_primer: call the student's code, return plain data. No expected values here."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from tests_public.torch_helpers import state as _state, watch as _watch


def bridge(values, dtype="float64"):
    """``numpy_bridge`` on an array of ``values``; the two tensors before and after the array is changed in place."""
    from ch11_pytorch_primer.primer import numpy_bridge

    array = np.array(values, dtype=dtype)
    shared, copied = numpy_bridge(array)
    before = {"shared": shared.clone(), "copied": copied.clone(), "types": [type(shared).__name__, type(copied).__name__]}
    array += 100
    return {**before, "shared_after": shared.clone(), "copied_after": copied.clone()}


def grads(x1, w1, b, y):
    """``logistic_grads``: the loss and gradients, and whether the inputs kept their values and flags."""
    from ch11_pytorch_primer.primer import logistic_grads

    inputs = [torch.tensor(v, dtype=torch.float32) for v in (x1, w1, b, y)]
    copies = [t.clone() for t in inputs]
    loss, grad_w1, grad_b = logistic_grads(*inputs)
    return {"loss": torch.as_tensor(loss).detach().float(), "grad_w1": torch.as_tensor(grad_w1).detach().float(),
            "grad_b": torch.as_tensor(grad_b).detach().float(),
            "inputs_unchanged": all(torch.equal(a, c) for a, c in zip(inputs, copies)),
            "inputs_need_no_grad": not any(t.requires_grad for t in inputs)}


def first_network_built(n_in, n_h, n_out, seed):
    """``first_network`` after ``torch.manual_seed(seed)``: layer types, weights in creation order."""
    from ch11_pytorch_primer.primer import first_network

    torch.manual_seed(seed)
    model = first_network(n_in, n_h, n_out)
    return {"types": [type(m).__name__ for m in model], "state": _state(model),
            "is_sequential": isinstance(model, nn.Sequential)}


def kit_model(kind, seed):
    """Kit models (not the student's): ``"first"`` 6-5-1 with sigmoid, ``"circle"`` 2-4-1 with sigmoid."""
    torch.manual_seed(seed)
    sizes = (6, 5, 1) if kind == "first" else (2, 4, 1)
    return nn.Sequential(nn.Linear(sizes[0], sizes[1]), nn.ReLU(), nn.Linear(sizes[1], sizes[2]), nn.Sigmoid())


def train_full(kind, seed, x, y, loss, epochs, lr):
    """The student's ``train_full_batch`` on a kit model with ``MSELoss`` or ``BCELoss``: losses and final weights."""
    from ch11_pytorch_primer.primer import train_full_batch

    model = kit_model(kind, seed)
    criterion = nn.MSELoss() if loss == "mse" else nn.BCELoss()
    losses = train_full_batch(model, x, y, criterion, epochs, lr)
    return {"losses": [float(v) for v in losses], "state": _state(model)}


def circle(n_samples, seed, global_seed=999):
    """``make_circle_data(n_samples, seed)`` called after the global seed was set to something else."""
    from ch11_pytorch_primer.primer import make_circle_data

    torch.manual_seed(global_seed)
    data, labels = make_circle_data(n_samples, seed)
    return {"data": data, "labels": labels, "dtypes": [str(data.dtype), str(labels.dtype)]}


def simple_nn(seed, x):
    """``SimpleNN()`` after ``torch.manual_seed(seed)``: modules and parameters in order, outputs on ``x``."""
    from ch11_pytorch_primer.primer import SimpleNN

    torch.manual_seed(seed)
    model = SimpleNN()
    with torch.no_grad():
        out = model(x).float()
    return {"children": [[name, type(m).__name__] for name, m in model.named_children()],
            "params": [[name, list(p.shape)] for name, p in model.named_parameters()],
            "state": _state(model), "out": out}


def grid(seed, data, step):
    """``decision_grid`` on the kit circle model: the grid, the probabilities, whether they carry gradients."""
    from ch11_pytorch_primer.primer import decision_grid

    model = kit_model("circle", seed)
    xx, yy, probabilities = decision_grid(model, data, step)
    return {"xx": xx.detach(), "yy": yy.detach(), "p": probabilities.detach().float(),
            "requires_grad": bool(probabilities.requires_grad)}


def dataset_items(X, y):
    """``ToyDataset(X, y)``: its length and every item."""
    from ch11_pytorch_primer.primer import ToyDataset

    dataset = ToyDataset(X, y)
    return {"len": len(dataset), "items": [[dataset[i][0], dataset[i][1]] for i in range(len(dataset))]}


def loaders(X_train, y_train, X_test, y_test, batch_size, seed, epochs=2):
    """``make_loaders``: every batch of ``epochs`` passes over the train loader, then of the test loader.

    The global seed is set to an unrelated value first: the shuffle must come from ``seed``.
    """
    from ch11_pytorch_primer.primer import make_loaders

    torch.manual_seed(31337)
    train_loader, test_loader = make_loaders(X_train, y_train, X_test, y_test, batch_size=batch_size, seed=seed)
    train = [[[xb, yb] for xb, yb in train_loader] for _ in range(epochs)]
    test = [[xb, yb] for xb, yb in test_loader]
    return {"train": train, "test": test}


class _KnownLogits(nn.Module):
    """A kit model whose logits are its inputs (after dropout, so train mode would change them)."""

    def __init__(self) -> None:
        super().__init__()
        self.dropout = nn.Dropout(0.5)

    def forward(self, x):
        return self.dropout(x)


def accuracy(X, y, batch_size):
    """``compute_accuracy`` of the known-logits model over a plain loader: the value, its type, modes seen."""
    from torch.utils.data import DataLoader, TensorDataset

    from ch11_pytorch_primer.primer import compute_accuracy

    model = _KnownLogits().train()
    log = []
    handle = _watch(model, log)
    torch.manual_seed(0)
    value = compute_accuracy(model, DataLoader(TensorDataset(X, y), batch_size=batch_size))
    handle.remove()
    return {"accuracy": float(value), "type": type(value).__name__, "seen": log}


def save_load(seed):
    """``save_model`` a kit model, ``load_model`` into a differently initialised one (left in train mode)."""
    import os
    import tempfile

    from ch11_pytorch_primer.primer import load_model, save_model

    model = kit_model("circle", seed)
    fresh = kit_model("circle", seed + 1).train()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.pth")
        save_model(model, path)
        saved = torch.load(path, weights_only=True)
        loaded = load_model(fresh, path)
    return {"saved": {k: v for k, v in saved.items()} if isinstance(saved, dict) else None,
            "original": _state(model), "loaded": _state(loaded), "same_object": loaded is fresh,
            "training": bool(loaded.training)}
