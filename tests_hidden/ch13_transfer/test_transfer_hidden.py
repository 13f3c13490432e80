"""Hidden checks for ch13_transfer: parsing and datasets against an oracle walk of the folders, weights
loading, exactly the right trainable parameters, frozen BatchNorm statistics, optimizer groups, float32 accuracy."""
import random
from pathlib import Path

import numpy as np
import pytest
import torch

from grader.harness import check
from tests_hidden.ch13_transfer import probes as P

BN_STATS = ("running_mean", "running_var", "num_batches_tracked")


def _under(name, prefixes):
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def random_tree(seed):
    """A random Tiny ImageNet-style tree: unsorted wnids.txt with a blank line, decoy words, boxes files,
    greyscale and odd-sized images, a class with no training image, annotations in random order."""
    rng = random.Random(seed)
    wnids = [f"n{rng.randrange(10**7, 10**8):08d}" for _ in range(rng.randint(3, 5))]
    files = {"wnids.txt": "\n".join(wnids) + "\n\n",
             "words.txt": "".join(f"{w}\tthing {i}\n" for i, w in enumerate(wnids + ["n99999999"]))}
    for w in wnids[1:]:
        for i in rng.sample(range(40), rng.randint(1, 3)):
            files[f"train/{w}/images/{w}_{i}.JPEG"] = [rng.choice([64, 40]), 64, rng.random() < 0.3]
        files[f"train/{w}/{w}_boxes.txt"] = "ignored\n"
    lines = []
    for i in rng.sample(range(50), rng.randint(3, 6)):
        name = f"val_{i}.JPEG"
        files[f"val/images/{name}"] = [64, 64, rng.random() < 0.3]
        lines.append(f"{name}\t{rng.choice(wnids)}\t{rng.randint(0, 9)}\t{rng.randint(0, 9)}\t50\t60\n")
    files["val/val_annotations.txt"] = "".join(lines)
    return files


def oracle_dataset(files, split):
    """Classes, class_to_idx and samples by walking ``files`` the way the contract describes."""
    classes = sorted(line.strip() for line in files["wnids.txt"].splitlines() if line.strip())
    index = {w: i for i, w in enumerate(classes)}
    if split == "train":
        samples = [[path, index[path.split("/")[1]]] for path in sorted(files)
                   if path.startswith("train/") and path.endswith(".JPEG") and "/images/" in path]
    else:
        labels = dict(line.split("\t")[:2] for line in files["val/val_annotations.txt"].splitlines() if line.strip())
        samples = [[f"val/images/{name}", index[w]] for name, w in labels.items()]
    return classes, index, sorted(samples)


# ------------------------------------------------------------------------------------------------
# 13.1 / 13.2 data
# ------------------------------------------------------------------------------------------------
@pytest.mark.task("13.1")
@pytest.mark.parametrize("seed", [1, 2])
def test_val_annotations_fresh(run, seed):
    rng = random.Random(seed)
    rows = [(f"val_{rng.randrange(10000)}.JPEG", f"n{rng.randrange(10**8):08d}") for _ in range(30)]
    want = dict(rows)
    text = "".join(f"{name}\t{w}\t{rng.randint(0, 63)}\t{rng.randint(0, 63)}\t{rng.randint(0, 63)}\t63\n"
                   for name, w in want.items())
    if seed == 2:
        text = text.rstrip("\n")  # no newline at the end of the file
    check.equal(run(P.val_annotations, text), want, what="read_val_annotations() on a fresh file")


@pytest.mark.task("13.2")
@pytest.mark.parametrize("seed", [3, 4])
@pytest.mark.parametrize("split", ["train", "val"])
def test_dataset_against_oracle_walk(run, seed, split):
    files = random_tree(seed)
    got = run(P.dataset_on_tree, files, split, 10)
    classes, index, samples = oracle_dataset(files, split)
    check.equal(got["classes"], classes, what="classes: the sorted (non-blank) lines of wnids.txt")
    check.equal(got["class_to_idx"], index, what="class_to_idx")
    check.equal(sorted(got["samples"]), samples, what=f"{split} samples (path, label) vs a walk of the folders")
    check.equal(got["len"], len(samples), what="len(dataset)")
    by_path = dict((p, y) for p, y in got["samples"])
    for (path, _), item in zip(got["samples"], got["items"]):
        h = files[path][0]
        check.equal(item["shape"], [3, h, 64], what=f"{path} as an RGB tensor")
        check.equal(item["label"], by_path[path], what=f"dataset[i][1] for {path}")


@pytest.mark.task("13.2")
@pytest.mark.parametrize("split", ["train", "val"])
def test_dataset_on_kit_data(run, split):
    tiny = P.kitdata_module("tinyimagenet")
    root = tiny.synthetic_tiny_root()
    files = {str(p.relative_to(root).as_posix()): [64, 64, False] for p in root.rglob("*.JPEG")}
    for name in ("wnids.txt", "val/val_annotations.txt"):
        files[name] = (root / name).read_text()
    classes, _, samples = oracle_dataset(files, split)
    got = run(P.dataset_on_kit_data, split)
    check.equal(got["classes"], classes, what="classes of the kit's Tiny ImageNet-format data")
    check.equal(sorted(got["samples"]), samples, what=f"{split} samples of the kit's data")


