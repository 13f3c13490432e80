"""Pretraining on unlabelled text (book ch. 5): the loss, the training loop, decoding with temperature
and top-k, checkpoints, and OpenAI's GPT-2 weights.

    python -m ch08_pretrain.train                  # pretrain the tiny GPT on the book's / the kit's text
    make run MOD=ch08_pretrain.train ARGS="--epochs 10 --seed 123"

The program trains ``GPTModel(GPT_CONFIG_TINY)`` with YOUR ``train_model_simple`` (progress bar),
saves a checkpoint with YOUR ``save_checkpoint`` and plots the train / validation loss against the
tokens seen into ``outputs/`` (the book's figure 5.12). ``ch08_pretrain.generate`` samples from it.
"""
from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path
from typing import Optional

import torch
from torch import nn

from ch08_pretrain.previous_chapters import GPTModel, create_dataloader_v1, generate_text_simple, gpt2_tokenizer

# A GPT small enough to pretrain on two CPU cores in about a minute (book-like: GPT-2's vocabulary,
# a short context, a few layers).
GPT_CONFIG_TINY = {
    "vocab_size": 50257,
    "context_length": 64,
    "emb_dim": 64,
    "n_heads": 4,
    "n_layers": 2,
    "drop_rate": 0.1,
    "qkv_bias": False,
}


# ----------------------------------------------------------------------------------------- 8.1 text <-> ids
def text_to_token_ids(text: str, tokenizer) -> torch.Tensor:
    """``(1, n)`` tensor of the ids of ``text`` (``tokenizer.encode(text, allowed_special={"<|endoftext|>"})``)."""
    # TODO 8.1: encode 时传 allowed_special={"<|endoftext|>"}，torch.tensor(ids).unsqueeze(0) 加上批量维；解码时 squeeze(0)，再把 .tolist() 交给 decode
    #   encode with allowed_special={"<|endoftext|>"}, torch.tensor(ids).unsqueeze(0) adds the batch dimension; to decode, squeeze(0), then decode(.tolist())
    raise NotImplementedError("TODO 8.1: text_to_token_ids")


def token_ids_to_text(token_ids: torch.Tensor, tokenizer) -> str:
    """The text of a ``(1, n)`` (or ``(n,)``) tensor of ids: ``tokenizer.decode`` of the flattened list."""
    # TODO 8.1: encode 时传 allowed_special={"<|endoftext|>"}，torch.tensor(ids).unsqueeze(0) 加上批量维；解码时 squeeze(0)，再把 .tolist() 交给 decode
    #   encode with allowed_special={"<|endoftext|>"}, torch.tensor(ids).unsqueeze(0) adds the batch dimension; to decode, squeeze(0), then decode(.tolist())
    raise NotImplementedError("TODO 8.1: token_ids_to_text")


# ----------------------------------------------------------------------------------------- 8.2-8.4 the loss
def calc_loss_batch(input_batch: torch.Tensor, target_batch: torch.Tensor, model: nn.Module,
                    device: torch.device | str) -> torch.Tensor:
    """Mean cross-entropy of ``model(input_batch)`` against ``target_batch`` over every position
    (both moved to ``device``): logits ``(b, T, V)`` flattened to ``(b*T, V)``, targets to ``(b*T,)``."""
    # TODO 8.2: 两个张量都 .to(device)；logits.flatten(0, 1) 与 target.flatten() 交给 torch.nn.functional.cross_entropy
    #   move both to device; pass logits.flatten(0, 1) and targets.flatten() to torch.nn.functional.cross_entropy
    raise NotImplementedError("TODO 8.2: calc_loss_batch")


