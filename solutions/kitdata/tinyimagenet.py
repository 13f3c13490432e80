"""Tiny ImageNet and a pretrained backbone for chapter 13 (transfer learning), offline-first.

Tiny ImageNet — :func:`tiny_imagenet_root`:
  online, the real ``tiny-imagenet-200`` (the zip from the manifest, trust-on-first-use checksum,
  extracted into the cache); offline, a small dataset the kit generates **in Tiny ImageNet's own
  layout** (``wnids.txt``, ``words.txt``, ``train/<wnid>/images/*.JPEG`` + ``<wnid>_boxes.txt``,
  ``val/images/*.JPEG`` + ``val/val_annotations.txt``, ``test/images``; 64x64 JPEGs, a few of them
  greyscale as in the real set). Its ten classes (stars, spirals, arrows, ...) are not those of the
  kit's CIFAR-format drawings.

Backbone — :func:`pretrained_backbone`:
  the kit's ResNet-18 pretrained on its CIFAR-format data (a cached prepare step of a few CPU
  minutes), saved as a torchvision ``resnet18`` state dict with a 1000-way ``fc`` (rows 10+ zero), so
  it loads exactly like torchvision's ImageNet checkpoint. Online, the chapter uses torchvision's
  ImageNet weights instead (torchvision checks their hash).
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Optional

import numpy as np

from kitdata.fetch import build_folder, cache_dir, download, is_offline, say

__all__ = ["TINY_CLASSES", "TINY_WNIDS", "draw_tiny", "generate_tiny_images", "synthetic_tiny_root",
           "tiny_imagenet_root", "pretrained_backbone", "BACKBONE_RUN"]

TINY_VERSION = 1
TINY_SEED = 20240613
TINY_SIZE = 64
TINY_TRAIN_PER_CLASS = 60
TINY_VAL_PER_CLASS = 20
TINY_TEST_PER_CLASS = 5
TINY_DIRNAME = "synthetic-tiny-imagenet-v%d" % TINY_VERSION
TINY_FOLDER = "tiny-imagenet-200"
GREY_FRACTION = 0.03
# (wnid, name): wnids.txt keeps this (unsorted) order, as the real file is not sorted either.
TINY_WNIDS = [("n90000007", "target"), ("n90000002", "crescent"), ("n90000010", "wave"), ("n90000001", "star"),
              ("n90000005", "spiral"), ("n90000003", "hexagon"), ("n90000009", "cross-hatch"),
              ("n90000004", "arrow"), ("n90000008", "hourglass"), ("n90000006", "zigzag")]
TINY_CLASSES = [name for _, name in sorted(TINY_WNIDS)]  # by sorted wnid: the dataset's label order
_DECOY_WORDS = [("n90000011", "lantern"), ("n90000012", "kite"), ("n90000013", "pinwheel")]

_YY, _XX = np.mgrid[0:TINY_SIZE, 0:TINY_SIZE].astype(np.float32)


def _colours(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    while True:
        bg, fg = rng.uniform(0, 1, 3).astype(np.float32), rng.uniform(0, 1, 3).astype(np.float32)
        if np.abs(bg - fg).sum() > 0.6:
            return bg, fg


def _mask(name: str, rng: np.random.Generator) -> np.ndarray:
    """A soft 64x64 mask of class ``name`` at a random position, size, rotation and phase."""
    cy, cx = rng.uniform(22, 42, size=2)
    r = rng.uniform(12.0, 20.0)
    y, x = _YY - cy, _XX - cx
    a = rng.uniform(-np.pi, np.pi)
    u, v = np.cos(a) * x + np.sin(a) * y, -np.sin(a) * x + np.cos(a) * y
    rho, theta = np.sqrt(x * x + y * y), np.arctan2(v, u)
    window = np.clip(0.5 - (np.maximum(np.abs(u), np.abs(v)) - r), 0, 1)
    if name == "star":
        d = rho - r * (0.55 + 0.45 * np.cos(5 * theta))
    elif name == "crescent":
        shift = r * rng.uniform(0.35, 0.6)
        d = np.maximum(rho - r, r * 0.9 - np.sqrt((u - shift) ** 2 + v ** 2))
    elif name == "hexagon":
        d = np.max([np.abs(np.cos(k * np.pi / 3) * u + np.sin(k * np.pi / 3) * v) for k in range(3)], axis=0) - r * 0.85
    elif name == "arrow":
        shaft = np.maximum(np.abs(v) - r * 0.15, np.maximum(-u - r, u))
        head = np.maximum(np.maximum(u - r * 0.9, -u), np.abs(v) - (r * 0.9 - u) * 0.6)
        d = np.minimum(shaft, head)
    elif name == "spiral":
        period = rng.uniform(5.0, 8.0)
        arm = np.mod(rho - period * (theta + np.pi) / (2 * np.pi), period)
        return (np.clip(1.2 - np.abs(arm - period / 2), 0, 1) * np.clip(0.5 - (rho - r), 0, 1)).astype(np.float32)
    elif name == "zigzag":
        period = rng.uniform(8.0, 14.0)
        tri = np.abs(np.mod(u, period) - period / 2) * (r * 0.8 / period) * 2 - r * 0.4
        return (np.clip(2.2 - np.abs(v - tri), 0, 1) * window).astype(np.float32)
    elif name == "target":
        period = rng.uniform(5.0, 8.0)
        return (np.clip(np.cos(2 * np.pi * rho / period) * 2.0, 0, 1) * np.clip(0.5 - (rho - r), 0, 1)).astype(np.float32)
    elif name == "hourglass":
        d = np.maximum(np.abs(u) * 0.8 - np.abs(v), np.maximum(np.abs(u), np.abs(v)) - r)
    elif name == "cross-hatch":
        period = rng.uniform(5.0, 8.0)
        lines = np.maximum(np.cos(2 * np.pi * (u + v) / (period * 1.41)), np.cos(2 * np.pi * (u - v) / (period * 1.41)))
        return (np.clip((lines - 0.6) * 4.0, 0, 1) * window).astype(np.float32)
    else:  # wave
        wavelength = rng.uniform(14.0, 24.0)
        amp = rng.uniform(4.0, 8.0)
        d = np.maximum(np.abs(v - amp * np.sin(2 * np.pi * u / wavelength)) - 2.5, np.abs(u) - r * 1.2)
    return np.clip(0.5 - d, 0.0, 1.0).astype(np.float32)


def draw_tiny(label: int, rng: np.random.Generator) -> np.ndarray:
    """One 64x64x3 uint8 image of class ``TINY_CLASSES[label]``: background gradient, clutter, shape, noise."""
    bg, fg = _colours(rng)
    gy, gx = rng.uniform(-0.008, 0.008, size=2)
    img = bg[None, None, :] + (gy * (_YY - 32) + gx * (_XX - 32))[..., None]
    for _ in range(int(rng.integers(0, 4))):
        py, px = rng.uniform(0, TINY_SIZE, size=2)
        blob = np.clip(rng.uniform(3, 9) - np.sqrt((_YY - py) ** 2 + (_XX - px) ** 2), 0, 1)[..., None]
        img = img * (1 - 0.35 * blob) + 0.35 * blob * rng.uniform(0, 1, 3).astype(np.float32)
    mask = _mask(TINY_CLASSES[label], rng)[..., None]
    img = img * (1 - mask) + (fg + rng.normal(0, 0.05, size=(TINY_SIZE, TINY_SIZE, 3)).astype(np.float32)) * mask
    img = img + rng.normal(0.0, rng.uniform(0.03, 0.09), size=img.shape)
    return (np.clip(img, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def _jpeg(image: np.ndarray, grey: bool) -> bytes:
    from PIL import Image

    pil = Image.fromarray(image)
    buf = io.BytesIO()
    (pil.convert("L") if grey else pil).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def generate_tiny_images(n_per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``(images uint8 (n, 64, 64, 3), labels int64 (n,))``: balanced, shuffled, JPEG round-tripped like the files."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n_per_class * len(TINY_CLASSES)) % len(TINY_CLASSES))
    images = [np.asarray(Image.open(io.BytesIO(_jpeg(draw_tiny(int(k), rng), False))).convert("RGB"))
              for k in labels]
    return np.stack(images), labels.astype(np.int64)


def _write_tiny(folder: Path, seed: int = TINY_SEED) -> None:
    """Write the dataset in Tiny ImageNet's layout under ``folder`` (which must be empty)."""
    rng = np.random.default_rng(seed)
    (folder / "wnids.txt").write_text("".join(f"{w}\n" for w, _ in TINY_WNIDS))
    words = sorted(TINY_WNIDS + _DECOY_WORDS)
    (folder / "words.txt").write_text("".join(f"{w}\t{name}\n" for w, name in words))
    index = {w: TINY_CLASSES.index(name) for w, name in TINY_WNIDS}

    def image(wnid: str) -> tuple[bytes, str]:
        pixels = draw_tiny(index[wnid], rng)
        box = "0\t0\t63\t63"  # the drawings fill most of the image; the real boxes vary
        return _jpeg(pixels, bool(rng.random() < GREY_FRACTION)), box

    for wnid, _ in TINY_WNIDS:
        images = folder / "train" / wnid / "images"
        images.mkdir(parents=True)
        boxes = []
        for i in range(TINY_TRAIN_PER_CLASS):
            data, box = image(wnid)
            (images / f"{wnid}_{i}.JPEG").write_bytes(data)
            boxes.append(f"{wnid}_{i}.JPEG\t{box}\n")
        (folder / "train" / wnid / f"{wnid}_boxes.txt").write_text("".join(boxes))
    for split, per_class in (("val", TINY_VAL_PER_CLASS), ("test", TINY_TEST_PER_CLASS)):
        (folder / split / "images").mkdir(parents=True)
        order = rng.permutation(np.arange(per_class * len(TINY_WNIDS)) % len(TINY_WNIDS))
        lines = []
        for i, k in enumerate(order):
            wnid = TINY_WNIDS[int(k)][0]
            data, box = image(wnid)
            (folder / split / "images" / f"{split}_{i}.JPEG").write_bytes(data)
            lines.append(f"{split}_{i}.JPEG\t{wnid}\t{box}\n")
        if split == "val":  # the real test split has no labels
            (folder / "val" / "val_annotations.txt").write_text("".join(lines))


