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
        ### BEGIN SOLUTION 7.1
        ### zh: mean 和 var 都在最后一维上算（keepdim=True，var 用 unbiased=False）；(x - mean) / sqrt(var + eps)，再乘 scale 加 shift
        ### en: mean and var over the last dim (keepdim=True, var with unbiased=False); (x - mean) / sqrt(var + eps), then * scale + shift
        self.eps = 1e-5
        self.scale = nn.Parameter(torch.ones(emb_dim))
        self.shift = nn.Parameter(torch.zeros(emb_dim))
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ### BEGIN SOLUTION 7.1
        mean = x.mean(dim=-1, keepdim=True)
        var = x.var(dim=-1, keepdim=True, unbiased=False)
        norm_x = (x - mean) / torch.sqrt(var + self.eps)
        return self.scale * norm_x + self.shift
        ### END SOLUTION


class GELU(nn.Module):
    """GELU, GPT-2's tanh approximation:
    ``0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))`` (not the exact-erf form)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ### BEGIN SOLUTION 7.2
        ### zh: 照公式写：0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
        ### en: write the formula: 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
        return 0.5 * x * (1 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3))))
        ### END SOLUTION


class FeedForward(nn.Module):
    """``layers = nn.Sequential(nn.Linear(E, 4 * E), GELU(), nn.Linear(4 * E, E))`` with ``E = cfg["emb_dim"]``."""

    def __init__(self, cfg: dict) -> None:
        super().__init__()
        ### BEGIN SOLUTION 7.3
        ### zh: nn.Sequential(Linear(E, 4E), GELU(), Linear(4E, E))，属性名必须是 layers
        ### en: nn.Sequential(Linear(E, 4E), GELU(), Linear(4E, E)), stored as `layers`
        self.layers = nn.Sequential(
            nn.Linear(cfg["emb_dim"], 4 * cfg["emb_dim"]),
            GELU(),
            nn.Linear(4 * cfg["emb_dim"], cfg["emb_dim"]),
        )
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ### BEGIN SOLUTION 7.3
        return self.layers(x)
        ### END SOLUTION


class TransformerBlock(nn.Module):
    """A pre-norm transformer block (book listing 4.6).

    Creates ``att`` (``MultiHeadAttention(E, E, context_length, drop_rate, n_heads, qkv_bias)``),
    ``ff`` (``FeedForward``), ``norm1``, ``norm2`` (``LayerNorm(E)``) and
    ``drop_shortcut = nn.Dropout(drop_rate)``, in that order. Forward:
    ``x = x + drop_shortcut(att(norm1(x)))``, then ``x = x + drop_shortcut(ff(norm2(x)))``.
    """

    def __init__(self, cfg: dict) -> None:
        super().__init__()
        ### BEGIN SOLUTION 7.4
        ### zh: 先归一化再做注意力 / 前馈（pre-norm），每个子层外面都有一条捷径：x = x + drop(子层(norm(x)))
        ### en: normalise first (pre-norm), then attention / feed-forward, each wrapped in a shortcut: x = x + drop(sublayer(norm(x)))
        self.att = MultiHeadAttention(
            d_in=cfg["emb_dim"],
            d_out=cfg["emb_dim"],
            context_length=cfg["context_length"],
            dropout=cfg["drop_rate"],
            num_heads=cfg["n_heads"],
            qkv_bias=cfg["qkv_bias"],
        )
        self.ff = FeedForward(cfg)
        self.norm1 = LayerNorm(cfg["emb_dim"])
        self.norm2 = LayerNorm(cfg["emb_dim"])
        self.drop_shortcut = nn.Dropout(cfg["drop_rate"])
        ### END SOLUTION

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ### BEGIN SOLUTION 7.4
        shortcut = x
        x = self.norm1(x)
        x = self.att(x)
        x = self.drop_shortcut(x)
        x = x + shortcut

        shortcut = x
        x = self.norm2(x)
        x = self.ff(x)
        x = self.drop_shortcut(x)
        x = x + shortcut
        return x
        ### END SOLUTION


class GPTModel(nn.Module):
    """GPT-2 (book listing 4.7): token ids ``(b, T)`` -> logits ``(b, T, vocab_size)``, ``T <= context_length``.

    Creates, in this order: ``tok_emb = nn.Embedding(V, E)``, ``pos_emb = nn.Embedding(context_length, E)``,
    ``drop_emb = nn.Dropout(drop_rate)``, ``trf_blocks = nn.Sequential(n_layers x TransformerBlock)``,
    ``final_norm = LayerNorm(E)``, ``out_head = nn.Linear(E, V, bias=False)``. Forward: token plus
    position embeddings, dropout, the blocks, the final norm, the output head.
    """

    def __init__(self, cfg: dict) -> None:
        super().__init__()
        ### BEGIN SOLUTION 7.5
        ### zh: 按顺序创建 tok_emb、pos_emb、drop_emb、trf_blocks、final_norm、out_head；前向：词嵌入 + 位置嵌入（torch.arange(T)）→ dropout → 各个块 → final_norm → out_head
        ### en: create tok_emb, pos_emb, drop_emb, trf_blocks, final_norm, out_head in that order; forward: token + position embeddings (torch.arange(T)) -> dropout -> blocks -> final_norm -> out_head
        self.tok_emb = nn.Embedding(cfg["vocab_size"], cfg["emb_dim"])
        self.pos_emb = nn.Embedding(cfg["context_length"], cfg["emb_dim"])
        self.drop_emb = nn.Dropout(cfg["drop_rate"])
        self.trf_blocks = nn.Sequential(*[TransformerBlock(cfg) for _ in range(cfg["n_layers"])])
        self.final_norm = LayerNorm(cfg["emb_dim"])
        self.out_head = nn.Linear(cfg["emb_dim"], cfg["vocab_size"], bias=False)
        ### END SOLUTION

    def forward(self, in_idx: torch.Tensor) -> torch.Tensor:
        ### BEGIN SOLUTION 7.5
        batch_size, seq_len = in_idx.shape
        tok_embeds = self.tok_emb(in_idx)
        pos_embeds = self.pos_emb(torch.arange(seq_len, device=in_idx.device))
        x = tok_embeds + pos_embeds
        x = self.drop_emb(x)
        x = self.trf_blocks(x)
        x = self.final_norm(x)
        return self.out_head(x)
        ### END SOLUTION


def generate_text_simple(model: nn.Module, idx: torch.Tensor, max_new_tokens: int, context_size: int) -> torch.Tensor:
    """Greedy decoding (book listing 4.8): ``max_new_tokens`` times, feed the last ``context_size``
    ids of ``idx`` (``(b, n)``) to ``model`` without gradients, take the logits of the last position,
    append the ``argmax`` id. Returns ``(b, n + max_new_tokens)``. The caller sets ``model.eval()``."""
    ### BEGIN SOLUTION 7.6
    ### zh: 循环：截取最后 context_size 个 id → torch.no_grad() 下算 logits → 取最后一个位置 → argmax → torch.cat 接到 idx 后面
    ### en: loop: crop to the last context_size ids -> logits under torch.no_grad() -> last position -> argmax -> torch.cat onto idx
    for _ in range(max_new_tokens):
        idx_cond = idx[:, -context_size:]
        with torch.no_grad():
            logits = model(idx_cond)
        logits = logits[:, -1, :]
        idx_next = torch.argmax(logits, dim=-1, keepdim=True)
        idx = torch.cat((idx, idx_next), dim=1)
    return idx
    ### END SOLUTION
