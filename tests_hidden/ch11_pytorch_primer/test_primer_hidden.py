"""Hidden checks for ch11_pytorch_primer: memory sharing, hand-derived and finite-difference gradients,
structure and creation order, training losses against a plain PyTorch loop, the circle data against
an independent oracle, the grid, the loaders under the seed, accuracy on known outputs, save/load;
then the circle classifier trained by the student's code on fresh held-out data."""
import math

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from grader.harness import check
from tests_hidden.ch11_pytorch_primer import probes as P


@pytest.mark.task("11.1")
@pytest.mark.parametrize("values,dtype", [([1.0, 2.0, 3.0], "float64"), ([[1, 2], [3, 4]], "int64"), ([0.5] * 4, "float32")])
def test_numpy_bridge_memory(run, values, dtype):
    got = run(P.bridge, values, dtype)
    array = np.array(values, dtype=dtype)
    for key in ("shared", "copied"):
        check.close(got[key], array, atol=0, rtol=0, what=f"numpy_bridge: {key}")
        check.that(str(got[key].dtype) == f"torch.{dtype}",
                   {"zh": f"numpy_bridge：{key} 的 dtype 应与数组相同（{dtype}）", "en": f"numpy_bridge: {key} must keep the array's dtype ({dtype})"})
    check.close(got["shared_after"], array + 100, atol=0, rtol=0,
                what="shared after the array was changed in place (torch.from_numpy shares memory)")
    check.close(got["copied_after"], array, atol=0, rtol=0, what="copied after the array was changed in place (must be a copy)")


def hand_grads(x1, w1, b, y):
    """BCE of a sigmoid, derived by hand: dL/dz = a - y, so dL/dw1 = (a - y) * x1 and dL/db = a - y."""
    a = 1 / (1 + math.exp(-(x1 * w1 + b)))
    loss = -(y * math.log(a) + (1 - y) * math.log(1 - a))
    return loss, (a - y) * x1, a - y


@pytest.mark.task("11.2")
def test_logistic_grads_handout_values(run):
    got = run(P.grads, 1.1, 2.2, 0.0, 1.0)
    check.close(got["grad_w1"], -0.0898, atol=5e-5, rtol=0, what="grad_w1 at the handout's inputs (about -0.0898)")
    check.close(got["grad_b"], -0.0817, atol=5e-5, rtol=0, what="grad_b at the handout's inputs (about -0.0817)")


@pytest.mark.task("11.2")
@pytest.mark.parametrize("x1,w1,b,y", [(0.3, -1.2, 0.4, 0.0), (-2.0, 0.7, 1.5, 1.0), (1.7, 0.2, -0.3, 0.25)])
def test_logistic_grads_hand_and_finite_differences(run, x1, w1, b, y):
    got = run(P.grads, x1, w1, b, y)
    loss, gw, gb = hand_grads(x1, w1, b, y)
    check.close(got["loss"], loss, atol=1e-5, rtol=1e-4, what="logistic_grads: loss (binary cross-entropy)")
    check.close(got["grad_w1"], gw, atol=1e-5, rtol=1e-4, what="logistic_grads: grad_w1")
    check.close(got["grad_b"], gb, atol=1e-5, rtol=1e-4, what="logistic_grads: grad_b")
    h = 1e-6
    fd_w = (hand_grads(x1, w1 + h, b, y)[0] - hand_grads(x1, w1 - h, b, y)[0]) / (2 * h)
    fd_b = (hand_grads(x1, w1, b + h, y)[0] - hand_grads(x1, w1, b - h, y)[0]) / (2 * h)
    check.close([got["grad_w1"].item(), got["grad_b"].item()], [fd_w, fd_b], atol=1e-4, rtol=1e-3,
                what="logistic_grads vs finite differences")
    check.that(got["inputs_unchanged"] and got["inputs_need_no_grad"],
               {"zh": "logistic_grads 不能修改传入的张量（包括 requires_grad）", "en": "logistic_grads must not modify its input tensors (requires_grad included)"})


