"""Probes for ch13_transfer: call the student's code, return plain data. No expected values here."""
from __future__ import annotations

import tempfile
from pathlib import Path

import torch
from torch import nn

from tests_public.torch_helpers import state as _state


def kit_resnet18(seed: int, num_classes: int = 1000) -> nn.Module:
    """A torchvision resnet18 with seeded random weights and random BatchNorm statistics."""
    from torchvision import models

    torch.manual_seed(seed)
    model = models.resnet18(weights=None, num_classes=num_classes)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 1.5)
    return model


# ------------------------------------------------------------------------------------------------
# Data
# ------------------------------------------------------------------------------------------------
def val_annotations(text: str):
    """``read_val_annotations`` on a file holding ``text``."""
    from ch13_transfer.transfer import read_val_annotations

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "val_annotations.txt"
        path.write_text(text)
        return dict(read_val_annotations(path))


def write_tree(root: Path, files: dict) -> None:
    """Files ``{relative path: text, or [h, w, grey] for a JPEG}`` under ``root``."""
    from PIL import Image

    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content)
        else:
            h, w, grey = content
            pixels = (torch.arange(h * w * 3) % 251).to(torch.uint8).reshape(h, w, 3).numpy()
            Image.fromarray(pixels).convert("L" if grey else "RGB").save(path, format="JPEG")


def _describe(dataset, root: Path, n_items: int) -> dict:
    items = []
    for i in range(min(n_items, len(dataset))):
        image, label = dataset[i]
        items.append({"label": int(label), "shape": list(image.shape), "dtype": str(image.dtype)})
    return {
        "classes": list(dataset.classes),
        "class_to_idx": dict(getattr(dataset, "class_to_idx", {})),
        "samples": [[Path(p).resolve().relative_to(root.resolve()).as_posix(), int(y)] for p, y in dataset.samples],
        "len": len(dataset),
        "items": items,
    }


def dataset_on_tree(files: dict, split: str, n_items: int = 4) -> dict:
    """``TinyImageNet(root, split, ToTensor)`` on a tree written from ``files``: classes, samples, items."""
    from torchvision import transforms

    from ch13_transfer.transfer import TinyImageNet

    with tempfile.TemporaryDirectory() as tmp:
        write_tree(Path(tmp), files)
        dataset = TinyImageNet(str(tmp), split, transform=transforms.ToTensor())
        return _describe(dataset, Path(tmp), n_items)


# ------------------------------------------------------------------------------------------------
# Model, freezing, optimizer, accuracy
# ------------------------------------------------------------------------------------------------
def model_from_weights(seed: int, num_classes: int, init_seed: int) -> dict:
    """``build_finetune_model`` with a state-dict file of a seeded resnet18: its state, fc shape, parameter count."""
    from ch13_transfer.transfer import build_finetune_model

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "backbone.pt"
        torch.save(kit_resnet18(seed).state_dict(), path)
        torch.manual_seed(init_seed)
        model = build_finetune_model(num_classes, "resnet18", str(path))
    return {"type": type(model).__name__, "fc": [int(model.fc.in_features), int(model.fc.out_features)],
            "fc_bias": model.fc.bias is not None, "state": _state(model),
            "n_params": int(sum(p.numel() for p in model.parameters()))}


def freeze_and_step(seed: int, trainable=None, lr: float = 0.1) -> dict:
    """``freeze_backbone`` on a seeded resnet18, then ``model.train()`` and one SGD step on a random batch.

    Returns the trainable names, whether each parameter changed, the BatchNorm buffers before and
    after the step, and whether each BatchNorm module was in train mode during the forward pass.
    """
    from ch13_transfer.transfer import freeze_backbone

    model = kit_resnet18(seed, 5)
    kwargs = {} if trainable is None else {"trainable": tuple(trainable)}
    returned = freeze_backbone(model, **kwargs)
    names = [n for n, p in model.named_parameters() if p.requires_grad]
    before = _state(model)
    seen = {}
    hooks = [m.register_forward_hook(lambda mod, i, o, name=name: seen.__setitem__(name, bool(mod.training)))
             for name, m in model.named_modules() if isinstance(m, nn.BatchNorm2d)]
    model.train()
    g = torch.Generator().manual_seed(seed + 1)
    x, y = torch.randn(6, 3, 32, 32, generator=g), torch.randint(0, 5, (6,), generator=g)
    params = [p for p in model.parameters() if p.requires_grad]
    loss = nn.functional.cross_entropy(model(x), y)
    if params:
        loss.backward()
        torch.optim.SGD(params, lr=lr).step()
    for h in hooks:
        h.remove()
    after = _state(model)
    buffers = {n for n, _ in model.named_buffers()}
    return {"trainable": names, "returned_model": returned is model, "bn_training": seen,
            "changed": {n: not torch.equal(before[n], after[n]) for n, _ in model.named_parameters()},
            "bn_before": {n: before[n] for n in buffers}, "bn_after": {n: after[n] for n in buffers}}


def optimizer_groups(seed: int, trainable, kwargs: dict) -> dict:
    """``make_optimizer(model, **kwargs)`` on a resnet18 whose trainable parameters the kit chose by prefix."""
    from ch13_transfer.transfer import make_optimizer

    model = kit_resnet18(seed, 7)
    for name, p in model.named_parameters():
        p.requires_grad = any(name == t or name.startswith(t + ".") for t in trainable)
    names = {id(p): n for n, p in model.named_parameters()}
    optimizer = make_optimizer(model, **kwargs)
    return {"type": type(optimizer).__name__,
            "groups": [{"names": [names.get(id(p), "?") for p in g["params"]], "lr": float(g["lr"]),
                        "weight_decay": float(g["weight_decay"])} for g in optimizer.param_groups]}


def accuracy_run(outputs, labels) -> dict:
    """``accuracy(outputs, labels)``: the value, its Python type, and whether any float64 tensor was made."""
    from torch.overrides import TorchFunctionMode

    from ch13_transfer.transfer import accuracy

    class Float64Watch(TorchFunctionMode):
        used = False

        def __torch_function__(self, func, types, args=(), kwargs=None):
            result = func(*args, **(kwargs or {}))
            if isinstance(result, torch.Tensor) and result.dtype == torch.float64:
                Float64Watch.used = True
            return result

    with Float64Watch():
        value = accuracy(outputs, labels)
    return {"value": float(value), "type": type(value).__name__, "float64": Float64Watch.used}