# ------------------------------------------------------------------------------------------------
# 13.3 model
# ------------------------------------------------------------------------------------------------
@pytest.mark.task("13.3")
def test_weights_file_loaded_and_head_fresh(run):
    got = run(P.model_from_weights, 5, 7, 2)
    source = P.kit_resnet18(5).state_dict()
    check.equal(sorted(got["state"]), sorted(source), what="state_dict names")
    for key, value in source.items():
        if not key.startswith("fc."):
            check.close(got["state"][key], value, atol=0, rtol=0, what=f"{key} from the weights file")
    check.equal(got["fc"], [512, 7], what="fc = Linear(512, 7)")
    check.equal(got["fc_bias"], True, what="fc has a bias")
    check.that(not torch.equal(got["state"]["fc.weight"], source["fc.weight"][:7]),
               {"zh": "fc 应该是新建的层，而不是文件里旧 fc 的前几行", "en": "fc must be a new layer, not rows of the file's old fc"})


@pytest.mark.task("13.3")
@pytest.mark.parametrize("arch,num_classes", [("resnet18", 3), ("resnet50", 200)])
def test_without_weights_matches_torchvision(run, arch, num_classes):
    from torchvision import models

    got = run(P.model_without_weights, num_classes, arch, 0)
    oracle = getattr(models, arch)(weights=None)
    oracle.fc = torch.nn.Linear(oracle.fc.in_features, num_classes)
    check.equal(got["type"], "ResNet", what="model type")
    check.equal(got["fc"], [oracle.fc.in_features, num_classes], what=f"{arch}: fc")
    check.equal(got["shapes"], {k: list(v.shape) for k, v in oracle.state_dict().items()}, what=f"{arch}: state shapes")


# ------------------------------------------------------------------------------------------------
# 13.4 freezing
# ------------------------------------------------------------------------------------------------
@pytest.mark.task("13.4")
@pytest.mark.parametrize("trainable", [None, ["fc"], ["layer3", "layer4", "fc"], ["layer4.1", "fc"]])
def test_freeze_exact_params_and_bn_stats(run, trainable):
    got = run(P.freeze_and_step, 7, trainable)
    prefixes = ("layer4", "fc") if trainable is None else tuple(trainable)
    model = P.kit_resnet18(7, 5)
    want = [n for n, _ in model.named_parameters() if _under(n, prefixes)]
    check.equal(got["trainable"], want, what=f"trainable parameters for trainable={prefixes}")
    check.equal(got["returned_model"], True, what="freeze_backbone returns the model")
    bn_modules = [n for n, m in model.named_modules() if isinstance(m, torch.nn.BatchNorm2d)]
    for name in bn_modules:
        frozen = not _under(name, prefixes)
        check.equal(got["bn_training"][name], not frozen,
                    what=f"{name} in {'eval' if frozen else 'train'} mode during the training forward pass")
        for stat in BN_STATS:
            key = f"{name}.{stat}"
            if frozen:
                check.close(got["bn_after"][key], got["bn_before"][key], atol=0, rtol=0,
                            what=f"{key}: frozen BatchNorm statistics unchanged by a training step")
            else:
                check.that(not torch.equal(got["bn_after"][key], got["bn_before"][key]),
                           {"zh": f"{key}：可训练部分的 BatchNorm 应该照常更新统计量",
                            "en": f"{key}: a trainable BatchNorm must still update its statistics"})
    for key, changed in got["changed"].items():
        if not _under(key, prefixes):
            check.equal(changed, False, what=f"{key}: frozen parameter unchanged by a training step")


# ------------------------------------------------------------------------------------------------
# 13.5 optimizer
# ------------------------------------------------------------------------------------------------
@pytest.mark.task("13.5")
@pytest.mark.parametrize("trainable,kwargs", [
    (["layer4", "fc"], {}),
    (["layer3", "layer4", "fc"], {"lr_head": 0.02, "lr_backbone": 0.002, "weight_decay": 0.0}),
    (["conv1", "bn1", "layer1", "layer2", "layer3", "layer4", "fc"], {"lr_head": 5e-3}),
])
def test_optimizer_groups_and_rates(run, trainable, kwargs):
    got = run(P.optimizer_groups, 1, trainable, kwargs)
    lr_head, lr_backbone = kwargs.get("lr_head", 1e-3), kwargs.get("lr_backbone", 1e-4)
    wd = kwargs.get("weight_decay", 1e-4)
    names = [n for n, _ in P.kit_resnet18(1, 7).named_parameters() if _under(n, trainable)]
    check.equal(got["type"], "AdamW", what="optimizer type")
    check.equal(len(got["groups"]), 2, what="two parameter groups")
    head, backbone = got["groups"]
    check.equal(sorted(head["names"]), ["fc.bias", "fc.weight"], what="group 0: the fc parameters")
    check.equal(sorted(backbone["names"]), sorted(n for n in names if not n.startswith("fc.")),
                what="group 1: the other trainable parameters (and no frozen one)")
    check.close([head["lr"], backbone["lr"]], [lr_head, lr_backbone], atol=0, rtol=1e-12, what="learning rates")
    check.close([head["weight_decay"], backbone["weight_decay"]], [wd, wd], atol=0, rtol=1e-12, what="weight decay")


# ------------------------------------------------------------------------------------------------
# 13.6 accuracy
# ------------------------------------------------------------------------------------------------
@pytest.mark.task("13.6")
@pytest.mark.parametrize("seed,n,k", [(0, 7, 5), (1, 1000, 200), (2, 3, 2)])
def test_accuracy_float32(run, seed, n, k):
    g = torch.Generator().manual_seed(seed)
    outputs = torch.randn(n, k, generator=g)
    labels = torch.randint(0, k, (n,), generator=g)
    correct = int((outputs.argmax(1) == labels).sum())
    got = run(P.accuracy_run, outputs, labels)
    want = float(np.float32(correct) / np.float32(n))
    check.close(got["value"], want, atol=0, rtol=0, what=f"accuracy() = {correct}/{n} rounded to float32")
    check.equal(got["type"], "float", what="accuracy() returns a Python float")
    check.equal(got["float64"], False, what="no float64 tensor on the way (float64 fails on MPS)")
