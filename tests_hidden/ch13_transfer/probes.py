"""Hidden probes for ch13_transfer: the public probes, plus the dataset on the kit's data, the model built
without weights, and the small-device training run.

The training run fine-tunes with the student's functions on the kit's training split and returns
predictions on images it is given without labels; the trusted test scores them.
"""
from __future__ import annotations

import time

import numpy as np
import torch
from torch import nn

from tests_public.ch13_transfer.probes import *  # noqa: F401,F403 — the grader ships both modules
from tests_public.ch13_transfer.probes import _describe
from tests_public.torch_helpers import kitdata_module

# The graded small-device run (thresholds are in the hidden tests; bench: bench/bench_transfer_qa.py)
FINETUNE_RUN = {"epochs": 3, "batch_size": 32, "size": 32}


def dataset_on_kit_data(split: str, n_items: int = 3) -> dict:
    """``TinyImageNet`` on the kit's generated Tiny ImageNet-format folder."""
    from torchvision import transforms

    from ch13_transfer.transfer import TinyImageNet

    root = kitdata_module("tinyimagenet").synthetic_tiny_root()
    return _describe(TinyImageNet(root, split, transform=transforms.ToTensor()), root, n_items)


def model_without_weights(num_classes: int, arch: str, init_seed: int) -> dict:
    """``build_finetune_model(num_classes, arch, None)``: type, fc shape, state names and shapes, parameter count."""
    from ch13_transfer.transfer import build_finetune_model

    torch.manual_seed(init_seed)
    model = build_finetune_model(num_classes, arch, None)
    return {"type": type(model).__name__, "fc": [int(model.fc.in_features), int(model.fc.out_features)],
            "shapes": {k: list(v.shape) for k, v in model.state_dict().items()},
            "n_params": int(sum(p.numel() for p in model.parameters()))}


# ------------------------------------------------------------------------------------------------
# The small-device run
# ------------------------------------------------------------------------------------------------
def finetune_run(seed: int, images, pretrained: bool = True, epochs: int = 3, batch_size: int = 32, size: int = 32,
                 threads: int = 0) -> dict:
    """Fine-tune (``pretrained``: the kit's backbone, ``freeze_backbone``, ``make_optimizer``) or train from
    scratch (all layers, one learning rate) on the kit's Tiny ImageNet-format training split; predict ``images``
    (uint8 ``(n, 64, 64, 3)``, unlabelled)."""
    from PIL import Image
    from torch.utils.data import DataLoader
    from torchvision import datasets, transforms

    from ch13_transfer.transfer import build_finetune_model, freeze_backbone, make_optimizer

    tiny = kitdata_module("tinyimagenet")
    root = tiny.synthetic_tiny_root()
    norm = transforms.Normalize((0.5,) * 3, (0.5,) * 3)
    train_tf = transforms.Compose([transforms.Resize(size), transforms.RandomHorizontalFlip(), transforms.ToTensor(), norm])
    train_set = datasets.ImageFolder(str(root / "train"), transform=train_tf,
                                     is_valid_file=lambda p: p.endswith(".JPEG"))
    previous = torch.get_num_threads()
    if threads:
        torch.set_num_threads(int(threads))
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        torch.manual_seed(seed)
        if pretrained:
            model = freeze_backbone(build_finetune_model(len(train_set.classes), "resnet18", str(tiny.pretrained_backbone())))
            optimizer = make_optimizer(model)
        else:
            model = build_finetune_model(len(train_set.classes), "resnet18", None)
            optimizer = make_optimizer(model, lr_head=1e-3, lr_backbone=1e-3)
        loader = DataLoader(train_set, batch_size=batch_size, shuffle=True, generator=torch.Generator().manual_seed(seed))
        for _ in range(epochs):
            model.train()
            for x, y in loader:
                optimizer.zero_grad()
                nn.functional.cross_entropy(model(x), y).backward()
                optimizer.step()
        model.eval()
        eval_tf = transforms.Compose([transforms.Resize(size), transforms.ToTensor(), norm])
        x = torch.stack([eval_tf(Image.fromarray(image)) for image in np.asarray(images)])
        with torch.no_grad():
            predicted = torch.cat([model(chunk).argmax(1) for chunk in x.split(128)])
    finally:
        torch.set_num_threads(previous)
    return {"predicted": predicted.to(torch.int64), "classes": list(train_set.classes),
            "seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu_start}
