"""Probes for ch03_iris: call the student's code, return plain data. No expected values here."""
from __future__ import annotations

import torch

from tests_public.torch_helpers import state as _state, watch as _watch


def kit_model(kind, seed):
    """Kit models (not the student's): ``"mlp"`` 4-8-3, or ``"dropout"`` 4-16-3 with ``Dropout(0.5)``."""
    from torch import nn

    torch.manual_seed(seed)
    if kind == "dropout":
        return nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 3))
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))


def model_structure(args):
    """``IrisNet(*args)``: the layer types in ``net`` and the parameter shapes."""
    from ch03_iris.iris_nn import IrisNet

    model = IrisNet(*args)
    return {
        "types": [type(m).__name__ for m in model.net],
        "shapes": {k: list(v.shape) for k, v in model.state_dict().items()},
    }


def model_forward(args, state, X):
    """``IrisNet(*args)`` with the kit's weights ``state``: its logits on ``X``."""
    from ch03_iris.iris_nn import IrisNet

    model = IrisNet(*args)
    model.load_state_dict(state)
    with torch.no_grad():
        return model(X).float()


def split(test_size=0.2, random_state=42):
    from ch03_iris.iris_nn import load_iris_split

    X_train, X_test, y_train, y_test = load_iris_split(test_size=test_size, random_state=random_state)
    return {"X_train": X_train, "X_test": X_test, "y_train": y_train, "y_test": y_test,
            "dtypes": [str(t.dtype) for t in (X_train, X_test, y_train, y_test)]}


def train_epochs(kind, seed, X, y, batch_size, lr, epochs, start_in_eval=True):
    """The student's ``train`` on a kit model/loader/loss/SGD for ``epochs``; losses, final weights, modes seen."""
    from torch.utils.data import DataLoader, TensorDataset

    from ch03_iris.iris_nn import train

    model = kit_model(kind, seed)
    if start_in_eval:
        model.eval()  # train() must switch to train mode itself
    torch.manual_seed(seed + 1)  # dropout masks
    loader = DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=False)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    criterion = torch.nn.CrossEntropyLoss()
    log = []
    handle = _watch(model, log)
    losses = [float(train(model, loader, criterion, optimizer, "cpu")) for _ in range(epochs)]
    handle.remove()
    return {"losses": losses, "state": _state(model), "seen": log}


def evaluate_run(kind, seed, X, y):
    """The student's ``evaluate`` on a kit model (left in train mode): accuracy, predictions, modes seen."""
    from ch03_iris.iris_nn import evaluate

    model = kit_model(kind, seed)
    model.train()
    log = []
    handle = _watch(model, log)
    accuracy, predicted = evaluate(model, X, y, "cpu")
    handle.remove()
    return {"accuracy": float(accuracy), "predicted": predicted.detach().to("cpu").long(),
            "predicted_type": type(predicted).__name__, "predicted_device": str(predicted.device),
            "requires_grad": bool(predicted.requires_grad), "seen": log}
