"""Independent oracles for ch07: PyTorch's own layers (``F.layer_norm``, ``F.gelu(approximate="tanh")``,
``scaled_dot_product_attention``) on state dicts in the ``GPTModel`` layout, and Hugging Face's GPT-2
with kit code that maps its weights into that layout."""
from __future__ import annotations

import os
from functools import lru_cache

import torch
import torch.nn.functional as F

EPS = 1e-5


def gen(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


# ----------------------------------------------------------------- random weights, GPTModel layout
def _linear(g, d_in, d_out, bias, prefix, std=0.2):
    sd = {f"{prefix}.weight": torch.randn(d_out, d_in, generator=g) * std}
    if bias:
        sd[f"{prefix}.bias"] = torch.randn(d_out, generator=g) * 0.1
    return sd


def _norm(g, E, prefix):
    return {f"{prefix}.scale": 1 + 0.2 * torch.randn(E, generator=g), f"{prefix}.shift": 0.2 * torch.randn(E, generator=g)}


def ff_state(g, E, prefix=""):
    sd = _linear(g, E, 4 * E, True, prefix + "layers.0")
    sd.update(_linear(g, 4 * E, E, True, prefix + "layers.2"))
    return sd


def block_state(g, cfg, prefix=""):
    E = cfg["emb_dim"]
    sd = {}
    for name in ("W_query", "W_key", "W_value"):
        sd.update(_linear(g, E, E, cfg["qkv_bias"], f"{prefix}att.{name}", std=0.5))
    sd.update(_linear(g, E, E, True, f"{prefix}att.out_proj"))
    sd.update(ff_state(g, E, prefix + "ff."))
    sd.update(_norm(g, E, prefix + "norm1"))
    sd.update(_norm(g, E, prefix + "norm2"))
    return sd


def gpt_state(g, cfg):
    E, V = cfg["emb_dim"], cfg["vocab_size"]
    sd = {"tok_emb.weight": torch.randn(V, E, generator=g), "pos_emb.weight": torch.randn(cfg["context_length"], E, generator=g)}
    for i in range(cfg["n_layers"]):
        sd.update(block_state(g, cfg, f"trf_blocks.{i}."))
    sd.update(_norm(g, E, "final_norm"))
    sd["out_head.weight"] = torch.randn(V, E, generator=g) * 0.2
    return sd


# ----------------------------------------------------------------- oracles (float64)
def _lin(x, sd, prefix):
    b = sd.get(f"{prefix}.bias")
    return F.linear(x, sd[f"{prefix}.weight"].double(), None if b is None else b.double())


def layer_norm_oracle(x, scale, shift):
    return F.layer_norm(x.double(), (x.shape[-1],), scale.double(), shift.double(), eps=EPS)


def ff_oracle(sd, x, prefix=""):
    h = F.gelu(_lin(x.double(), sd, prefix + "layers.0"), approximate="tanh")
    return _lin(h, sd, prefix + "layers.2")


def mha_oracle(sd, x, n_heads, prefix):
    q, k, v = (_lin(x, sd, f"{prefix}{n}") for n in ("W_query", "W_key", "W_value"))
    b, T, d = q.shape
    split = lambda t: t.reshape(b, T, n_heads, d // n_heads).permute(0, 2, 1, 3)  # noqa: E731
    ctx = F.scaled_dot_product_attention(split(q), split(k), split(v), is_causal=True)
    return _lin(ctx.permute(0, 2, 1, 3).reshape(b, T, d), sd, f"{prefix}out_proj")


def block_oracle(sd, x, cfg, prefix=""):
    x = x.double()
    ln = lambda t, n: layer_norm_oracle(t, sd[f"{prefix}{n}.scale"], sd[f"{prefix}{n}.shift"])  # noqa: E731
    x = x + mha_oracle(sd, ln(x, "norm1"), cfg["n_heads"], prefix + "att.")
    return x + ff_oracle(sd, ln(x, "norm2"), prefix + "ff.")


def gpt_oracle(sd, idx, cfg):
    T = idx.shape[1]
    x = sd["tok_emb.weight"].double()[idx] + sd["pos_emb.weight"].double()[:T]
    for i in range(cfg["n_layers"]):
        x = block_oracle(sd, x, cfg, f"trf_blocks.{i}.")
    x = layer_norm_oracle(x, sd["final_norm.scale"], sd["final_norm.shift"])
    return F.linear(x, sd["out_head.weight"].double())


# ----------------------------------------------------------------- Hugging Face GPT-2
@lru_cache(maxsize=2)
def hf_gpt2(vocab_size=512, n_positions=64, n_embd=64, n_layer=2, n_head=4, seed=0):
    """A small random ``GPT2LMHeadModel`` (eval mode, no downloads) with non-trivial biases and norms."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers import GPT2Config, GPT2LMHeadModel
    from transformers.utils import logging

    logging.set_verbosity_error()
    config = GPT2Config(vocab_size=vocab_size, n_positions=n_positions, n_embd=n_embd, n_layer=n_layer, n_head=n_head,
                        activation_function="gelu_new", layer_norm_epsilon=EPS, resid_pdrop=0.0, embd_pdrop=0.0,
                        attn_pdrop=0.0, bos_token_id=0, eos_token_id=0)
    torch.manual_seed(seed)
    model = GPT2LMHeadModel(config).eval()
    g = gen(seed + 1)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith(("wte.weight", "wpe.weight")):
                p.copy_(torch.randn(p.shape, generator=g))
            elif ".ln_" in name and name.endswith("weight"):
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.15 * torch.randn(p.shape, generator=g))
    return model


def hf_to_gptmodel(model) -> tuple[dict, dict]:
    """``(cfg, state_dict)``: the ``GPTModel`` configuration and weights equal to a HF ``GPT2LMHeadModel``.

    HF's ``Conv1D`` stores weights as ``(in, out)``, so they are transposed; ``c_attn`` holds the
    query, key and value projections side by side; ``lm_head`` is tied to ``wte``.
    """
    c = model.config
    E = c.n_embd
    hf = {k: v.detach().clone() for k, v in model.state_dict().items()}
    t = lambda k: hf[f"transformer.{k}"]  # noqa: E731
    sd = {"tok_emb.weight": t("wte.weight"), "pos_emb.weight": t("wpe.weight")}
    for i in range(c.n_layer):
        h, b = f"h.{i}.", f"trf_blocks.{i}."
        qw, kw, vw = t(h + "attn.c_attn.weight").split(E, dim=1)
        qb, kb, vb = t(h + "attn.c_attn.bias").split(E)
        for name, w, bias in (("W_query", qw, qb), ("W_key", kw, kb), ("W_value", vw, vb)):
            sd[f"{b}att.{name}.weight"] = w.T.contiguous()
            sd[f"{b}att.{name}.bias"] = bias.contiguous()
        sd[f"{b}att.out_proj.weight"] = t(h + "attn.c_proj.weight").T.contiguous()
        sd[f"{b}att.out_proj.bias"] = t(h + "attn.c_proj.bias")
        sd[f"{b}ff.layers.0.weight"] = t(h + "mlp.c_fc.weight").T.contiguous()
        sd[f"{b}ff.layers.0.bias"] = t(h + "mlp.c_fc.bias")
        sd[f"{b}ff.layers.2.weight"] = t(h + "mlp.c_proj.weight").T.contiguous()
        sd[f"{b}ff.layers.2.bias"] = t(h + "mlp.c_proj.bias")
        sd[f"{b}norm1.scale"], sd[f"{b}norm1.shift"] = t(h + "ln_1.weight"), t(h + "ln_1.bias")
        sd[f"{b}norm2.scale"], sd[f"{b}norm2.shift"] = t(h + "ln_2.weight"), t(h + "ln_2.bias")
    sd["final_norm.scale"], sd["final_norm.shift"] = t("ln_f.weight"), t("ln_f.bias")
    sd["out_head.weight"] = hf["lm_head.weight"]
    cfg = {"vocab_size": c.vocab_size, "context_length": c.n_positions, "emb_dim": E, "n_heads": c.n_head,
           "n_layers": c.n_layer, "drop_rate": 0.1, "qkv_bias": True}
    return cfg, sd


def hf_logits(model, idx):
    with torch.no_grad():
        return model(input_ids=idx).logits


def hf_greedy(model, idx, max_new_tokens, context_size):
    for _ in range(max_new_tokens):
        logits = hf_logits(model, idx[:, -context_size:])[:, -1, :]
        idx = torch.cat([idx, logits.argmax(dim=-1, keepdim=True)], dim=1)
    return idx
