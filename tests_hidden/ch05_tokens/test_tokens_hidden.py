"""Hidden checks for ch05_tokens: independent oracles on fresh text, properties, GPT-2 ids, seeds."""
import random

import pytest
import tiktoken
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.harness import check
from tests_hidden.ch05_tokens import probes as P
from tests_public.ch05_tokens.texts import corpus, document

from .oracles import decode_oracle, tokenize_oracle, vocab_oracle, windows_oracle

FRESH = [
    "The otter -- sleek, quick and wet -- slid off the bank (again!) into the reeds.",
    'She asked: "Is it noon yet?" Nobody answered; the clock had stopped.',
    "Tom's box had holes_in_the_lid, and a hen named Mrs. Pickering inside it.",
    "  Leading and trailing   spaces\tand\ttabs\nand new lines  ",
    "Numbers like 3.14, 2,718 and 1--2 are split too!",
    "'Single quotes' and double--dashes---everywhere.",
    "",
]
PROPERTY = settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
CHARS = st.sampled_from(list("abcXYZ019 \t\n-,.:;?_!\"()'") + ["--", " <|endoftext|> "])


@pytest.mark.task("5.1")
def test_tokenize_fresh_sentences(run):
    check.equal(run(P.tokenize_many, FRESH), [tokenize_oracle(t) for t in FRESH], what="tokenize")


@pytest.mark.task("5.1")
@PROPERTY
@given(texts=st.lists(st.lists(CHARS, max_size=30).map("".join), min_size=10, max_size=20))
def test_tokenize_property(run, texts):
    check.equal(run(P.tokenize_many, texts), [tokenize_oracle(t) for t in texts], what="tokenize")


@pytest.mark.task("5.2")
def test_build_vocab_on_corpus(run):
    tokens = tokenize_oracle(corpus())
    got = run(P.vocab_of, tokens)
    check.equal(got, vocab_oracle(tokens), what="build_vocab")
    check.equal(sorted(got.values()), list(range(len(got))), what="build_vocab ids")


@pytest.mark.task("5.2")
def test_build_vocab_specials_last(run):
    tokens = ["zebra", "apple", "Zulu", "apple", ",", "--"]
    got = run(P.vocab_of, tokens)
    check.equal(got, vocab_oracle(tokens), what="build_vocab")


def _vocab_for(doc_indices, extra=""):
    return vocab_oracle([t for i in doc_indices for t in tokenize_oracle(document(i))] + tokenize_oracle(extra))


@pytest.mark.task("5.3")
def test_v1_encode_fresh_sentences(run):
    vocab = _vocab_for([0, 3])
    known = ["The light went out, and the rain came in.", '"Is that a cat?" she asked.', "He laughed -- but he did not take them."]
    got = run(P.encode_v1, vocab, known)
    check.equal(got, [{"ids": [vocab[t] for t in tokenize_oracle(s)]} for s in known], what="SimpleTokenizerV1.encode")


@pytest.mark.task("5.3")
def test_v1_raises_on_unknown_words(run):
    vocab = _vocab_for([0])
    unknown = ["The hen is asleep.", "Ada kept the light xylophone.", "quantum"]
    check.equal(run(P.encode_v1, vocab, unknown), [{"raised": "KeyError"}] * 3, what="SimpleTokenizerV1.encode (unknown words)")


@pytest.mark.task("5.3")
def test_v1_decode_spacing(run):
    sentence = '"Is that a cat?" she asked. (Yes!) It\'s -- not.'
    vocab = _vocab_for([0, 3], sentence)
    rng = random.Random(5)
    words = sorted(vocab)
    id_lists = [[vocab[rng.choice(words)] for _ in range(rng.randint(1, 25))] for _ in range(30)]
    id_lists.append([vocab[t] for t in tokenize_oracle(sentence)])
    check.equal(run(P.decode_v1, vocab, id_lists), [decode_oracle(vocab, ids) for ids in id_lists], what="SimpleTokenizerV1.decode")


