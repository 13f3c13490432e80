"""Probes for ch08_pretrain: call the implementation, return plain data. No expected values here.

Models are the chapter's given ``GPTModel`` with weights passed in as plain dicts of tensors; data
loaders are built here from plain tensors; "models" with fixed logits stand in where sampling is checked.
"""
from __future__ import annotations

from tests_public.torch_helpers import load_state as _load, state as _state, watch as _watch


class StubModel:
    """A kit stand-in "model": the last position's logits are ``logits`` (one row per batch row), fixed."""

    def __init__(self, logits):
        self.logits = logits
        self.inputs = []

    def __call__(self, idx):
        import torch

        self.inputs.append(idx.detach().clone())
        out = torch.zeros(idx.shape[0], idx.shape[1], self.logits.shape[-1])
        out[:, :-1] = -5.0 * torch.arange(self.logits.shape[-1]).float()  # only the last position is sensible
        out[:, -1] = self.logits
        return out

    def eval(self):
        return self

    def train(self, mode=True):
        return self


class CounterModel(StubModel):
    """Logits favour ``(last id + 1) % vocab``: greedy decoding counts upwards."""

    def __init__(self, vocab):
        import torch

        super().__init__(torch.zeros(1, vocab))

    def __call__(self, idx):
        import torch

        vocab = self.logits.shape[-1]
        self.logits = torch.nn.functional.one_hot((idx[:, -1] + 1) % vocab, vocab).float() * 3.0
        return super().__call__(idx)


def _tokenizer():
    from ch08_pretrain.previous_chapters import gpt2_tokenizer

    return gpt2_tokenizer()


def _model(cfg, state_dict, train=False):
    from ch08_pretrain.previous_chapters import GPTModel

    model = _load(GPTModel(dict(cfg)), state_dict)
    model.train(bool(train))
    return model


def _loader(inputs, targets, batch_size):
    from torch.utils.data import DataLoader, TensorDataset

    return DataLoader(TensorDataset(inputs, targets), batch_size=batch_size, shuffle=False)


def seeded_state(cfg, seed):
    """The weights of ``GPTModel(cfg)`` after ``torch.manual_seed(seed)`` (kit code, no student code)."""
    import torch

    from ch08_pretrain.previous_chapters import GPTModel

    torch.manual_seed(seed)
    return _state(GPTModel(dict(cfg)))


def corpus_text(start, stop):
    """Characters ``start:stop`` of the kit's corpus."""
    from kitdata.text import load_corpus

    return load_corpus()[start:stop]


# ----------------------------------------------------------------------------------------- 8.1
def text_ids(texts):
    """``text_to_token_ids`` of each text with GPT-2's tokenizer, and ``token_ids_to_text`` of the result."""
    from ch08_pretrain.train import text_to_token_ids, token_ids_to_text

    tokenizer = _tokenizer()
    out = []
    for text in texts:
        ids = text_to_token_ids(text, tokenizer)
        out.append({"ids": ids.detach().clone(), "text": token_ids_to_text(ids, tokenizer)})
    return out


# ----------------------------------------------------------------------------------------- 8.2-8.4
def loss_batch(cfg, state_dict, inputs, targets):
    """``calc_loss_batch`` in eval mode: the value, and whether it carries gradients."""
    from ch08_pretrain.train import calc_loss_batch

    loss = calc_loss_batch(inputs, targets, _model(cfg, state_dict), "cpu")
    return {"loss": float(loss.detach()), "shape": list(loss.shape), "requires_grad": bool(loss.requires_grad)}


def loss_loader(cfg, state_dict, inputs, targets, batch_size, num_batches):
    """``calc_loss_loader`` on a ``DataLoader`` over the given windows (in order), and how many forwards it ran."""
    from ch08_pretrain.train import calc_loss_loader

    model = _model(cfg, state_dict)
    log = []
    _watch(model, log)
    value = calc_loss_loader(_loader(inputs, targets, batch_size), model, "cpu", num_batches=num_batches)
    return {"loss": float(value), "forwards": len(log)}


def evaluate(cfg, state_dict, train_xy, val_xy, batch_size, eval_iter):
    """``evaluate_model`` on a model in train mode: the losses, the mode afterwards, the modes it ran in."""
    from ch08_pretrain.train import evaluate_model

    model = _model(cfg, state_dict, train=True)
    log = []
    _watch(model, log)
    losses = evaluate_model(model, _loader(*train_xy, batch_size), _loader(*val_xy, batch_size), "cpu", eval_iter)
    return {"losses": [float(v) for v in losses], "training_after": bool(model.training), "forwards": log}