@pytest.mark.task("11.3")
@pytest.mark.parametrize("sizes,seed", [((10, 5, 1), 0), ((3, 7, 2), 9)])
def test_first_network_structure(run, sizes, seed):
    got = run(P.first_network_built, *sizes, seed)
    check.equal(got["types"], ["Linear", "ReLU", "Linear", "Sigmoid"], what="first_network layer types")
    check.that(got["is_sequential"], {"zh": "first_network 应返回 nn.Sequential", "en": "first_network must return an nn.Sequential"})
    n_in, n_h, n_out = sizes
    torch.manual_seed(seed)
    want = nn.Sequential(nn.Linear(n_in, n_h), nn.ReLU(), nn.Linear(n_h, n_out), nn.Sigmoid()).state_dict()
    check.equal(sorted(got["state"]), sorted(want), what="first_network parameter names")
    check.equal(sum(v.numel() for v in got["state"].values()), n_in * n_h + n_h + n_h * n_out + n_out,
                what="first_network parameter count")
    for key in want:
        check.close(got["state"][key], want[key], atol=0, rtol=0, what=f"first_network initial weights ({key}): creation order")


def oracle_train(kind, seed, x, y, loss, epochs, lr):
    """Full-batch SGD written out here: the loss of each epoch before its update, and the final weights."""
    model = P.kit_model(kind, seed)
    criterion = nn.MSELoss() if loss == "mse" else nn.BCELoss()
    losses = []
    for _ in range(epochs):
        value = criterion(model(x), y)
        losses.append(value.item())
        grads = torch.autograd.grad(value, list(model.parameters()))
        with torch.no_grad():
            for p, g in zip(model.parameters(), grads):
                p -= lr * g
    return losses, {k: v.detach().clone() for k, v in model.state_dict().items()}


@pytest.mark.task("11.4")
@pytest.mark.parametrize("kind,loss,lr,epochs", [("first", "mse", 0.01, 50), ("first", "bce", 0.05, 20),
                                                 ("circle", "bce", 0.1, 100), ("circle", "mse", 0.3, 30)])
def test_train_full_batch_losses(run, kind, loss, lr, epochs):
    g = torch.Generator().manual_seed(epochs)
    x = torch.randn(40, 6 if kind == "first" else 2, generator=g)
    y = (torch.rand(40, 1, generator=g) > 0.5).float()
    got = run(P.train_full, kind, epochs, x, y, loss, epochs, lr)
    losses, state = oracle_train(kind, epochs, x, y, loss, epochs, lr)
    check.equal(len(got["losses"]), epochs, what="train_full_batch: number of recorded losses")
    check.close(got["losses"][0], losses[0], atol=1e-6, rtol=0,
                what="train_full_batch: the first loss (recorded before the first update)")
    check.close(got["losses"], losses, atol=1e-6, rtol=0, what=f"train_full_batch: losses per epoch ({kind}, {loss})")
    for key in state:
        check.close(got["state"][key], state[key], atol=1e-5, rtol=1e-5, what=f"weights after training: {key}")


@pytest.mark.task("11.5")
@pytest.mark.parametrize("n,seed", [(100, 0), (37, 5), (1, 11)])
def test_make_circle_data_oracle(run, n, seed):
    got = run(P.circle, n, seed)
    gen = torch.Generator().manual_seed(seed)  # the global generator after manual_seed(seed) draws the same
    data = torch.randn(n, 2, generator=gen)
    radius2 = data.double().pow(2).sum(dim=1)
    check.equal(got["dtypes"], ["torch.float32", "torch.float32"], what="make_circle_data: dtypes")
    check.close(got["data"], data, atol=0, rtol=0, what="make_circle_data: data (torch.manual_seed(seed), then randn)")
    check.close(got["labels"], (radius2 < 1).float().reshape(n, 1), atol=0, rtol=0,
                what="make_circle_data: labels, 1.0 inside the unit circle, shape (n, 1)")


