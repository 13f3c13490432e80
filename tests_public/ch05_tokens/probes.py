"""Probes for ch05_tokens: call the implementation, return plain data. No expected values here."""
from __future__ import annotations


class CharTokenizer:
    """A kit tokenizer for dataset checks: one id per character (``ord``), tiktoken's encode signature."""

    def encode(self, text, allowed_special=frozenset()):
        return [ord(c) for c in text]


def _tokenizer(name):
    if name == "chars":
        return CharTokenizer()
    from ch05_tokens.tokenizer import gpt2_tokenizer

    return gpt2_tokenizer()


def tokenize_many(texts):
    from ch05_tokens.tokenizer import tokenize

    return [list(tokenize(t)) for t in texts]


def vocab_of(tokens):
    from ch05_tokens.tokenizer import build_vocab

    return {str(k): int(v) for k, v in build_vocab(list(tokens)).items()}


def _encode_all(tokenizer, texts):
    out = []
    for text in texts:
        try:
            out.append({"ids": [int(i) for i in tokenizer.encode(text)]})
        except KeyError:
            out.append({"raised": "KeyError"})
    return out


def encode_v1(vocab, texts):
    from ch05_tokens.tokenizer import SimpleTokenizerV1

    return _encode_all(SimpleTokenizerV1(dict(vocab)), texts)


def encode_v2(vocab, texts):
    from ch05_tokens.tokenizer import SimpleTokenizerV2

    return _encode_all(SimpleTokenizerV2(dict(vocab)), texts)


def decode_v1(vocab, id_lists):
    from ch05_tokens.tokenizer import SimpleTokenizerV1

    tok = SimpleTokenizerV1(dict(vocab))
    return [str(tok.decode(list(ids))) for ids in id_lists]


def decode_v2(vocab, id_lists):
    from ch05_tokens.tokenizer import SimpleTokenizerV2

    tok = SimpleTokenizerV2(dict(vocab))
    return [str(tok.decode(list(ids))) for ids in id_lists]


def dataset_windows(text, tokenizer, max_length, stride):
    """``GPTDatasetV1`` as lists: its length, every (input, target) pair, and the attribute lengths."""
    from ch05_tokens.dataset import GPTDatasetV1

    ds = GPTDatasetV1(text, _tokenizer(tokenizer), max_length, stride)
    pairs = [ds[i] for i in range(len(ds))]
    return {
        "len": len(ds),
        "inputs": [[int(v) for v in x.tolist()] for x, _ in pairs],
        "targets": [[int(v) for v in y.tolist()] for _, y in pairs],
        "attr_lengths": [len(ds.input_ids), len(ds.target_ids)],
        "dtypes": sorted({str(x.dtype) for x, _ in pairs} | {str(y.dtype) for _, y in pairs}),
    }


def dataloader_batches(text, batch_size, max_length, stride, shuffle=False, drop_last=True, seed=None):
    """Every batch of ``create_dataloader_v1`` (``torch.manual_seed(seed)`` first when given)."""
    import torch

    from ch05_tokens.dataset import create_dataloader_v1

    if seed is not None:
        torch.manual_seed(seed)
    loader = create_dataloader_v1(text, batch_size=batch_size, max_length=max_length, stride=stride,
                                  shuffle=shuffle, drop_last=drop_last, num_workers=0)
    return [{"inputs": x.clone(), "targets": y.clone()} for x, y in loader]


def embedding_forward(vocab_size, context_length, emb_dim, seed, ids):
    """``GPTEmbedding`` seeded with ``seed``, applied to ``ids`` (a ``(batch, T)`` tensor)."""
    import torch

    from ch05_tokens.embeddings import GPTEmbedding

    torch.manual_seed(seed)
    module = GPTEmbedding(vocab_size, context_length, emb_dim)
    with torch.no_grad():
        return module(ids).detach().clone()
