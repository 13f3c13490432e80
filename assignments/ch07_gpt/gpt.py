"""The GPT-2 architecture from scratch (book ch. 4): layer normalisation, GELU, the feed-forward
network, the transformer block with shortcut connections, the whole model, and greedy generation.

Names, parameter names and creation order follow the book: the checks load one ``state_dict`` into
your model and the reference (and into Hugging Face's GPT-2), so ``GPTModel`` must create
``tok_emb``, ``pos_emb``, ``drop_emb``, ``trf_blocks``, ``final_norm``, ``out_head`` in that order,
and each block ``att``, ``ff``, ``norm1``, ``norm2``, ``drop_shortcut``.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from ch07_gpt.previous_chapters import MultiHeadAttention

GPT_CONFIG_124M = {
    "vocab_size": 50257,     # GPT-2's BPE vocabulary
    "context_length": 1024,  # the longest input
    "emb_dim": 768,          # embedding size
    "n_heads": 12,           # attention heads
    "n_layers": 12,          # transformer blocks
    "drop_rate": 0.1,        # dropout rate
    "qkv_bias": False,       # bias in the query/key/value projections
}


class LayerNorm(nn.Module):
    """Normalise the last dimension to mean 0 and variance 1, then ``scale * x + shift``.

    ``scale`` (ones) and ``shift`` (zeros) are ``nn.Parameter``s of size ``emb_dim``; ``eps = 1e-5``
    is added to the *biased* variance (``unbiased=False``, like GPT-2 and ``torch.nn.LayerNorm``).
    """

    def __init__(self, emb_dim: int) -> None:
        super().__init__()
        # TODO 7.1: mean 和 var 都在最后一维上算（keepdim=True，var 用 unbiased=False）；(x - mean) / sqrt(var + eps)，再乘 scale 加 shift
        #   mean and var over the last dim (keepdim=True, var with unbiased=False); (x - mean) / sqrt(var + eps), then * scale + shift
        raise NotImplementedError("TODO 7.1: LayerNorm.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # TODO 7.1: mean 和 var 都在最后一维上算（keepdim=True，var 用 unbiased=False）；(x - mean) / sqrt(var + eps)，再乘 scale 加 shift
        #   mean and var over the last dim (keepdim=True, var with unbiased=False); (x - mean) / sqrt(var + eps), then * scale + shift
        raise NotImplementedError("TODO 7.1: LayerNorm.forward")


class GELU(nn.Module):
    """GELU, GPT-2's tanh approximation:
    ``0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))`` (not the exact-erf form)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # TODO 7.2: 照公式写：0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
        #   write the formula: 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
        raise NotImplementedError("TODO 7.2: GELU.forward")


class FeedForward(nn.Module):
    """``layers = nn.Sequential(nn.Linear(E, 4 * E), GELU(), nn.Linear(4 * E, E))`` with ``E = cfg["emb_dim"]``."""

    def __init__(self, cfg: dict) -> None:
        super().__init__()
        # TODO 7.3: nn.Sequential(Linear(E, 4E), GELU(), Linear(4E, E))，属性名必须是 layers
        #   nn.Sequential(Linear(E, 4E), GELU(), Linear(4E, E)), stored as `layers`
        raise NotImplementedError("TODO 7.3: FeedForward.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # TODO 7.3: nn.Sequential(Linear(E, 4E), GELU(), Linear(4E, E))，属性名必须是 layers
        #   nn.Sequential(Linear(E, 4E), GELU(), Linear(4E, E)), stored as `layers`
        raise NotImplementedError("TODO 7.3: FeedForward.forward")


class TransformerBlock(nn.Module):
    """A pre-norm transformer block (book listing 4.6).

    Creates ``att`` (``MultiHeadAttention(E, E, context_length, drop_rate, n_heads, qkv_bias)``),
    ``ff`` (``FeedForward``), ``norm1``, ``norm2`` (``LayerNorm(E)``) and
    ``drop_shortcut = nn.Dropout(drop_rate)``, in that order. Forward:
    ``x = x + drop_shortcut(att(norm1(x)))``, then ``x = x + drop_shortcut(ff(norm2(x)))``.
    """

    def __init__(self, cfg: dict) -> None:
        super().__init__()
        # TODO 7.4: 先归一化再做注意力 / 前馈（pre-norm），每个子层外面都有一条捷径：x = x + drop(子层(norm(x)))
        #   normalise first (pre-norm), then attention / feed-forward, each wrapped in a shortcut: x = x + drop(sublayer(norm(x)))
        raise NotImplementedError("TODO 7.4: TransformerBlock.__init__")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # TODO 7.4: 先归一化再做注意力 / 前馈（pre-norm），每个子层外面都有一条捷径：x = x + drop(子层(norm(x)))
        #   normalise first (pre-norm), then attention / feed-forward, each wrapped in a shortcut: x = x + drop(sublayer(norm(x)))
        raise NotImplementedError("TODO 7.4: TransformerBlock.forward")


class GPTModel(nn.Module):
    """GPT-2 (book listing 4.7): token ids ``(b, T)`` -> logits ``(b, T, vocab_size)``, ``T <= context_length``.

    Creates, in this order: ``tok_emb = nn.Embedding(V, E)``, ``pos_emb = nn.Embedding(context_length, E)``,
    ``drop_emb = nn.Dropout(drop_rate)``, ``trf_blocks = nn.Sequential(n_layers x TransformerBlock)``,
    ``final_norm = LayerNorm(E)``, ``out_head = nn.Linear(E, V, bias=False)``. Forward: token plus
    position embeddings, dropout, the blocks, the final norm, the output head.
    """

    def __init__(self, cfg: dict) -> None:
        super().__init__()
        # TODO 7.5: 按顺序创建 tok_emb、pos_emb、drop_emb、trf_blocks、final_norm、out_head；前向：词嵌入 + 位置嵌入（torch.arange(T)）→ dropout → 各个块 → final_norm → out_head
        #   create tok_emb, pos_emb, drop_emb, trf_blocks, final_norm, out_head in that order; forward: token + position embeddings (torch.arange(T)) -> dropout -> blocks -> final_norm -> out_head
        raise NotImplementedError("TODO 7.5: GPTModel.__init__")

    def forward(self, in_idx: torch.Tensor) -> torch.Tensor:
        # TODO 7.5: 按顺序创建 tok_emb、pos_emb、drop_emb、trf_blocks、final_norm、out_head；前向：词嵌入 + 位置嵌入（torch.arange(T)）→ dropout → 各个块 → final_norm → out_head
        #   create tok_emb, pos_emb, drop_emb, trf_blocks, final_norm, out_head in that order; forward: token + position embeddings (torch.arange(T)) -> dropout -> blocks -> final_norm -> out_head
        raise NotImplementedError("TODO 7.5: GPTModel.forward")


def generate_text_simple(model: nn.Module, idx: torch.Tensor, max_new_tokens: int, context_size: int) -> torch.Tensor:
    """Greedy decoding (book listing 4.8): ``max_new_tokens`` times, feed the last ``context_size``
    ids of ``idx`` (``(b, n)``) to ``model`` without gradients, take the logits of the last position,
    append the ``argmax`` id. Returns ``(b, n + max_new_tokens)``. The caller sets ``model.eval()``."""
    # TODO 7.6: 循环：截取最后 context_size 个 id → torch.no_grad() 下算 logits → 取最后一个位置 → argmax → torch.cat 接到 idx 后面
    #   loop: crop to the last context_size ids -> logits under torch.no_grad() -> last position -> argmax -> torch.cat onto idx
    raise NotImplementedError("TODO 7.6: generate_text_simple")