# ----------------------------------------------------------------------------------------- 8.5
def train_run(cfg, seed, text, num_epochs, eval_freq, eval_iter, batch_size=2, lr=4e-4, start_context="Every effort",
              with_state=False):
    """``train_model_simple`` on ``GPTModel(cfg)`` (``torch.manual_seed(seed)``) with the kit's loaders and AdamW.

    Returns the three lists, the final weights (``with_state``), the modes of every forward, the mode
    afterwards and the printed lines; a hook records the gradient norm each ``optimizer.step()`` sees.
    """
    import contextlib
    import io

    import torch

    from ch08_pretrain.previous_chapters import GPTModel
    from ch08_pretrain.train import make_loaders, train_model_simple

    torch.manual_seed(seed)
    model = GPTModel(dict(cfg))
    train_loader, val_loader = make_loaders(text, cfg, batch_size, seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.1)
    grad_norms = []
    optimizer.register_step_pre_hook(lambda *_: grad_norms.append(
        float(torch.sqrt(sum((p.grad.double() ** 2).sum() for p in model.parameters() if p.grad is not None)))))
    log = []
    _watch(model, log)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        result = train_model_simple(model, train_loader, val_loader, optimizer, "cpu", num_epochs, eval_freq,
                                    eval_iter, start_context, _tokenizer())
    train_losses, val_losses, tokens_seen = result
    return {"train_losses": [float(v) for v in train_losses], "val_losses": [float(v) for v in val_losses],
            "tokens_seen": [int(v) for v in tokens_seen], "state": _state(model) if with_state else None, "forwards": log,
            "training_after": bool(model.training), "printed": printed.getvalue(), "grad_norms": grad_norms,
            "batches": len(train_loader), "batch_tokens": [int(x.numel()) for x, _ in train_loader]}


# ----------------------------------------------------------------------------------------- 8.6
def generate_fixed(logits, prompt, max_new_tokens, context_size=4, temperature=0.0, top_k=None, eos_id=None, seed=0):
    """``generate`` on a model whose last-position logits are ``logits`` (``(b, V)``), after ``torch.manual_seed(seed)``."""
    import torch

    from ch08_pretrain.train import generate

    torch.manual_seed(seed)
    model = StubModel(logits)
    out = generate(model, prompt, max_new_tokens, context_size, temperature=temperature, top_k=top_k, eos_id=eos_id)
    return {"out": out.detach().clone(), "input_shapes": [list(t.shape) for t in model.inputs]}


def generate_counter(prompt, max_new_tokens, context_size, vocab=50, temperature=0.0, top_k=None, eos_id=None, seed=0):
    """``generate`` on the counting model: ``{"out", "inputs"}``."""
    import torch

    from ch08_pretrain.train import generate

    torch.manual_seed(seed)
    model = CounterModel(vocab)
    out = generate(model, prompt, max_new_tokens, context_size, temperature=temperature, top_k=top_k, eos_id=eos_id)
    return {"out": out.detach().clone(), "inputs": model.inputs}


def generate_gpt(cfg, state_dict, prompt, max_new_tokens, temperature=0.0, top_k=None, eos_id=None, seed=123):
    """``generate`` with ``GPTModel(cfg)`` holding ``state_dict`` (eval mode), after ``torch.manual_seed(seed)``."""
    import torch

    from ch08_pretrain.train import generate

    model = _model(cfg, state_dict)
    torch.manual_seed(seed)
    out = generate(model, prompt, max_new_tokens, cfg["context_length"], temperature=temperature, top_k=top_k,
                   eos_id=eos_id)
    return out.detach().clone()


# ----------------------------------------------------------------------------------------- 8.7
def checkpoint_roundtrip(cfg, seed, inputs, targets, with_optimizer=True, lr=1e-3):
    """Train two AdamW steps, ``save_checkpoint``, ``load_checkpoint`` into a fresh model (other seed) and
    optimizer, then take one more step with each: the states before and after."""
    import os
    import tempfile

    import torch

    from ch08_pretrain.previous_chapters import GPTModel
    from ch08_pretrain.train import load_checkpoint, save_checkpoint

    def step(model, optimizer):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(inputs).flatten(0, 1), targets.flatten()).backward()
        optimizer.step()

    torch.manual_seed(seed)
    model = GPTModel(dict(cfg)).eval()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.1)
    for _ in range(2):
        step(model, optimizer)
    torch.manual_seed(seed + 1)
    fresh = GPTModel(dict(cfg)).eval()
    fresh_opt = torch.optim.AdamW(fresh.parameters(), lr=lr / 10, weight_decay=0.0)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "checkpoint.bin")
        save_checkpoint(path, model, optimizer if with_optimizer else None)
        with open(path, "rb") as handle:
            head = handle.read(8)
        load_checkpoint(path, fresh, fresh_opt if with_optimizer else None)
    loaded = _state(fresh)
    out = {"saved": _state(model), "loaded": loaded, "pickle": head[:1] == b"\x80" or head[:2] == b"PK"}
    if with_optimizer:
        step(model, optimizer)
        step(fresh, fresh_opt)
        out["next_original"] = _state(model)
        out["next_loaded"] = _state(fresh)
        out["lr_loaded"] = [g["lr"] for g in fresh_opt.param_groups]
    return out


# ----------------------------------------------------------------------------------------- 8.8
def gpt2_loaded(cfg, hf_state, batches):
    """``load_gpt2_weights`` into ``GPTModel(cfg)``: logits (eval) on each batch, and the loaded weights."""
    import torch

    from ch08_pretrain.previous_chapters import GPTModel
    from ch08_pretrain.train import load_gpt2_weights

    torch.manual_seed(0)
    model = GPTModel(dict(cfg))
    load_gpt2_weights(model, hf_state)
    model.eval()
    with torch.no_grad():
        logits = [model(idx).detach().clone() for idx in batches]
    return {"logits": logits, "state": _state(model)}
