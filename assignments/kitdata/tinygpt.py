"""The kit's tiny pretrained GPT (given support code, not an assignment) for the fine-tuning chapters.

The book fine-tunes OpenAI's GPT-2 weights; those cannot be downloaded here and are too slow for a
small device, so the kit pretrains a tiny GPT of the same architecture on its own corpus
(:func:`kitdata.text.load_corpus`, GPT-2 tokenizer) once and caches it:

* :data:`TINY_GPT_CONFIG` — a config dict like the book's ``GPT_CONFIG_124M``, only smaller;
* :class:`GPTModel` — the book's GPT (ch07_gpt's architecture, the same ``state_dict`` names);
* :func:`pretrained_tiny_gpt` — the path of the cached weights (a safetensors ``state_dict``, the
  attention ``mask`` buffers included, as ch07's ``GPTModel`` has them), pretraining them first
  when absent (about a minute or two of CPU on 2 cores; deterministic for a given torch build);
* :func:`load_pretrained_tiny_gpt` — a :class:`GPTModel` with those weights, in eval mode.

``python -m kitdata`` prepares the weights (the grader runs it before grading, because grading
sandboxes see the cache read-only).
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Iterator, Optional

import torch
from torch import nn

from kitdata.fetch import cache_dir, say

__all__ = ["TINY_GPT_CONFIG", "PRETRAIN", "GPTModel", "pretrained_tiny_gpt", "load_pretrained_tiny_gpt",
           "gpt2_encoding", "TinyGPTUnavailable"]

TINY_GPT_CONFIG = {
    "vocab_size": 50257,     # GPT-2's BPE vocabulary
    "context_length": 128,   # the longest input
    "emb_dim": 64,           # embedding size
    "n_heads": 4,            # attention heads
    "n_layers": 4,           # transformer blocks
    "drop_rate": 0.0,        # dropout rate (the book's fine-tuning chapters use 0.0)
    "qkv_bias": True,        # bias in the query/key/value projections (as GPT-2's weights have)
}

# How the weights are pretrained; part of the cache key, so changing anything here retrains.
PRETRAIN = {
    "version": 1,
    "max_length": 64,        # training windows (tokens)
    "stride": 32,
    "batch_size": 8,
    "epochs": 12,
    "lr": 2e-3,
    "weight_decay": 0.1,
    "threads": 2,            # fixed, so the result does not depend on the machine's core count
}


class TinyGPTUnavailable(RuntimeError):
    """The pretrained weights are not cached and cannot be made here (a read-only cache)."""


class _LayerNorm(nn.Module):
    def __init__(self, emb_dim: int) -> None:
        super().__init__()
        self.eps = 1e-5
        self.scale = nn.Parameter(torch.ones(emb_dim))
        self.shift = nn.Parameter(torch.zeros(emb_dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.layer_norm(x, x.shape[-1:], self.scale, self.shift, self.eps)


class _MultiHeadAttention(nn.Module):
    def __init__(self, cfg: dict) -> None:
        super().__init__()
        emb, self.num_heads = cfg["emb_dim"], cfg["n_heads"]
        self.W_query = nn.Linear(emb, emb, bias=cfg["qkv_bias"])
        self.W_key = nn.Linear(emb, emb, bias=cfg["qkv_bias"])
        self.W_value = nn.Linear(emb, emb, bias=cfg["qkv_bias"])
        self.out_proj = nn.Linear(emb, emb)
        self.dropout = nn.Dropout(cfg["drop_rate"])
        n = cfg["context_length"]
        self.register_buffer("mask", torch.triu(torch.ones(n, n), diagonal=1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, e = x.shape
        heads = [w(x).view(b, t, self.num_heads, e // self.num_heads).transpose(1, 2)
                 for w in (self.W_query, self.W_key, self.W_value)]
        scores = (heads[0] @ heads[1].transpose(2, 3)).masked_fill(self.mask.bool()[:t, :t], -torch.inf)
        weights = self.dropout(torch.softmax(scores / math.sqrt(e // self.num_heads), dim=-1))
        return self.out_proj((weights @ heads[2]).transpose(1, 2).reshape(b, t, e))


class _FeedForward(nn.Module):
    def __init__(self, cfg: dict) -> None:
        super().__init__()
        emb = cfg["emb_dim"]
        self.layers = nn.Sequential(nn.Linear(emb, 4 * emb), nn.GELU(approximate="tanh"), nn.Linear(4 * emb, emb))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


class _TransformerBlock(nn.Module):
    def __init__(self, cfg: dict) -> None:
        super().__init__()
        self.att = _MultiHeadAttention(cfg)
        self.ff = _FeedForward(cfg)
        self.norm1 = _LayerNorm(cfg["emb_dim"])
        self.norm2 = _LayerNorm(cfg["emb_dim"])
        self.drop_shortcut = nn.Dropout(cfg["drop_rate"])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.drop_shortcut(self.att(self.norm1(x)))
        return x + self.drop_shortcut(self.ff(self.norm2(x)))


class GPTModel(nn.Module):
    """The book's GPT (listing 4.7): ids ``(b, T)`` -> logits ``(b, T, vocab_size)``, ``T <= context_length``.

    Submodules and ``state_dict`` names are ch07_gpt's: ``tok_emb``, ``pos_emb``, ``drop_emb``,
    ``trf_blocks.{i}.{att.W_query, att.W_key, att.W_value, att.out_proj, ff.layers.0, ff.layers.2,
    norm1, norm2}``, ``final_norm.{scale, shift}``, ``out_head`` (no bias).
    """

    def __init__(self, cfg: dict) -> None:
        super().__init__()
        self.tok_emb = nn.Embedding(cfg["vocab_size"], cfg["emb_dim"])
        self.pos_emb = nn.Embedding(cfg["context_length"], cfg["emb_dim"])
        self.drop_emb = nn.Dropout(cfg["drop_rate"])
        self.trf_blocks = nn.Sequential(*[_TransformerBlock(cfg) for _ in range(cfg["n_layers"])])
        self.final_norm = _LayerNorm(cfg["emb_dim"])
        self.out_head = nn.Linear(cfg["emb_dim"], cfg["vocab_size"], bias=False)

    def forward(self, in_idx: torch.Tensor) -> torch.Tensor:
        pos = self.pos_emb(torch.arange(in_idx.shape[1], device=in_idx.device))
        x = self.trf_blocks(self.drop_emb(self.tok_emb(in_idx) + pos))
        return self.out_head(self.final_norm(x))


def gpt2_encoding():
    """GPT-2's BPE (``tiktoken.get_encoding("r50k_base")``; offline from ``TIKTOKEN_CACHE_DIR``)."""
    import tiktoken

    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        for parent in Path(__file__).resolve().parents:
            if (parent / ".cache" / "tiktoken").is_dir():
                os.environ["TIKTOKEN_CACHE_DIR"] = str(parent / ".cache" / "tiktoken")
                break
    try:
        return tiktoken.get_encoding("r50k_base")
    except Exception as exc:  # no network and no cached file
        raise RuntimeError(
            "GPT-2 的 BPE 文件不可用：请先运行 `make setup`（或 python scripts/fetch_gpt2_bpe.py）。\n"
            "GPT-2's BPE file is not available: run `make setup` (or python scripts/fetch_gpt2_bpe.py) first. "
            f"({type(exc).__name__}: {exc})"
        ) from exc


