"""Given code from earlier chapters (like the book's ``previous_chapters.py``), so this chapter works
on its own: ``MultiHeadAttention`` (ch06), ``GPTModel`` and greedy ``generate_text_simple`` (ch07),
``GPTDatasetV1`` / ``create_dataloader_v1`` and ``gpt2_tokenizer`` (ch05). Not graded here."""
from __future__ import annotations

import math
import os
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset


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
        self.eps = 1e-5
        self.scale = nn.Parameter(torch.ones(emb_dim))
        self.shift = nn.Parameter(torch.zeros(emb_dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean = x.mean(dim=-1, keepdim=True)
        var = x.var(dim=-1, keepdim=True, unbiased=False)
        norm_x = (x - mean) / torch.sqrt(var + self.eps)
        return self.scale * norm_x + self.shift


class GELU(nn.Module):
    """GELU, GPT-2's tanh approximation:
    ``0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))`` (not the exact-erf form)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return 0.5 * x * (1 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3))))


class FeedForward(nn.Module):
    """``layers = nn.Sequential(nn.Linear(E, 4 * E), GELU(), nn.Linear(4 * E, E))`` with ``E = cfg["emb_dim"]``."""

    def __init__(self, cfg: dict) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(cfg["emb_dim"], 4 * cfg["emb_dim"]),
            GELU(),
            nn.Linear(4 * cfg["emb_dim"], cfg["emb_dim"]),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


class TransformerBlock(nn.Module):
    """A pre-norm transformer block (book listing 4.6).

    Creates ``att`` (``MultiHeadAttention(E, E, context_length, drop_rate, n_heads, qkv_bias)``),
    ``ff`` (``FeedForward``), ``norm1``, ``norm2`` (``LayerNorm(E)``) and
    ``drop_shortcut = nn.Dropout(drop_rate)``, in that order. Forward:
    ``x = x + drop_shortcut(att(norm1(x)))``, then ``x = x + drop_shortcut(ff(norm2(x)))``.
    """

    def __init__(self, cfg: dict) -> None:
        super().__init__()
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

    def forward(self, x: torch.Tensor) -> torch.Tensor:
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


class GPTModel(nn.Module):
    """GPT-2 (book listing 4.7): token ids ``(b, T)`` -> logits ``(b, T, vocab_size)``, ``T <= context_length``.

    Creates, in this order: ``tok_emb = nn.Embedding(V, E)``, ``pos_emb = nn.Embedding(context_length, E)``,
    ``drop_emb = nn.Dropout(drop_rate)``, ``trf_blocks = nn.Sequential(n_layers x TransformerBlock)``,
    ``final_norm = LayerNorm(E)``, ``out_head = nn.Linear(E, V, bias=False)``. Forward: token plus
    position embeddings, dropout, the blocks, the final norm, the output head.
    """

    def __init__(self, cfg: dict) -> None:
        super().__init__()
        self.tok_emb = nn.Embedding(cfg["vocab_size"], cfg["emb_dim"])
        self.pos_emb = nn.Embedding(cfg["context_length"], cfg["emb_dim"])
        self.drop_emb = nn.Dropout(cfg["drop_rate"])
        self.trf_blocks = nn.Sequential(*[TransformerBlock(cfg) for _ in range(cfg["n_layers"])])
        self.final_norm = LayerNorm(cfg["emb_dim"])
        self.out_head = nn.Linear(cfg["emb_dim"], cfg["vocab_size"], bias=False)

    def forward(self, in_idx: torch.Tensor) -> torch.Tensor:
        batch_size, seq_len = in_idx.shape
        tok_embeds = self.tok_emb(in_idx)
        pos_embeds = self.pos_emb(torch.arange(seq_len, device=in_idx.device))
        x = tok_embeds + pos_embeds
        x = self.drop_emb(x)
        x = self.trf_blocks(x)
        x = self.final_norm(x)
        return self.out_head(x)


def generate_text_simple(model: nn.Module, idx: torch.Tensor, max_new_tokens: int, context_size: int) -> torch.Tensor:
    """Greedy decoding (book listing 4.8): ``max_new_tokens`` times, feed the last ``context_size``
    ids of ``idx`` (``(b, n)``) to ``model`` without gradients, take the logits of the last position,
    append the ``argmax`` id. Returns ``(b, n + max_new_tokens)``. The caller sets ``model.eval()``."""
    for _ in range(max_new_tokens):
        idx_cond = idx[:, -context_size:]
        with torch.no_grad():
            logits = model(idx_cond)
        logits = logits[:, -1, :]
        idx_next = torch.argmax(logits, dim=-1, keepdim=True)
        idx = torch.cat((idx, idx_next), dim=1)
    return idx


class GPTDatasetV1(Dataset):
    """Sliding windows over a tokenized text (book listing 2.5): inputs ``ids[i:i + max_length]``, targets
    shifted by one, for ``i`` in ``range(0, len(ids) - max_length, stride)``."""

    def __init__(self, txt: str, tokenizer, max_length: int, stride: int) -> None:
        self.input_ids: list[torch.Tensor] = []
        self.target_ids: list[torch.Tensor] = []
        token_ids = tokenizer.encode(txt, allowed_special={"<|endoftext|>"})
        for i in range(0, len(token_ids) - max_length, stride):
            self.input_ids.append(torch.tensor(token_ids[i:i + max_length]))
            self.target_ids.append(torch.tensor(token_ids[i + 1:i + max_length + 1]))

    def __len__(self) -> int:
        return len(self.input_ids)

    def __getitem__(self, idx: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.input_ids[idx], self.target_ids[idx]


def create_dataloader_v1(txt: str, batch_size: int = 4, max_length: int = 256, stride: int = 128, shuffle: bool = True,
                         drop_last: bool = True, num_workers: int = 0, generator=None) -> DataLoader:
    """``(inputs, targets)`` batches of ``(batch_size, max_length)`` over ``GPTDatasetV1`` with GPT-2's tokenizer
    (book listing 2.6); ``generator`` seeds the shuffling."""
    dataset = GPTDatasetV1(txt, gpt2_tokenizer(), max_length, stride)
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last, num_workers=num_workers,
                      generator=generator)


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
