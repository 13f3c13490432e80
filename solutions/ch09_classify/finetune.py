"""Fine-tune the kit's pretrained tiny GPT as a spam classifier with YOUR code (book ch. 6).

    python -m ch09_classify.finetune
    make run MOD=ch09_classify.finetune ARGS="--epochs 5"

Loads the SMS messages (the real UCI SMS Spam Collection when it can be had — its first download
needs ``--trust-new`` or ``KIT_TRUST_NEW=1`` — else the kit's generated set), balances and splits them
with your ``create_balanced_dataset`` / ``random_split`` (CSV files as in the book), builds your
``SpamDataset``s, puts your classification head on the kit's tiny GPT (pretrained on the kit corpus,
see ``kitdata.tinygpt``), trains it with your ``train_classifier_simple``, prints the accuracies, saves
loss and accuracy plots, and classifies a few messages with your ``classify_review``.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Optional

import torch
from torch.utils.data import DataLoader

from ch09_classify.classify import (SpamDataset, add_classification_head, calc_accuracy_loader, classify_review,
                                    create_balanced_dataset, random_split, train_classifier_simple)

EXAMPLES = [
    "You are a winner you have been specially selected to receive $1000 cash or a $2000 award.",
    "Hey, just wanted to check if we're still on for dinner tonight? Let me know!",
]


def plot_values(epochs_seen, examples_seen, train_values, val_values, label: str, path: Path) -> Path:
    """The book's plot: training and validation ``label`` over epochs, examples seen on a second x-axis."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax1 = plt.subplots(figsize=(5, 3))
    ax1.plot(epochs_seen, train_values, label=f"Training {label}")
    ax1.plot(epochs_seen, val_values, linestyle="-.", label=f"Validation {label}")
    ax1.set_xlabel("Epochs")
    ax1.set_ylabel(label.capitalize())
    ax1.legend()
    ax2 = ax1.twiny()
    ax2.plot(examples_seen, train_values, alpha=0)  # invisible: only aligns the second axis
    ax2.set_xlabel("Examples seen")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def main(argv: Optional[list[str]] = None) -> int:
    from tqdm import tqdm

    from kitdata.sms import load_sms_spam
    from kitdata.tinygpt import gpt2_encoding, load_pretrained_tiny_gpt

    parser = argparse.ArgumentParser(description="fine-tune the kit's tiny GPT as a spam classifier")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--lr", type=float, default=5e-4)
    parser.add_argument("--seed", type=int, default=123)
    parser.add_argument("--eval-freq", type=int, default=50)
    parser.add_argument("--eval-iter", type=int, default=5)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    parser.add_argument("--offline", action="store_true", help="use the kit's generated messages even with a network")
    parser.add_argument("--trust-new", action="store_true", help="download the real set though its sha256 is not pinned yet")
    parser.add_argument("--out", default="outputs")
    args = parser.parse_args(argv)

    if args.threads:
        torch.set_num_threads(args.threads)
    out = Path(args.out) / "ch09_classify"
    out.mkdir(parents=True, exist_ok=True)
    df = load_sms_spam(offline=True if args.offline else None, trust_new=True if args.trust_new else None)
    print(f"messages / 短信: {len(df)}  ({df['Label'].value_counts().to_dict()})")
    balanced = create_balanced_dataset(df)
    balanced["Label"] = balanced["Label"].map({"ham": 0, "spam": 1})
    for name, part in zip(("train", "validation", "test"), random_split(balanced, 0.7, 0.1)):
        part.to_csv(out / f"{name}.csv", index=None)
    tokenizer = gpt2_encoding()
    train_set = SpamDataset(out / "train.csv", tokenizer)
    model = load_pretrained_tiny_gpt()
    context_length = model.pos_emb.weight.shape[0]
    if train_set.max_length > context_length:
        train_set = SpamDataset(out / "train.csv", tokenizer, max_length=context_length)
    val_set = SpamDataset(out / "validation.csv", tokenizer, max_length=train_set.max_length)
    test_set = SpamDataset(out / "test.csv", tokenizer, max_length=train_set.max_length)
    print(f"train / 训练 {len(train_set)}, validation / 验证 {len(val_set)}, test / 测试 {len(test_set)}; "
          f"max_length {train_set.max_length} tokens")

    torch.manual_seed(args.seed)
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, drop_last=True)
    val_loader = DataLoader(val_set, batch_size=args.batch_size)
    test_loader = DataLoader(test_set, batch_size=args.batch_size)
    add_classification_head(model, num_classes=2)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    print(f"trainable parameters / 可训练参数: {trainable:,} of {sum(p.numel() for p in model.parameters()):,}")
    device = torch.device("cpu")
    print(f"before fine-tuning / 微调前: validation accuracy {calc_accuracy_loader(val_loader, model, device):.2%}")

    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.1)
    start = time.perf_counter()
    bar = tqdm(total=args.epochs * len(train_loader), desc="fine-tuning / 微调", unit="batch")

    class _Counted:  # the student's loop sees a normal loader; the bar advances per batch
        def __iter__(self):
            for batch in train_loader:
                bar.update()
                yield batch

        def __len__(self):
            return len(train_loader)

    train_losses, val_losses, train_accs, val_accs, examples_seen = train_classifier_simple(
        model, _Counted(), val_loader, optimizer, device, num_epochs=args.epochs,
        eval_freq=args.eval_freq, eval_iter=args.eval_iter)
    bar.close()
    print(f"training took / 训练用时 {time.perf_counter() - start:.1f} s")

    for name, loader in (("train / 训练", train_loader), ("validation / 验证", val_loader), ("test / 测试", test_loader)):
        print(f"{name} accuracy / 准确率: {calc_accuracy_loader(loader, model, device):.2%}")
    saved = [plot_values(torch.linspace(0, args.epochs, len(train_losses)), torch.linspace(0, examples_seen, len(train_losses)),
                         train_losses, val_losses, "loss", out / "loss-plot.png"),
             plot_values(torch.linspace(0, args.epochs, len(train_accs)), torch.linspace(0, examples_seen, len(train_accs)),
                         train_accs, val_accs, "accuracy", out / "accuracy-plot.png")]
    print("saved / 已保存: " + ", ".join(str(p) for p in saved))

    print("examples / 示例:")
    names = {0: "not spam", 1: "spam"}
    samples = [(text, None) for text in EXAMPLES] + list(zip(test_set.data["Text"][:6], test_set.data["Label"][:6]))
    for text, label in samples:
        got = classify_review(text, model, tokenizer, device, max_length=train_set.max_length)
        truth = "" if label is None else f"  (label / 标签: {names[int(label)]})"
        print(f"  {got:>8} <- {text[:90]!r}{truth}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
