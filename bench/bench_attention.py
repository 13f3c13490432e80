"""Benchmark: the reference ``MultiHeadAttention`` (ch06, book listing 3.5) against PyTorch's fused
``scaled_dot_product_attention`` with the same weights, forward + backward on CPU.

    make bench-attention                 # batch 8, T 256, d 768, 12 heads (GPT-2 small's attention)
    python bench/bench_attention.py --repeats 10 --threads 2

Prints the median time of each, their ratio (reference / SDPA; the target is <= 1.5x) and the
largest absolute difference between the two outputs and between the input gradients.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "solutions"))

from ch06_attention.attention import MultiHeadAttention  # noqa: E402  (the reference)

TARGET_RATIO = 1.5


class SDPAMultiHeadAttention(nn.Module):
    """The same layers as ``MultiHeadAttention``, attention computed by ``F.scaled_dot_product_attention``."""

    def __init__(self, d_in: int, d_out: int, num_heads: int, qkv_bias: bool = False) -> None:
        super().__init__()
        self.num_heads, self.head_dim, self.d_out = num_heads, d_out // num_heads, d_out
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.out_proj = nn.Linear(d_out, d_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, T, _ = x.shape
        split = lambda t: t.view(b, T, self.num_heads, self.head_dim).transpose(1, 2)  # noqa: E731
        q, k, v = split(self.W_query(x)), split(self.W_key(x)), split(self.W_value(x))
        ctx = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.out_proj(ctx.transpose(1, 2).reshape(b, T, self.d_out))


def time_fwd_bwd(module: nn.Module, x: torch.Tensor, repeats: int, warmup: int) -> tuple[list[float], torch.Tensor, torch.Tensor]:
    times = []
    for i in range(warmup + repeats):
        xi = x.detach().clone().requires_grad_(True)
        module.zero_grad(set_to_none=True)
        start = time.perf_counter()
        out = module(xi)
        out.sum().backward()
        elapsed = time.perf_counter() - start
        if i >= warmup:
            times.append(elapsed)
    return times, out.detach(), xi.grad.detach()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--tokens", type=int, default=256)
    parser.add_argument("--dim", type=int, default=768)
    parser.add_argument("--heads", type=int, default=12)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: PyTorch's default)")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)

    torch.manual_seed(0)
    reference = MultiHeadAttention(args.dim, args.dim, args.tokens, 0.0, args.heads)
    fused = SDPAMultiHeadAttention(args.dim, args.dim, args.heads)
    fused.load_state_dict({k: v for k, v in reference.state_dict().items() if k != "mask"})
    x = torch.randn(args.batch, args.tokens, args.dim)

    # interleave the two so that machine noise hits both alike
    ref_times, fused_times = [], []
    for _ in range(args.repeats):
        t, ref_out, ref_grad = time_fwd_bwd(reference, x, 1, args.warmup if not ref_times else 0)
        ref_times += t
        t, fused_out, fused_grad = time_fwd_bwd(fused, x, 1, args.warmup if not fused_times else 0)
        fused_times += t
    ref_med, fused_med = statistics.median(ref_times), statistics.median(fused_times)
    ratio = ref_med / fused_med
    out_diff = (ref_out - fused_out).abs().max().item()
    grad_diff = (ref_grad - fused_grad).abs().max().item()

    print(f"MultiHeadAttention forward+backward, batch {args.batch}, T {args.tokens}, d {args.dim}, "
          f"{args.heads} heads, CPU, {torch.get_num_threads()} threads, median of {args.repeats}")
    print(f"  reference (ch06, explicit mask + softmax): {ref_med * 1000:8.1f} ms")
    print(f"  SDPA (F.scaled_dot_product_attention):      {fused_med * 1000:8.1f} ms")
    print(f"  ratio reference / SDPA: {ratio:.2f}x (target <= {TARGET_RATIO}x) "
          f"{'OK' if ratio <= TARGET_RATIO else 'OVER TARGET'}")
    print(f"  max |output difference|: {out_diff:.3e}   max |input-gradient difference|: {grad_diff:.3e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
