"""Given code from earlier chapters (like the book's ``previous_chapters.py``): ``MultiHeadAttention``
from ch06_attention and ``gpt2_tokenizer`` from ch05_tokens, so this chapter works on its own."""
from __future__ import annotations

import os
from pathlib import Path

import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    """Multi-head causal self-attention (book listing 3.5; ch06_attention's ``MultiHeadAttention``)."""

    def __init__(self, d_in: int, d_out: int, context_length: int, dropout: float, num_heads: int,
                 qkv_bias: bool = False) -> None:
        super().__init__()
        if d_out % num_heads != 0:
            raise ValueError("d_out must be divisible by num_heads")
        self.d_out = d_out
        self.num_heads = num_heads
        self.head_dim = d_out // num_heads
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.out_proj = nn.Linear(d_out, d_out)
        self.dropout = nn.Dropout(dropout)
        self.register_buffer("mask", torch.triu(torch.ones(context_length, context_length), diagonal=1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, num_tokens, d_in = x.shape
        keys = self.W_key(x).view(b, num_tokens, self.num_heads, self.head_dim).transpose(1, 2)
        queries = self.W_query(x).view(b, num_tokens, self.num_heads, self.head_dim).transpose(1, 2)
        values = self.W_value(x).view(b, num_tokens, self.num_heads, self.head_dim).transpose(1, 2)
        attn_scores = queries @ keys.transpose(2, 3)
        mask_bool = self.mask.bool()[:num_tokens, :num_tokens]
        attn_scores = attn_scores.masked_fill(mask_bool, -torch.inf)
        attn_weights = torch.softmax(attn_scores / self.head_dim ** 0.5, dim=-1)
        attn_weights = self.dropout(attn_weights)
        context_vec = (attn_weights @ values).transpose(1, 2).contiguous().view(b, num_tokens, self.d_out)
        return self.out_proj(context_vec)


def gpt2_tokenizer():
    """GPT-2's byte-pair encoding: ``tiktoken.get_encoding("r50k_base")`` (``<|endoftext|>`` = 50256).

    Offline, ``make setup`` puts the file into the kit's ``.cache/tiktoken`` (``TIKTOKEN_CACHE_DIR``).
    """
    import tiktoken

    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        for parent in Path(__file__).resolve().parents:
            if (parent / ".cache" / "tiktoken").is_dir():
                os.environ["TIKTOKEN_CACHE_DIR"] = str(parent / ".cache" / "tiktoken")
                break
    try:
        return tiktoken.get_encoding("r50k_base")
    except Exception as exc:
        raise RuntimeError(
            "GPT-2 的 BPE 文件不可用：请先运行 `make setup`（或 python scripts/fetch_gpt2_bpe.py）。\n"
            "GPT-2's BPE file is not available: run `make setup` (or python scripts/fetch_gpt2_bpe.py) first. "
            f"({type(exc).__name__}: {exc})"
        ) from exc
