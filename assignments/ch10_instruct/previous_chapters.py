"""Given code from earlier chapters (like the book's ``previous_chapters.py``): ``gpt2_tokenizer``
from ch05_tokens, so this chapter works on its own. The model is the kit's tiny pretrained GPT
(:mod:`kitdata.tinygpt`)."""
from __future__ import annotations

import os
from pathlib import Path


def gpt2_tokenizer():
    """GPT-2's byte-pair encoding: ``tiktoken.get_encoding("r50k_base")`` (``<|endoftext|>`` = 50256).

    Offline, ``make setup`` puts the file into the kit's ``.cache/tiktoken`` (``TIKTOKEN_CACHE_DIR``).
    """
    import tiktoken

    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        for parent in Path(__file__).resolve().parents:
            if (parent / ".cache" / "tiktoken").is_dir():
                os.environ["TIKTOKEN_CACHE_DIR"] = str(parent / ".cache" / "tiktoken")
                break
    try:
        return tiktoken.get_encoding("r50k_base")
    except Exception as exc:
        raise RuntimeError(
            "GPT-2 的 BPE 文件不可用：请先运行 `make setup`（或 python scripts/fetch_gpt2_bpe.py）。\n"
            "GPT-2's BPE file is not available: run `make setup` (or python scripts/fetch_gpt2_bpe.py) first. "
            f"({type(exc).__name__}: {exc})"
        ) from exc
