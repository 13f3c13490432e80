"""Probes for ch04_cnn: call the student's code, return plain data. No expected values here.

The training runs are hidden probes (``tests_hidden/ch04_cnn/probes.py``).
"""
from __future__ import annotations

import math

import torch
from torch import nn

from tests_public.torch_helpers import state as _state, watch as _watch


# ------------------------------------------------------------------------------------------------
# Kit models (the student's code only runs the loops on them)
# ------------------------------------------------------------------------------------------------
class TinyNet(nn.Module):
    """A tiny CNN with BatchNorm and Dropout, so train/eval mode changes the result."""

    def __init__(self, channels: int = 1, num_classes: int = 10) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(channels, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
                                      nn.AdaptiveAvgPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(16, num_classes))

    def forward(self, x):
        return self.head(self.features(x))


def tiny_net(seed, channels=1, num_classes=10):
    torch.manual_seed(seed)
    return TinyNet(channels, num_classes)


def kit_resnet18_mnist(num_classes=10):
    """The kit's own MNIST ResNet-18 (for training runs that must not depend on the student's model)."""
    from torchvision import models

    model = models.resnet18(weights=None)
    model.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    model.fc = nn.Linear(512, num_classes)
    return model


def kit_resnet18_cifar(num_classes=10):
    from torchvision import models

    model = models.resnet18(weights=None)
    model.fc = nn.Linear(512, num_classes)
    return model


# ------------------------------------------------------------------------------------------------
# Models
# ------------------------------------------------------------------------------------------------
def describe_model(model):
    conv1, fc = model.conv1, model.fc
    return {
        "type": type(model).__name__,
        "conv1": {"type": type(conv1).__name__, "in": int(conv1.in_channels), "out": int(conv1.out_channels),
                  "kernel": list(conv1.kernel_size), "stride": list(conv1.stride), "padding": list(conv1.padding),
                  "bias": conv1.bias is not None},
        "fc": {"type": type(fc).__name__, "in": int(fc.in_features), "out": int(fc.out_features)},
        "n_params": int(sum(p.numel() for p in model.parameters())),
        "shapes": {k: list(v.shape) for k, v in model.state_dict().items()},
    }


def model_structure(which, num_classes=10):
    """``build_resnet18_mnist`` / ``build_resnet18_cifar``: conv1, fc, parameter count, state shapes."""
    if which == "mnist":
        from ch04_cnn.mnist_resnet import build_resnet18_mnist as build
    else:
        from ch04_cnn.cifar import build_resnet18_cifar as build
    return describe_model(build(num_classes))


# ------------------------------------------------------------------------------------------------
# Transforms
# ------------------------------------------------------------------------------------------------
def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if hasattr(value, "value") and hasattr(value, "name"):  # enums (InterpolationMode)
        return str(value.value)
    return repr(value)


TRANSFORM_FIELDS = {
    "RandomRotation": ("degrees", "interpolation", "expand", "center", "fill"),
    "Normalize": ("mean", "std", "inplace"),
    "RandomCrop": ("size", "padding", "pad_if_needed", "fill", "padding_mode"),
    "RandomHorizontalFlip": ("p",),
    "ColorJitter": ("brightness", "contrast", "saturation", "hue"),
}


def transforms_description(which, train):
    """Each step of ``mnist_transforms`` / ``cifar_transforms``: its type and parameters."""
    if which == "mnist":
        from ch04_cnn.mnist_resnet import mnist_transforms as make
    else:
        from ch04_cnn.cifar import cifar_transforms as make
    pipeline = make(train)
    steps = getattr(pipeline, "transforms", None)
    if steps is None:
        return {"compose": False, "steps": [{"type": type(pipeline).__name__, "params": {}}]}
    out = []
    for step in steps:
        name = type(step).__name__
        params = {f: _plain(getattr(step, f, None)) for f in TRANSFORM_FIELDS.get(name, ())}
        out.append({"type": name, "params": params})
    return {"compose": type(pipeline).__name__ == "Compose", "steps": out}