@pytest.mark.task("11.6")
@pytest.mark.parametrize("seed", [0, 17])
def test_simple_nn_structure_and_forward(run, seed):
    x = torch.randn(9, 2, generator=torch.Generator().manual_seed(seed + 1))
    got = run(P.simple_nn, seed, x)
    check.equal([c[0] for c in got["children"] if c[1] == "Linear"], ["fc1", "fc2"], what="SimpleNN: Linear layers fc1, fc2")
    check.equal([p for p in got["params"]], [["fc1.weight", [4, 2]], ["fc1.bias", [4]], ["fc2.weight", [1, 4]], ["fc2.bias", [1]]],
                what="SimpleNN parameters (creation order and shapes); 17 in all")
    torch.manual_seed(seed)
    fc1, fc2 = nn.Linear(2, 4), nn.Linear(4, 1)
    for key, want in (("fc1.weight", fc1.weight), ("fc1.bias", fc1.bias), ("fc2.weight", fc2.weight), ("fc2.bias", fc2.bias)):
        check.close(got["state"][key], want.detach(), atol=0, rtol=0, what=f"SimpleNN initial {key} (fc1 created before fc2)")
    with torch.no_grad():
        want = torch.sigmoid(fc2(torch.relu(fc1(x))))
    check.close(got["out"], want, atol=1e-6, rtol=1e-5, what="SimpleNN forward (ReLU after fc1, sigmoid output)")


@pytest.mark.task("11.7")
@pytest.mark.parametrize("seed,step", [(3, 0.1), (4, 0.25)])
def test_decision_grid_oracle(run, seed, step):
    data = torch.tensor([[-1.23, 0.31], [0.74, -0.52], [1.06, 1.38], [0.11, -2.07]]) * (1 + seed / 10)
    got = run(P.grid, seed, data, step)
    lo, hi = data.min(dim=0).values - 1, data.max(dim=0).values + 1
    xs, ys = torch.arange(lo[0], hi[0], step), torch.arange(lo[1], hi[1], step)
    xx, yy = xs[:, None].expand(len(xs), len(ys)), ys[None, :].expand(len(xs), len(ys))  # meshgrid, "ij" indexing
    model = P.kit_model("circle", seed)
    with torch.no_grad():
        p = model(torch.stack([xx.reshape(-1), yy.reshape(-1)], dim=1)).reshape(xx.shape)
    check.close(got["xx"], xx, atol=1e-6, rtol=0, what="decision_grid: xx (arange(min - 1, max + 1, step), indexing='ij')")
    check.close(got["yy"], yy, atol=1e-6, rtol=0, what="decision_grid: yy")
    check.close(got["p"], p, atol=1e-6, rtol=1e-5, what="decision_grid: probabilities")
    check.that(not got["requires_grad"], {"zh": "decision_grid 应在 torch.no_grad() 下计算", "en": "decision_grid must run under torch.no_grad()"})


@pytest.mark.task("11.8")
def test_toy_dataset_items(run):
    X, y = torch.randn(7, 3, generator=torch.Generator().manual_seed(2)), torch.arange(7)
    got = run(P.dataset_items, X, y)
    check.equal(got["len"], 7, what="len(ToyDataset)")
    for i, (xi, yi) in enumerate(got["items"]):
        check.close(xi, X[i], atol=0, rtol=0, what=f"ToyDataset[{i}][0]")
        check.close(yi, y[i], atol=0, rtol=0, what=f"ToyDataset[{i}][1]")


