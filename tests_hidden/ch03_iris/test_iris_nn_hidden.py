"""Hidden checks for ch03_iris: leakage, stratification, weighted epoch loss, train/eval modes, end to end."""
import numpy as np
import pytest
import torch
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset

from grader.harness import check
from tests_hidden.ch03_iris import probes as P


def oracle_split(test_size, random_state):
    """Independent split + standardisation (numpy statistics of the training split, population std)."""
    iris = load_iris()
    X_tr, X_te, y_tr, y_te = train_test_split(iris.data, iris.target, test_size=test_size,
                                              random_state=random_state, stratify=iris.target)
    mean, std = X_tr.mean(axis=0), X_tr.std(axis=0)
    return (X_tr - mean) / std, (X_te - mean) / std, y_tr, y_te


def oracle_train(kind, seed, X, y, batch_size, lr, epochs):
    """The epoch losses and final weights of plain SGD, computed here with PyTorch (no student code)."""
    model = P.kit_model(kind, seed)
    model.train()
    torch.manual_seed(seed + 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    criterion = torch.nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=False)  # draws from the RNG like the probe's
    losses = []
    for _ in range(epochs):
        total = 0.0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
        losses.append(total / len(X))
    return losses, {k: v.detach().clone() for k, v in model.state_dict().items()}


@pytest.mark.task("3.1")
@pytest.mark.parametrize("args", [[4, 10, 3], [6, 7, 5]])
def test_irisnet_shapes_and_forward(run, args):
    got = run(P.model_structure, args)
    check.equal(got["types"], ["Linear", "ReLU", "Linear"], what=f"IrisNet{tuple(args)}.net layer types")
    i, h, c = args
    check.equal(got["shapes"], {"net.0.weight": [h, i], "net.0.bias": [h], "net.2.weight": [c, h], "net.2.bias": [c]},
                what=f"IrisNet{tuple(args)} parameter shapes")
    g = torch.Generator().manual_seed(sum(args))
    state = {"net.0.weight": torch.randn(h, i, generator=g), "net.0.bias": torch.randn(h, generator=g),
             "net.2.weight": torch.randn(c, h, generator=g), "net.2.bias": torch.randn(c, generator=g)}
    X = torch.randn(7, i, generator=g)
    want = torch.relu(X @ state["net.0.weight"].T + state["net.0.bias"]) @ state["net.2.weight"].T + state["net.2.bias"]
    check.close(run(P.model_forward, args, state, X), want, atol=1e-5, rtol=1e-5, what="IrisNet forward (logits)")


@pytest.mark.task("3.2")
@pytest.mark.parametrize("test_size,random_state", [(0.2, 42), (0.3, 7), (0.25, 123)])
def test_split_is_stratified_and_leak_free(run, test_size, random_state):
    got = run(P.split, test_size, random_state)
    X_tr, X_te, y_tr, y_te = oracle_split(test_size, random_state)
    check.equal(got["dtypes"], ["torch.float32", "torch.float32", "torch.int64", "torch.int64"],
                what="dtypes of X_train, X_test, y_train, y_test")
    check.equal(got["y_train"].tolist(), y_tr.tolist(), what="y_train (stratified train_test_split)")
    check.equal(got["y_test"].tolist(), y_te.tolist(), what="y_test (stratified train_test_split)")
    check.close(got["X_train"], X_tr, atol=1e-5, rtol=1e-5, what="X_train (standardised with training statistics)")
    check.close(got["X_test"], X_te, atol=1e-5, rtol=1e-5,
                what="X_test (must use the training split's mean and std: no leakage)")


@pytest.mark.task("3.3")
@pytest.mark.parametrize("n,batch_size,epochs", [(10, 4, 1), (23, 5, 3), (7, 7, 2)])
def test_train_weighted_loss_and_steps(run, n, batch_size, epochs):
    g = torch.Generator().manual_seed(n)
    X, y = torch.randn(n, 4, generator=g), torch.randint(0, 3, (n,), generator=g)
    got = run(P.train_epochs, "mlp", n, X, y, batch_size, 0.2, epochs)
    losses, state = oracle_train("mlp", n, X, y, batch_size, 0.2, epochs)
    check.close(got["losses"], losses, atol=1e-6, rtol=1e-5,
                what="train(): sample-weighted epoch loss (sum of loss * batch size / number of samples)")
    for key in state:
        check.close(got["state"][key], state[key], atol=1e-6, rtol=1e-5, what=f"weights after train(): {key}")


@pytest.mark.task("3.3")
def test_train_sets_train_mode(run):
    g = torch.Generator().manual_seed(5)
    X, y = torch.randn(12, 4, generator=g), torch.randint(0, 3, (12,), generator=g)
    got = run(P.train_epochs, "dropout", 5, X, y, 4, 0.1, 1, True)
    check.that(len(got["seen"]) > 0 and all(s["training"] for s in got["seen"]),
               {"zh": "train() 必须先调用 model.train()（模型原本处于 eval 模式）",
                "en": "train() must call model.train() (the model started in eval mode)"})
    losses, state = oracle_train("dropout", 5, X, y, 4, 0.1, 1)
    check.close(got["losses"], losses, atol=1e-6, rtol=1e-5, what="train() with dropout: epoch loss")


@pytest.mark.task("3.4")
def test_evaluate_eval_mode_no_grad(run):
    g = torch.Generator().manual_seed(9)
    X, y = torch.randn(40, 4, generator=g), torch.randint(0, 3, (40,), generator=g)
    got = run(P.evaluate_run, "dropout", 9, X, y)
    seen = got["seen"]
    check.that(len(seen) > 0 and not any(s["training"] for s in seen),
               {"zh": "evaluate() 必须调用 model.eval()（dropout 在评估时应关闭）",
                "en": "evaluate() must call model.eval() (dropout is off when evaluating)"})
    check.that(not any(s["grad"] for s in seen),
               {"zh": "evaluate() 应在 torch.no_grad() 中前向", "en": "evaluate() must run the forward pass under torch.no_grad()"})
    model = P.kit_model("dropout", 9).eval()
    with torch.no_grad():
        want = model(X).argmax(dim=1)
    check.equal(got["predicted"].tolist(), want.tolist(), what="evaluate(): predicted")
    check.close(got["accuracy"], (want == y).float().mean().item(), atol=1e-6, rtol=0, what="evaluate(): accuracy")
    check.that(got["predicted_device"] == "cpu" and not got["requires_grad"],
               {"zh": "predicted 应是 CPU 上不带梯度的张量", "en": "predicted must be a CPU tensor without grad"})


@pytest.mark.slow
@pytest.mark.task("3.1", "3.2", "3.3")
def test_end_to_end_accuracy(run):
    seeds = [0, 1, 2]
    _, _, _, y_test = oracle_split(0.2, 42)
    accuracies = []
    for seed in seeds:
        got = run(P.end_to_end, seed, timeout=60, **P.IRIS_RUN)
        predicted = np.asarray(got["predicted"])
        accuracies.append(float(np.mean(predicted == y_test)) if predicted.shape == y_test.shape else 0.0)
    worst = min(accuracies)
    check.that(worst >= 0.9, {"zh": f"Iris 测试准确率 {accuracies}，每个种子都应 ≥ 0.9",
                              "en": f"Iris test accuracies {accuracies}; every seed needs ≥ 0.9"})
