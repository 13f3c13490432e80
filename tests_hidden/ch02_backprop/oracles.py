"""Independent numpy oracles for ch02 (per-sample loops and finite differences, not the reference's matrix form)."""
from __future__ import annotations

import numpy as np

PARAMS = ("weights_input_hidden", "weights_hidden_output", "bias_hidden", "bias_output")


def _sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward(p, X):
    h = _sig(X @ p["weights_input_hidden"] + p["bias_hidden"])
    return h, _sig(h @ p["weights_hidden_output"] + p["bias_output"])


def half_sse(p, X, y):
    """L = 0.5 * sum((y - out)^2)."""
    return 0.5 * float(np.sum((y - forward(p, X)[1]) ** 2))


def mse(p, X, y):
    return float(np.mean((y - forward(p, X)[1]) ** 2))


def numeric_gradients(p, X, y, h=1e-5):
    """Central differences of ``half_sse`` for every parameter entry."""
    grads = {}
    for k in PARAMS:
        g = np.zeros_like(p[k])
        for idx in np.ndindex(*p[k].shape):
            q = {kk: v.copy() for kk, v in p.items()}
            q[k][idx] += h
            up = half_sse(q, X, y)
            q[k][idx] -= 2 * h
            down = half_sse(q, X, y)
            g[idx] = (up - down) / (2 * h)
        grads[k] = g
    return grads


def analytic_gradients(p, X, y):
    """The same gradient, accumulated one sample at a time."""
    W1, W2 = p["weights_input_hidden"], p["weights_hidden_output"]
    grads = {k: np.zeros_like(p[k]) for k in PARAMS}
    for x_row, y_row in zip(X, y):
        h = _sig(x_row @ W1 + p["bias_hidden"][0])
        o = _sig(h @ W2 + p["bias_output"][0])
        d_o = (o - y_row) * o * (1 - o)
        d_h = (W2 @ d_o) * h * (1 - h)
        grads["weights_hidden_output"] += np.outer(h, d_o)
        grads["bias_output"][0] += d_o
        grads["weights_input_hidden"] += np.outer(x_row, d_h)
        grads["bias_hidden"][0] += d_h
    return grads


def relative_error(a, b, floor=1e-8):
    """CS231n's relative error ``|a - b| / max(|a|, |b|)`` elementwise (with a tiny floor for exact zeros)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), floor)


def gd_steps(p, X, y, epochs, lr):
    """Losses (MSE before each update) of ``epochs`` gradient-descent steps on L, and the final parameters."""
    p = {k: v.copy() for k, v in p.items()}
    losses = []
    for _ in range(epochs):
        losses.append(mse(p, X, y))
        g = analytic_gradients(p, X, y)
        for k in PARAMS:
            p[k] = p[k] - lr * g[k]
    return losses, p