def synthetic_tiny_root() -> Path:
    """The generated dataset's ``tiny-imagenet-200`` folder (generated on first use, ~2 s)."""
    root = cache_dir() / TINY_DIRNAME / TINY_FOLDER
    return build_folder(root, _write_tiny,
                          ("首次使用：正在生成 Tiny ImageNet 格式的离线数据集（10 类，64x64，约 900 张 JPEG）……",
                           "first use: generating the offline dataset in Tiny ImageNet's layout (10 classes, 64x64, "
                           "about 900 JPEGs)..."))


def tiny_imagenet_root(offline: Optional[bool] = None) -> Path:
    """The ``tiny-imagenet-200`` folder: the real one when it can be downloaded, else the kit's generated one."""
    if not is_offline(offline):
        archive = download("tiny-imagenet", offline=offline)
        if archive is not None:
            target = archive.parent / TINY_FOLDER

            def extract(tmp: Path) -> None:
                with zipfile.ZipFile(archive) as zf:
                    zf.extractall(tmp)
                for item in (tmp / TINY_FOLDER).iterdir():
                    item.rename(tmp / item.name)
                (tmp / TINY_FOLDER).rmdir()

            return build_folder(target, extract, ("正在解压 Tiny ImageNet……", "extracting Tiny ImageNet..."))
    else:
        say("使用离线的 Tiny ImageNet 格式数据集：项目生成的 10 类 64x64 图形，目录结构与真实数据集相同。",
            "using the offline dataset in Tiny ImageNet's layout: ten classes of generated 64x64 pictures.")
    return synthetic_tiny_root()


