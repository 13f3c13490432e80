"""Public tests for ch04_cnn (handout ``mnist_resnet18.py`` and its CIFAR-10 section): one per task."""
import math

import numpy as np
import pytest
import torch

from grader.harness import check
from tests_public.ch04_cnn import probes as P


def _image(shape, seed):
    return np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)


def _structure(run, ref, which: str) -> None:
    got, want = run(P.model_structure, which, 10), ref(P.model_structure, which, 10)
    what = {"conv1": "model.conv1 (its settings)", "fc": "model.fc (its features)", "n_params": "the number of parameters"}
    check.cases([f"model = build_resnet18_{which}(10): {what[key]}" for key in what], [got[key] for key in what],
                [want[key] for key in what])


def _loader(X: torch.Tensor, batch_size: int) -> str:
    return f"loader of X of shape {tuple(X.shape)} in batches of {batch_size}, unshuffled"


@pytest.mark.task("4.1")
def test_build_resnet18_mnist(run, ref):
    _structure(run, ref, "mnist")


@pytest.mark.task("4.2")
def test_mnist_transforms(run, ref):
    check.cases([f"mnist_transforms(train={train}): its steps (type and parameters)" for train in (True, False)],
                [run(P.transforms_description, "mnist", train) for train in (True, False)],
                [ref(P.transforms_description, "mnist", train) for train in (True, False)])
    image = _image((28, 28), 0)
    check.cases(["torch.manual_seed(0); mnist_transforms(train=False)(image), image a random 28x28 uint8 PIL image"],
                [run(P.transforms_apply, "mnist", False, image, 0)], [ref(P.transforms_apply, "mnist", False, image, 0)],
                check.close, atol=1e-6, rtol=0)


@pytest.mark.task("4.3")
def test_train_one_epoch(run, ref):
    torch.manual_seed(0)
    X, y = torch.randn(20, 1, 8, 8), torch.randint(0, 10, (20,))
    got, want = run(P.train_one_epoch_run, 1, X, y, 8, 0.1), ref(P.train_one_epoch_run, 1, X, y, 8, 0.1)
    called = (f"model = a kit TinyNet (torch.manual_seed(1)), in eval mode; train_one_epoch(model, loader, "
              f"CrossEntropyLoss(), SGD(lr=0.1), 'cpu'), {_loader(X, 8)}")
    check.cases([f"{called}: the mean batch loss"], [got["loss"]], [want["loss"]], check.close, atol=1e-5, rtol=1e-5)
    check.entries(f"{called}; model.state_dict()", got["state"], want["state"], check.close, atol=1e-5, rtol=1e-4)


@pytest.mark.task("4.4")
def test_evaluate(run, ref):
    torch.manual_seed(1)
    X, y = torch.randn(30, 1, 8, 8), torch.randint(0, 10, (30,))
    got, want = run(P.evaluate_run, 2, X, y, 7), ref(P.evaluate_run, 2, X, y, 7)
    called = f"model = a kit TinyNet (torch.manual_seed(2)), in train mode; evaluate(model, loader, 'cpu'), {_loader(X, 7)}"
    check.cases([called], [got["accuracy"]], [want["accuracy"]], check.close, atol=1e-9, rtol=0)


@pytest.mark.task("4.5")
def test_per_class_accuracy(run):
    preds = torch.tensor([0, 1, 1, 2, 2, 0])
    labels = torch.tensor([0, 1, 2, 2, 2, 1])
    check.cases([check.call("per_class_accuracy", preds, labels, 4) + " (class 3 has no sample: nan)"],
                [run(P.per_class, preds, labels, 4)], [[1.0, 0.5, 2 / 3, math.nan]], check.close, atol=1e-9, rtol=0)


@pytest.mark.task("4.6")
def test_early_stopping(run):
    # an improvement is strictly below best - min_delta: an equal loss, or one within min_delta, is not
    cases = [([1.0, 0.9, 0.95, 0.91, 0.92, 0.8, 0.85], 2, 0.0, [False, False, False, True, True, True, True]),
             ([1.0, 1.0, 1.0, 0.5], 2, 0.0, [False, False, True, True]),
             ([1.0, 0.95, 0.9], 2, 0.1, [False, False, True])]
    check.cases([f"stopper = EarlyStopping(patience={p}, min_delta={d}); [stopper.step(loss) for loss in {losses}]"
                 for losses, p, d, _ in cases],
                [run(P.early_stopping, losses, p, d) for losses, p, d, _ in cases], [want for *_, want in cases])


@pytest.mark.task("4.7")
def test_build_resnet18_cifar(run, ref):
    _structure(run, ref, "cifar")


@pytest.mark.task("4.8")
def test_cifar_transforms(run, ref):
    check.cases([f"cifar_transforms(train={train}): its steps (type and parameters)" for train in (True, False)],
                [run(P.transforms_description, "cifar", train) for train in (True, False)],
                [ref(P.transforms_description, "cifar", train) for train in (True, False)])


OPTIMIZER_FIELDS = {"optimizer": "type(optimizer)", "scheduler": "type(scheduler)", "lr": "the lr", "momentum": "the momentum",
                    "weight_decay": "the weight decay", "nesterov": "nesterov", "T_max": "scheduler.T_max"}


@pytest.mark.task("4.9")
def test_make_optimizer(run, ref):
    for kwargs, keys in (({}, list(OPTIMIZER_FIELDS)), ({"lr": 0.1, "momentum": 0.5, "weight_decay": 1e-3, "t_max": 3},
                                                      ["lr", "momentum", "weight_decay", "T_max"])):
        got, want = run(P.optimizer_run, kwargs, 4), ref(P.optimizer_run, kwargs, 4)
        args = "".join(f", {k}={v}" for k, v in kwargs.items())
        called = f"optimizer, scheduler = make_optimizer(model{args}), model a kit TinyNet"
        check.cases([f"{called}: {OPTIMIZER_FIELDS[key]}" for key in keys], [got[key] for key in keys], [want[key] for key in keys])
        check.cases([f"{called}: the lr after each of 4 optimizer.step(); scheduler.step()"], [got["lrs"]], [want["lrs"]],
                    check.close, atol=1e-12, rtol=0)