@pytest.mark.task("5.4")
def test_v2_maps_unknown_words(run):
    vocab = _vocab_for([2])
    texts = ["The clock in the tower was a spaceship.", "Osric fixed the smartphone <|endoftext|> The sparrows slept.",
             "Completely unseen words here", "The tower clock kept perfect time."]
    unk = vocab["<|unk|>"]
    want = [{"ids": [vocab.get(t, unk) for t in tokenize_oracle(s)]} for s in texts]
    check.equal(run(P.encode_v2, vocab, texts), want, what="SimpleTokenizerV2.encode")


@pytest.mark.task("5.4")
def test_v2_decode_spacing_and_specials(run):
    vocab = _vocab_for([2, 4])
    rng = random.Random(11)
    words = sorted(vocab)
    id_lists = [[vocab[rng.choice(words)] for _ in range(rng.randint(1, 30))] for _ in range(30)]
    check.equal(run(P.decode_v2, vocab, id_lists), [decode_oracle(vocab, ids) for ids in id_lists], what="SimpleTokenizerV2.decode")


@pytest.mark.task("5.5")
@pytest.mark.parametrize("max_length,stride", [(4, 1), (4, 4), (5, 3), (8, 2), (3, 7), (1, 1)])
def test_dataset_windows_chars(run, max_length, stride):
    text = "Rivers meander; floods build plains. " * 2
    ids = [ord(c) for c in text]
    inputs, targets = windows_oracle(ids, max_length, stride)
    got = run(P.dataset_windows, text, "chars", max_length, stride)
    check.equal(got["len"], len(inputs), what=f"len(GPTDatasetV1) (max_length={max_length}, stride={stride})")
    check.equal(got["inputs"], inputs, what="GPTDatasetV1 inputs")
    check.equal(got["targets"], targets, what="GPTDatasetV1 targets (shifted by one)")
    check.equal(got["attr_lengths"], [len(inputs), len(inputs)], what="len(input_ids), len(target_ids)")


@pytest.mark.task("5.5")
def test_dataset_edge_lengths(run):
    for text, max_length in (("abc", 3), ("abcd", 3), ("ab", 5)):
        got = run(P.dataset_windows, text, "chars", max_length, 1)
        want, _ = windows_oracle([ord(c) for c in text], max_length, 1)
        check.equal(got["inputs"], want, what=f"GPTDatasetV1({text!r}, max_length={max_length})")


@pytest.mark.task("5.5")
def test_dataset_gpt2_ids_and_dtype(run):
    text = document(1)[:1500] + " <|endoftext|> " + document(5)[:800]
    ids = tiktoken.get_encoding("r50k_base").encode(text, allowed_special={"<|endoftext|>"})
    inputs, targets = windows_oracle(ids, 16, 5)
    got = run(P.dataset_windows, text, "gpt2", 16, 5)
    check.equal(got["inputs"], inputs, what="GPTDatasetV1 inputs (GPT-2 ids)")
    check.equal(got["targets"], targets, what="GPTDatasetV1 targets (GPT-2 ids)")
    check.equal(got["dtypes"], ["torch.int64"], what="GPTDatasetV1 tensor dtype")


BOOK_SENTENCE = "Hello, do you like tea? <|endoftext|> In the sunlit terraces of someunknownPlace."
BOOK_IDS = [15496, 11, 466, 345, 588, 8887, 30, 220, 50256, 554, 262, 4252, 18250, 8812, 2114, 286, 617, 34680, 27271, 13]


@pytest.mark.task("5.6")
def test_dataloader_gpt2_ids_book_sentence(run):
    got = run(P.dataloader_batches, BOOK_SENTENCE, 1, len(BOOK_IDS) - 1, 1, False, False)
    check.equal(len(got), 1, what="number of batches")
    check.equal(got[0]["inputs"].tolist(), [BOOK_IDS[:-1]], what="GPT-2 ids (the book's sentence)")
    check.equal(got[0]["targets"].tolist(), [BOOK_IDS[1:]], what="GPT-2 targets (the book's sentence)")


