"""Hidden probes for ch05_tokens: the public probes, plus the embedding layer's parameters and given weights."""
from __future__ import annotations

from tests_public.ch05_tokens.probes import *  # noqa: F401,F403 — the grader ships both modules
from tests_public.torch_helpers import params as _params


def embedding_params(vocab_size, context_length, emb_dim, seed):
    """The parameters of ``GPTEmbedding`` built right after ``torch.manual_seed(seed)``."""
    import torch

    from ch05_tokens.embeddings import GPTEmbedding

    torch.manual_seed(seed)
    module = GPTEmbedding(vocab_size, context_length, emb_dim)
    return _params(module)


def embedding_with_weights(vocab_size, context_length, emb_dim, tok_weight, pos_weight, ids):
    """``GPTEmbedding`` with the given weights loaded, applied to ``ids``."""
    import torch

    from ch05_tokens.embeddings import GPTEmbedding

    module = GPTEmbedding(vocab_size, context_length, emb_dim)
    module.load_state_dict({"tok_emb.weight": tok_weight, "pos_emb.weight": pos_weight})
    with torch.no_grad():
        out = module(ids)
    return {"out": out.detach().clone(), "types": [type(module.tok_emb).__name__, type(module.pos_emb).__name__]}