# ----------------------------------------------------------------------------------------------
# The offline backbone: a ResNet-18 pretrained on the kit's CIFAR-format data
# ----------------------------------------------------------------------------------------------
BACKBONE_VERSION = 1
BACKBONE_RUN = {"epochs": 2, "batch_size": 64, "lr": 2e-3, "seed": 0}
BACKBONE_FILE = f"kit-resnet18-cifarformat-v{BACKBONE_VERSION}.pt"


def _pretrain(dest: Path, threads: int) -> dict:
    import time

    import torch
    from torch import nn
    from torch.utils.data import DataLoader
    from torchvision import models, transforms

    from kitdata.vision import load_cifar10

    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        torch.manual_seed(BACKBONE_RUN["seed"])
        tf = transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(),
                                 transforms.ToTensor(), transforms.Normalize((0.5,) * 3, (0.5,) * 3)])
        train = load_cifar10(train=True, transform=tf, offline=True)
        loader = DataLoader(train, batch_size=BACKBONE_RUN["batch_size"], shuffle=True,
                            generator=torch.Generator().manual_seed(BACKBONE_RUN["seed"]))
        model = models.resnet18(weights=None, num_classes=10)
        opt = torch.optim.Adam(model.parameters(), lr=BACKBONE_RUN["lr"])
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, BACKBONE_RUN["lr"], total_steps=BACKBONE_RUN["epochs"] * len(loader))
        start = time.process_time()
        model.train()
        for _ in range(BACKBONE_RUN["epochs"]):
            for images, labels in loader:
                opt.zero_grad()
                nn.functional.cross_entropy(model(images), labels).backward()
                opt.step()
                sched.step()
        state = model.state_dict()
        fc_w = torch.zeros(1000, 512)
        fc_w[:10] = state["fc.weight"]
        fc_b = torch.zeros(1000)
        fc_b[:10] = state["fc.bias"]
        state["fc.weight"], state["fc.bias"] = fc_w, fc_b
        torch.save(state, dest)
        return {"cpu_seconds": time.process_time() - start}
    finally:
        torch.set_num_threads(previous)


def pretrained_backbone(threads: int = 2) -> Path:
    """The kit's pretrained ResNet-18 state dict (``.pt``), trained and cached on first use (a few CPU minutes).

    The file is a torchvision ``resnet18`` state dict with a 1000-way ``fc`` (its first ten rows are
    the CIFAR-format classifier, the rest zero): ``resnet18().load_state_dict(torch.load(path))``
    works as it does with ImageNet weights.
    """
    folder = cache_dir() / f"kit-backbone-v{BACKBONE_VERSION}"
    path = folder / BACKBONE_FILE

    def build(tmp: Path) -> None:
        _pretrain(tmp / BACKBONE_FILE, threads)

    build_folder(folder, build,
                   ("首次使用：正在用项目的 CIFAR 格式数据预训练 ResNet-18（只做一次，几分钟）……",
                    "first use: pretraining a ResNet-18 on the kit's CIFAR-format data (once, a few minutes)..."))
    return path
