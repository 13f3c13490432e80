"""Draw the attention weights of YOUR ``MultiHeadAttention`` for a sentence of your choice.

    python -m ch06_attention.heatmap "Your journey starts with one step"
    make run M=ch06_attention.heatmap ARGS='"Your journey starts with one step"'

The sentence is split into GPT-2 tokens (or into words when GPT-2's BPE file is not set up), each
token gets a random (seeded) embedding, and your ``MultiHeadAttention`` (dropout 0, eval mode)
attends over them. The weights are read where your module applies ``self.dropout`` to them, so the
picture shows exactly what your ``forward`` computed. Nothing is trained yet, so the pattern is
random -- but it must be causal: every token attends only to itself and to earlier tokens (the
upper-right triangle is empty). The PNG goes to ``outputs/attention_heatmap.png``.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Optional

import torch

from ch06_attention.attention import MultiHeadAttention


def split_tokens(sentence: str) -> tuple[list[str], list[int], int]:
    """``(labels, ids, vocab_size)``: GPT-2 tokens when available, else words and punctuation."""
    try:
        import tiktoken

        if "TIKTOKEN_CACHE_DIR" not in os.environ:
            for parent in Path(__file__).resolve().parents:
                if (parent / ".cache" / "tiktoken").is_dir():
                    os.environ["TIKTOKEN_CACHE_DIR"] = str(parent / ".cache" / "tiktoken")
                    break
        enc = tiktoken.get_encoding("r50k_base")
        ids = enc.encode(sentence, allowed_special={"<|endoftext|>"})
        return [enc.decode([i]) for i in ids], ids, enc.n_vocab
    except Exception:
        words = [w for w in re.split(r'([,.:;?_!"()\']|--|\s)', sentence) if w.strip()]
        vocab = {w: i for i, w in enumerate(sorted(set(words)))}
        return words, [vocab[w] for w in words], max(1, len(vocab))


def attention_weights(mha: MultiHeadAttention, x: torch.Tensor) -> torch.Tensor:
    """``(num_heads, T, T)`` weights of ``mha`` on ``x`` (``(1, T, d)``), captured at ``mha.dropout``."""
    captured: list[torch.Tensor] = []
    handle = mha.dropout.register_forward_hook(lambda module, inputs, output: captured.append(inputs[0].detach()))
    try:
        with torch.no_grad():
            mha(x)
    finally:
        handle.remove()
    if not captured:
        raise RuntimeError("MultiHeadAttention.forward must apply self.dropout to the attention weights "
                           "(the heat map reads them there) / MultiHeadAttention.forward 需要对注意力权重调用 self.dropout")
    return captured[-1][0]


def draw(labels: list[str], weights: torch.Tensor, out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    heads = weights.shape[0]
    cols = min(heads, 2 if heads <= 4 else 4)
    rows = -(-heads // cols)
    size = max(3.0, 0.45 * len(labels) + 1.5)
    fig, axes = plt.subplots(rows, cols, figsize=(cols * size, rows * size), squeeze=False)
    shown = [lab.replace("\n", "\\n") for lab in labels]
    for h in range(rows * cols):
        ax = axes[h // cols][h % cols]
        if h >= heads:
            ax.axis("off")
            continue
        image = ax.imshow(weights[h].numpy(), cmap="viridis", vmin=0.0, vmax=1.0)
        ax.set_title(f"head {h}")
        ax.set_xticks(range(len(shown)), shown, rotation=90, fontsize=8)
        ax.set_yticks(range(len(shown)), shown, fontsize=8)
        ax.set_xlabel("key (attended to)")
        ax.set_ylabel("query")
    fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.6)
    fig.suptitle("MultiHeadAttention weights (untrained, causal)")
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return out


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="attention heatmap of your MultiHeadAttention")
    parser.add_argument("sentence", nargs="?", default="Your journey starts with one step")
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--dim", type=int, default=64, help="embedding size (a multiple of --heads)")
    parser.add_argument("--seed", type=int, default=123)
    parser.add_argument("--out", type=Path, default=Path("outputs") / "attention_heatmap.png")
    args = parser.parse_args(argv)

    labels, ids, vocab_size = split_tokens(args.sentence)
    if not ids:
        print("empty sentence / 句子为空")
        return 1
    torch.manual_seed(args.seed)
    embedding = torch.nn.Embedding(vocab_size, args.dim)
    try:
        mha = MultiHeadAttention(args.dim, args.dim, context_length=len(ids), dropout=0.0, num_heads=args.heads)
        mha.eval()
        with torch.no_grad():
            x = embedding(torch.tensor([ids]))
        weights = attention_weights(mha, x)
    except NotImplementedError as exc:
        print(f"先完成 / finish first: {exc}")
        return 1
    future = torch.triu(weights, diagonal=1).abs().max().item()
    path = draw(labels, weights, args.out)
    print(f"{len(ids)} tokens: {labels}")
    print(f"saved / 已保存: {path}")
    if future > 1e-6:
        print(f"warning / 警告: tokens attend to later tokens (max weight above the diagonal {future:.3g}): "
              "is your mask right? / 有 token 关注了后面的 token，检查你的掩码")
    return 0


if __name__ == "__main__":
    sys.exit(main())
