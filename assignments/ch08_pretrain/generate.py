"""Sample text with YOUR ``generate`` (temperature, top-k) from a trained model (book sections 5.3-5.5).

    python -m ch08_pretrain.generate "Every effort moves you" --temperature 1.4 --top-k 25
    make run MOD=ch08_pretrain.generate ARGS='"Every effort moves you" --weights path/to/model.safetensors'

``--weights`` takes the checkpoint ``ch08_pretrain.train`` wrote (read with YOUR ``load_checkpoint``;
the default) or a Hugging Face GPT-2 ``model.safetensors`` (any size; read with YOUR ``load_gpt2_weights``).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

import torch

from ch08_pretrain.previous_chapters import GPT_CONFIG_124M, GPTModel, gpt2_tokenizer
from ch08_pretrain.train import (GPT_CONFIG_TINY, generate, load_checkpoint, load_gpt2_weights, text_to_token_ids,
                                 token_ids_to_text)

DEFAULT_WEIGHTS = Path("outputs") / "ch08_tiny_gpt.safetensors"


def gpt2_config(tensors: dict) -> dict:
    """The ``GPTModel`` configuration of a Hugging Face GPT-2 state dict (head size 64, as in every GPT-2)."""
    vocab, emb = tensors["wte.weight"].shape
    layers = len({k.split(".")[1] for k in tensors if k.startswith("h.")})
    return dict(GPT_CONFIG_124M, vocab_size=vocab, context_length=tensors["wpe.weight"].shape[0], emb_dim=emb,
                n_heads=emb // 64, n_layers=layers, qkv_bias=True)


def load_model(path: Path) -> tuple[GPTModel, str]:
    """A model in eval mode from a kit checkpoint or a Hugging Face GPT-2 ``model.safetensors``, and its kind."""
    from safetensors.torch import load_file

    tensors = load_file(str(path))
    if any(k.startswith("model.") for k in tensors):
        model = GPTModel(GPT_CONFIG_TINY)
        load_checkpoint(path, model)
        kind = "checkpoint"
    else:
        tensors = {k.removeprefix("transformer."): v for k, v in tensors.items()}
        model = GPTModel(gpt2_config(tensors))
        load_gpt2_weights(model, tensors)
        kind = "GPT-2"
    return model.eval(), kind


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="sample text with your generate()")
    parser.add_argument("prompt", nargs="?", default="Every effort moves you")
    parser.add_argument("--weights", type=Path, default=DEFAULT_WEIGHTS)
    parser.add_argument("--temperature", type=float, default=1.4)
    parser.add_argument("--top-k", type=int, default=25)
    parser.add_argument("--max-new-tokens", type=int, default=25)
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--seed", type=int, default=123)
    args = parser.parse_args(argv)
    if not args.weights.is_file():
        print(f"找不到权重文件 {args.weights}：先运行 make run MOD=ch08_pretrain.train\n"
              f"no weights at {args.weights}: run make run MOD=ch08_pretrain.train first")
        return 1
    model, kind = load_model(args.weights)
    tokenizer = gpt2_tokenizer()
    context_size = model.pos_emb.weight.shape[0]
    idx = text_to_token_ids(args.prompt, tokenizer)
    torch.manual_seed(args.seed)
    print(f"{kind}: {args.weights} ({sum(p.numel() for p in model.parameters()):,} parameters); "
          f"temperature {args.temperature}, top-k {args.top_k}")
    for i in range(args.samples):
        out = generate(model, idx, args.max_new_tokens, context_size, temperature=args.temperature, top_k=args.top_k,
                       eos_id=50256)
        print(f"[{i + 1}] {token_ids_to_text(out, tokenizer)!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
