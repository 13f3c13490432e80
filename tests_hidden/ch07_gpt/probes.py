"""Hidden probes for ch07_gpt: the public probes, plus the 124M configuration, the given-weight forwards of
``FeedForward`` and ``GPTModel``, the model's parameters and structure, generation, and where each class is defined."""
from __future__ import annotations

from tests_public.ch07_gpt.probes import *  # noqa: F401,F403 — the grader ships both modules
from tests_public.torch_helpers import forward_many as _forward, load_state as _load, params as _params


def config_124m():
    from ch07_gpt.gpt import GPT_CONFIG_124M

    return dict(GPT_CONFIG_124M)


def feedforward_forward(cfg, state_dict, xs):
    from ch07_gpt.gpt import FeedForward

    return _forward(_load(FeedForward(dict(cfg)), state_dict), xs)


def gpt_params(cfg, seed):
    import torch

    from ch07_gpt.gpt import GPTModel

    torch.manual_seed(seed)
    return _params(GPTModel(dict(cfg)))


def gpt_structure(cfg):
    from ch07_gpt.gpt import GPTModel

    model = GPTModel(dict(cfg))
    return {"children": [name for name, _ in model.named_children()],
            "block_children": [name for name, _ in model.trf_blocks[0].named_children()],
            "types": [type(m).__name__ for _, m in model.named_children()]}


def gpt_forward(cfg, state_dict, xs, train=False, seed=None):
    from ch07_gpt.gpt import GPTModel

    return _forward(_load(GPTModel(dict(cfg)), state_dict), xs, train, seed)


def generate_with_weights(cfg, state_dict, idx, max_new_tokens, context_size):
    """``generate_text_simple`` with the given weights, in eval mode."""
    from ch07_gpt.gpt import GPTModel, generate_text_simple

    model = _load(GPTModel(dict(cfg)), state_dict)
    model.eval()
    return generate_text_simple(model, idx, max_new_tokens, context_size).detach().clone()


def class_origins():
    """Where each graded class (and every class it inherits from, up to torch's) is defined."""
    from ch07_gpt import gpt

    out = {}
    for name in ("LayerNorm", "GELU", "FeedForward", "TransformerBlock", "GPTModel"):
        cls = getattr(gpt, name)
        out[name] = [c.__module__ for c in cls.__mro__ if not c.__module__.startswith(("torch", "builtins"))]
    return out
