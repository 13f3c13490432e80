"""Independent oracles for ch06: random weights in the reference layout, outputs in float64 with
PyTorch's own ``scaled_dot_product_attention`` (never the reference's code)."""
from __future__ import annotations

import torch
import torch.nn.functional as F


def gen(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def rand_linear(g, d_in, d_out, bias, prefix, scale=0.5):
    sd = {f"{prefix}.weight": torch.randn(d_out, d_in, generator=g) * scale}
    if bias:
        sd[f"{prefix}.bias"] = torch.randn(d_out, generator=g) * scale
    return sd


def qkv_state(g, d_in, d_out, bias, prefix=""):
    sd = {}
    for name in ("W_query", "W_key", "W_value"):
        sd.update(rand_linear(g, d_in, d_out, bias, prefix + name))
    return sd


def mha_state(g, d_in, d_out, bias):
    sd = qkv_state(g, d_in, d_out, bias)
    sd.update(rand_linear(g, d_out, d_out, True, "out_proj"))
    return sd


def wrapper_state(g, d_in, d_out, num_heads, bias):
    sd = {}
    for h in range(num_heads):
        sd.update(qkv_state(g, d_in, d_out, bias, prefix=f"heads.{h}."))
    return sd


def _lin(x, sd, prefix):
    w = sd[f"{prefix}.weight"].double()
    b = sd.get(f"{prefix}.bias")
    return F.linear(x.double(), w, None if b is None else b.double())


def causal_oracle(sd, x, prefix=""):
    """One causal head on ``(b, T, d_in)``: SDPA with ``is_causal=True`` (scale 1/sqrt(d_out))."""
    q, k, v = (_lin(x, sd, prefix + n) for n in ("W_query", "W_key", "W_value"))
    return F.scaled_dot_product_attention(q, k, v, is_causal=True)


def wrapper_oracle(sd, x, num_heads):
    return torch.cat([causal_oracle(sd, x, prefix=f"heads.{h}.") for h in range(num_heads)], dim=-1)


def mha_oracle(sd, x, num_heads):
    q, k, v = (_lin(x, sd, n) for n in ("W_query", "W_key", "W_value"))
    b, T, d = q.shape
    split = lambda t: t.reshape(b, T, num_heads, d // num_heads).permute(0, 2, 1, 3)  # noqa: E731
    ctx = F.scaled_dot_product_attention(split(q), split(k), split(v), is_causal=True)
    ctx = ctx.permute(0, 2, 1, 3).reshape(b, T, d)
    return _lin(ctx, sd, "out_proj")


def self_attention_oracle(q, k, v):
    """Non-causal scaled dot-product attention for 2-D ``(T, d)`` q, k, v (explicit formula)."""
    scores = q @ k.T / (k.shape[-1] ** 0.5)
    w = torch.exp(scores - scores.max(dim=-1, keepdim=True).values)
    return (w / w.sum(dim=-1, keepdim=True)) @ v
