"""Token embeddings plus absolute positional embeddings (book ch. 2.7-2.8)."""
from __future__ import annotations

import torch
from torch import nn


class GPTEmbedding(nn.Module):
    """``tok_emb(ids) + pos_emb(arange(T))`` for ids of shape ``(batch, T)`` with ``T <= context_length``.

    ``tok_emb = nn.Embedding(vocab_size, emb_dim)`` is created first, then
    ``pos_emb = nn.Embedding(context_length, emb_dim)`` (the creation order fixes the seeded weights).
    The output has shape ``(batch, T, emb_dim)``.
    """

    def __init__(self, vocab_size: int, context_length: int, emb_dim: int) -> None:
        super().__init__()
        # TODO 5.7: 先建 tok_emb 再建 pos_emb（两个 nn.Embedding）；forward 里位置用 torch.arange(T, device=ids.device)
        #   create tok_emb, then pos_emb (two nn.Embedding); in forward the positions are torch.arange(T, device=ids.device)
        raise NotImplementedError("TODO 5.7: GPTEmbedding.__init__")

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        # TODO 5.7: 先建 tok_emb 再建 pos_emb（两个 nn.Embedding）；forward 里位置用 torch.arange(T, device=ids.device)
        #   create tok_emb, then pos_emb (two nn.Embedding); in forward the positions are torch.arange(T, device=ids.device)
        raise NotImplementedError("TODO 5.7: GPTEmbedding.forward")
