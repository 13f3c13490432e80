"""What does YOUR untrained GPT say? (book section 4.7)

    python -m ch07_gpt.generate "Hello, I am"
    make run M=ch07_gpt.generate ARGS='"Hello, I am"'

Builds ``GPTModel`` with ``GPT_CONFIG_124M`` (163 million parameters, random weights,
``torch.manual_seed(123)`` as in the book), encodes the prompt with GPT-2's tokenizer, and extends
it greedily with your ``generate_text_simple``. The model has not been trained yet, so it prints
gibberish -- exactly what the book shows. ``--small`` uses a tiny configuration (fast, still gibberish).
"""
from __future__ import annotations

import argparse
import sys
import time
from typing import Optional

import torch

from ch07_gpt.gpt import GPT_CONFIG_124M, GPTModel, generate_text_simple
from ch07_gpt.previous_chapters import gpt2_tokenizer

SMALL_CONFIG = dict(GPT_CONFIG_124M, context_length=256, emb_dim=128, n_heads=4, n_layers=2)


def generate(prompt: str, max_new_tokens: int = 10, seed: int = 123, small: bool = False) -> dict:
    """``{"ids", "text", "new_text", "params", "seconds"}`` for ``prompt`` (greedy, eval mode)."""
    cfg = SMALL_CONFIG if small else GPT_CONFIG_124M
    tokenizer = gpt2_tokenizer()
    torch.manual_seed(seed)
    model = GPTModel(cfg)
    model.eval()  # no dropout while generating
    encoded = tokenizer.encode(prompt, allowed_special={"<|endoftext|>"})
    idx = torch.tensor(encoded).unsqueeze(0)
    start = time.perf_counter()
    out = generate_text_simple(model, idx, max_new_tokens=max_new_tokens, context_size=cfg["context_length"])
    ids = out.squeeze(0).tolist()
    return {
        "ids": ids,
        "text": tokenizer.decode(ids),
        "new_text": tokenizer.decode(ids[len(encoded):]),
        "params": sum(p.numel() for p in model.parameters()),
        "seconds": time.perf_counter() - start,
    }


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="greedy text from your untrained GPTModel")
    parser.add_argument("prompt", nargs="?", default="Hello, I am")
    parser.add_argument("--max-new-tokens", type=int, default=10)
    parser.add_argument("--seed", type=int, default=123)
    parser.add_argument("--small", action="store_true", help="a tiny model instead of the 124M configuration")
    args = parser.parse_args(argv)
    try:
        result = generate(args.prompt, args.max_new_tokens, args.seed, args.small)
    except NotImplementedError as exc:
        print(f"先完成 / finish first: {exc}")
        return 1
    print(f"parameters / 参数量: {result['params']:,}")
    print(f"token ids: {result['ids']}")
    print(f"output / 输出: {result['text']!r}")
    print("(untrained: gibberish is expected / 模型尚未训练，输出是乱码属于正常)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
