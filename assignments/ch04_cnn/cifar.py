"""ResNet-18 on CIFAR-10 (handout's CIFAR-10 section): model, augmentation, SGD + cosine schedule.

Run it: ``python -m ch04_cnn.cifar --epochs 5`` — trains with a progress bar (reusing
``train_one_epoch`` / ``evaluate`` from ``mnist_resnet``) and saves the curves, the confusion matrix
and an 8x8 grid of test images with predictions to ``outputs/``. Offline it uses the kit's
generated CIFAR-format dataset (ten drawn classes, read by torchvision's ``CIFAR10``); online the
real CIFAR-10.
"""
from __future__ import annotations

import torch
from torch import nn
from torchvision import models, transforms

from ch04_cnn.mnist_resnet import (EarlyStopping, evaluate, grid_indices, predict_all, random_subset,
                                   save_figures, train_one_epoch)

CIFAR_MEAN = (0.5, 0.5, 0.5)
CIFAR_STD = (0.5, 0.5, 0.5)


def build_resnet18_cifar(num_classes: int = 10) -> nn.Module:
    """torchvision's ``resnet18(weights=None)``, stem unchanged (as in the handout), ``fc`` -> ``num_classes``."""
    # TODO 4.7: 直接用 models.resnet18(weights=None)，只把 fc 换成输出 num_classes 的全连接层
    #   models.resnet18(weights=None) as it is; only replace fc by a Linear to num_classes
    raise NotImplementedError("TODO 4.7: build_resnet18_cifar")


def cifar_transforms(train: bool) -> transforms.Compose:
    """Training: ``RandomCrop(32, padding=4)``, ``RandomHorizontalFlip()``, ``RandomRotation(10)``,
    ``ColorJitter(0.2, 0.2, 0.2, 0.2)``, ``ToTensor()``, ``Normalize`` by 0.5 per channel; test: the last two.
    """
    # TODO 4.8: 训练集依次：RandomCrop(32, padding=4)、RandomHorizontalFlip()、RandomRotation(10)、ColorJitter(0.2, 0.2, 0.2, 0.2)，再 ToTensor 和 Normalize
    #   training, in order: RandomCrop(32, padding=4), RandomHorizontalFlip(), RandomRotation(10), ColorJitter(0.2, 0.2, 0.2, 0.2), then ToTensor and Normalize
    raise NotImplementedError("TODO 4.8: cifar_transforms")


def make_optimizer(model: nn.Module, lr: float = 0.01, momentum: float = 0.9, weight_decay: float = 5e-4,
                   t_max: int = 100):
    """``(SGD(model.parameters(), lr, momentum, weight_decay), CosineAnnealingLR(optimizer, T_max=t_max))``."""
    # TODO 4.9: torch.optim.SGD（带 momentum 和 weight_decay）加 torch.optim.lr_scheduler.CosineAnnealingLR(T_max=t_max)
    #   torch.optim.SGD (with momentum and weight_decay) plus torch.optim.lr_scheduler.CosineAnnealingLR(T_max=t_max)
    raise NotImplementedError("TODO 4.9: make_optimizer")


# ------------------------------------------------------------------------------------------------
# The program: python -m ch04_cnn.cifar --epochs N
# ------------------------------------------------------------------------------------------------
def main(argv=None) -> int:
    import argparse
    import time

    from torch.utils.data import DataLoader
    from tqdm import tqdm

    from kitdata.vision import load_cifar10

    parser = argparse.ArgumentParser(description="ResNet-18 on CIFAR-10 (offline: the kit's CIFAR-format data)")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-augment", action="store_true", help="train without the augmentation pipeline")
    parser.add_argument("--offline", action="store_true", help="use the offline dataset even with a network")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    parser.add_argument("--limit", type=int, default=0, help="train on N random training images only (quick look)")
    parser.add_argument("--out", default="outputs")
    args = parser.parse_args(argv)

    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    offline = True if args.offline else None
    train_set = load_cifar10(train=True, transform=cifar_transforms(not args.no_augment), offline=offline)
    test_set = load_cifar10(train=False, transform=cifar_transforms(False), offline=offline)
    if args.limit:
        train_set = random_subset(train_set, args.limit, args.seed)
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True,
                              generator=torch.Generator().manual_seed(args.seed))
    test_loader = DataLoader(test_set, batch_size=256)
    classes = list(test_set.classes)
    print(f"train: {len(train_set)} images, test: {len(test_set)} images, classes: {classes}, device: {device}")

    model = build_resnet18_cifar(len(classes)).to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer, scheduler = make_optimizer(model, lr=args.lr, t_max=args.epochs)
    stopper = EarlyStopping(patience=10)
    history = {"loss": [], "acc": []}
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        bar = tqdm(train_loader, desc=f"epoch {epoch}/{args.epochs}", unit="batch", leave=False)
        loss = train_one_epoch(model, bar, criterion, optimizer, device)
        scheduler.step()
        acc = evaluate(model, test_loader, device)
        history["loss"].append(loss)
        history["acc"].append(acc)
        print(f"epoch {epoch}: train loss {loss:.4f}  test accuracy {acc:.4f}  lr {scheduler.get_last_lr()[0]:.4f}"
              f"  ({time.perf_counter() - start:.0f}s)")
        if stopper.step(loss):
            print("early stopping")
            break

    preds, labels = predict_all(model, test_loader, device)
    print(f"test accuracy {float((preds == labels).float().mean()):.4f} (chance {1 / len(classes):.2f})")
    indices = grid_indices(len(test_set))
    images = torch.stack([test_set[i][0] for i in indices])
    saved = save_figures(args.out, history, preds, labels, images, classes, "cifar", CIFAR_MEAN, CIFAR_STD, indices)
    print("saved " + ", ".join(str(p) for p in saved))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
