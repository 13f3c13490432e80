"""Hidden checks for ch04_cnn: architectures against torchvision, transforms, loops, metrics, schedules."""
import math

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import models, transforms

from grader.harness import check, codec
from tests_hidden.ch04_cnn import probes as P


def oracle_resnet(which, num_classes):
    model = models.resnet18(weights=None)
    if which == "mnist":
        model.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    model.fc = nn.Linear(512, num_classes)
    return model


def oracle_transforms(which, train):
    if which == "mnist":
        tail = [transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))]
        return transforms.Compose(([transforms.RandomRotation(10)] if train else []) + tail)
    tail = [transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))]
    head = [transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(), transforms.RandomRotation(10),
            transforms.ColorJitter(0.2, 0.2, 0.2, 0.2)]
    return transforms.Compose((head if train else []) + tail)


def oracle_early_stopping(losses, patience, min_delta):
    best, counter, stopped, out = math.inf, 0, False, []
    for loss in losses:
        if loss < best - min_delta:
            best, counter = loss, 0
        else:
            counter += 1
        stopped = stopped or counter >= patience
        out.append(stopped)
    return out


# ------------------------------------------------------------------------------------------------
# 4.1 / 4.7 architectures
# ------------------------------------------------------------------------------------------------
@pytest.mark.task("4.1")
@pytest.mark.parametrize("num_classes", [10, 7])
def test_mnist_resnet_against_torchvision(run, num_classes):
    got = run(P.model_structure, "mnist", num_classes)
    want = P.describe_model(oracle_resnet("mnist", num_classes))
    check.equal(got["type"], "ResNet", what="model type")
    check.equal(got["conv1"], want["conv1"], what="conv1 (1 -> 64, 7x7, stride 2, padding 3, no bias)")
    check.equal(got["fc"], want["fc"], what="fc")
    check.equal(got["n_params"], want["n_params"], what="number of parameters")
    check.equal(got["shapes"], want["shapes"], what="state_dict names and shapes")


@pytest.mark.task("4.1")
def test_mnist_resnet_forward_same_weights(run):
    torch.manual_seed(3)
    oracle = oracle_resnet("mnist", 10)
    with torch.no_grad():  # non-trivial BatchNorm statistics
        for name, buf in oracle.named_buffers():
            if name.endswith("running_mean"):
                buf.normal_(0, 0.1)
            elif name.endswith("running_var"):
                buf.uniform_(0.5, 1.5)
    state = {k: v.clone() for k, v in oracle.state_dict().items()}
    x = torch.randn(3, 1, 28, 28)
    oracle.eval()
    with torch.no_grad():
        want = oracle(x)
    check.close(run(P.model_forward, "mnist", 10, state, x), want, atol=1e-4, rtol=1e-4,
                what="build_resnet18_mnist() logits with the same weights")


@pytest.mark.task("4.7")
@pytest.mark.parametrize("num_classes", [10, 4])
def test_cifar_resnet_against_torchvision(run, num_classes):
    got = run(P.model_structure, "cifar", num_classes)
    want = P.describe_model(oracle_resnet("cifar", num_classes))
    check.equal(got["conv1"], want["conv1"], what="conv1 (unchanged stem)")
    check.equal(got["fc"], want["fc"], what="fc")
    check.equal(got["n_params"], want["n_params"], what="number of parameters")
    torch.manual_seed(4)
    oracle = oracle_resnet("cifar", num_classes).eval()
    state = {k: v.clone() for k, v in oracle.state_dict().items()}
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        want_logits = oracle(x)
    check.close(run(P.model_forward, "cifar", num_classes, state, x), want_logits, atol=1e-4, rtol=1e-4,
                what="build_resnet18_cifar() logits with the same weights")