def calc_loss_loader(data_loader, model: nn.Module, device: torch.device | str,
                     num_batches: Optional[int] = None) -> float:
    """The mean of ``calc_loss_batch`` over the first ``min(num_batches, len(data_loader))`` batches
    (all of them when ``num_batches`` is ``None``), as a float; ``nan`` for an empty loader."""
    # TODO 8.3: 空 loader 返回 float("nan")；num_batches = min(num_batches, len(loader))；累加 loss.item()，到数量就 break，最后除以 num_batches
    #   empty loader -> float("nan"); num_batches = min(num_batches, len(loader)); sum loss.item(), break when done, divide by num_batches
    raise NotImplementedError("TODO 8.3: calc_loss_loader")


def evaluate_model(model: nn.Module, train_loader, val_loader, device: torch.device | str,
                   eval_iter: int) -> tuple[float, float]:
    """``(train_loss, val_loss)``: ``calc_loss_loader`` on ``eval_iter`` batches of each loader, in eval
    mode and without gradients; the model is back in train mode afterwards."""
    # TODO 8.4: model.eval() + torch.no_grad() 里对两个 loader 各算 calc_loss_loader(..., num_batches=eval_iter)，最后 model.train()
    #   model.eval() and torch.no_grad(), calc_loss_loader(..., num_batches=eval_iter) on each loader, then model.train()
    raise NotImplementedError("TODO 8.4: evaluate_model")


def generate_and_print_sample(model: nn.Module, tokenizer, device: torch.device | str, start_context: str,
                              max_new_tokens: int = 50) -> str:
    """Print (and return) a greedy continuation of ``start_context`` on one line; leaves train mode on."""
    model.eval()
    context_size = model.pos_emb.weight.shape[0]
    encoded = text_to_token_ids(start_context, tokenizer).to(device)
    with torch.no_grad():
        token_ids = generate_text_simple(model, encoded, max_new_tokens, context_size)
    text = token_ids_to_text(token_ids, tokenizer).replace("\n", " ")
    print(text)
    model.train()
    return text


# ----------------------------------------------------------------------------------------- 8.5 the loop
def train_model_simple(model: nn.Module, train_loader, val_loader, optimizer: torch.optim.Optimizer,
                       device: torch.device | str, num_epochs: int, eval_freq: int, eval_iter: int,
                       start_context: str, tokenizer) -> tuple[list[float], list[float], list[int]]:
    """The book's training loop (listing 5.3) -> ``(train_losses, val_losses, track_tokens_seen)``.

    Each epoch: ``model.train()``, then per batch ``optimizer.zero_grad()``, ``calc_loss_batch``,
    ``backward()``, ``optimizer.step()``; ``tokens_seen`` grows by the number of input tokens
    (``input_batch.numel()``) and ``global_step`` (starting at -1) by one. When
    ``global_step % eval_freq == 0``, ``evaluate_model(..., eval_iter)`` appends the two losses and
    ``tokens_seen``. After each epoch, ``generate_and_print_sample(model, tokenizer, device, start_context)``.
    """
    # TODO 8.5: tokens_seen 从 0、global_step 从 -1 开始；每批：zero_grad → loss → backward → step → tokens_seen += input_batch.numel() → global_step += 1 → 若 global_step % eval_freq == 0 就评估并记录；每轮结束打印一段样例
    #   tokens_seen starts at 0, global_step at -1; per batch: zero_grad -> loss -> backward -> step -> tokens_seen += input_batch.numel() -> global_step += 1 -> evaluate and record when global_step % eval_freq == 0; print a sample after each epoch
    raise NotImplementedError("TODO 8.5: train_model_simple")


