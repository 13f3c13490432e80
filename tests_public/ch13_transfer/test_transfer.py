"""Public tests for ch13_transfer (handout 4.5, fine-tuning a pretrained ResNet): one per task."""
import torch

import pytest

from grader.harness import check
from tests_public.ch13_transfer import probes as P

ANNOTATIONS = "val_1.JPEG\tn002\t0\t3\t60\t61\nval_0.JPEG\tn001\t5\t5\t40\t40\n\nval_2.JPEG\tn002\t1\t1\t9\t9\n"
TREE = {
    "wnids.txt": "n002\n\nn001\n",  # a blank line is no class
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
    check.cases([f"read_val_annotations(path), the file holding {ANNOTATIONS!r}"], [run(P.val_annotations, ANNOTATIONS)],
                [{"val_1.JPEG": "n002", "val_0.JPEG": "n001", "val_2.JPEG": "n002"}])


@pytest.mark.task("13.2")
@pytest.mark.parametrize("split", ["train", "val"])
def test_tiny_imagenet_dataset(run, split):
    got = run(P.dataset_on_tree, TREE, split)
    called = f'TinyImageNet(root, "{split}", transform=ToTensor()), wnids.txt = {TREE["wnids.txt"]!r}'
    want = {"train": [["train/n001/images/n001_0.JPEG", 0], ["train/n001/images/n001_1.JPEG", 0],
                      ["train/n002/images/n002_0.JPEG", 1]],
            "val": [["val/images/val_0.JPEG", 0], ["val/images/val_1.JPEG", 1], ["val/images/val_2.JPEG", 1]]}[split]
    check.cases([f"{called}: .classes (the sorted lines of wnids.txt)", f"{called}: sorted .samples (path under root, label)",
                 f"len({called})"], [got["classes"], sorted(got["samples"]), got["len"]], [["n001", "n002"], want, len(want)])
    check.cases([f"{called}[{i}][0].shape (greyscale files become RGB)" for i in range(len(got["items"]))],
                [item["shape"] for item in got["items"]], [[3, 64, 64]] * len(got["items"]))


@pytest.mark.task("13.3")
def test_build_finetune_model(run):
    got = run(P.model_from_weights, 0, 10, 1)
    called = "build_finetune_model(10, weights) with the weights of a seeded resnet18"
    check.cases([f"{called}: fc (in, out features)"], [got["fc"]], [[512, 10]])
    backbone = {k: v for k, v in P.kit_resnet18(0).state_dict().items() if not k.startswith("fc.")}
    check.cases([f"{called}.state_dict()[{key!r}] (loaded from the weights file)" for key in backbone],
                [got["state"][key] for key in backbone], list(backbone.values()), check.close, atol=0, rtol=0)
    check.cases([f"{called}: number of parameters"], [got["n_params"]], [sum(p.numel() for p in P.kit_resnet18(0, 10).parameters())])


@pytest.mark.task("13.4")
def test_freeze_backbone(run):
    got = run(P.freeze_and_step, 3)
    names = [n for n, _ in P.kit_resnet18(3, 5).named_parameters()]
    called = "freeze_backbone(model) on a resnet18, then model.train() and one SGD step"
    check.cases([f"{called}: freeze_backbone(model) is model", f"{called}: the parameters with requires_grad (layer4.* and fc.*)",
                 f"{called}: which BatchNorm layers ran in train mode (those in layer4 only)"],
                [got["returned_model"], got["trainable"], sorted(k for k, v in got["bn_training"].items() if v)],
                [True, [n for n in names if n.startswith(("layer4.", "fc."))], sorted(k for k in got["bn_training"] if k.startswith("layer4."))])
    keys = ["layer1.0.bn1.running_mean", "layer1.0.bn1.running_var"]
    check.cases([f"{called}: {key} (a frozen BatchNorm keeps its statistics)" for key in keys],
                [got["bn_after"][k] for k in keys], [got["bn_before"][k] for k in keys], check.close, atol=0, rtol=0)


@pytest.mark.task("13.5")
def test_make_optimizer(run, ref):
    kwargs = {"lr_head": 0.01, "lr_backbone": 0.001, "weight_decay": 0.05}
    got, want = run(P.optimizer_groups, 0, ["layer4", "fc"], kwargs), ref(P.optimizer_groups, 0, ["layer4", "fc"], kwargs)
    check.cases([check.call("make_optimizer", "model", **kwargs) + ": AdamW, groups [fc at lr_head, rest at lr_backbone]"],
                [got], [want])


@pytest.mark.task("13.6")
def test_accuracy(run):
    outputs, labels = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]), torch.tensor([1, 1, 1])
    got = run(P.accuracy_run, outputs, labels)
    called = check.call("accuracy", outputs, labels)
    check.cases([f"{called} (2 of 3, computed in float32)", f"type({called}).__name__"], [got["value"], got["type"]],
                [float(torch.tensor(2.0) / torch.tensor(3.0)), "float"])
