"""Public tests for ch04_cnn (handout ``mnist_resnet18.py`` and its CIFAR-10 section): one per task."""
import math

import numpy as np
import pytest
import torch

from grader.harness import check
from tests_public.ch04_cnn import probes as P


def _image(shape, seed):
    return np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)


@pytest.mark.task("4.1")
def test_build_resnet18_mnist(run, ref):
    got, want = run(P.model_structure, "mnist", 10), ref(P.model_structure, "mnist", 10)
    for key in ("conv1", "fc", "n_params"):
        check.equal(got[key], want[key], what=f"build_resnet18_mnist(): {key}")


@pytest.mark.task("4.2")
def test_mnist_transforms(run, ref):
    for train in (True, False):
        check.equal(run(P.transforms_description, "mnist", train), ref(P.transforms_description, "mnist", train),
                    what=f"mnist_transforms(train={train})")
    image = _image((28, 28), 0)
    check.close(run(P.transforms_apply, "mnist", False, image, 0), ref(P.transforms_apply, "mnist", False, image, 0),
                atol=1e-6, rtol=0, what="mnist_transforms(False)(image)")


@pytest.mark.task("4.3")
def test_train_one_epoch(run, ref):
    torch.manual_seed(0)
    X, y = torch.randn(20, 1, 8, 8), torch.randint(0, 10, (20,))
    got, want = run(P.train_one_epoch_run, 1, X, y, 8, 0.1), ref(P.train_one_epoch_run, 1, X, y, 8, 0.1)
    check.close(got["loss"], want["loss"], atol=1e-5, rtol=1e-5, what="train_one_epoch(): mean batch loss")
    for key in want["state"]:
        check.close(got["state"][key], want["state"][key], atol=1e-5, rtol=1e-4, what=f"weights after one epoch: {key}")


@pytest.mark.task("4.4")
def test_evaluate(run, ref):
    torch.manual_seed(1)
    X, y = torch.randn(30, 1, 8, 8), torch.randint(0, 10, (30,))
    got, want = run(P.evaluate_run, 2, X, y, 7), ref(P.evaluate_run, 2, X, y, 7)
    check.close(got["accuracy"], want["accuracy"], atol=1e-9, rtol=0, what="evaluate(): accuracy")


@pytest.mark.task("4.5")
def test_per_class_accuracy(run):
    preds = torch.tensor([0, 1, 1, 2, 2, 0])
    labels = torch.tensor([0, 1, 2, 2, 2, 1])
    got = run(P.per_class, preds, labels, 4)
    check.close(got, [1.0, 0.5, 2 / 3, math.nan], atol=1e-9, rtol=0, what="per_class_accuracy (class 3 has no sample: nan)")


@pytest.mark.task("4.6")
def test_early_stopping(run):
    losses = [1.0, 0.9, 0.95, 0.91, 0.92, 0.8, 0.85]
    check.equal(run(P.early_stopping, losses, 2, 0.0), [False, False, False, True, True, True, True],
                what="EarlyStopping(patience=2, min_delta=0).step")
    # an improvement is strictly below best - min_delta: an equal loss, or one within min_delta, is not
    check.equal(run(P.early_stopping, [1.0, 1.0, 1.0, 0.5], 2, 0.0), [False, False, True, True],
                what="EarlyStopping(patience=2, min_delta=0).step on [1.0, 1.0, 1.0, 0.5]")
    check.equal(run(P.early_stopping, [1.0, 0.95, 0.9], 2, 0.1), [False, False, True],
                what="EarlyStopping(patience=2, min_delta=0.1).step on [1.0, 0.95, 0.9]")


@pytest.mark.task("4.7")
def test_build_resnet18_cifar(run, ref):
    got, want = run(P.model_structure, "cifar", 10), ref(P.model_structure, "cifar", 10)
    for key in ("conv1", "fc", "n_params"):
        check.equal(got[key], want[key], what=f"build_resnet18_cifar(): {key}")


@pytest.mark.task("4.8")
def test_cifar_transforms(run, ref):
    for train in (True, False):
        check.equal(run(P.transforms_description, "cifar", train), ref(P.transforms_description, "cifar", train),
                    what=f"cifar_transforms(train={train})")


@pytest.mark.task("4.9")
def test_make_optimizer(run, ref):
    got, want = run(P.optimizer_run, {}, 4), ref(P.optimizer_run, {}, 4)
    for key in ("optimizer", "scheduler", "lr", "momentum", "weight_decay", "nesterov", "T_max"):
        check.equal(got[key], want[key], what=f"make_optimizer(): {key}")
    check.close(got["lrs"], want["lrs"], atol=1e-12, rtol=0, what="make_optimizer(): lr after each scheduler step")
    kwargs = {"lr": 0.1, "momentum": 0.5, "weight_decay": 1e-3, "t_max": 3}
    got, want = run(P.optimizer_run, kwargs, 4), ref(P.optimizer_run, kwargs, 4)
    for key in ("lr", "momentum", "weight_decay", "T_max"):
        check.equal(got[key], want[key], what=f"make_optimizer(**{kwargs}): {key}")
    check.close(got["lrs"], want["lrs"], atol=1e-12, rtol=0, what=f"make_optimizer(**{kwargs}): lr after each scheduler step")
