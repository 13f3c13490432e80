"""Hidden probes for ch11_pytorch_primer: the public probes, plus the graded circle-classifier run."""
from __future__ import annotations

import torch
from torch import nn

from tests_public.ch11_pytorch_primer.probes import *  # noqa: F401,F403 — the grader ships both modules
from tests_public.torch_helpers import state as _state

CIRCLE_RUN = {"n_samples": 200, "epochs": 1000, "lr": 0.1, "threads": 1}  # the graded circle-classifier run


def circle_run(seed, n_samples, epochs, lr, threads=0):
    """The student's circle pipeline: data (seed), ``SimpleNN`` (seed), ``train_full_batch`` with ``BCELoss``.

    Returns the trained weights and the losses; the check evaluates the weights on its own data.
    """
    from ch11_pytorch_primer.primer import SimpleNN, make_circle_data, train_full_batch

    previous = torch.get_num_threads()
    if threads:
        torch.set_num_threads(int(threads))
    try:
        data, labels = make_circle_data(n_samples, seed)
        torch.manual_seed(seed)
        model = SimpleNN()
        losses = train_full_batch(model, data, labels, nn.BCELoss(), epochs, lr)
    finally:
        torch.set_num_threads(previous)
    return {"state": _state(model), "losses": [float(v) for v in losses]}
