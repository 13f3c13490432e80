"""Tokenizers: a regex word tokenizer, a vocabulary, two simple tokenizers, and GPT-2's BPE.

Book ch. 2.2-2.5. ``tokenize`` splits text into words and punctuation; ``build_vocab`` maps every
distinct token to an integer id; ``SimpleTokenizerV1`` / ``SimpleTokenizerV2`` turn text into ids
and back (V2 also copes with words it has never seen). ``gpt2_tokenizer()`` is given: GPT-2's
byte-pair encoding from ``tiktoken``.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

#: What ``tokenize`` splits on (the separators are kept as tokens, whitespace is dropped).
SPLIT_PATTERN = r'([,.:;?_!"()\']|--|\s)'
#: The two special tokens ``build_vocab`` appends, in this order.
SPECIAL_TOKENS = ["<|endoftext|>", "<|unk|>"]


def tokenize(text: str) -> list[str]:
    """Split ``text`` into word and punctuation tokens.

    Split on ``SPLIT_PATTERN`` with ``re.split`` (the parentheses keep the separators), strip every
    piece and drop the empty ones:
    ``tokenize("Hello, world. Is this-- a test?")`` ->
    ``['Hello', ',', 'world', '.', 'Is', 'this', '--', 'a', 'test', '?']``.
    """
    # TODO 5.1: 用 re.split(SPLIT_PATTERN, text) 切分，对每一段 strip()，丢掉空字符串
    #   re.split(SPLIT_PATTERN, text), strip() every piece, drop the empty strings
    raise NotImplementedError("TODO 5.1: tokenize")


def build_vocab(tokens: list[str]) -> dict[str, int]:
    """A vocabulary ``{token: id}``: the distinct tokens sorted, then ``<|endoftext|>`` and ``<|unk|>``.

    Ids are positions in that list: ``build_vocab(["b", "a", "b"])`` ->
    ``{"a": 0, "b": 1, "<|endoftext|>": 2, "<|unk|>": 3}``.
    """
    # TODO 5.2: sorted(set(tokens)) 后面追加两个特殊符号，再用 enumerate 编号
    #   sorted(set(tokens)), append the two special tokens, number them with enumerate
    raise NotImplementedError("TODO 5.2: build_vocab")


class SimpleTokenizerV1:
    """Text <-> ids with a fixed vocabulary; an unknown word raises ``KeyError`` (book listing 2.3)."""

    def __init__(self, vocab: dict[str, int]) -> None:
        self.str_to_int = dict(vocab)
        self.int_to_str = {i: s for s, i in vocab.items()}

    def encode(self, text: str) -> list[int]:
        """The ids of ``tokenize(text)``; a token missing from the vocabulary raises ``KeyError``."""
        # TODO 5.3: encode：tokenize 后逐个查 self.str_to_int（查不到就让 KeyError 抛出）；decode：空格连接后用正则去掉标点前的空格
        #   encode: tokenize, then look each token up in self.str_to_int (let KeyError escape); decode: join with spaces, then a regex removes the space before punctuation
        raise NotImplementedError("TODO 5.3: SimpleTokenizerV1.encode")

    def decode(self, ids: list[int]) -> str:
        """The tokens of ``ids`` joined by spaces, without the space before ``, . ? ! " ( ) '``."""
        # TODO 5.3: encode：tokenize 后逐个查 self.str_to_int（查不到就让 KeyError 抛出）；decode：空格连接后用正则去掉标点前的空格
        #   encode: tokenize, then look each token up in self.str_to_int (let KeyError escape); decode: join with spaces, then a regex removes the space before punctuation
        raise NotImplementedError("TODO 5.3: SimpleTokenizerV1.decode")


class SimpleTokenizerV2:
    """Like V1, but an unknown token becomes ``<|unk|>`` instead of raising (book listing 2.4)."""

    def __init__(self, vocab: dict[str, int]) -> None:
        self.str_to_int = dict(vocab)
        self.int_to_str = {i: s for s, i in vocab.items()}

    def encode(self, text: str) -> list[int]:
        """The ids of ``tokenize(text)``, with every unknown token replaced by ``<|unk|>``'s id."""
        # TODO 5.4: 不在词表里的 token 换成 "<|unk|>" 再查 id；decode 与 V1 相同
        #   replace tokens missing from the vocabulary by "<|unk|>" before the lookup; decode is the same as V1's
        raise NotImplementedError("TODO 5.4: SimpleTokenizerV2.encode")

    def decode(self, ids: list[int]) -> str:
        """The tokens of ``ids`` joined by spaces, without the space before ``, . ? ! " ( ) '``."""
        # TODO 5.4: 不在词表里的 token 换成 "<|unk|>" 再查 id；decode 与 V1 相同
        #   replace tokens missing from the vocabulary by "<|unk|>" before the lookup; decode is the same as V1's
        raise NotImplementedError("TODO 5.4: SimpleTokenizerV2.decode")


def _find_kit_cache() -> None:
    """If ``TIKTOKEN_CACHE_DIR`` is unset, use the kit's ``.cache/tiktoken`` when one is found above us."""
    if "TIKTOKEN_CACHE_DIR" in os.environ:
        return
    for parent in Path(__file__).resolve().parents:
        candidate = parent / ".cache" / "tiktoken"
        if candidate.is_dir():
            os.environ["TIKTOKEN_CACHE_DIR"] = str(candidate)
            return


def gpt2_tokenizer():
    """GPT-2's byte-pair encoding: ``tiktoken.get_encoding("r50k_base")`` (given, not a task).

    The same ranks and ids as tiktoken's ``"gpt2"``; ``<|endoftext|>`` is 50256. Online, tiktoken
    downloads the file once; offline, ``make setup`` puts it into the kit's ``.cache/tiktoken``
    (``scripts/fetch_gpt2_bpe.py``), which ``TIKTOKEN_CACHE_DIR`` points at.
    """
    import tiktoken

    _find_kit_cache()
    try:
        return tiktoken.get_encoding("r50k_base")
    except Exception as exc:  # no network and no cached file
        raise RuntimeError(
            "GPT-2 的 BPE 文件不可用：请先运行 `make setup`（或 python scripts/fetch_gpt2_bpe.py）。\n"
            "GPT-2's BPE file is not available: run `make setup` (or python scripts/fetch_gpt2_bpe.py) first. "
            f"({type(exc).__name__}: {exc})"
        ) from exc
