"""Helpers the chapters' probes share: state dicts out as plain tensors, in with mask buffers tolerated.

Given kit code (no expected values); the grader copies it into every sandbox next to the probes.
"""
from __future__ import annotations


def params(module) -> dict:
    """``named_parameters()`` as a dict of detached copies."""
    return {name: p.detach().clone() for name, p in module.named_parameters()}


def state(model) -> dict:
    """``state_dict()`` (buffers included) as a dict of detached copies."""
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def watch(model, log: list):
    """Record, at every forward call, whether the model was in train mode and gradients were on."""
    import torch

    def hook(module, inputs, output):
        log.append({"training": bool(module.training), "grad": bool(torch.is_grad_enabled())})

    return model.register_forward_hook(hook)


def forward_many(module, xs: list, train: bool = False, seed=None) -> list:
    """``module`` (in train or eval mode) on each input, without gradients; ``torch.manual_seed(seed)``
    before each call when ``seed`` is given (dropout masks). The outputs, detached."""
    import torch

    module.train(bool(train))
    outs = []
    for x in xs:
        if seed is not None:
            torch.manual_seed(seed)
        with torch.no_grad():
            outs.append(module(x).detach().clone())
    return outs


def load_state(module, state_dict: dict):
    """Load ``state_dict`` (without ``mask`` buffers, which modules rebuild) into ``module``; other mismatches raise."""
    weights = {k: v for k, v in state_dict.items() if k.split(".")[-1] != "mask"}
    result = module.load_state_dict(weights, strict=False)
    missing = [k for k in result.missing_keys if k.split(".")[-1] != "mask"]
    if missing or result.unexpected_keys:
        raise KeyError(f"state_dict mismatch: missing {missing}, unexpected {list(result.unexpected_keys)}")
    return module


def kitdata_module(name: str):
    """``kitdata.<name>``: the sandbox's copy, else the kit's own (``solutions/`` or ``assignments/``)."""
    import importlib
    import sys
    from pathlib import Path

    try:
        return importlib.import_module(f"kitdata.{name}")
    except ImportError:
        pass
    root = Path(__file__).resolve().parents[1]
    for tree in (root / "solutions", root / "assignments"):
        if (tree / "kitdata" / "__init__.py").is_file():
            sys.path.insert(0, str(tree))
            try:
                return importlib.import_module(f"kitdata.{name}")  # stays in sys.modules after this
            finally:
                sys.path.remove(str(tree))
    raise ImportError("kitdata is not available")
