"""Hidden probes for ch09_classify: the public probes, plus classification with given weights and the
small-device fine-tuning run."""
from __future__ import annotations

import torch

from tests_public.ch09_classify.probes import *  # noqa: F401,F403 — the grader ships both modules
from tests_public.ch09_classify.probes import ByteTokenizer, kit
from tests_public.torch_helpers import load_state as _load

# The run's settings (tests_hidden/ch09_classify/test_training_run.py sets the threshold from them).
RUN = {"epochs": 2, "batch_size": 8, "lr": 5e-4, "eval_freq": 50, "eval_iter": 5}


def classify_with_weights(cfg, state_dict, texts, max_length, pad_token_id=0):
    """``classify_review`` with the kit's GPTModel carrying a two-class head and the given weights."""
    from ch09_classify.classify import classify_review

    model = kit("tinygpt").GPTModel(dict(cfg))
    model.out_head = torch.nn.Linear(cfg["emb_dim"], 2)
    _load(model, state_dict)
    return [classify_review(t, model, ByteTokenizer(), torch.device("cpu"), max_length=max_length,
                            pad_token_id=pad_token_id) for t in texts]


def finetune_run(seed, threads=0, epochs=2, batch_size=8, lr=5e-4, eval_freq=50, eval_iter=5):
    """The kit's pretrained tiny GPT fine-tuned on the kit's generated SMS messages with the student's
    ``SpamDataset``, ``add_classification_head`` and ``train_classifier_simple`` (kit's AdamW).

    Returns the fine-tuned weights (no mask buffers), the training ``max_length``, the student's lists
    and the time taken. The test messages are not here: the check scores the weights on its own.
    """
    import contextlib
    import io
    import time

    import pandas as pd
    import torch
    from torch.utils.data import DataLoader

    from ch09_classify.classify import SpamDataset, add_classification_head, train_classifier_simple

    start, cpu_start = time.perf_counter(), time.process_time()
    if threads:
        torch.set_num_threads(threads)
    df = kit("sms").generate_sms_spam()
    spam = df[df["Label"] == "spam"]
    data = pd.concat([df[df["Label"] == "ham"].sample(len(spam), random_state=seed), spam])
    data = data.sample(frac=1, random_state=seed).reset_index(drop=True)
    n_val = len(data) // 8
    tokenizer = kit("tinygpt").gpt2_encoding()
    train_set = SpamDataset(data[n_val:].reset_index(drop=True), tokenizer)
    val_set = SpamDataset(data[:n_val].reset_index(drop=True), tokenizer, max_length=train_set.max_length)
    torch.manual_seed(seed)
    model = kit("tinygpt").load_pretrained_tiny_gpt()
    model = add_classification_head(model, 2) or model
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True, drop_last=True,
                              generator=torch.Generator().manual_seed(seed))
    val_loader = DataLoader(val_set, batch_size=batch_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.1)
    with contextlib.redirect_stdout(io.StringIO()):
        lists = train_classifier_simple(model, train_loader, val_loader, optimizer, torch.device("cpu"), epochs,
                                        eval_freq, eval_iter)
    state = {k: v.detach().clone() for k, v in model.state_dict().items() if k.split(".")[-1] != "mask"}
    return {"state": state, "max_length": int(train_set.max_length), "val_accs": [float(a) for a in lists[3]],
            "seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu_start}
