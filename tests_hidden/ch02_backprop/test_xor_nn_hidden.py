"""Hidden checks for ch02_backprop: finite differences, one exact GD step, pre-update losses, XOR, no torch."""
import numpy as np
import pytest

from grader.harness import check
from tests_hidden.ch02_backprop import probes as P
from tests_public.ch02_backprop import test_xor_nn as public

from . import oracles as O

SHAPES = [((3, 5, 2), 7, 0), ((4, 2, 3), 5, 1), ((2, 6, 1), 9, 2), ((5, 4, 4), 3, 3)]


def _data(shape, n, seed):
    rng = np.random.default_rng(1000 + seed)
    X = rng.normal(0.0, 1.0, size=(n, shape[0]))
    y = rng.uniform(0.0, 1.0, size=(n, shape[2]))
    return X, y


def _kit_params(shape, seed):
    rng = np.random.default_rng(500 + seed)
    i, h, o = shape
    return {"weights_input_hidden": rng.normal(0, 0.8, (i, h)), "weights_hidden_output": rng.normal(0, 0.8, (h, o)),
            "bias_hidden": rng.normal(0, 0.3, (1, h)), "bias_output": rng.normal(0, 0.3, (1, o))}


@pytest.mark.task("2.1", "2.2")
def test_sigmoid_and_derivative_wide_range(run):
    xs = np.linspace(-30, 30, 41)
    check.close(run(P.sigmoid_values, xs), 1.0 / (1.0 + np.exp(-xs)), atol=1e-12, rtol=1e-9, what="sigmoid")
    ss = np.linspace(0.0, 1.0, 11)
    check.close(run(P.sigmoid_derivative_values, ss), ss * (1 - ss), atol=1e-12, rtol=0, what="sigmoid_derivative")


@pytest.mark.task("2.3")
def test_constructor_contract(run):
    for shape, _, seed in SHAPES:
        got = run(P.init_params, shape, seed)
        rng = np.random.default_rng(seed)
        w1 = rng.standard_normal((shape[0], shape[1]))
        w2 = rng.standard_normal((shape[1], shape[2]))
        want = {"weights_input_hidden": w1, "weights_hidden_output": w2,
                "bias_hidden": np.zeros((1, shape[1])), "bias_output": np.zeros((1, shape[2]))}
        for k in P.PARAMS:
            check.close(got[k], want[k], atol=0, rtol=0, what=f"NeuralNetwork(...).{k}")


@pytest.mark.task("2.3")
@pytest.mark.parametrize("shape,n,seed", SHAPES)
def test_feedforward_oracle(run, shape, n, seed):
    X, _ = _data(shape, n, seed)
    params = _kit_params(shape, seed)
    got = run(P.feedforward_run, shape, seed, X, params)
    hidden, out = O.forward(params, X)
    check.close(got["out"], out, atol=1e-12, rtol=1e-10, what="feedforward(X)")
    check.close(got["hidden_output"], hidden, atol=1e-12, rtol=1e-10, what="hidden_output")
    check.close(got["predicted_output"], out, atol=1e-12, rtol=1e-10, what="predicted_output")


@pytest.mark.task("2.4")
@pytest.mark.parametrize("shape,n,seed", SHAPES)
def test_gradients_finite_differences(run, shape, n, seed):
    X, y = _data(shape, n, seed)
    params = _kit_params(shape, seed)
    got = run(P.gradients_run, shape, seed, X, y, params)
    check.equal(sorted(got["grads"]), sorted(P.PARAMS), what="gradients: keys")
    check.that(got["params_unchanged"], {"zh": "gradients 不应修改参数", "en": "gradients must not change the parameters"})
    numeric = O.numeric_gradients(params, X, y)
    for k in P.PARAMS:
        check.close(np.shape(got["grads"][k]), np.shape(params[k]), atol=0, rtol=0, what=f"shape of gradients[{k!r}]")
        err = float(np.max(O.relative_error(got["grads"][k], numeric[k])))
        check.that(err < 1e-6, {"zh": f"gradients[{k!r}] 与中心差分不一致（最大相对误差 {err:.2e}，应 < 1e-6）",
                                "en": f"gradients[{k!r}] disagrees with central differences (max relative error {err:.2e}, needs < 1e-6)"},
                   {"zh": f"gradients[{k!r}] 与数值梯度不一致", "en": f"gradients[{k!r}] disagrees with numerical gradients"})


@pytest.mark.task("2.5")
@pytest.mark.parametrize("shape,n,seed", SHAPES[:3])
@pytest.mark.parametrize("lr", [0.05, 0.7])
def test_backward_is_one_gd_step(run, shape, n, seed, lr):
    X, y = _data(shape, n, seed)
    params = _kit_params(shape, seed)
    got = run(P.backward_run, shape, seed, X, y, lr, params)
    grads = O.analytic_gradients(params, X, y)
    for k in P.PARAMS:
        check.close(got["after"][k], params[k] - lr * grads[k], atol=1e-12, rtol=1e-9,
                    what=f"{k} after backward (param - lr * grad)")


@pytest.mark.task("2.6")
@pytest.mark.parametrize("shape,n,seed", SHAPES[:2])
def test_train_reports_pre_update_mse(run, shape, n, seed):
    X, y = _data(shape, n, seed)
    params = _kit_params(shape, seed)
    got = run(P.train_run, shape, seed, X, y, 6, 0.3, params)
    losses, final = O.gd_steps(params, X, y, 6, 0.3)
    check.close(got["losses"], losses, atol=1e-12, rtol=1e-9, what="train: per-epoch MSE before the update")
    for k in P.PARAMS:
        check.close(got["after"][k], final[k], atol=1e-10, rtol=1e-8, what=f"{k} after train")


@pytest.mark.task("2.6")
def test_xor_solved_for_most_seeds(run):
    seeds = [11, 22, 33, 44, 55]
    outputs = run(P.xor_outputs, seeds, 4, 10000, 0.5, timeout=120)
    target = np.array([0, 1, 1, 0]) > 0.5
    solved = [bool(np.all((np.asarray(o) > 0.5) == target)) for o in outputs]
    fraction = min(1.0, sum(solved) / 4)  # 4 of 5 seeds earn full points (the reference solves 5/5)
    check.partial(fraction, "XOR", {"zh": f"{sum(solved)}/{len(seeds)} 个随机种子在 10000 轮内学会了 XOR",
                                    "en": f"{sum(solved)}/{len(seeds)} seeds solved XOR within 10000 epochs"})


@pytest.mark.task("2.3")
def test_numpy_only_policy(run):
    """The public policy check, run again as the chapter's gate."""
    public.test_numpy_only_policy(run)
