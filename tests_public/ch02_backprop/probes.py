"""Probes for ch02_backprop: call the student's network, return plain data. No expected values here."""
from __future__ import annotations

import numpy as np

PARAMS = ("weights_input_hidden", "weights_hidden_output", "bias_hidden", "bias_output")


def _params(net):
    return {k: np.array(getattr(net, k), dtype=np.float64, copy=True) for k in PARAMS}


def _net(sizes, seed, params=None):
    from ch02_backprop.xor_nn import NeuralNetwork

    net = NeuralNetwork(*sizes, seed=seed)
    if params is not None:  # the kit's own weights (so a check does not depend on the constructor)
        for k in PARAMS:
            setattr(net, k, np.array(params[k], dtype=np.float64, copy=True))
    return net


def sigmoid_values(xs):
    from ch02_backprop.xor_nn import NeuralNetwork

    net = NeuralNetwork(1, 1, 1, seed=0)
    return np.asarray(net.sigmoid(np.asarray(xs, dtype=np.float64)), dtype=np.float64)


def sigmoid_derivative_values(ss):
    from ch02_backprop.xor_nn import NeuralNetwork

    net = NeuralNetwork(1, 1, 1, seed=0)
    return np.asarray(net.sigmoid_derivative(np.asarray(ss, dtype=np.float64)), dtype=np.float64)


def feedforward_run(sizes, seed, X, params=None):
    """The output of ``feedforward(X)`` and what it cached."""
    net = _net(sizes, seed, params)
    out = net.feedforward(np.asarray(X, dtype=np.float64))
    return {
        "out": np.asarray(out, dtype=np.float64),
        "hidden_output": np.asarray(net.hidden_output, dtype=np.float64),
        "predicted_output": np.asarray(net.predicted_output, dtype=np.float64),
    }


def gradients_run(sizes, seed, X, y, params=None):
    """The parameters used and ``gradients(X, y)``; also whether the call changed the parameters."""
    net = _net(sizes, seed, params)
    before = _params(net)
    grads = net.gradients(np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64))
    after = _params(net)
    return {
        "params": before,
        "grads": {k: np.asarray(grads[k], dtype=np.float64) for k in PARAMS if k in grads},
        "keys": sorted(str(k) for k in grads),
        "params_unchanged": all(np.array_equal(before[k], after[k]) for k in PARAMS),
    }


def backward_run(sizes, seed, X, y, lr, params=None):
    """Parameters before and after ``feedforward(X)`` then ``backward(X, y, lr)``."""
    net = _net(sizes, seed, params)
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    before = _params(net)
    net.feedforward(X)
    net.backward(X, y, lr)
    return {"before": before, "after": _params(net)}


def train_run(sizes, seed, X, y, epochs, lr, params=None):
    """``train(X, y, epochs, lr)``'s losses, with the parameters before and after."""
    net = _net(sizes, seed, params)
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    before = _params(net)
    losses = net.train(X, y, epochs, lr)
    return {"before": before, "losses": [float(v) for v in losses], "after": _params(net)}


def xor_outputs(seeds, hidden, epochs, lr):
    """For each seed: a fresh ``NeuralNetwork(2, hidden, 1, seed)`` trained on XOR, then its outputs."""
    from ch02_backprop.xor_nn import NeuralNetwork

    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = np.array([[0], [1], [1], [0]], dtype=np.float64)
    outputs = []
    for seed in seeds:
        net = NeuralNetwork(2, hidden, 1, seed=seed)
        net.train(X, y, epochs, lr)
        outputs.append(np.asarray(net.feedforward(X), dtype=np.float64).reshape(-1))
    return outputs


def module_imports():
    """Every module ``xor_nn.py`` imports (from its source, any depth) and the modules bound in its namespace."""
    import ast
    import inspect
    import types

    from ch02_backprop import xor_nn

    tree = ast.parse(inspect.getsource(xor_nn))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "__import__", "import_module"):
            names.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    bound = {v.__name__ for v in vars(xor_nn).values() if isinstance(v, types.ModuleType)}
    bound |= {getattr(v, "__module__", "") or "" for v in vars(xor_nn).values() if callable(v)}
    return {"imports": sorted(names), "bound": sorted(b for b in bound if b)}