def transforms_apply(which, train, image, seed):
    """The pipeline applied to ``image`` (uint8 HxW or HxWx3 array) after ``torch.manual_seed(seed)``."""
    from PIL import Image

    if which == "mnist":
        from ch04_cnn.mnist_resnet import mnist_transforms as make
    else:
        from ch04_cnn.cifar import cifar_transforms as make
    pipeline = make(train)
    torch.manual_seed(seed)
    return pipeline(Image.fromarray(image))


# ------------------------------------------------------------------------------------------------
# Loops and metrics
# ------------------------------------------------------------------------------------------------
def train_one_epoch_run(seed, X, y, batch_size, lr):
    """The student's ``train_one_epoch`` on a kit TinyNet (left in eval mode), SGD, unshuffled loader."""
    from torch.utils.data import DataLoader, TensorDataset

    from ch04_cnn.mnist_resnet import train_one_epoch

    model = tiny_net(seed, X.shape[1])
    model.eval()
    torch.manual_seed(seed + 1)
    loader = DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=False)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    log = []
    handle = _watch(model, log)
    loss = train_one_epoch(model, loader, nn.CrossEntropyLoss(), optimizer, "cpu")
    handle.remove()
    return {"loss": float(loss), "state": _state(model), "seen": log}


def evaluate_run(seed, X, y, batch_size):
    """The student's ``evaluate`` on a kit TinyNet left in train mode."""
    from torch.utils.data import DataLoader, TensorDataset

    from ch04_cnn.mnist_resnet import evaluate

    model = tiny_net(seed, X.shape[1])
    model.train()
    loader = DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=False)
    log = []
    handle = _watch(model, log)
    accuracy = evaluate(model, loader, "cpu")
    handle.remove()
    return {"accuracy": float(accuracy), "seen": log, "state": _state(model)}


def per_class(preds, labels, num_classes):
    from ch04_cnn.mnist_resnet import per_class_accuracy

    return [float(v) for v in per_class_accuracy(preds, labels, num_classes)]


def early_stopping(losses, patience=None, min_delta=None):
    """``EarlyStopping(...).step(loss)`` for each loss (defaults when ``None``)."""
    from ch04_cnn.mnist_resnet import EarlyStopping

    kwargs = {k: v for k, v in (("patience", patience), ("min_delta", min_delta)) if v is not None}
    stopper = EarlyStopping(**kwargs)
    return [bool(stopper.step(loss)) for loss in losses]


def optimizer_run(kwargs, steps):
    """``make_optimizer(model, **kwargs)`` on a kit model: types, hyper-parameters, the lr after each step."""
    from ch04_cnn.cifar import make_optimizer

    model = tiny_net(0, 3)
    optimizer, scheduler = make_optimizer(model, **kwargs)
    group = optimizer.param_groups[0]
    covered = {id(p) for g in optimizer.param_groups for p in g["params"]}
    info = {
        "optimizer": type(optimizer).__name__,
        "scheduler": type(scheduler).__name__,
        "groups": len(optimizer.param_groups),
        "all_params": all(id(p) in covered for p in model.parameters()),
        "lr": float(group["lr"]), "momentum": float(group.get("momentum", math.nan)),
        "weight_decay": float(group.get("weight_decay", math.nan)), "nesterov": bool(group.get("nesterov", False)),
        "dampening": float(group.get("dampening", math.nan)),
        "T_max": int(getattr(scheduler, "T_max", -1)), "eta_min": float(getattr(scheduler, "eta_min", math.nan)),
    }
    lrs = [float(optimizer.param_groups[0]["lr"])]
    for _ in range(steps):
        optimizer.step()
        scheduler.step()
        lrs.append(float(optimizer.param_groups[0]["lr"]))
    info["lrs"] = lrs
    return info