# ----------------------------------------------------------------------------------------- 8.6 decoding
def generate(model: nn.Module, idx: torch.Tensor, max_new_tokens: int, context_size: int,
             temperature: float = 0.0, top_k: Optional[int] = None, eos_id: Optional[int] = None) -> torch.Tensor:
    """Extend ``idx`` (``(b, n)``) by up to ``max_new_tokens`` ids (book listing 5.4, per row).

    Each step: the logits of the last position for the last ``context_size`` ids (no gradients); with
    ``top_k``, logits below the k-th largest of their row become ``-inf`` (ties with it are kept);
    with ``temperature > 0``, ``torch.multinomial(softmax(logits / temperature), 1)``, else argmax.
    When the next id is ``eos_id`` (batch size 1), stop without appending it.
    """
    # TODO 8.6: 每行各自 topk：min_val = top_logits[:, -1:]（保持二维），logits < min_val 的设成 -inf；temperature > 0 时 softmax(logits / T) 再 torch.multinomial(probs, 1)，否则 argmax；遇到 eos_id 先 break 再拼接
    #   top-k per row: min_val = top_logits[:, -1:] (keep 2-D), logits < min_val become -inf; temperature > 0: softmax(logits / T) then torch.multinomial(probs, 1), else argmax; break on eos_id before appending
    raise NotImplementedError("TODO 8.6: generate")


# ----------------------------------------------------------------------------------------- 8.7 checkpoints
def save_checkpoint(path: str | Path, model: nn.Module, optimizer: Optional[torch.optim.Optimizer] = None) -> None:
    """Save ``model.state_dict()`` (and ``optimizer.state_dict()`` when given) to ``path``.

    No pickle: a safetensors file holds the tensors (``model.<name>``, ``optimizer.<param id>.<name>``);
    the optimizer's other values (``param_groups``, non-tensor state) go into its metadata as JSON.
    """
    # TODO 8.7: 用 safetensors.torch.save_file 存张量（先 .detach().clone().contiguous()）；优化器的 param_groups 等非张量部分 json.dumps 后放进 metadata
    #   safetensors.torch.save_file for the tensors (.detach().clone().contiguous() first); the optimizer's param_groups and other non-tensors as JSON in the metadata
    raise NotImplementedError("TODO 8.7: save_checkpoint")


def load_checkpoint(path: str | Path, model: nn.Module, optimizer: Optional[torch.optim.Optimizer] = None) -> nn.Module:
    """Load what ``save_checkpoint`` wrote into ``model`` (and ``optimizer`` when given); returns ``model``."""
    # TODO 8.7: 用 safetensors.torch.save_file 存张量（先 .detach().clone().contiguous()）；优化器的 param_groups 等非张量部分 json.dumps 后放进 metadata
    #   safetensors.torch.save_file for the tensors (.detach().clone().contiguous() first); the optimizer's param_groups and other non-tensors as JSON in the metadata
    raise NotImplementedError("TODO 8.7: load_checkpoint")


# ----------------------------------------------------------------------------------------- 8.8 GPT-2 weights
def load_gpt2_weights(model: nn.Module, state_dict: dict) -> nn.Module:
    """Fill a ``GPTModel`` (``qkv_bias=True``) from a Hugging Face GPT-2 state dict; returns ``model``.

    Keys (an optional ``transformer.`` prefix is ignored): ``wte.weight``, ``wpe.weight``, per block
    ``h.{i}.ln_1``, ``attn.c_attn`` (query, key, value side by side), ``attn.c_proj``, ``ln_2``,
    ``mlp.c_fc``, ``mlp.c_proj`` (weights and biases), then ``ln_f``. GPT-2's ``Conv1D`` stores
    weights as ``(in, out)``, so they are transposed into ``nn.Linear``'s ``(out, in)``; ``out_head``
    gets ``wte``'s weights (tied). A shape that does not fit raises ``ValueError``.
    """
    # TODO 8.8: c_attn 的权重 (E, 3E) 沿最后一维 split 成 q、k、v，再 .T；所有 Conv1D 权重都要转置；LayerNorm 的 weight/bias 对应 scale/shift；out_head 用 wte 的权重
    #   split c_attn's (E, 3E) weight along the last dim into q, k, v, then .T; transpose every Conv1D weight; LayerNorm weight/bias -> scale/shift; out_head takes wte's weights
    raise NotImplementedError("TODO 8.8: load_gpt2_weights")


