"""Hidden probes for ch10_instruct: the public probes, plus collating given batches, the offline and
Ollama judges, and the small-device fine-tuning run."""
from __future__ import annotations

import time

import torch

from tests_public.ch10_instruct.probes import *  # noqa: F401,F403 — the grader ships both modules
from tests_public.ch10_instruct.probes import _scored, fake_ollama
from tests_public.torch_helpers import kitdata_module, state as _state


def collate_many(batches, kwargs):
    from ch10_instruct.instruct import custom_collate_fn

    out = []
    for batch in batches:
        inputs, targets = custom_collate_fn([list(b) for b in batch], **kwargs)
        out.append([inputs, targets])
    return out


def overlap_judge(prompts):
    """The given offline judge's answers (kit code shipped in the chapter)."""
    from ch10_instruct.instruct import OverlapJudge

    return [OverlapJudge()(p) for p in prompts]


def ollama_scores(replies, entries):
    """``score_responses`` with an ``OllamaJudge`` talking to the fake server."""
    from ch10_instruct.instruct import OllamaJudge, score_responses

    with fake_ollama(replies) as (addr, server):
        judge = OllamaJudge(host=f"http://{addr}", timeout=10)
        result = _scored(lambda: score_responses([dict(e) for e in entries], judge))
        result["n_requests"] = len(server.requests)
        return result


def instruction_training_run(seed, threads=0, epochs=2, batch_size=8, lr=1e-3, weight_decay=0.1,
                             allowed_max_length=128, n_train=935):
    """Fine-tune the kit's tiny pretrained GPT on the first ``n_train`` entries of the kit's instruction
    set, batched by the student's ``InstructionDataset`` and ``custom_collate_fn`` (kit loop, AdamW);
    returns the fine-tuned weights (the check computes the held-out loss itself)."""
    from functools import partial

    from torch.utils.data import DataLoader

    from ch10_instruct.instruct import InstructionDataset, custom_collate_fn
    tinygpt = kitdata_module("tinygpt")
    generate_instructions = kitdata_module("instructions").generate_instructions
    previous = torch.get_num_threads()
    if threads:
        torch.set_num_threads(int(threads))
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        model = tinygpt.load_pretrained_tiny_gpt(0)
        model.train()
        torch.manual_seed(seed)
        dataset = InstructionDataset(generate_instructions()[:n_train], tinygpt.gpt2_encoding())
        loader = DataLoader(dataset, batch_size=batch_size, shuffle=True, drop_last=True,
                            generator=torch.Generator().manual_seed(seed),
                            collate_fn=partial(custom_collate_fn, allowed_max_length=allowed_max_length, device="cpu"))
        optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
        losses = []
        for _ in range(epochs):
            for inputs, targets in loader:
                optimizer.zero_grad()
                logits = model(inputs)
                loss = torch.nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten())
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
    finally:
        torch.set_num_threads(previous)
    return {"state": _state(model), "losses": losses, "seconds": time.perf_counter() - start,
            "cpu_seconds": time.process_time() - cpu_start}