def _corpus_ids() -> list[int]:
    from kitdata.text import load_corpus

    return gpt2_encoding().encode(load_corpus("\n<|endoftext|>\n"), allowed_special={"<|endoftext|>"})


def _cache_path(seed: int, ids: list[int]) -> Path:
    key = json.dumps([TINY_GPT_CONFIG, PRETRAIN, hashlib.sha256(str(ids).encode()).hexdigest()], sort_keys=True)
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return cache_dir() / "tiny-gpt" / f"tiny-gpt-{digest}-seed{seed}.safetensors"


@contextlib.contextmanager
def _threads(n: int) -> Iterator[None]:
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _pretrain(seed: int, ids: list[int]) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """Next-token training on the corpus windows; returns the state dict and a summary."""
    from tqdm import tqdm

    p = PRETRAIN
    data = torch.tensor(ids)
    starts = torch.arange(0, len(ids) - p["max_length"], p["stride"])
    with _threads(p["threads"]), torch.random.fork_rng():
        torch.manual_seed(seed)
        model = GPTModel(TINY_GPT_CONFIG)
        optimizer = torch.optim.AdamW(model.parameters(), lr=p["lr"], weight_decay=p["weight_decay"])
        steps = p["epochs"] * math.ceil(len(starts) / p["batch_size"])
        schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=p["lr"], total_steps=steps, pct_start=0.1)
        model.train()
        bar = tqdm(total=steps, desc="pretraining the kit's tiny GPT", unit="step", leave=False, mininterval=2.0)
        for _ in range(p["epochs"]):
            for batch in torch.randperm(len(starts)).split(p["batch_size"]):
                window = torch.stack([data[s:s + p["max_length"] + 1] for s in starts[batch].tolist()])
                logits = model(window[:, :-1])
                loss = nn.functional.cross_entropy(logits.flatten(0, 1), window[:, 1:].flatten())
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                schedule.step()
                bar.update()
                bar.set_postfix(loss=f"{loss.item():.3f}")
        bar.close()
    summary = {"seed": str(seed), "final_train_loss": f"{loss.item():.4f}", "tokens": str(len(ids)),
               "config": json.dumps(TINY_GPT_CONFIG), "pretrain": json.dumps(PRETRAIN)}
    return {k: v.contiguous() for k, v in model.state_dict().items()}, summary


def pretrained_tiny_gpt(seed: int = 0) -> Path:
    """The cached pretrained weights (a safetensors state dict); pretrains and caches them when absent.

    The file lives under ``$KIT_CACHE_DIR/tiny-gpt/``, named after a hash of the config, the training
    settings and the corpus (so a change retrains), and is written atomically and world-readable.
    Raises :class:`TinyGPTUnavailable` when it is absent and the cache is read-only.
    """
    from safetensors.torch import save_file

    ids = _corpus_ids()
    path = _cache_path(seed, ids)
    if path.is_file():
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(path.parent / ".lock", "a")
    except OSError as exc:
        raise TinyGPTUnavailable(
            f"[kitdata] 缓存中没有预训练的小 GPT，且缓存只读（{exc}）：请先运行 `python -m kitdata`。\n"
            f"[kitdata] the pretrained tiny GPT is not in the cache and the cache is read-only ({exc}): "
            "run `python -m kitdata` first."
        ) from exc
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be pretraining the same weights
        if path.is_file():
            return path
        say("正在用课程语料预训练小 GPT（只需一次，约一两分钟）……",
            "pretraining the kit's tiny GPT on the kit corpus (once; a minute or two)...")
        state, summary = _pretrain(seed, ids)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".part", dir=path.parent)
        os.close(fd)
        try:
            save_file(state, tmp, metadata=summary)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    return path


def load_pretrained_tiny_gpt(seed: int = 0, path: Optional[Path] = None) -> GPTModel:
    """A :class:`GPTModel` (``TINY_GPT_CONFIG``) with the pretrained weights, in eval mode."""
    from safetensors.torch import load_file

    model = GPTModel(TINY_GPT_CONFIG)
    model.load_state_dict(load_file(str(path or pretrained_tiny_gpt(seed))))
    return model.eval()
