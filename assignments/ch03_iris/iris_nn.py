"""Iris classification with a small PyTorch network (handout ``iris_neural_network.py``).

Tasks: the model (``IrisNet``), a leak-free data split (``load_iris_split``), one training epoch
(``train``) and the evaluation (``evaluate``).

Run it: ``python -m ch03_iris.iris_nn`` — trains, prints the test accuracy, and saves to
``outputs/``: the loss curve, the confusion matrix, and a PCA scatter of Iris with k-means clusters
next to the true labels.
"""
from __future__ import annotations

import torch
from torch import nn


class IrisNet(nn.Module):
    """``Linear(input_size, hidden_size) -> ReLU -> Linear(hidden_size, num_classes)`` in ``self.net``."""

    def __init__(self, input_size: int = 4, hidden_size: int = 10, num_classes: int = 3) -> None:
        super().__init__()
        # TODO 3.1: 用 nn.Sequential 按顺序放入 Linear、ReLU、Linear，赋给 self.net
        #   put Linear, ReLU, Linear in an nn.Sequential and assign it to self.net
        raise NotImplementedError("TODO 3.1: IrisNet.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits ``(batch, num_classes)`` (no softmax: ``CrossEntropyLoss`` applies it)."""
        # TODO 3.1: 用 nn.Sequential 按顺序放入 Linear、ReLU、Linear，赋给 self.net
        #   put Linear, ReLU, Linear in an nn.Sequential and assign it to self.net
        raise NotImplementedError("TODO 3.1: IrisNet.forward")


def load_iris_split(test_size: float = 0.2, random_state: int = 42):
    """``X_train, X_test, y_train, y_test`` as tensors (float32 features, int64 labels).

    ``train_test_split(X, y, test_size=..., random_state=..., stratify=y)`` on scikit-learn's Iris,
    then standardised like ``StandardScaler`` fitted on the *training* split only (the test split
    is transformed with the training mean and standard deviation: no information leaks from it).
    """
    # TODO 3.2: 先分层划分（stratify=y），再只用训练集拟合 StandardScaler，然后分别 transform 训练集和测试集
    #   split first (stratify=y), fit StandardScaler on the training split only, then transform both splits
    raise NotImplementedError("TODO 3.2: load_iris_split")


def train(model: nn.Module, dataloader, criterion, optimizer, device) -> float:
    """One epoch in train mode; returns the sample-weighted mean loss.

    That is ``sum(loss_of_batch * batch_size) / len(dataloader.dataset)``, so a short last batch
    counts only as much as its samples.
    """
    # TODO 3.3: model.train()；每个批次：zero_grad、前向、loss、backward、step；累加 loss.item() * 批大小，最后除以样本总数
    #   model.train(); per batch: zero_grad, forward, loss, backward, step; add loss.item() * batch size, divide by the number of samples
    raise NotImplementedError("TODO 3.3: train")


def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor, device):
    """``(accuracy, predicted)``: eval mode, no gradients; ``predicted`` is a CPU int64 tensor."""
    # TODO 3.4: model.eval() 并在 torch.no_grad() 里前向；argmax 得到预测类别，和 y 比较算准确率
    #   model.eval() and a forward pass inside torch.no_grad(); argmax gives the predicted classes; compare with y
    raise NotImplementedError("TODO 3.4: evaluate")


# ------------------------------------------------------------------------------------------------
# The program: python -m ch03_iris.iris_nn
# ------------------------------------------------------------------------------------------------
def fit(epochs: int = 100, batch_size: int = 16, lr: float = 0.01, seed: int = 0, device: str = "cpu", progress=None):
    """Train an ``IrisNet`` like the handout; returns ``(model, losses, (X_train, X_test, y_train, y_test))``."""
    from torch.utils.data import DataLoader, TensorDataset

    torch.manual_seed(seed)
    X_train, X_test, y_train, y_test = load_iris_split()
    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    model = IrisNet().to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    epochs_iter = progress(range(epochs)) if progress else range(epochs)
    for _ in epochs_iter:
        losses.append(train(model, loader, criterion, optimizer, device))
        if hasattr(epochs_iter, "set_postfix"):
            epochs_iter.set_postfix(loss=f"{losses[-1]:.4f}")
    return model, losses, (X_train, X_test, y_train, y_test)


def main(argv=None) -> int:
    import argparse
    import time
    from pathlib import Path

    import numpy as np

    parser = argparse.ArgumentParser(description="Iris with a small PyTorch network")
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest for a model this small)")
    parser.add_argument("--out", default="outputs")
    args = parser.parse_args(argv)

    from tqdm import tqdm

    torch.set_num_threads(args.threads)

    start = time.perf_counter()
    model, losses, (X_train, X_test, y_train, y_test) = fit(
        args.epochs, args.batch_size, args.lr, args.seed, progress=lambda it: tqdm(it, desc="Iris", unit="epoch"))
    accuracy, predicted = evaluate(model, X_test, y_test, "cpu")
    print(f"test accuracy: {accuracy:.4f}   ({time.perf_counter() - start:.1f}s)")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.cluster import KMeans
    from sklearn.datasets import load_iris
    from sklearn.decomposition import PCA
    from sklearn.metrics import ConfusionMatrixDisplay
    from sklearn.preprocessing import StandardScaler

    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    names = list(load_iris().target_names)

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(range(1, len(losses) + 1), losses)
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy (sample-weighted)")
    ax.set_title("Iris training loss")
    fig.tight_layout()
    fig.savefig(folder / "iris_loss.png", dpi=120)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(5, 4.5))
    ConfusionMatrixDisplay.from_predictions(y_test.numpy(), predicted.numpy(), display_labels=names, ax=ax,
                                            colorbar=False)
    ax.set_title(f"Iris test set (accuracy {accuracy:.3f})")
    fig.tight_layout()
    fig.savefig(folder / "iris_confusion.png", dpi=120)
    plt.close(fig)

    iris = load_iris()
    X_all = StandardScaler().fit_transform(iris.data)  # for the picture only (no model is fitted here)
    points = PCA(n_components=2, random_state=0).fit_transform(X_all)
    clusters = KMeans(n_clusters=3, n_init=10, random_state=0).fit_predict(X_all)
    from scipy.optimize import linear_sum_assignment

    overlap = np.array([[np.sum((clusters == k) & (iris.target == c)) for c in range(3)] for k in range(3)])
    rows, cols = linear_sum_assignment(-overlap)  # name each cluster after the species it overlaps most
    clusters = np.array([dict(zip(rows, cols))[k] for k in clusters])
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharex=True, sharey=True)
    for ax, labels, title in ((axes[0], clusters, "k-means clusters (k=3)"), (axes[1], iris.target, "true species")):
        for k in np.unique(labels):
            mask = labels == k
            name = names[k] if labels is iris.target else f"cluster ~ {names[k]}"
            ax.scatter(points[mask, 0], points[mask, 1], s=18, label=name)
        ax.set_title(title)
        ax.set_xlabel("PC 1")
        ax.legend(fontsize=8)
    axes[0].set_ylabel("PC 2")
    fig.suptitle("Iris, first two principal components")
    fig.tight_layout()
    fig.savefig(folder / "iris_pca_kmeans.png", dpi=120)
    plt.close(fig)
    print(f"saved {folder / 'iris_loss.png'}, {folder / 'iris_confusion.png'}, {folder / 'iris_pca_kmeans.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
