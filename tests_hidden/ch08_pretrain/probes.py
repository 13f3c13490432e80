"""Hidden probes for ch08_pretrain: the public probes, plus ids back to text, generation with GPT-2's
weights, and the small-device pretraining run."""
from __future__ import annotations

from tests_public.ch08_pretrain.probes import *  # noqa: F401,F403 — the grader ships both modules
from tests_public.ch08_pretrain.probes import _tokenizer
from tests_public.torch_helpers import state as _state


def ids_text(id_tensors):
    """``token_ids_to_text`` of given id tensors."""
    from ch08_pretrain.train import token_ids_to_text

    tokenizer = _tokenizer()
    return [token_ids_to_text(ids, tokenizer) for ids in id_tensors]


def gpt2_generate(cfg, hf_state, prompt, max_new_tokens):
    """``load_gpt2_weights`` then greedy ``generate`` (temperature 0, eval mode)."""
    import torch

    from ch08_pretrain.previous_chapters import GPTModel
    from ch08_pretrain.train import generate, load_gpt2_weights

    torch.manual_seed(0)
    model = GPTModel(dict(cfg))
    load_gpt2_weights(model, hf_state)
    model.eval()
    return generate(model, prompt, max_new_tokens, cfg["context_length"]).detach().clone()


def pretrain_run(cfg, seed, epochs, batch_size, lr, eval_freq, eval_iter, threads=0):
    """The student's ``train_model_simple`` pretrains ``GPTModel(cfg)`` on the kit's corpus (90 % / 10 %
    split, AdamW): the trained weights, the three lists and the CPU seconds. Nothing is evaluated here."""
    import contextlib
    import io
    import time

    import torch

    from ch08_pretrain.previous_chapters import GPTModel
    from ch08_pretrain.train import make_loaders, train_model_simple
    from kitdata.text import load_corpus

    previous = torch.get_num_threads()
    if threads:
        torch.set_num_threads(int(threads))
    try:
        train_loader, val_loader = make_loaders(load_corpus(), cfg, batch_size, seed)
        torch.manual_seed(seed)
        model = GPTModel(dict(cfg))
        optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.1)
        start = time.process_time()
        with contextlib.redirect_stdout(io.StringIO()):
            train_losses, val_losses, tokens_seen = train_model_simple(
                model, train_loader, val_loader, optimizer, "cpu", epochs, eval_freq, eval_iter,
                "Every effort moves you", _tokenizer())
        return {"state": _state(model), "train_losses": [float(v) for v in train_losses],
                "val_losses": [float(v) for v in val_losses], "tokens_seen": [int(v) for v in tokens_seen],
                "cpu_seconds": time.process_time() - start}
    finally:
        torch.set_num_threads(previous)
