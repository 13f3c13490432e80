"""Public tests for ch13_transfer (handout 4.5, fine-tuning a pretrained ResNet): one per task."""
import torch

import pytest

from grader.harness import check
from tests_public.ch13_transfer import probes as P

ANNOTATIONS = "val_1.JPEG\tn002\t0\t3\t60\t61\nval_0.JPEG\tn001\t5\t5\t40\t40\n\nval_2.JPEG\tn002\t1\t1\t9\t9\n"
TREE = {
    "wnids.txt": "n002\nn001\n",
    "words.txt": "n001\tcat\nn002\tkite\nn003\tlamp\n",
    "train/n001/images/n001_0.JPEG": [64, 64, False],
    "train/n001/images/n001_1.JPEG": [64, 64, True],
    "train/n001/n001_boxes.txt": "n001_0.JPEG\t0\t0\t63\t63\n",
    "train/n002/images/n002_0.JPEG": [64, 64, False],
    "train/n002/n002_boxes.txt": "n002_0.JPEG\t0\t0\t63\t63\n",
    "val/images/val_0.JPEG": [64, 64, False],
    "val/images/val_1.JPEG": [64, 64, True],
    "val/images/val_2.JPEG": [64, 64, False],
    "val/val_annotations.txt": ANNOTATIONS,
}


@pytest.mark.task("13.1")
def test_read_val_annotations(run):
    check.equal(run(P.val_annotations, ANNOTATIONS), {"val_1.JPEG": "n002", "val_0.JPEG": "n001", "val_2.JPEG": "n002"},
                what="read_val_annotations(): file name -> wnid")


@pytest.mark.task("13.2")
@pytest.mark.parametrize("split", ["train", "val"])
def test_tiny_imagenet_dataset(run, split):
    got = run(P.dataset_on_tree, TREE, split)
    check.equal(got["classes"], ["n001", "n002"], what="classes (the sorted lines of wnids.txt)")
    want = {"train": [["train/n001/images/n001_0.JPEG", 0], ["train/n001/images/n001_1.JPEG", 0],
                      ["train/n002/images/n002_0.JPEG", 1]],
            "val": [["val/images/val_0.JPEG", 0], ["val/images/val_1.JPEG", 1], ["val/images/val_2.JPEG", 1]]}[split]
    check.equal(sorted(got["samples"]), want, what=f"samples of the {split} split (path, label)")
    check.equal(got["len"], len(want), what="len(dataset)")
    for item in got["items"]:
        check.equal(item["shape"], [3, 64, 64], what="dataset[i][0] after ToTensor (greyscale files become RGB)")


@pytest.mark.task("13.3")
def test_build_finetune_model(run):
    got = run(P.model_from_weights, 0, 10, 1)
    check.equal(got["fc"], [512, 10], what="fc = Linear(512, num_classes)")
    backbone = P.kit_resnet18(0).state_dict()
    for key, value in backbone.items():
        if not key.startswith("fc."):
            check.close(got["state"][key], value, atol=0, rtol=0, what=f"{key} loaded from the weights file")
    check.equal(got["n_params"], sum(p.numel() for p in P.kit_resnet18(0, 10).parameters()), what="number of parameters")


@pytest.mark.task("13.4")
def test_freeze_backbone(run):
    got = run(P.freeze_and_step, 3)
    names = [n for n, _ in P.kit_resnet18(3, 5).named_parameters()]
    check.equal(got["trainable"], [n for n in names if n.startswith(("layer4.", "fc."))],
                what="parameters with requires_grad after freeze_backbone(model): layer4.* and fc.*")
    for key in ("layer1.0.bn1.running_mean", "layer1.0.bn1.running_var"):
        check.close(got["bn_after"][key], got["bn_before"][key], atol=0, rtol=0,
                    what=f"{key}: frozen BatchNorm unchanged by a training step")


@pytest.mark.task("13.5")
def test_make_optimizer(run, ref):
    kwargs = {"lr_head": 0.01, "lr_backbone": 0.001, "weight_decay": 0.05}
    got, want = run(P.optimizer_groups, 0, ["layer4", "fc"], kwargs), ref(P.optimizer_groups, 0, ["layer4", "fc"], kwargs)
    check.equal(got, want, what="make_optimizer(): AdamW, groups [fc at lr_head, rest at lr_backbone]")


@pytest.mark.task("13.6")
def test_accuracy(run):
    outputs = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    got = run(P.accuracy_run, outputs, torch.tensor([1, 1, 1]))
    check.close(got["value"], float(torch.tensor(2.0) / torch.tensor(3.0)), atol=0, rtol=0,
                what="accuracy(): 2 of 3, computed in float32")
    check.equal(got["type"], "float", what="accuracy() returns a Python float")