@pytest.mark.task("5.6")
@pytest.mark.parametrize("batch_size,max_length,stride,drop_last", [(4, 8, 8, True), (4, 8, 8, False), (4, 6, 2, False), (5, 16, 4, True)])
def test_dataloader_batches_tiktoken_oracle(run, batch_size, max_length, stride, drop_last):
    text = document(4)[:1800]
    ids = tiktoken.get_encoding("r50k_base").encode(text, allowed_special={"<|endoftext|>"})
    inputs, targets = windows_oracle(ids, max_length, stride)
    n_full = len(inputs) // batch_size
    assert drop_last or len(inputs) % batch_size, "kit: pick settings that leave a partial last batch"
    want_batches = n_full if drop_last else -(-len(inputs) // batch_size)
    got = run(P.dataloader_batches, text, batch_size, max_length, stride, False, drop_last)
    check.equal(len(got), want_batches, what=f"number of batches (drop_last={drop_last})")
    flat_in = [row for b in got for row in b["inputs"].tolist()]
    flat_tg = [row for b in got for row in b["targets"].tolist()]
    keep = n_full * batch_size if drop_last else len(inputs)
    check.equal(flat_in, inputs[:keep], what="batched inputs (shuffle=False)")
    check.equal(flat_tg, targets[:keep], what="batched targets (shuffle=False)")
    check.that(all(tuple(b["inputs"].shape)[1] == max_length for b in got),
               {"zh": "每个批次的第二维应为 max_length", "en": "every batch must have max_length columns"})


@pytest.mark.task("5.6")
def test_dataloader_shuffle_is_a_permutation(run, ref):
    text = document(3)[:1500]
    got = run(P.dataloader_batches, text, 4, 8, 8, True, True, 7)
    plain = run(P.dataloader_batches, text, 4, 8, 8, False, True)
    rows = sorted(tuple(r) for b in got for r in b["inputs"].tolist())
    check.equal(len(rows), sum(len(b["inputs"]) for b in plain), what="number of shuffled windows")
    check.that([r for b in got for r in b["inputs"].tolist()] != [r for b in plain for r in b["inputs"].tolist()],
               {"zh": "shuffle=True 时批次顺序应被打乱", "en": "shuffle=True must shuffle the windows"})
    check.equal(got, ref(P.dataloader_batches, text, 4, 8, 8, True, True, 7), what="shuffled batches (torch.manual_seed(7))")


@pytest.mark.task("5.7")
@pytest.mark.parametrize("seed", [0, 123])
def test_embedding_seeded_params(run, ref, seed):
    got = run(P.embedding_params, 300, 12, 8, seed)
    check.equal(sorted(got), ["pos_emb.weight", "tok_emb.weight"], what="GPTEmbedding parameter names")
    check.equal(got, ref(P.embedding_params, 300, 12, 8, seed), what="GPTEmbedding weights after torch.manual_seed (creation order)")


@pytest.mark.task("5.7")
@pytest.mark.parametrize("T", [1, 5, 12])
def test_embedding_forward_oracle(run, T):
    g = torch.Generator().manual_seed(T)
    tok = torch.randn(300, 8, generator=g)
    pos = torch.randn(12, 8, generator=g)
    ids = torch.randint(0, 300, (3, T), generator=g)
    got = run(P.embedding_with_weights, 300, 12, 8, tok, pos, ids)
    want = tok[ids] + pos[:T].unsqueeze(0)
    check.close(got["out"], want, atol=1e-6, rtol=0, what=f"GPTEmbedding forward (T={T})")
    check.equal(got["types"], ["Embedding", "Embedding"], what="tok_emb / pos_emb types")