# ----------------------------------------------------------------------------------------- the program
def split_text(text: str, train_ratio: float = 0.9) -> tuple[str, str]:
    """The book's split: the first ``train_ratio`` of the characters for training, the rest for validation."""
    split = int(train_ratio * len(text))
    return text[:split], text[split:]


def make_loaders(text: str, cfg: dict, batch_size: int = 2, seed: int = 123, train_ratio: float = 0.9):
    """Book-style loaders (stride = context length): shuffled training windows, ordered validation windows."""
    train_text, val_text = split_text(text, train_ratio)
    n = cfg["context_length"]
    train_loader = create_dataloader_v1(train_text, batch_size=batch_size, max_length=n, stride=n, shuffle=True,
                                        drop_last=True, generator=torch.Generator().manual_seed(seed))
    val_loader = create_dataloader_v1(val_text, batch_size=batch_size, max_length=n, stride=n, shuffle=False,
                                      drop_last=False)
    return train_loader, val_loader


def plot_losses(tokens_seen: list[int], train_losses: list[float], val_losses: list[float], path: str | Path) -> Path:
    """The book's figure: training and validation loss against the number of tokens seen."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(tokens_seen, train_losses, label="training loss")
    ax.plot(tokens_seen, val_losses, linestyle="-.", label="validation loss")
    ax.set_xlabel("tokens seen")
    ax.set_ylabel("loss")
    ax.legend(loc="upper right")
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def main(argv: Optional[list[str]] = None) -> int:
    import argparse

    from tqdm import tqdm

    from kitdata.text import load_the_verdict

    parser = argparse.ArgumentParser(description="pretrain the tiny GPT with your train_model_simple")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=2)
    parser.add_argument("--lr", type=float, default=4e-4)
    parser.add_argument("--weight-decay", type=float, default=0.1)
    parser.add_argument("--eval-freq", type=int, default=5)
    parser.add_argument("--eval-iter", type=int, default=5)
    parser.add_argument("--seed", type=int, default=123)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    parser.add_argument("--start-context", default="Every effort moves you")
    parser.add_argument("--out", default="outputs")
    args = parser.parse_args(argv)

    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    text = load_the_verdict()
    tokenizer = gpt2_tokenizer()
    train_loader, val_loader = make_loaders(text, GPT_CONFIG_TINY, args.batch_size, args.seed)
    print(f"{len(text):,} characters, {len(tokenizer.encode(text)):,} tokens; "
          f"{len(train_loader)} training / {len(val_loader)} validation batches")
    torch.manual_seed(args.seed)
    model = GPTModel(GPT_CONFIG_TINY).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    bar = tqdm(total=args.epochs * len(train_loader), desc="training / 训练", unit="step")
    hook = optimizer.register_step_post_hook(lambda *_: bar.update(1))
    start = time.perf_counter()
    try:
        train_losses, val_losses, tokens_seen = train_model_simple(
            model, train_loader, val_loader, optimizer, device, args.epochs, args.eval_freq, args.eval_iter,
            args.start_context, tokenizer)
    finally:
        hook.remove()
        bar.close()
    seconds = time.perf_counter() - start
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    checkpoint = out / "ch08_tiny_gpt.safetensors"
    save_checkpoint(checkpoint, model, optimizer)
    figure = plot_losses(tokens_seen, train_losses, val_losses, out / "ch08_loss.png")
    final = val_losses[-1] if val_losses else math.nan
    print(f"{seconds:.0f}s; final validation loss / 最终验证损失 {final:.3f} (perplexity {math.exp(final):.1f})")
    print(f"checkpoint / 检查点: {checkpoint}\nfigure / 图: {figure}")
    print(f'try / 试试: make run MOD=ch08_pretrain.generate ARGS=\'"{args.start_context}" --weights {checkpoint}\'')
    return 0


if __name__ == "__main__":
    sys.exit(main())
