"""Input-target pairs with a sliding window, and a ``DataLoader`` over them (book ch. 2.6).

An LLM learns to predict the next token: for a window of ``max_length`` token ids starting at
position ``i``, the targets are the ids one position further on (``i + 1 .. i + max_length``).
"""
from __future__ import annotations

import torch
from torch.utils.data import DataLoader, Dataset

from .tokenizer import gpt2_tokenizer


class GPTDatasetV1(Dataset):
    """Sliding windows over a tokenized text (book listing 2.5).

    ``tokenizer.encode(txt, allowed_special={"<|endoftext|>"})`` gives the ids; a window starts at
    every ``i`` in ``range(0, len(ids) - max_length, stride)``; ``input_ids[k]`` is
    ``ids[i:i + max_length]`` and ``target_ids[k]`` is the same window shifted by one token
    (``ids[i + 1:i + max_length + 1]``), both 1-D ``torch.long`` tensors.
    """

    def __init__(self, txt: str, tokenizer, max_length: int, stride: int) -> None:
        self.input_ids: list[torch.Tensor] = []
        self.target_ids: list[torch.Tensor] = []
        # TODO 5.5: 先 encode 整段文本，再按 stride 步长滑动窗口；目标 = 输入向后错一位
        #   encode the whole text, slide a window with step `stride`; targets = inputs shifted by one
        raise NotImplementedError("TODO 5.5: GPTDatasetV1.__init__")

    def __len__(self) -> int:
        return len(self.input_ids)

    def __getitem__(self, idx: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.input_ids[idx], self.target_ids[idx]


def create_dataloader_v1(
    txt: str,
    batch_size: int = 4,
    max_length: int = 256,
    stride: int = 128,
    shuffle: bool = True,
    drop_last: bool = True,
    num_workers: int = 0,
) -> DataLoader:
    """A ``DataLoader`` of ``(inputs, targets)`` batches, each ``(batch_size, max_length)``, over
    ``GPTDatasetV1(txt, gpt2_tokenizer(), max_length, stride)`` (book listing 2.6)."""
    # TODO 5.6: 用 gpt2_tokenizer() 建 GPTDatasetV1，再把参数原样交给 torch 的 DataLoader
    #   build GPTDatasetV1 with gpt2_tokenizer(), then hand the arguments to torch's DataLoader
    raise NotImplementedError("TODO 5.6: create_dataloader_v1")
