"""Attention mechanisms, step by step (book ch. 3).

``softmax_naive`` and ``simple_attention`` (3.3, no trainable weights), ``SelfAttention_v1`` /
``SelfAttention_v2`` (3.4, scaled dot-product attention with trainable query/key/value
projections), ``CausalAttention`` (3.5, masking the future plus dropout), and multi-head attention
twice: ``MultiHeadAttentionWrapper`` stacks single heads, ``MultiHeadAttention`` (3.6) splits one
projection into heads. Names, parameter names and creation order follow the book: the checks load
the same ``state_dict`` into yours and the reference.
"""
from __future__ import annotations

import torch
from torch import nn


def softmax_naive(x: torch.Tensor) -> torch.Tensor:
    """``exp(x)`` normalised to sum to one over the last dimension (no max-subtraction: naive)."""
    # TODO 6.1: torch.exp(x) 除以它在最后一维上的和（keepdim=True）
    #   torch.exp(x) divided by its sum over the last dimension (keepdim=True)
    raise NotImplementedError("TODO 6.1: softmax_naive")


def simple_attention(inputs: torch.Tensor) -> torch.Tensor:
    """Context vectors without trainable weights for ``inputs`` of shape ``(T, d)``.

    Scores are ``inputs @ inputs.T``, weights are ``torch.softmax(scores, dim=-1)``, and the
    result ``weights @ inputs`` has shape ``(T, d)`` (book section 3.3.2).
    """
    # TODO 6.2: 注意力分数 = 输入两两点积；每行做 softmax；上下文向量 = 权重 @ 输入
    #   scores = pairwise dot products of the inputs; softmax each row; context = weights @ inputs
    raise NotImplementedError("TODO 6.2: simple_attention")


