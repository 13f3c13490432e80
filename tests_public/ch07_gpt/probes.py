"""Probes for ch07_gpt: call the implementation, return plain data. No expected values here.

State dicts travel as plain dicts of tensors; ``_load`` puts them into the student's module (the
attention ``mask`` buffers are rebuilt by the module itself).
"""
from __future__ import annotations

from tests_public.torch_helpers import forward_many as _forward, load_state as _load, params as _params


def layernorm_forward(emb_dim, scale, shift, xs):
    from ch07_gpt.gpt import LayerNorm

    module = LayerNorm(emb_dim)
    return _forward(_load(module, {"scale": scale, "shift": shift}), xs)


def layernorm_defaults(emb_dim, x):
    """A fresh ``LayerNorm``'s parameters and its output on ``x``."""
    from ch07_gpt.gpt import LayerNorm

    module = LayerNorm(emb_dim)
    return {"params": _params(module), "out": _forward(module, [x])[0]}


def gelu_forward(x):
    from ch07_gpt.gpt import GELU

    return _forward(GELU(), [x])[0]


def feedforward_structure(cfg, seed):
    import torch

    from ch07_gpt.gpt import FeedForward

    torch.manual_seed(seed)
    module = FeedForward(dict(cfg))
    return {"layers": [type(m).__name__ for m in module.layers], "params": _params(module)}


def block_params(cfg, seed):
    import torch

    from ch07_gpt.gpt import TransformerBlock

    torch.manual_seed(seed)
    return _params(TransformerBlock(dict(cfg)))


def block_seeded_forward(cfg, seed, x):
    import torch

    from ch07_gpt.gpt import TransformerBlock

    torch.manual_seed(seed)
    block = TransformerBlock(dict(cfg))
    return _forward(block, [x])[0]


def block_forward(cfg, state_dict, xs, train=False, seed=None):
    from ch07_gpt.gpt import TransformerBlock

    return _forward(_load(TransformerBlock(dict(cfg)), state_dict), xs, train, seed)


def gpt_param_count_124m():
    """``GPTModel(GPT_CONFIG_124M)`` built on the meta device (no memory, no init time)."""
    import torch

    from ch07_gpt.gpt import GPT_CONFIG_124M, GPTModel

    with torch.device("meta"):
        model = GPTModel(dict(GPT_CONFIG_124M))
    return {
        "total": sum(p.numel() for p in model.parameters()),
        "out_head": int(model.out_head.weight.numel()),
        "out_head_bias": model.out_head.bias is not None,
        "blocks": len(model.trf_blocks),
        "block_params": sum(p.numel() for p in model.trf_blocks[0].parameters()),
    }


def gpt_seeded_forward(cfg, seed, idx):
    import torch

    from ch07_gpt.gpt import GPTModel

    torch.manual_seed(seed)
    model = GPTModel(dict(cfg))
    return _forward(model, [idx])[0]


def generate_seeded(cfg, seed, idx, max_new_tokens, context_size):
    """Seeded ``GPTModel`` in eval mode, then ``generate_text_simple`` (as in the book)."""
    import torch

    from ch07_gpt.gpt import GPTModel, generate_text_simple

    torch.manual_seed(seed)
    model = GPTModel(dict(cfg))
    model.eval()
    return generate_text_simple(model, idx, max_new_tokens, context_size).detach().clone()


class _RecordingModel:
    """A kit stand-in "model": logits favour token ``(last id + 1) % vocab``, and it records every input."""

    def __init__(self, vocab):
        self.vocab = vocab
        self.inputs = []

    def __call__(self, idx):
        import torch

        self.inputs.append(idx.detach().clone())
        logits = torch.zeros(idx.shape[0], idx.shape[1], self.vocab)
        nxt = (idx + 1) % self.vocab
        logits.scatter_(2, nxt.unsqueeze(-1), 1.0)
        logits[:, :-1] += 5.0 * torch.arange(self.vocab).flip(0)  # only the last position is sensible
        return logits

    def eval(self):
        return self

    def train(self, mode=True):
        return self


def generate_with_counter(idx, max_new_tokens, context_size, vocab=50):
    """``generate_text_simple`` on the kit's counting model: the output and the inputs it was fed."""
    from ch07_gpt.gpt import generate_text_simple

    model = _RecordingModel(vocab)
    out = generate_text_simple(model, idx, max_new_tokens, context_size)
    return {"out": out.detach().clone(), "input_shapes": [list(t.shape) for t in model.inputs],
            "inputs": [t for t in model.inputs]}
