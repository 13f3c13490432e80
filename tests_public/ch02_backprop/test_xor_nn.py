"""Public tests for ch02_backprop (handout ``xor_nn.py``): one per task, against the reference."""
import numpy as np
import pytest

from grader.harness import check
from tests_public.ch02_backprop import probes as P

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])
SIZES = (2, 3, 1)


@pytest.mark.task("2.1")
def test_sigmoid(run):
    xs = [-3.0, -1.0, 0.0, 0.5, 2.0]
    check.close(run(P.sigmoid_values, xs), 1.0 / (1.0 + np.exp(-np.array(xs))), atol=1e-12, rtol=0, what="sigmoid")


@pytest.mark.task("2.2")
def test_sigmoid_derivative(run):
    ss = [0.1, 0.5, 0.9]
    check.close(run(P.sigmoid_derivative_values, ss), [0.09, 0.25, 0.09], atol=1e-12, rtol=0,
                what="sigmoid_derivative(s) with s = sigmoid(x)")


@pytest.mark.task("2.3")
def test_feedforward(run, ref):
    got, want = run(P.feedforward_run, SIZES, 0, X), ref(P.feedforward_run, SIZES, 0, X)
    for key in ("out", "hidden_output", "predicted_output"):
        check.close(got[key], want[key], atol=1e-10, rtol=0, what=f"feedforward: {key}")


@pytest.mark.task("2.4")
def test_gradients(run, ref):
    got, want = run(P.gradients_run, SIZES, 1, X, Y), ref(P.gradients_run, SIZES, 1, X, Y)
    check.equal(got["keys"], want["keys"], what="gradients: keys")
    for key in P.PARAMS:
        check.close(got["grads"][key], want["grads"][key], atol=1e-10, rtol=0, what=f"gradients[{key!r}]")


@pytest.mark.task("2.5")
def test_backward_one_step(run, ref):
    got, want = run(P.backward_run, SIZES, 2, X, Y, 0.5), ref(P.backward_run, SIZES, 2, X, Y, 0.5)
    for key in P.PARAMS:
        check.close(got["after"][key], want["after"][key], atol=1e-10, rtol=0, what=f"backward: {key}")


@pytest.mark.task("2.6")
def test_train_losses(run, ref):
    got, want = run(P.train_run, SIZES, 3, X, Y, 5, 0.5), ref(P.train_run, SIZES, 3, X, Y, 5, 0.5)
    check.close(got["losses"], want["losses"], atol=1e-10, rtol=0, what="train: losses")


@pytest.mark.task("2.6")
def test_xor_is_learned(run):
    outputs = run(P.xor_outputs, [0], 4, 10000, 0.5, timeout=60)
    check.that(bool(np.all((outputs[0] > 0.5) == (Y.reshape(-1) > 0.5))),
               {"zh": f"训练 10000 轮后 XOR 没有学会：输出 {np.round(outputs[0], 3).tolist()}",
                "en": f"XOR not learned after 10000 epochs: outputs {np.round(outputs[0], 3).tolist()}"})


@pytest.mark.task("2.3")
def test_numpy_only_policy(run):
    got = run(P.module_imports)
    used = [m for m in got["imports"] + got["bound"] if m.split(".")[0] in ("torch", "tensorflow", "jax", "autograd")]
    check.that(not used, {"zh": f"xor_nn.py 只能用 numpy 手写反向传播，不能导入 {used}",
                          "en": f"xor_nn.py must do backprop by hand with numpy only; it imports {used}"})
