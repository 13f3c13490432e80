"""Transfer learning (handout 4.5): Tiny ImageNet, a pretrained ResNet, a frozen backbone, two learning rates.

The handout fine-tunes an ImageNet-pretrained ResNet-50 on Tiny ImageNet. Here the same code runs on
a laptop CPU: offline, the kit's dataset in Tiny ImageNet's layout and a ResNet-18 the kit pretrained
on its CIFAR-format pictures (``kitdata.tinyimagenet``); online, the real dataset and torchvision's
ImageNet weights. Run it: ``python -m ch13_transfer.finetune``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

import torch
from PIL import Image
from torch import nn
from torch.utils.data import Dataset
from torchvision import models

from ch13_transfer.previous_chapters import evaluate, train_one_epoch  # noqa: F401  (given, re-exported)

IMAGE_SUFFIX = ".JPEG"


def read_val_annotations(path) -> dict[str, str]:
    """``val/val_annotations.txt`` as ``{file name: wnid}`` (tab-separated: file, wnid, box x0, y0, x1, y1)."""
    ### BEGIN SOLUTION 13.1
    ### zh: 逐行按制表符 \t 切分，取第 1 列（文件名）和第 2 列（wnid）；跳过空行
    ### en: split each line on tabs and keep the 1st (file name) and 2nd (wnid) columns; skip blank lines
    out = {}
    for line in Path(path).read_text().splitlines():
        if line.strip():
            name, wnid = line.split("\t")[:2]
            out[name] = wnid
    return out
    ### END SOLUTION


class TinyImageNet(Dataset):
    """Tiny ImageNet's ``train`` or ``val`` split as ``(image, label)`` pairs, like torchvision's ``ImageFolder``.

    ``classes``: the sorted lines of ``wnids.txt``; ``class_to_idx``: wnid -> label;
    ``samples``: ``(path, label)`` for ``train/<wnid>/images/*.JPEG`` (by class, then file name) or for
    ``val/images/*.JPEG`` labelled by ``val_annotations.txt`` (by file name). Images are opened as RGB
    (a few Tiny ImageNet files are greyscale) and passed through ``transform``.
    """

    def __init__(self, root, split: str = "train", transform: Optional[Callable] = None) -> None:
        ### BEGIN SOLUTION 13.2
        ### zh: classes = sorted(wnids.txt 的非空行)；train 遍历 train/<wnid>/images/*.JPEG（按文件名排序），val 用 read_val_annotations 给 val/images 里的图片打标签
        ### en: classes = sorted non-blank lines of wnids.txt; train walks train/<wnid>/images/*.JPEG (sorted), val labels val/images with read_val_annotations
        root = Path(root)
        self.root, self.split, self.transform = root, split, transform
        self.classes = sorted(line.strip() for line in (root / "wnids.txt").read_text().splitlines() if line.strip())
        self.class_to_idx = {wnid: i for i, wnid in enumerate(self.classes)}
        if split == "train":
            self.samples = [(str(path), self.class_to_idx[wnid]) for wnid in self.classes
                            for path in sorted((root / "train" / wnid / "images").glob("*" + IMAGE_SUFFIX))]
        elif split == "val":
            labels = read_val_annotations(root / "val" / "val_annotations.txt")
            self.samples = [(str(root / "val" / "images" / name), self.class_to_idx[labels[name]])
                            for name in sorted(labels)]
        else:
            raise ValueError(f"split must be 'train' or 'val', not {split!r}")
        ### END SOLUTION
        self.targets = [label for _, label in self.samples]

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int):
        ### BEGIN SOLUTION 13.2
        path, label = self.samples[index]
        image = Image.open(path).convert("RGB")
        if self.transform is not None:
            image = self.transform(image)
        return image, label
        ### END SOLUTION


def build_finetune_model(num_classes: int, arch: str = "resnet18", weights=None) -> nn.Module:
    """torchvision's ``arch`` with ``weights`` (a state-dict path, a torchvision weights name, or ``None``), ``fc`` -> ``num_classes``.

    A path is loaded into the full model (its ``fc`` included, as torchvision's checkpoints are)
    before ``fc`` is replaced by ``Linear(in_features, num_classes)``.
    """
    ### BEGIN SOLUTION 13.3
    ### zh: 路径：先 getattr(models, arch)(weights=None) 再 load_state_dict(torch.load(路径))；名字：直接传给 weights=；最后把 fc 换成 nn.Linear(fc.in_features, num_classes)
    ### en: a path: getattr(models, arch)(weights=None), then load_state_dict(torch.load(path)); a name: pass it as weights=; last, replace fc by nn.Linear(fc.in_features, num_classes)
    build = getattr(models, arch)
    if weights is not None and Path(str(weights)).is_file():
        model = build(weights=None)
        model.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
    else:
        model = build(weights=weights)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
    ### END SOLUTION


def _in_prefixes(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _stay_in_eval(module: nn.Module, inputs) -> None:
    """Forward pre-hook: a frozen BatchNorm normalises with its running statistics and never updates them."""
    module.train(False)


def freeze_backbone(model: nn.Module, trainable=("layer4", "fc")) -> nn.Module:
    """Only parameters under the ``trainable`` prefixes keep ``requires_grad``; BatchNorm layers outside
    them stay in eval mode during training (their running statistics are not updated). Returns ``model``."""
    ### BEGIN SOLUTION 13.4
    ### zh: 按名字前缀设置 requires_grad；对前缀之外的 BatchNorm 层注册 forward_pre_hook，在每次前向前把它设回 eval 模式
    ### en: set requires_grad by name prefix; give each BatchNorm outside the prefixes a forward_pre_hook that puts it back in eval mode before every forward
    for name, param in model.named_parameters():
        param.requires_grad = _in_prefixes(name, trainable)
    for name, module in model.named_modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm) and not _in_prefixes(name, trainable):
            module.register_forward_pre_hook(_stay_in_eval)
    return model
    ### END SOLUTION


def make_optimizer(model: nn.Module, lr_head: float = 1e-3, lr_backbone: float = 1e-4,
                   weight_decay: float = 1e-4) -> torch.optim.AdamW:
    """AdamW with two parameter groups of trainable parameters: ``fc`` at ``lr_head``, then the rest at ``lr_backbone``."""
    ### BEGIN SOLUTION 13.5
    ### zh: 只取 requires_grad 的参数，按名字是否以 "fc." 开头分成两组：[{"params": 头, "lr": lr_head}, {"params": 其余, "lr": lr_backbone}]
    ### en: trainable parameters only, split by whether the name starts with "fc.": [{"params": head, "lr": lr_head}, {"params": rest, "lr": lr_backbone}]
    head, backbone = [], []
    for name, param in model.named_parameters():
        if param.requires_grad:
            (head if _in_prefixes(name, ("fc",)) else backbone).append(param)
    return torch.optim.AdamW([{"params": head, "lr": lr_head}, {"params": backbone, "lr": lr_backbone}],
                             weight_decay=weight_decay)
    ### END SOLUTION


def accuracy(outputs: torch.Tensor, labels: torch.Tensor) -> float:
    """Share of rows whose arg-max equals the label, computed in float32 (float64 is not available on MPS)."""
    ### BEGIN SOLUTION 13.6
    ### zh: (outputs.argmax(dim=1) == labels).float().mean().item()——用 float32，不要 .double()
    ### en: (outputs.argmax(dim=1) == labels).float().mean().item() — float32, not .double()
    return (outputs.argmax(dim=1) == labels).float().mean().item()
    ### END SOLUTION
