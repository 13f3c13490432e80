"""Hidden probes for ch07_gpt (the public probes cover every call)."""
from tests_public.ch07_gpt.probes import *  # noqa: F401,F403 — the grader ships both modules


def class_origins():
    """Where each graded class (and every class it inherits from, up to torch's) is defined."""
    from ch07_gpt import gpt

    out = {}
    for name in ("LayerNorm", "GELU", "FeedForward", "TransformerBlock", "GPTModel"):
        cls = getattr(gpt, name)
        out[name] = [c.__module__ for c in cls.__mro__ if not c.__module__.startswith(("torch", "builtins"))]
    return out
