"""Fine-tune a pretrained ResNet vs train the same network from scratch: ``python -m ch13_transfer.finetune``.

Both runs get the same data and the same number of epochs; the pretrained one only trains
``layer4`` and ``fc`` (``freeze_backbone``) with two learning rates (``make_optimizer``). Saves both
validation curves in one plot and a grid of validation images with the fine-tuned model's
predictions to ``outputs/``. Offline: the kit's Tiny ImageNet-format data and its ResNet-18
pretrained on the CIFAR-format pictures (images resized to 32x32, the backbone's training size);
online: the real Tiny ImageNet and torchvision's ImageNet weights (images resized to 224x224).
"""
from __future__ import annotations

import time

import torch
from torch import nn
from torchvision import transforms

from ch13_transfer.transfer import (TinyImageNet, accuracy, build_finetune_model, freeze_backbone, make_optimizer,
                                    train_one_epoch)

KIT_NORM = ((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))
IMAGENET_NORM = ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))


def make_transforms(train: bool, size: int, norm=KIT_NORM) -> transforms.Compose:
    """Resize to ``size`` (the backbone's training resolution), flip when training, ``ToTensor``, ``Normalize``."""
    steps = [transforms.Resize(size)] + ([transforms.RandomHorizontalFlip()] if train else [])
    return transforms.Compose(steps + [transforms.ToTensor(), transforms.Normalize(*norm)])


def predict(model: nn.Module, loader) -> tuple[torch.Tensor, torch.Tensor]:
    """``(logits, labels)`` over a loader, in eval mode without gradients."""
    model.eval()
    outputs, labels = [], []
    with torch.no_grad():
        for images, y in loader:
            outputs.append(model(images))
            labels.append(y)
    return torch.cat(outputs), torch.cat(labels)


def fit(model: nn.Module, optimizer, train_loader, val_loader, epochs: int, label: str) -> list[float]:
    """Train for ``epochs`` (a progress bar per epoch); the validation accuracy after each one."""
    from tqdm import tqdm

    history = []
    for epoch in range(1, epochs + 1):
        bar = tqdm(train_loader, desc=f"{label} {epoch}/{epochs}", unit="batch", leave=False)
        loss = train_one_epoch(model, bar, nn.CrossEntropyLoss(), optimizer, "cpu")
        history.append(accuracy(*predict(model, val_loader)))
        print(f"{label:>10} epoch {epoch}: train loss {loss:.4f}  val accuracy {history[-1]:.4f}")
    return history


def resolve_weights(args) -> tuple[object, int, tuple]:
    """``(weights, image size, normalisation)``: torchvision's ImageNet weights online, the kit's backbone offline."""
    from kitdata.fetch import is_offline
    from kitdata.tinyimagenet import pretrained_backbone

    if args.weights:
        return args.weights, args.size or 224, IMAGENET_NORM
    if not is_offline(True if args.offline else None):
        try:
            build_finetune_model(1, args.arch, "DEFAULT")  # torchvision downloads and hash-checks the file
            return "DEFAULT", args.size or 224, IMAGENET_NORM
        except Exception as exc:  # no network
            print(f"无法下载 ImageNet 权重（{type(exc).__name__}），改用项目预训练的骨干网络 / "
                  f"could not download the ImageNet weights ({type(exc).__name__}); using the kit's backbone")
    return str(pretrained_backbone()), args.size or 32, KIT_NORM


def save_figures(folder, curves: dict, images: torch.Tensor, preds, labels, classes, norm) -> list:
    """Both validation curves in one plot, and a 4x8 grid of validation images with predictions."""
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, values in curves.items():
        ax.plot(range(1, len(values) + 1), values, "o-", label=name)
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation accuracy")
    ax.set_ylim(0, 1)
    ax.legend()
    ax.set_title("fine-tuned pretrained backbone vs from scratch")
    fig.tight_layout()
    saved = [folder / "transfer_curves.png"]
    fig.savefig(saved[-1], dpi=120)
    plt.close(fig)

    mean, std = (torch.tensor(v).view(3, 1, 1) for v in norm)
    fig, axes = plt.subplots(4, 8, figsize=(10, 6))
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k < len(images):
            ax.imshow((images[k] * std + mean).clamp(0, 1).permute(1, 2, 0).numpy())
            ok = int(preds[k]) == int(labels[k])
            ax.set_title(classes[int(preds[k])] + ("" if ok else f"\n({classes[int(labels[k])]})"), fontsize=7,
                         color="green" if ok else "red")
    fig.suptitle("validation images: fine-tuned prediction (red = wrong, true class in brackets)")
    fig.tight_layout()
    saved.append(folder / "transfer_predictions.png")
    fig.savefig(saved[-1], dpi=110)
    plt.close(fig)
    return saved


def main(argv=None) -> int:
    import argparse

    from torch.utils.data import DataLoader

    from kitdata.tinyimagenet import tiny_imagenet_root

    parser = argparse.ArgumentParser(description="transfer learning on Tiny ImageNet / 迁移学习")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--arch", default="resnet18", help="resnet18 (CPU) or resnet50 (the handout's)")
    parser.add_argument("--weights", default=None, help="a state-dict path or a torchvision weights name")
    parser.add_argument("--size", type=int, default=0, help="image size (default: 32 for the kit's backbone, else 224)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--offline", action="store_true", help="the kit's data and backbone even with a network")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    parser.add_argument("--out", default="outputs")
    args = parser.parse_args(argv)

    if args.threads:
        torch.set_num_threads(args.threads)
    weights, size, norm = resolve_weights(args)
    root = tiny_imagenet_root(True if args.offline else None)
    train_set = TinyImageNet(root, "train", make_transforms(True, size, norm))
    val_set = TinyImageNet(root, "val", make_transforms(False, size, norm))
    classes = {w: n for w, n in (line.split("\t", 1) for line in (root / "words.txt").read_text().splitlines())}
    names = [classes.get(w, w).split(",")[0] for w in train_set.classes]
    print(f"train {len(train_set)} / val {len(val_set)} images, {len(names)} classes, weights {weights}")
    val_loader = DataLoader(val_set, batch_size=128)

    curves, models = {}, {}
    for label in ("pretrained", "scratch"):
        torch.manual_seed(args.seed)
        loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True,
                            generator=torch.Generator().manual_seed(args.seed))
        if label == "pretrained":
            model = freeze_backbone(build_finetune_model(len(names), args.arch, weights))
            optimizer = make_optimizer(model)
        else:
            model = build_finetune_model(len(names), args.arch, None)
            optimizer = make_optimizer(model, lr_head=1e-3, lr_backbone=1e-3)
        start = time.perf_counter()
        curves[label] = fit(model, optimizer, loader, val_loader, args.epochs, label)
        print(f"{label}: {time.perf_counter() - start:.0f} s, final val accuracy {curves[label][-1]:.4f}")
        models[label] = model

    outputs, labels = predict(models["pretrained"], val_loader)
    images = torch.stack([val_set[i][0] for i in range(32)])
    saved = save_figures(args.out, curves, images, outputs.argmax(1)[:32], labels[:32], names, norm)
    print("saved " + ", ".join(str(p) for p in saved))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
