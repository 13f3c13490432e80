"""A two-layer sigmoid network trained by hand-written backpropagation on XOR (handout ``xor_nn.py``).

numpy only (no torch). Shapes: ``X`` is ``(n, input_size)``, ``y`` is ``(n, output_size)``;
``weights_input_hidden (input, hidden)``, ``weights_hidden_output (hidden, output)``,
``bias_hidden (1, hidden)``, ``bias_output (1, output)``.

The loss whose gradient we follow is ``L = 0.5 * sum((y - output) ** 2)``; ``train`` reports the
mean squared error ``mean((y - output) ** 2)`` of each epoch's forward pass (before its update).

Run it: ``python -m ch02_backprop.xor_nn`` (prints the predictions, saves the loss curve to
``outputs/xor_loss.png``).
"""
from __future__ import annotations

import numpy as np

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=np.float64)


class NeuralNetwork:
    """Input -> sigmoid hidden layer -> sigmoid output, trained by gradient descent on ``L``."""

    def __init__(self, input_size: int, hidden_size: int, output_size: int, seed=None) -> None:
        rng = np.random.default_rng(seed)
        self.weights_input_hidden = rng.standard_normal((input_size, hidden_size))
        self.weights_hidden_output = rng.standard_normal((hidden_size, output_size))
        self.bias_hidden = np.zeros((1, hidden_size))
        self.bias_output = np.zeros((1, output_size))
        self.hidden_output = None
        self.predicted_output = None

    def sigmoid(self, x):
        """The logistic function ``1 / (1 + exp(-x))``, elementwise."""
        # TODO 2.1: sigmoid(x) = 1 / (1 + e^(-x))，用 np.exp 逐元素计算
        #   sigmoid(x) = 1 / (1 + e^(-x)), elementwise with np.exp
        raise NotImplementedError("TODO 2.1: NeuralNetwork.sigmoid")

    def sigmoid_derivative(self, s):
        """The sigmoid's derivative written with its *output* ``s = sigmoid(x)``: ``s * (1 - s)``."""
        # TODO 2.2: 参数 s 已经是 sigmoid 的输出，导数是 s * (1 - s)（不要再套一次 sigmoid）
        #   s is already a sigmoid output; the derivative is s * (1 - s) (do not apply sigmoid again)
        raise NotImplementedError("TODO 2.2: NeuralNetwork.sigmoid_derivative")

    def feedforward(self, X):
        """The network's output for ``X``; caches ``hidden_output`` and ``predicted_output``."""
        # TODO 2.3: 隐藏层 = sigmoid(X @ W1 + b1)，输出 = sigmoid(隐藏层 @ W2 + b2)；两者都存到 self 上
        #   hidden = sigmoid(X @ W1 + b1), output = sigmoid(hidden @ W2 + b2); store both on self
        raise NotImplementedError("TODO 2.3: NeuralNetwork.feedforward")

    def gradients(self, X, y) -> dict:
        """The gradient of ``L = 0.5 * sum((y - feedforward(X)) ** 2)`` for every parameter.

        Runs its own forward pass; returns a dict keyed ``weights_input_hidden``,
        ``weights_hidden_output``, ``bias_hidden``, ``bias_output`` (each the parameter's shape).
        """
        # TODO 2.4: 链式法则：输出层 delta = (out - y) * s'(out)；隐藏层 delta = (delta_out @ W2.T) * s'(hidden)；偏置的梯度要对样本求和
        #   chain rule: output delta = (out - y) * s'(out); hidden delta = (delta_out @ W2.T) * s'(hidden); bias gradients sum over the samples
        raise NotImplementedError("TODO 2.4: NeuralNetwork.gradients")

    def backward(self, X, y, learning_rate: float) -> None:
        """One gradient-descent step on ``L`` (``param -= learning_rate * grad``).

        Uses the activations cached by the last ``feedforward(X)``; every gradient is computed from
        the weights *before* this step.
        """
        # TODO 2.5: 先用缓存的激活值算出输出层和隐藏层的误差（都用更新前的权重），最后再一起更新四个参数
        #   compute the output and hidden errors from the cached activations first (with the old weights), then update all four parameters
        raise NotImplementedError("TODO 2.5: NeuralNetwork.backward")

    def train(self, X, y, epochs: int, learning_rate: float) -> list:
        """Full-batch training; returns each epoch's MSE ``mean((y - out) ** 2)`` measured before its update."""
        # TODO 2.6: 每个 epoch：先前向传播并记录这一次的均方误差，再调用 backward 更新参数
        #   every epoch: forward pass and record its mean squared error first, then call backward to update
        raise NotImplementedError("TODO 2.6: NeuralNetwork.train")


def main(argv=None) -> int:
    """Train on XOR like the handout, print the predictions, save ``outputs/xor_loss.png``."""
    import argparse
    import time
    from pathlib import Path

    parser = argparse.ArgumentParser(description="XOR with a hand-written backprop network")
    parser.add_argument("--epochs", type=int, default=10000)
    parser.add_argument("--lr", type=float, default=0.5)
    parser.add_argument("--hidden", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="outputs")
    args = parser.parse_args(argv)

    nn = NeuralNetwork(2, args.hidden, 1, seed=args.seed)
    start = time.perf_counter()
    try:
        from tqdm import trange
    except ImportError:  # pragma: no cover
        trange = range
    losses = []
    chunk = max(1, args.epochs // 100)
    bar = trange(0, args.epochs, chunk, desc="XOR", unit_scale=chunk)
    for first in bar:
        losses += nn.train(XOR_X, XOR_Y, min(chunk, args.epochs - first), args.lr)
        if hasattr(bar, "set_postfix"):
            bar.set_postfix(mse=f"{losses[-1]:.4f}")
    seconds = time.perf_counter() - start
    out = nn.feedforward(XOR_X)
    for x, p in zip(XOR_X, out):
        print(f"{x.astype(int).tolist()} -> {p[0]:.4f}")
    solved = bool(np.all((out > 0.5) == (XOR_Y > 0.5)))
    print(f"solved: {solved}   final MSE: {losses[-1]:.5f}   time: {seconds:.2f}s")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(losses)
    ax.set_xlabel("epoch")
    ax.set_ylabel("MSE")
    ax.set_yscale("log")
    ax.set_title("XOR training loss")
    fig.tight_layout()
    fig.savefig(folder / "xor_loss.png", dpi=120)
    print(f"saved {folder / 'xor_loss.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