@pytest.mark.task("11.8")
@pytest.mark.parametrize("n_train,n_test,batch_size,seed", [(5, 2, 2, 123), (11, 5, 3, 7), (8, 3, 4, 0)])
def test_loaders_under_the_seed(run, n_train, n_test, batch_size, seed):
    g = torch.Generator().manual_seed(n_train)
    X_train, y_train = torch.randn(n_train, 2, generator=g), torch.arange(n_train)
    X_test, y_test = torch.randn(n_test, 2, generator=g), torch.arange(n_test)
    got = run(P.loaders, X_train, y_train, X_test, y_test, batch_size, seed)
    train = DataLoader(TensorDataset(X_train, y_train), batch_size=batch_size, shuffle=True, drop_last=True,
                       generator=torch.Generator().manual_seed(seed))
    want_train = [[[xb, yb] for xb, yb in train] for _ in range(2)]
    want_test = [[X_test[k:k + batch_size], y_test[k:k + batch_size]] for k in range(0, n_test, batch_size)]
    check.equal(len(got["train"][0]), n_train // batch_size, what="train loader: batches per epoch (drop_last=True)")
    check.equal(got["train"], want_train, what="train loader batches (shuffled by a torch.Generator seeded with seed)")
    check.equal(got["test"], want_test, what="test loader batches (in order, last partial batch kept)")


@pytest.mark.task("11.9")
@pytest.mark.parametrize("n,classes,batch_size", [(10, 3, 4), (7, 2, 7), (25, 5, 6)])
def test_compute_accuracy_known_outputs(run, n, classes, batch_size):
    g = torch.Generator().manual_seed(n)
    X = torch.randn(n, classes, generator=g) + 0.1  # the model's logits are X itself (eval mode)
    y = torch.where(torch.rand(n, generator=g) < 0.6, X.argmax(dim=1), torch.randint(0, classes, (n,), generator=g))
    got = run(P.accuracy, X, y, batch_size)
    want = sum(int(X[i].argmax() == y[i]) for i in range(n)) / n
    check.close(got["accuracy"], want, atol=1e-9, rtol=0, what="compute_accuracy (argmax of known logits)")
    check.that(got["type"] == "float", {"zh": "compute_accuracy 应返回 Python float", "en": "compute_accuracy must return a Python float"})
    check.that(got["seen"] and not any(s["training"] or s["grad"] for s in got["seen"]),
               {"zh": "compute_accuracy 应在 eval 模式、torch.no_grad() 下前向", "en": "compute_accuracy must run the model in eval mode under torch.no_grad()"})


@pytest.mark.task("11.10")
@pytest.mark.parametrize("seed", [1, 8])
def test_save_load_round_trip(run, seed):
    got = run(P.save_load, seed)
    want = P.kit_model("circle", seed).state_dict()
    check.that(got["saved"] is not None, {"zh": "save_model 应用 torch.save 保存 state_dict", "en": "save_model must torch.save the state_dict"})
    check.equal(got["saved"], {k: v for k, v in want.items()}, what="the saved state_dict (bit-identical)")
    check.equal(got["loaded"], {k: v for k, v in want.items()}, what="weights after load_model (bit-identical)")
    check.that(got["same_object"], {"zh": "load_model 应返回传入的模型", "en": "load_model must return the model it was given"})
    check.that(not got["training"], {"zh": "load_model 返回的模型应处于 eval 模式", "en": "load_model must return the model in eval mode"})


CIRCLE_SEEDS = (0, 1, 2)
CIRCLE_THRESHOLD = 0.8  # held-out accuracy per seed; the reference: 0.927, 0.911, 0.940 (always "outside": 0.622)


@pytest.mark.slow
@pytest.mark.task("11.4", "11.5", "11.6")
def test_circle_classifier_learns(run):
    g = torch.Generator().manual_seed(2718)
    X = torch.randn(2000, 2, generator=g)
    y = (X.pow(2).sum(dim=1) < 1).float()  # held-out points the sandbox never sees
    accuracies = []
    for seed in CIRCLE_SEEDS:
        got = run(P.circle_run, seed, timeout=60, **P.CIRCLE_RUN)
        model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1), nn.Sigmoid())
        state = {"0.weight": got["state"].get("fc1.weight"), "0.bias": got["state"].get("fc1.bias"),
                 "2.weight": got["state"].get("fc2.weight"), "2.bias": got["state"].get("fc2.bias")}
        try:
            model.load_state_dict(state)
        except (RuntimeError, TypeError, AttributeError):
            accuracies.append(0.0)
            continue
        with torch.no_grad():
            accuracies.append(float(((model(X)[:, 0] > 0.5).float() == y).float().mean()))
    passed = sum(a >= CIRCLE_THRESHOLD for a in accuracies)
    shown = ", ".join(f"{a:.3f}" for a in accuracies)
    check.partial(passed / len(CIRCLE_SEEDS), "circle classifier",
                  {"zh": f"留出数据上的准确率 {shown}；每个种子需要 ≥ {CIRCLE_THRESHOLD}",
                   "en": f"held-out accuracies {shown}; each seed needs ≥ {CIRCLE_THRESHOLD}"})
