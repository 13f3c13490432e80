"""Public tests for ch02_backprop (handout ``xor_nn.py``): one per task, against the reference."""
import numpy as np
import pytest

from grader.harness import check
from tests_public.ch02_backprop import probes as P

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])
SIZES = (2, 3, 1)


def _net(seed: int) -> str:
    return f"net = NeuralNetwork(2, 3, 1, seed={seed})"


@pytest.mark.task("2.1")
def test_sigmoid(run):
    xs = [-3.0, -1.0, 0.0, 0.5, 2.0]
    check.cases([check.call("sigmoid", xs)], [run(P.sigmoid_values, xs)], [1.0 / (1.0 + np.exp(-np.array(xs)))],
                check.close, atol=1e-12, rtol=0)


@pytest.mark.task("2.2")
def test_sigmoid_derivative(run):
    ss = [0.1, 0.5, 0.9]
    check.cases([check.call("sigmoid_derivative", ss) + " (s = sigmoid(x) already)"], [run(P.sigmoid_derivative_values, ss)],
                [[0.09, 0.25, 0.09]], check.close, atol=1e-12, rtol=0)


@pytest.mark.task("2.3")
def test_feedforward(run, ref):
    got, want = run(P.feedforward_run, SIZES, 0, X), ref(P.feedforward_run, SIZES, 0, X)
    keys = ("out", "hidden_output", "predicted_output")
    check.cases([f"{_net(0)}; net.feedforward(X): {'the return value' if k == 'out' else 'net.' + k}" for k in keys],
                [got[k] for k in keys], [want[k] for k in keys], check.close, atol=1e-10, rtol=0)


@pytest.mark.task("2.4")
def test_gradients(run, ref):
    got, want = run(P.gradients_run, SIZES, 1, X, Y), ref(P.gradients_run, SIZES, 1, X, Y)
    called = f"{_net(1)}; net.gradients(X, y), X and y the XOR table"
    check.cases([f"{called}: the keys"], [got["keys"]], [want["keys"]])
    check.cases([f"{called}[{k!r}]" for k in P.PARAMS], [got["grads"][k] for k in P.PARAMS], [want["grads"][k] for k in P.PARAMS],
                check.close, atol=1e-10, rtol=0)


@pytest.mark.task("2.5")
def test_backward_one_step(run, ref):
    got, want = run(P.backward_run, SIZES, 2, X, Y, 0.5), ref(P.backward_run, SIZES, 2, X, Y, 0.5)
    check.cases([f"{_net(2)}; net.feedforward(X); net.backward(X, y, 0.5): net.{k} afterwards" for k in P.PARAMS],
                [got["after"][k] for k in P.PARAMS], [want["after"][k] for k in P.PARAMS], check.close, atol=1e-10, rtol=0)


@pytest.mark.task("2.6")
def test_train_losses(run, ref):
    got, want = run(P.train_run, SIZES, 3, X, Y, 5, 0.5), ref(P.train_run, SIZES, 3, X, Y, 5, 0.5)
    check.cases([f"{_net(3)}; net.train(X, y, 5, 0.5): the losses"], [got["losses"]], [want["losses"]],
                check.close, atol=1e-10, rtol=0)


@pytest.mark.task("2.6")
def test_xor_is_learned(run):
    outputs = run(P.xor_outputs, [0], 4, 10000, 0.5, timeout=60)
    check.that(bool(np.all((outputs[0] > 0.5) == (Y.reshape(-1) > 0.5))),
               {"zh": f"NeuralNetwork(2, 4, 1, seed=0).train(X, y, epochs=10000, lr=0.5) 之后 XOR 没有学会：输出 {np.round(outputs[0], 3).tolist()}",
                "en": f"XOR not learned by NeuralNetwork(2, 4, 1, seed=0).train(X, y, epochs=10000, lr=0.5): outputs {np.round(outputs[0], 3).tolist()}"})


@pytest.mark.task("2.3")
def test_numpy_only_policy(run):
    run(P.feedforward_run, SIZES, 0, X)  # the policy is checked on a network that runs (a skeleton reads TODO)
    got = run(P.module_imports)
    used = [m for m in got["imports"] + got["bound"] if m.split(".")[0] in ("torch", "tensorflow", "jax", "autograd")]
    check.that(not used, {"zh": f"xor_nn.py 只能用 numpy 手写反向传播，不能导入 {used}",
                          "en": f"xor_nn.py must do backprop by hand with numpy only; it imports {used}"})
