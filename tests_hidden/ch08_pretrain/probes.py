"""Hidden probes for ch08_pretrain: the public ones, plus the small-device pretraining run."""
from tests_public.ch08_pretrain.probes import *  # noqa: F401,F403 — the grader ships both modules
from tests_public.ch08_pretrain.probes import _state, _tokenizer


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
