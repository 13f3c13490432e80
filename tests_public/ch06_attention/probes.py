"""Probes for ch06_attention: call the implementation, return plain data. No expected values here.

State dicts travel as plain dicts of tensors; ``_load`` puts them into the student's module (the
``mask`` buffers are rebuilt by the module itself, so a float or a bool mask both work).
"""
from __future__ import annotations

from tests_public.torch_helpers import forward_many as _forward, load_state as _load, params as _params


def softmax_naive_many(xs):
    from ch06_attention.attention import softmax_naive

    return [softmax_naive(x).detach().clone() for x in xs]


def simple_attention_many(inputs_list):
    from ch06_attention.attention import simple_attention

    return [simple_attention(x).detach().clone() for x in inputs_list]


def sa_v1_seeded_forward(d_in, d_out, seed, x):
    import torch

    from ch06_attention.attention import SelfAttention_v1

    torch.manual_seed(seed)
    module = SelfAttention_v1(d_in, d_out)
    with torch.no_grad():
        return module(x).detach().clone()


def sa_v2_seeded_forward(d_in, d_out, seed, x):
    import torch

    from ch06_attention.attention import SelfAttention_v2

    torch.manual_seed(seed)
    module = SelfAttention_v2(d_in, d_out)
    with torch.no_grad():
        return module(x).detach().clone()


def causal_params(d_in, d_out, context_length, dropout, qkv_bias, seed):
    import torch

    from ch06_attention.attention import CausalAttention

    torch.manual_seed(seed)
    return _params(CausalAttention(d_in, d_out, context_length, dropout, qkv_bias=qkv_bias))


def causal_seeded_forward(d_in, d_out, context_length, dropout, seed, x):
    import torch

    from ch06_attention.attention import CausalAttention

    torch.manual_seed(seed)
    module = CausalAttention(d_in, d_out, context_length, dropout)
    return _forward(module, [x])[0]


def causal_forward(d_in, d_out, context_length, dropout, qkv_bias, state_dict, xs, train=False, seed=None):
    from ch06_attention.attention import CausalAttention

    module = CausalAttention(d_in, d_out, context_length, dropout, qkv_bias=qkv_bias)
    return _forward(_load(module, state_dict), xs, train, seed)


def wrapper_seeded_forward(d_in, d_out, context_length, num_heads, seed, x):
    import torch

    from ch06_attention.attention import MultiHeadAttentionWrapper

    torch.manual_seed(seed)
    module = MultiHeadAttentionWrapper(d_in, d_out, context_length, 0.0, num_heads)
    return _forward(module, [x])[0]


def mha_params(d_in, d_out, context_length, dropout, num_heads, qkv_bias, seed):
    import torch

    from ch06_attention.attention import MultiHeadAttention

    torch.manual_seed(seed)
    return _params(MultiHeadAttention(d_in, d_out, context_length, dropout, num_heads, qkv_bias=qkv_bias))


def mha_seeded_forward(d_in, d_out, context_length, num_heads, seed, x):
    import torch

    from ch06_attention.attention import MultiHeadAttention

    torch.manual_seed(seed)
    module = MultiHeadAttention(d_in, d_out, context_length, 0.0, num_heads)
    return _forward(module, [x])[0]


def mha_forward(d_in, d_out, context_length, dropout, num_heads, qkv_bias, state_dict, xs, train=False, seed=None):
    from ch06_attention.attention import MultiHeadAttention

    module = MultiHeadAttention(d_in, d_out, context_length, dropout, num_heads, qkv_bias=qkv_bias)
    return _forward(_load(module, state_dict), xs, train, seed)


def mha_construct(d_in, d_out, context_length, dropout, num_heads):
    """``{"raised": name}`` when the constructor raises ValueError/AssertionError, else ``{"raised": None}``."""
    from ch06_attention.attention import MultiHeadAttention

    try:
        MultiHeadAttention(d_in, d_out, context_length, dropout, num_heads)
    except (ValueError, AssertionError) as exc:
        return {"raised": type(exc).__name__}
    return {"raised": None}
