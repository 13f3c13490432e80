"""Small-device training runs: the student's train_one_epoch / evaluate train the kit's ResNet-18.

The probe trains the kit's model on the offline training data with the student's loop and returns the
kit's predictions on unlabelled test images passed from here; the accuracy is computed here from labels
the sandbox cannot read (MNIST-5k's test labels are hidden from it; the scored CIFAR-format images are
generated here from SCORED_CIFAR_SEED, which only the trusted side knows).
Thresholds were set by running the reference over 3 seeds on 2 CPU cores (see bench/bench_train.py).
"""
import os

import numpy as np
import pytest

from grader.harness import check
from tests_hidden.ch04_cnn import probes as P
from tests_public.torch_helpers import kitdata_module

THREADS = int(os.environ.get("KIT_TRAIN_THREADS", "2"))  # the "two CPU cores"; a grader may lower it
MNIST_MIN_ACCURACY = 0.95
MNIST_BUDGET_SECONDS = 120  # measured on 2 cores; the sandbox limit below allows for a loaded grader
MNIST_TIMEOUT = 2.5 * MNIST_BUDGET_SECONDS
CIFAR_MIN_ACCURACY = 0.30  # chance is 0.10
CIFAR_TIMEOUT = 240
SCORED_CIFAR_SEED = 7_310_295  # hidden: the scored CIFAR-format test images are drawn from it here


def scored_set(which):
    """``(unlabelled images for the probe, their labels, labels of the evaluate() check images)``."""
    vision = kitdata_module("vision")
    if which == "mnist":
        images, labels = vision.mnist5k_arrays(False)
        return images, labels, vision.mnist5k_arrays(True)[1][:P.EVAL_CHECK]
    batch = vision.generate_cifar_batches(n_train_batches=0, n_test=1000, seed=SCORED_CIFAR_SEED)["test_batch"]
    images = batch[b"data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    check_labels = np.asarray(vision.load_cifar10(train=True, offline=True).targets[:P.EVAL_CHECK])
    return np.ascontiguousarray(images), np.asarray(batch[b"labels"]), check_labels


def _score(got, labels, check_labels, what):
    predicted = np.asarray(got["predicted"])
    check.that(predicted.shape == labels.shape,
               {"zh": f"{what}：预测数量 {predicted.shape} 与测试集 {labels.shape} 不符",
                "en": f"{what}: {predicted.shape} predictions for a test set of {labels.shape}"})
    counted = float(np.mean(np.asarray(got["check_predicted"]) == check_labels))
    check.close(got["student_accuracy"], counted, atol=1e-6, rtol=0,
                what=f"{what}: your evaluate() on {len(check_labels)} training images vs the kit's own count")
    return float(np.mean(predicted == labels))


@pytest.mark.slow
@pytest.mark.timeout(int(MNIST_TIMEOUT) + 120)
@pytest.mark.task("4.3", "4.4")
def test_mnist5k_small_device_run(run):
    images, labels, check_labels = scored_set("mnist")
    got = run(P.mnist_training_run, 0, images, threads=THREADS, timeout=MNIST_TIMEOUT, **P.MNIST_RUN)
    accuracy = _score(got, labels, check_labels, "MNIST-5k")
    check.that(accuracy >= MNIST_MIN_ACCURACY,
               {"zh": f"用你的 train_one_epoch/evaluate 训练 {P.MNIST_RUN['epochs']} 轮后，MNIST-5k 测试准确率 {accuracy:.3f}，需要 ≥ {MNIST_MIN_ACCURACY}",
                "en": f"after {P.MNIST_RUN['epochs']} epochs with your train_one_epoch/evaluate, MNIST-5k test accuracy is {accuracy:.3f}; needs ≥ {MNIST_MIN_ACCURACY}"})


@pytest.mark.slow
@pytest.mark.timeout(CIFAR_TIMEOUT + 120)
@pytest.mark.task("4.3", "4.4")
def test_cifar_format_short_run(run):
    images, labels, check_labels = scored_set("cifar")
    got = run(P.cifar_training_run, 0, images, threads=THREADS, timeout=CIFAR_TIMEOUT, **P.CIFAR_RUN)
    accuracy = _score(got, labels, check_labels, "CIFAR-format")
    check.that(accuracy >= CIFAR_MIN_ACCURACY,
               {"zh": f"CIFAR 格式数据短训练后测试准确率 {accuracy:.3f}，需要 ≥ {CIFAR_MIN_ACCURACY}（随机猜测 0.10）",
                "en": f"CIFAR-format short run: test accuracy {accuracy:.3f}; needs ≥ {CIFAR_MIN_ACCURACY} (chance 0.10)"})
