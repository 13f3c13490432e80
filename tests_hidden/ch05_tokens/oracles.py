"""Independent oracles for ch05 (a character scanner instead of the regex, plain lists instead of torch)."""
from __future__ import annotations

PUNCT = set(',.:;?_!"()\'')
NO_SPACE_BEFORE = set(',.?!"()\'')
SPECIALS = ["<|endoftext|>", "<|unk|>"]


def tokenize_oracle(text: str) -> list[str]:
    """Scan left to right: single punctuation marks and ``--`` are tokens, whitespace separates."""
    tokens: list[str] = []
    word = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if text.startswith("--", i):
            piece, step = "--", 2
        elif ch in PUNCT:
            piece, step = ch, 1
        elif ch.isspace():
            piece, step = None, 1
        else:
            word += ch
            i += 1
            continue
        if word:
            tokens.append(word)
            word = ""
        if piece:
            tokens.append(piece)
        i += step
    if word:
        tokens.append(word)
    return tokens


def vocab_oracle(tokens: list[str]) -> dict[str, int]:
    words = sorted({t for t in tokens if t not in SPECIALS})
    return {w: i for i, w in enumerate(words + SPECIALS)}


def decode_oracle(vocab: dict[str, int], ids: list[int]) -> str:
    inverse = {i: w for w, i in vocab.items()}
    out = ""
    for k, i in enumerate(ids):
        token = inverse[i]
        if k > 0 and token[0] not in NO_SPACE_BEFORE:
            out += " "
        out += token
    return out


def windows_oracle(ids: list[int], max_length: int, stride: int) -> tuple[list[list[int]], list[list[int]]]:
    inputs, targets = [], []
    start = 0
    while start + max_length < len(ids):
        inputs.append(ids[start:start + max_length])
        targets.append(ids[start + 1:start + 1 + max_length])
        start += stride
    return inputs, targets
