"""Instruction fine-tuning of the kit's tiny pretrained GPT with YOUR dataset and collate function (book ch. 7).

    python -m ch10_instruct.finetune --epochs 2
    make run MOD=ch10_instruct.finetune ARGS="--epochs 2 --judge offline"

Splits the instruction data with your ``partition_data``, batches it with your ``InstructionDataset``
and ``custom_collate_fn``, fine-tunes the kit's tiny GPT (pretrained on the kit's corpus; the book
uses GPT-2 medium), plots the losses, answers the test instructions greedily, extracts the answers
with your ``extract_response``, writes them like the book's ``instruction-data-with-response.json``
and scores them with your ``score_responses`` and the chosen judge: ``--judge offline`` (word-overlap
F1, no server) or ``--judge ollama`` (your ``OllamaJudge``; needs ``ollama serve``).
Data: the kit's generated instruction set (default), or ``--data book`` for the book's
``instruction-data.json`` (downloaded and checksum-verified; needs ``KIT_OFFLINE=0``).
"""
from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from pathlib import Path
from typing import Optional

import torch
from torch.utils.data import DataLoader

from ch10_instruct.instruct import (RESPONSE_HEADER, InstructionDataset, OllamaError, OllamaJudge, OverlapJudge,
                                    custom_collate_fn, extract_response, format_input, partition_data, score_responses)
from ch10_instruct.previous_chapters import gpt2_tokenizer

EOS_ID = 50256


def batch_loss(model, inputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy over the target positions that are not ``-100``."""
    logits = model(inputs)
    return torch.nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten())


def loader_loss(model, loader: DataLoader, max_batches: Optional[int] = None) -> float:
    """Mean batch loss over the first ``max_batches`` batches (all when ``None``), eval mode, no gradients."""
    model.eval()
    losses = []
    with torch.no_grad():
        for i, (inputs, targets) in enumerate(loader):
            if max_batches is not None and i >= max_batches:
                break
            losses.append(batch_loss(model, inputs, targets).item())
    model.train()
    return sum(losses) / max(len(losses), 1)


def greedy_answer(model, ids: list[int], max_new_tokens: int, context_length: int) -> list[int]:
    """Greedy continuation of ``ids`` until ``<|endoftext|>`` or ``max_new_tokens`` (the prompt excluded)."""
    idx = torch.tensor([ids])
    new: list[int] = []
    with torch.no_grad():
        for _ in range(max_new_tokens):
            next_id = int(model(idx[:, -context_length:])[0, -1].argmax())
            if next_id == EOS_ID:
                break
            new.append(next_id)
            idx = torch.cat([idx, torch.tensor([[next_id]])], dim=1)
    return new


def finetune(args: argparse.Namespace) -> dict:
    """Train, answer the test set, score; returns losses, entries with responses and scores."""
    from tqdm import tqdm

    from kitdata.instructions import generate_instructions, load_instruction_data
    from kitdata.tinygpt import TINY_GPT_CONFIG, load_pretrained_tiny_gpt

    torch.set_num_threads(args.threads)
    data = load_instruction_data() if args.data == "book" else generate_instructions()
    train_data, test_data, val_data = partition_data(data)
    print(f"train / 训练 {len(train_data)}, validation / 验证 {len(val_data)}, test / 测试 {len(test_data)}")
    tokenizer = gpt2_tokenizer()
    context = TINY_GPT_CONFIG["context_length"]
    collate = functools.partial(custom_collate_fn, allowed_max_length=context, device="cpu")
    torch.manual_seed(args.seed)
    train_loader = DataLoader(InstructionDataset(train_data, tokenizer), batch_size=args.batch_size, shuffle=True,
                              drop_last=True, collate_fn=collate)
    val_loader = DataLoader(InstructionDataset(val_data, tokenizer), batch_size=args.batch_size, collate_fn=collate)
    model = load_pretrained_tiny_gpt()
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.1)
    history = {"step": [], "train": [], "val": []}
    start = time.perf_counter()
    step = 0
    for epoch in range(args.epochs):
        bar = tqdm(train_loader, desc=f"epoch {epoch + 1}/{args.epochs}", unit="batch")
        for inputs, targets in bar:
            optimizer.zero_grad()
            loss = batch_loss(model, inputs, targets)
            loss.backward()
            optimizer.step()
            step += 1
            if step % args.eval_freq == 0:
                history["step"].append(step)
                history["train"].append(loader_loss(model, train_loader, args.eval_iter))
                history["val"].append(loader_loss(model, val_loader, args.eval_iter))
                bar.set_postfix(train=f"{history['train'][-1]:.3f}", val=f"{history['val'][-1]:.3f}")
    seconds = time.perf_counter() - start
    print(f"training / 训练用时: {seconds:.1f} s; validation loss / 验证损失: {loader_loss(model, val_loader):.3f}")

    model.eval()
    answered = []
    for entry in tqdm(test_data[:args.limit], desc="answering / 生成回答", unit="entry"):
        prompt = format_input(entry) + RESPONSE_HEADER
        ids = tokenizer.encode(prompt)
        new_ids = greedy_answer(model, ids, args.max_new_tokens, context)
        generated = tokenizer.decode(ids + new_ids)
        answered.append(dict(entry, model_response=extract_response(generated, format_input(entry))))
    judge = OllamaJudge(args.ollama_model, args.ollama_host) if args.judge == "ollama" else OverlapJudge()
    scores = score_responses(answered, judge)
    return {"history": history, "entries": answered, "scores": scores, "seconds": seconds}


def plot_losses(history: dict, path: Path) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(history["step"], history["train"], label="training loss / 训练损失")
    ax.plot(history["step"], history["val"], linestyle="-.", label="validation loss / 验证损失")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="instruction fine-tuning with your dataset and collate function")
    parser.add_argument("--data", choices=("kit", "book"), default="kit")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=123)
    parser.add_argument("--eval-freq", type=int, default=20)
    parser.add_argument("--eval-iter", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="answer only the first N test entries")
    parser.add_argument("--max-new-tokens", type=int, default=32)
    parser.add_argument("--judge", choices=("offline", "ollama"), default="offline")
    parser.add_argument("--ollama-model", default="llama3")
    parser.add_argument("--ollama-host", default="http://localhost:11434")
    parser.add_argument("--out", type=Path, default=Path("outputs") / "ch10_instruct")
    args = parser.parse_args(argv)
    try:
        result = finetune(args)
    except NotImplementedError as exc:
        print(f"先完成 / finish first: {exc}")
        return 1
    except OllamaError as exc:
        print(exc)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    plot_losses(result["history"], args.out / "loss.png")
    responses = args.out / "instruction-data-with-response.json"
    responses.write_text(json.dumps(result["entries"], indent=4, ensure_ascii=False), encoding="utf-8")
    for entry in result["entries"][:3]:
        print("-" * 60)
        print(format_input(entry))
        print(f"\nCorrect response / 参考答案:\n>> {entry['output']}")
        print(f"\nModel response / 模型回答:\n>> {entry['model_response']}")
    scores = result["scores"]
    print("-" * 60)
    print(f"judge / 评分器: {args.judge}; scored / 已评分 {len(scores)} of {len(result['entries'])}; "
          f"average score / 平均分: {sum(scores) / max(len(scores), 1):.1f}")
    print(f"saved / 已保存: {args.out / 'loss.png'}, {responses}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
