"""A PyTorch primer (handout Appendix A, with the data-loading pieces of the book's Appendix A).

Tasks: tensors and NumPy (``numpy_bridge``), autograd (``logistic_grads``), a first network and its
training loop (``first_network``, ``train_full_batch``), the circle classifier (``make_circle_data``,
``SimpleNN``, ``decision_grid``), data loading (``ToyDataset``, ``make_loaders``), evaluation
(``compute_accuracy``) and saving/loading weights (``save_model``, ``load_model``).

Run it: ``python -m ch11_pytorch_primer.primer`` — trains both networks and saves to ``outputs/``
the loss curves, the circle data and the circle classifier's decision boundary.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Dataset


def numpy_bridge(array: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """``(shared, copied)``: ``shared`` uses the array's memory (``torch.from_numpy``), ``copied`` has its own.

    A later change to ``array`` shows in ``shared`` only.
    """
    ### BEGIN SOLUTION 11.1
    ### zh: torch.from_numpy 共享内存；torch.tensor(array) 会复制一份
    ### en: torch.from_numpy shares the memory; torch.tensor(array) makes a copy
    return torch.from_numpy(array), torch.tensor(array)
    ### END SOLUTION


def logistic_grads(x1: torch.Tensor, w1: torch.Tensor, b: torch.Tensor, y: torch.Tensor):
    """``(loss, grad_w1, grad_b)`` of logistic regression on one input.

    ``z = x1 * w1 + b``, ``a = sigmoid(z)``, ``loss = F.binary_cross_entropy(a, y)``; the gradients of
    ``loss`` with respect to ``w1`` and ``b`` come from ``torch.autograd.grad``. The inputs are not
    modified (use copies that require gradients). ``x1=1.1, w1=2.2, b=0, y=1`` gives about
    ``-0.0898`` and ``-0.0817``.
    """
    ### BEGIN SOLUTION 11.2
    ### zh: 先把 w1、b 复制成 requires_grad=True 的张量，前向得到 loss，再用 torch.autograd.grad(loss, (w1, b))
    ### en: copy w1 and b into tensors with requires_grad=True, compute the loss, then torch.autograd.grad(loss, (w1, b))
    w1 = w1.detach().clone().requires_grad_(True)
    b = b.detach().clone().requires_grad_(True)
    a = torch.sigmoid(x1 * w1 + b)
    loss = F.binary_cross_entropy(a, y)
    grad_w1, grad_b = torch.autograd.grad(loss, (w1, b))
    return loss.detach(), grad_w1, grad_b
    ### END SOLUTION


def first_network(n_in: int, n_h: int, n_out: int) -> nn.Sequential:
    """``nn.Sequential(Linear(n_in, n_h), ReLU(), Linear(n_h, n_out), Sigmoid())``."""
    ### BEGIN SOLUTION 11.3
    ### zh: 按顺序把四层放进 nn.Sequential
    ### en: put the four layers, in order, into an nn.Sequential
    return nn.Sequential(nn.Linear(n_in, n_h), nn.ReLU(), nn.Linear(n_h, n_out), nn.Sigmoid())
    ### END SOLUTION


def train_full_batch(model: nn.Module, x: torch.Tensor, y: torch.Tensor, criterion, epochs: int, lr: float) -> list[float]:
    """Full-batch SGD (``torch.optim.SGD(model.parameters(), lr)``) for ``epochs`` epochs.

    Each epoch: forward on all of ``x``, the loss (recorded as a float — its value *before* this
    epoch's update), ``zero_grad``, ``backward``, ``step``. Returns the recorded losses.
    """
    ### BEGIN SOLUTION 11.4
    ### zh: 建一个 SGD 优化器；每个 epoch：前向、算 loss 并记录 loss.item()、zero_grad、backward、step
    ### en: make one SGD optimiser; each epoch: forward, loss (record loss.item()), zero_grad, backward, step
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        loss = criterion(model(x), y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses
    ### END SOLUTION


def make_circle_data(n_samples: int = 100, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """``(data, labels)``: ``torch.manual_seed(seed)``, ``data = torch.randn(n_samples, 2)``, and
    ``labels`` = 1.0 inside the unit circle (``x0**2 + x1**2 < 1``), else 0.0, shape ``(n_samples, 1)``."""
    ### BEGIN SOLUTION 11.5
    ### zh: 先 torch.manual_seed(seed)，再 torch.randn(n, 2)；标签是 (x0²+x1²<1) 转成 float，形状 (n, 1)
    ### en: torch.manual_seed(seed), then torch.randn(n, 2); labels are (x0² + x1² < 1) as float, shape (n, 1)
    torch.manual_seed(seed)
    data = torch.randn(n_samples, 2)
    labels = (data[:, 0] ** 2 + data[:, 1] ** 2 < 1).float().unsqueeze(1)
    return data, labels
    ### END SOLUTION


class SimpleNN(nn.Module):
    """The circle classifier: ``fc1 = Linear(2, 4)`` → ReLU → ``fc2 = Linear(4, 1)`` → sigmoid."""

    def __init__(self) -> None:
        super().__init__()
        ### BEGIN SOLUTION 11.6
        ### zh: 先建 fc1 = nn.Linear(2, 4)，再建 fc2 = nn.Linear(4, 1)（顺序决定随机初始化）
        ### en: create fc1 = nn.Linear(2, 4) first, then fc2 = nn.Linear(4, 1) (the order fixes the random initialisation)
        self.fc1 = nn.Linear(2, 4)
        self.fc2 = nn.Linear(4, 1)
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Probabilities ``(batch, 1)`` of being inside the circle."""
        ### BEGIN SOLUTION 11.6
        return torch.sigmoid(self.fc2(torch.relu(self.fc1(x))))
        ### END SOLUTION


def decision_grid(model: nn.Module, data: torch.Tensor, step: float = 0.1):
    """``(xx, yy, probabilities)`` for a decision-boundary picture (the handout's ``plot_decision_boundary``).

    Per feature ``torch.arange(min - 1, max + 1, step)`` over ``data``; ``xx, yy`` from
    ``torch.meshgrid(..., indexing="ij")``; ``probabilities`` are the model's outputs on every grid
    point, reshaped to ``xx.shape``, computed without gradients.
    """
    ### BEGIN SOLUTION 11.7
    ### zh: 用 torch.arange 和 meshgrid(indexing="ij") 建网格，把 (xx, yy) 拉平拼成 (k, 2) 输入，在 no_grad 下前向后 reshape
    ### en: build the grid with torch.arange and meshgrid(indexing="ij"), stack the flattened xx, yy into (k, 2), predict under no_grad, reshape
    x_min, x_max = data[:, 0].min() - 1, data[:, 0].max() + 1
    y_min, y_max = data[:, 1].min() - 1, data[:, 1].max() + 1
    xx, yy = torch.meshgrid(torch.arange(x_min, x_max, step), torch.arange(y_min, y_max, step), indexing="ij")
    with torch.no_grad():
        probabilities = model(torch.stack([xx.reshape(-1), yy.reshape(-1)], dim=1)).reshape(xx.shape)
    return xx, yy, probabilities
    ### END SOLUTION


class ToyDataset(Dataset):
    """A map-style dataset over two tensors: item ``i`` is ``(X[i], y[i])``."""

    def __init__(self, X: torch.Tensor, y: torch.Tensor) -> None:
        ### BEGIN SOLUTION 11.8
        ### zh: 保存 X 和 y；__getitem__ 返回 (X[i], y[i])，__len__ 返回样本数
        ### en: keep X and y; __getitem__ returns (X[i], y[i]), __len__ the number of samples
        self.features = X
        self.labels = y
        ### END SOLUTION

    def __getitem__(self, index: int):
        ### BEGIN SOLUTION 11.8
        return self.features[index], self.labels[index]
        ### END SOLUTION

    def __len__(self) -> int:
        ### BEGIN SOLUTION 11.8
        return self.labels.shape[0]
        ### END SOLUTION


def make_loaders(X_train, y_train, X_test, y_test, batch_size: int = 2, seed: int = 123):
    """``(train_loader, test_loader)`` over ``ToyDataset``s.

    Train: shuffled with ``torch.Generator().manual_seed(seed)``, ``drop_last=True``; test: in order,
    every sample kept. Both use ``batch_size`` and no worker processes.
    """
    ### BEGIN SOLUTION 11.8
    train_loader = DataLoader(ToyDataset(X_train, y_train), batch_size=batch_size, shuffle=True, num_workers=0,
                              drop_last=True, generator=torch.Generator().manual_seed(seed))
    test_loader = DataLoader(ToyDataset(X_test, y_test), batch_size=batch_size, shuffle=False, num_workers=0)
    return train_loader, test_loader
    ### END SOLUTION


def compute_accuracy(model: nn.Module, dataloader) -> float:
    """The fraction of samples whose argmax over the model's last dimension equals the label.

    Eval mode, no gradients; returns a Python float in ``[0, 1]``.
    """
    ### BEGIN SOLUTION 11.9
    ### zh: model.eval()；在 no_grad 下逐批前向，argmax(dim=-1) 与标签比较，累加正确数和样本数
    ### en: model.eval(); per batch under no_grad: forward, argmax(dim=-1), compare with the labels, count correct and total
    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for features, labels in dataloader:
            predictions = model(features).argmax(dim=-1)
            correct += int((predictions == labels).sum())
            total += labels.numel()
    return correct / total
    ### END SOLUTION


def save_model(model: nn.Module, path) -> None:
    """Save ``model.state_dict()`` to ``path`` with ``torch.save``."""
    ### BEGIN SOLUTION 11.10
    ### zh: torch.save(model.state_dict(), path)；加载时 load_state_dict(torch.load(path, weights_only=True)) 再 eval()
    ### en: torch.save(model.state_dict(), path); to load: load_state_dict(torch.load(path, weights_only=True)), then eval()
    torch.save(model.state_dict(), path)
    ### END SOLUTION


def load_model(model: nn.Module, path) -> nn.Module:
    """Load the state dict saved at ``path`` into ``model``; returns ``model`` in eval mode."""
    ### BEGIN SOLUTION 11.10
    model.load_state_dict(torch.load(path, weights_only=True))
    return model.eval()
    ### END SOLUTION


# ------------------------------------------------------------------------------------------------
# The program: python -m ch11_pytorch_primer.primer
# ------------------------------------------------------------------------------------------------
def _say(zh: str, en: str) -> None:
    import os

    print(zh if os.environ.get("GRADER_LANG", "en").startswith("zh") else en)


def main(argv=None) -> int:
    """Train the first network and the circle classifier; save the loss curves, the data and the boundary."""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description="PyTorch primer: a first network and a circle classifier")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=100, help="circle classifier epochs (the handout: 100)")
    parser.add_argument("--out", default="outputs")
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    x = torch.randn(100, 10)
    y = (x.sum(dim=1, keepdim=True) > 0).float()
    net = first_network(10, 5, 1)
    first_losses = train_full_batch(net, x, y, nn.MSELoss(), epochs=50, lr=0.01)
    _say(f"第一个网络（MSE，50 轮，lr 0.01）：损失 {first_losses[0]:.4f} → {first_losses[-1]:.4f}",
         f"first network (MSE, 50 epochs, lr 0.01): loss {first_losses[0]:.4f} -> {first_losses[-1]:.4f}")

    data, labels = make_circle_data(args.samples, args.seed)
    model = SimpleNN()
    circle_losses = train_full_batch(model, data, labels, nn.BCELoss(), epochs=args.epochs, lr=0.1)
    with torch.no_grad():
        accuracy = ((model(data) > 0.5).float() == labels).float().mean().item()
    _say(f"圆形分类器（BCE，{args.epochs} 轮，lr 0.1）：损失 {circle_losses[0]:.4f} → {circle_losses[-1]:.4f}，训练准确率 {accuracy:.3f}",
         f"circle classifier (BCE, {args.epochs} epochs, lr 0.1): loss {circle_losses[0]:.4f} -> {circle_losses[-1]:.4f}, "
         f"training accuracy {accuracy:.3f}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, losses, title in ((axes[0], first_losses, "first network (MSELoss)"),
                              (axes[1], circle_losses, "circle classifier (BCELoss)")):
        ax.plot(range(1, len(losses) + 1), losses)
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        ax.set_title(title)
    fig.tight_layout()
    fig.savefig(folder / "primer_losses.png", dpi=120)
    plt.close(fig)

    def scatter(ax) -> None:
        inside = labels[:, 0] > 0.5
        ax.scatter(data[inside, 0], data[inside, 1], s=16, c="tab:orange", edgecolors="k", label="inside (1)")
        ax.scatter(data[~inside, 0], data[~inside, 1], s=16, c="tab:blue", edgecolors="k", label="outside (0)")
        ax.set_aspect("equal")
        ax.legend(fontsize=8)

    fig, ax = plt.subplots(figsize=(5, 5))
    scatter(ax)
    ax.add_patch(plt.Circle((0, 0), 1, fill=False, linestyle="--"))
    ax.set_title("circle data")
    fig.savefig(folder / "primer_circle_data.png", dpi=120)
    plt.close(fig)

    xx, yy, probabilities = decision_grid(model, data)
    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.contourf(xx, yy, probabilities, levels=20, cmap="RdBu_r", alpha=0.6)
    ax.contour(xx, yy, probabilities, levels=[0.5], colors="k")
    scatter(ax)
    ax.set_title(f"decision boundary (training accuracy {accuracy:.2f})")
    fig.savefig(folder / "primer_decision_boundary.png", dpi=120)
    plt.close(fig)
    names = ", ".join(str(folder / n) for n in ("primer_losses.png", "primer_circle_data.png", "primer_decision_boundary.png"))
    _say(f"已保存 {names}", f"saved {names}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