# ------------------------------------------------------------------------------------------------
# 4.2 / 4.8 transforms
# ------------------------------------------------------------------------------------------------
EXPECTED_STEPS = {
    ("mnist", True): [("RandomRotation", {"degrees": [-10.0, 10.0]}), ("ToTensor", {}),
                      ("Normalize", {"mean": [0.5], "std": [0.5]})],
    ("mnist", False): [("ToTensor", {}), ("Normalize", {"mean": [0.5], "std": [0.5]})],
    ("cifar", True): [("RandomCrop", {"size": [32, 32], "padding": 4}), ("RandomHorizontalFlip", {"p": 0.5}),
                      ("RandomRotation", {"degrees": [-10.0, 10.0]}),
                      ("ColorJitter", {"brightness": [0.8, 1.2], "contrast": [0.8, 1.2], "saturation": [0.8, 1.2],
                                       "hue": [-0.2, 0.2]}),
                      ("ToTensor", {}), ("Normalize", {"mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]})],
    ("cifar", False): [("ToTensor", {}), ("Normalize", {"mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]})],
}


@pytest.mark.task("4.2", "4.8")
@pytest.mark.parametrize("which,train", list(EXPECTED_STEPS))
def test_transform_pipelines(run, which, train):
    got = run(P.transforms_description, which, train)
    fn = "mnist_transforms" if which == "mnist" else "cifar_transforms"
    check.that(got["compose"], {"zh": f"{fn} 应返回 transforms.Compose", "en": f"{fn} must return a transforms.Compose"})
    want = EXPECTED_STEPS[(which, train)]
    check.equal([s["type"] for s in got["steps"]], [t for t, _ in want], what=f"{fn}(train={train}): steps in order")
    for step, (name, params) in zip(got["steps"], want):
        for key, value in params.items():
            value_got = step["params"].get(key)
            if isinstance(value, list):
                check.close(value_got if value_got is not None else [], value, atol=1e-9, rtol=0,
                            what=f"{fn}(train={train}): {name}.{key}")
            else:
                check.equal(value_got, value, what=f"{fn}(train={train}): {name}.{key}")


@pytest.mark.task("4.2", "4.8")
@pytest.mark.parametrize("which,train,seed", [("mnist", True, 5), ("mnist", False, 0), ("cifar", True, 6),
                                              ("cifar", True, 7), ("cifar", False, 0)])
def test_transform_outputs(run, which, train, seed):
    shape = (28, 28) if which == "mnist" else (32, 32, 3)
    image = np.random.default_rng(seed + 100).integers(0, 256, size=shape, dtype=np.uint8)
    from PIL import Image

    torch.manual_seed(seed)
    want = oracle_transforms(which, train)(Image.fromarray(image))
    check.close(run(P.transforms_apply, which, train, image, seed), want, atol=1e-5, rtol=0,
                what=f"{which} transforms(train={train}) applied to an image (seeded)")


# ------------------------------------------------------------------------------------------------
# 4.3 / 4.4 loops
# ------------------------------------------------------------------------------------------------
def oracle_epoch(seed, X, y, batch_size, lr):
    model = P.tiny_net(seed, X.shape[1])
    model.train()
    torch.manual_seed(seed + 1)
    loader = DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=False)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    losses = []
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    return sum(losses) / len(losses), codec.roundtrip(state)  # same plain-data view as the probe's


@pytest.mark.task("4.3")
@pytest.mark.parametrize("n,batch_size,channels", [(20, 8, 1), (13, 4, 3)])
def test_train_one_epoch_oracle(run, n, batch_size, channels):
    g = torch.Generator().manual_seed(n)
    X, y = torch.randn(n, channels, 8, 8, generator=g), torch.randint(0, 10, (n,), generator=g)
    got = run(P.train_one_epoch_run, n, X, y, batch_size, 0.2)
    check.that(len(got["seen"]) > 0 and all(s["training"] for s in got["seen"]),
               {"zh": "train_one_epoch 必须调用 model.train()", "en": "train_one_epoch must call model.train()"})
    loss, state = oracle_epoch(n, X, y, batch_size, 0.2)
    check.close(got["loss"], loss, atol=1e-5, rtol=1e-5, what="train_one_epoch(): mean of the batch losses")
    for key in state:
        check.close(got["state"][key], state[key], atol=1e-5, rtol=1e-4, what=f"weights after one epoch: {key}")


@pytest.mark.task("4.4")
@pytest.mark.parametrize("n,batch_size", [(30, 7), (64, 64), (50, 16)])
def test_evaluate_eval_mode_no_grad(run, n, batch_size):
    g = torch.Generator().manual_seed(n + 1)
    X = torch.randn(n, 1, 8, 8, generator=g)
    with torch.no_grad():
        oracle_preds = P.tiny_net(n, 1).eval()(X).argmax(dim=1)
    # labels: right for the first 3 samples and the last (short) batch, wrong elsewhere, so that the
    # mean over samples differs from the mean of per-batch accuracies
    right = torch.zeros(n, dtype=torch.bool)
    right[:3] = True
    right[n - (n % batch_size or batch_size):] = True
    y = torch.where(right, oracle_preds, (oracle_preds + 1) % 10)
    got = run(P.evaluate_run, n, X, y, batch_size)
    seen = got["seen"]
    check.that(len(seen) > 0 and not any(s["training"] for s in seen),
               {"zh": "evaluate 必须调用 model.eval()", "en": "evaluate must call model.eval()"})
    check.that(not any(s["grad"] for s in seen),
               {"zh": "evaluate 应在 torch.no_grad() 中运行", "en": "evaluate must run under torch.no_grad()"})
    model = P.tiny_net(n, 1).eval()
    with torch.no_grad():
        want = (model(X).argmax(dim=1) == y).float().mean().item()
    check.close(got["accuracy"], want, atol=1e-6, rtol=0, what="evaluate(): accuracy over all samples")


# ------------------------------------------------------------------------------------------------
# 4.5 / 4.6 metrics and early stopping
# ------------------------------------------------------------------------------------------------
@pytest.mark.task("4.5")
@pytest.mark.parametrize("seed,num_classes", [(0, 10), (1, 6), (2, 12)])
def test_per_class_accuracy_random(run, seed, num_classes):
    rng = np.random.default_rng(seed)
    present = rng.choice(num_classes, size=max(2, num_classes - 3), replace=False)  # some classes absent
    labels = rng.choice(present, size=80)
    preds = np.where(rng.random(80) < 0.6, labels, rng.integers(0, num_classes, size=80))
    want = [float(np.mean(preds[labels == c] == c)) if np.any(labels == c) else math.nan for c in range(num_classes)]
    got = run(P.per_class, torch.tensor(preds), torch.tensor(labels), num_classes)
    check.close(got, want, atol=1e-9, rtol=0, what="per_class_accuracy (nan for absent classes)")


ES_CASES = [
    ([1.0, 0.75, 0.75, 0.5, 0.5, 0.5], 2, 0.25),  # an improvement of exactly min_delta does not count
    ([3.0, 2.0, 2.0, 2.0, 1.0, 0.5], 3, 0.0),  # equal losses are no improvement
    ([1.0, 1.1, 0.5, 0.6, 0.7, 0.2, 0.1], 2, 1e-4),  # stays True once reached
    ([5.0, 4.0, 3.0, 2.0], 1, 0.0),
    ([1.0] * 12 + [0.1], None, None),  # defaults: patience 10, min_delta 1e-4
    ([1.0, 0.99995, 0.9999, 0.99985] + [0.9] * 10, None, None),
]


@pytest.mark.task("4.6")
@pytest.mark.parametrize("losses,patience,min_delta", ES_CASES)
def test_early_stopping_sequences(run, losses, patience, min_delta):
    want = oracle_early_stopping(losses, 10 if patience is None else patience, 1e-4 if min_delta is None else min_delta)
    check.equal(run(P.early_stopping, losses, patience, min_delta), want,
                what=f"EarlyStopping(patience={patience}, min_delta={min_delta}).step over {losses}")


# ------------------------------------------------------------------------------------------------
# 4.9 optimizer and schedule
# ------------------------------------------------------------------------------------------------
@pytest.mark.task("4.9")
@pytest.mark.parametrize("kwargs,steps", [({}, 5), ({"lr": 0.1, "momentum": 0.8, "weight_decay": 1e-3, "t_max": 6}, 8),
                                          ({"t_max": 10}, 10)])
def test_make_optimizer_hyperparameters_and_cosine(run, kwargs, steps):
    got = run(P.optimizer_run, kwargs, steps)
    lr, momentum = kwargs.get("lr", 0.01), kwargs.get("momentum", 0.9)
    wd, t_max = kwargs.get("weight_decay", 5e-4), kwargs.get("t_max", 100)
    check.equal([got["optimizer"], got["scheduler"]], ["SGD", "CosineAnnealingLR"], what="optimizer and scheduler types")
    check.that(got["all_params"], {"zh": "优化器必须包含模型的全部参数", "en": "the optimizer must hold all the model's parameters"})
    check.close([got["lr"], got["momentum"], got["weight_decay"]], [lr, momentum, wd], atol=1e-12, rtol=0,
                what="SGD lr, momentum, weight_decay")
    check.equal([got["nesterov"], got["T_max"]], [False, t_max], what="nesterov, T_max")
    check.close(got["eta_min"], 0.0, atol=0, rtol=0, what="eta_min")
    want = [lr * (1 + math.cos(math.pi * t / t_max)) / 2 for t in range(steps + 1)]
    check.close(got["lrs"], want, atol=1e-9, rtol=1e-7, what="learning rate after each scheduler step (cosine)")