class SelfAttention_v1(nn.Module):
    """Self-attention with ``nn.Parameter`` matrices ``W_query``, ``W_key``, ``W_value`` of shape
    ``(d_in, d_out)``, created in that order with ``torch.rand``; input ``(T, d_in)``, output ``(T, d_out)``.
    Scores are scaled by ``sqrt(d_out)`` before the softmax (book listing 3.1)."""

    def __init__(self, d_in: int, d_out: int) -> None:
        super().__init__()
        # TODO 6.3: 三个 nn.Parameter(torch.rand(d_in, d_out))，按 query、key、value 的顺序创建；前向：x @ W，分数除以 sqrt(d_out) 后 softmax
        #   three nn.Parameter(torch.rand(d_in, d_out)) created as query, key, value; forward: x @ W, scores / sqrt(d_out), softmax
        raise NotImplementedError("TODO 6.3: SelfAttention_v1.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # TODO 6.3: 三个 nn.Parameter(torch.rand(d_in, d_out))，按 query、key、value 的顺序创建；前向：x @ W，分数除以 sqrt(d_out) 后 softmax
        #   three nn.Parameter(torch.rand(d_in, d_out)) created as query, key, value; forward: x @ W, scores / sqrt(d_out), softmax
        raise NotImplementedError("TODO 6.3: SelfAttention_v1.forward")


class SelfAttention_v2(nn.Module):
    """Like v1 with ``nn.Linear(d_in, d_out, bias=qkv_bias)`` layers ``W_query``, ``W_key``, ``W_value``
    (created in that order) instead of raw matrices (book listing 3.2)."""

    def __init__(self, d_in: int, d_out: int, qkv_bias: bool = False) -> None:
        super().__init__()
        # TODO 6.4: 三个 nn.Linear(d_in, d_out, bias=qkv_bias)，顺序 query、key、value；其余同 v1
        #   three nn.Linear(d_in, d_out, bias=qkv_bias) in the order query, key, value; the rest as in v1
        raise NotImplementedError("TODO 6.4: SelfAttention_v2.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # TODO 6.4: 三个 nn.Linear(d_in, d_out, bias=qkv_bias)，顺序 query、key、value；其余同 v1
        #   three nn.Linear(d_in, d_out, bias=qkv_bias) in the order query, key, value; the rest as in v1
        raise NotImplementedError("TODO 6.4: SelfAttention_v2.forward")


class CausalAttention(nn.Module):
    """Single-head causal self-attention on ``(b, T, d_in)`` with ``T <= context_length`` (book listing 3.3).

    ``W_query``, ``W_key``, ``W_value`` (``nn.Linear``, in that order), ``dropout = nn.Dropout(dropout)``
    and the buffer ``mask = torch.triu(torch.ones(context_length, context_length), diagonal=1)``.
    Scores ``Q @ K^T`` get ``-inf`` wherever the mask (cut to ``T x T``) is 1, are divided by
    ``sqrt(d_out)``, go through the softmax, and dropout is applied to the resulting weights.
    """

    def __init__(self, d_in: int, d_out: int, context_length: int, dropout: float, qkv_bias: bool = False) -> None:
        super().__init__()
        self.d_out = d_out
        # TODO 6.5: 掩码 = 上三角（对角线以上）为 1；分数在掩码处填 -inf（只取前 T 行 T 列），缩放后 softmax，再对权重做 dropout
        #   mask = ones above the diagonal; fill -inf where the mask (cut to T x T) is set, scale, softmax, then dropout on the weights
        raise NotImplementedError("TODO 6.5: CausalAttention.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # TODO 6.5: 掩码 = 上三角（对角线以上）为 1；分数在掩码处填 -inf（只取前 T 行 T 列），缩放后 softmax，再对权重做 dropout
        #   mask = ones above the diagonal; fill -inf where the mask (cut to T x T) is set, scale, softmax, then dropout on the weights
        raise NotImplementedError("TODO 6.5: CausalAttention.forward")


class MultiHeadAttentionWrapper(nn.Module):
    """``num_heads`` independent ``CausalAttention`` heads in ``heads`` (an ``nn.ModuleList``), their
    outputs concatenated on the last dimension: output ``(b, T, d_out * num_heads)`` (book listing 3.4)."""

    def __init__(self, d_in: int, d_out: int, context_length: int, dropout: float, num_heads: int,
                 qkv_bias: bool = False) -> None:
        super().__init__()
        # TODO 6.6: nn.ModuleList 里放 num_heads 个 CausalAttention；前向时把各头输出在最后一维拼接
        #   an nn.ModuleList of num_heads CausalAttention modules; forward concatenates their outputs on the last dim
        raise NotImplementedError("TODO 6.6: MultiHeadAttentionWrapper.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # TODO 6.6: nn.ModuleList 里放 num_heads 个 CausalAttention；前向时把各头输出在最后一维拼接
        #   an nn.ModuleList of num_heads CausalAttention modules; forward concatenates their outputs on the last dim
        raise NotImplementedError("TODO 6.6: MultiHeadAttentionWrapper.forward")


class MultiHeadAttention(nn.Module):
    """Multi-head causal self-attention with one projection split into heads (book listing 3.5).

    ``d_out % num_heads != 0`` raises ``ValueError``. Creates ``W_query``, ``W_key``, ``W_value``
    (``nn.Linear(d_in, d_out, bias=qkv_bias)``) and ``out_proj = nn.Linear(d_out, d_out)``, in that
    order, then ``dropout`` and the buffer ``mask`` (as in ``CausalAttention``). Each head has
    ``head_dim = d_out // num_heads`` columns; scores are scaled by ``sqrt(head_dim)``; the heads'
    contexts are put side by side again and go through ``out_proj``. Input ``(b, T, d_in)`` with any
    ``T <= context_length``, output ``(b, T, d_out)``.
    """

    def __init__(self, d_in: int, d_out: int, context_length: int, dropout: float, num_heads: int,
                 qkv_bias: bool = False) -> None:
        super().__init__()
        # TODO 6.7: view 成 (b, T, num_heads, head_dim) 再 transpose(1, 2) 得到每个头；算完后 transpose 回来、contiguous().view(b, T, d_out)，最后 out_proj
        #   view as (b, T, num_heads, head_dim), then transpose(1, 2) for the heads; afterwards transpose back, contiguous().view(b, T, d_out), then out_proj
        raise NotImplementedError("TODO 6.7: MultiHeadAttention.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # TODO 6.7: view 成 (b, T, num_heads, head_dim) 再 transpose(1, 2) 得到每个头；算完后 transpose 回来、contiguous().view(b, T, d_out)，最后 out_proj
        #   view as (b, T, num_heads, head_dim), then transpose(1, 2) for the heads; afterwards transpose back, contiguous().view(b, T, d_out), then out_proj
        raise NotImplementedError("TODO 6.7: MultiHeadAttention.forward")
