"""Hidden probes for ch06_attention: the public probes, plus the parameters and given-weight forwards of
``SelfAttention_v1``, ``SelfAttention_v2`` and ``MultiHeadAttentionWrapper``."""
from __future__ import annotations

from tests_public.ch06_attention.probes import *  # noqa: F401,F403 — the grader ships both modules
from tests_public.torch_helpers import forward_many as _forward, load_state as _load, params as _params


def sa_v1_params(d_in, d_out, seed):
    import torch

    from ch06_attention.attention import SelfAttention_v1

    torch.manual_seed(seed)
    return _params(SelfAttention_v1(d_in, d_out))


def sa_v1_forward(d_in, d_out, state_dict, xs):
    from ch06_attention.attention import SelfAttention_v1

    return _forward(_load(SelfAttention_v1(d_in, d_out), state_dict), xs)


def sa_v2_params(d_in, d_out, qkv_bias, seed):
    import torch

    from ch06_attention.attention import SelfAttention_v2

    torch.manual_seed(seed)
    return _params(SelfAttention_v2(d_in, d_out, qkv_bias=qkv_bias))


def sa_v2_forward(d_in, d_out, qkv_bias, state_dict, xs):
    from ch06_attention.attention import SelfAttention_v2

    return _forward(_load(SelfAttention_v2(d_in, d_out, qkv_bias=qkv_bias), state_dict), xs)


def wrapper_params(d_in, d_out, context_length, dropout, num_heads, qkv_bias, seed):
    import torch

    from ch06_attention.attention import MultiHeadAttentionWrapper

    torch.manual_seed(seed)
    module = MultiHeadAttentionWrapper(d_in, d_out, context_length, dropout, num_heads, qkv_bias=qkv_bias)
    return {"params": _params(module), "heads": [type(h).__name__ for h in module.heads],
            "heads_type": type(module.heads).__name__}


def wrapper_forward(d_in, d_out, context_length, dropout, num_heads, qkv_bias, state_dict, xs, train=False, seed=None):
    from ch06_attention.attention import MultiHeadAttentionWrapper

    module = MultiHeadAttentionWrapper(d_in, d_out, context_length, dropout, num_heads, qkv_bias=qkv_bias)
    return _forward(_load(module, state_dict), xs, train, seed)
