"""Public tests for ch05_tokens: the book's examples (ch. 2), on the kit's own text."""
import pytest
import torch

from grader.harness import check

from . import probes as P
from .texts import document

SPECIALS = ["<|endoftext|>", "<|unk|>"]


def small_vocab(words):
    return {w: i for i, w in enumerate(sorted(set(words)) + SPECIALS)}


@pytest.mark.task("5.1")
def test_tokenize_book_example(run):
    texts = ["Hello, world. Is this-- a test?"]
    check.cases([check.call("tokenize", t) for t in texts], run(P.tokenize_many, texts),
                [["Hello", ",", "world", ".", "Is", "this", "--", "a", "test", "?"]])


@pytest.mark.task("5.2")
def test_build_vocab_small(run):
    words = ["the", "cat", "sat", "on", "the", "mat", "."]
    want = {".": 0, "cat": 1, "mat": 2, "on": 3, "sat": 4, "the": 5, "<|endoftext|>": 6, "<|unk|>": 7}
    check.cases([check.call("build_vocab", words)], [run(P.vocab_of, words)], [want])


@pytest.mark.task("5.3")
def test_simple_tokenizer_v1_roundtrip(run, ref):
    story = document(0)
    vocab = small_vocab(ref(P.tokenize_many, [story])[0])
    sentence = '"Nobody reads those books," said the inspector.'
    got = run(P.encode_v1, vocab, [sentence, "Hello, do you like tea?"])
    want_ids = [vocab[t] for t in ['"', "Nobody", "reads", "those", "books", ",", '"', "said", "the", "inspector", "."]]
    tok = "SimpleTokenizerV1(vocab of the first story)"
    check.cases([f"{tok}.encode({sentence!r})", f"{tok}.encode('Hello, do you like tea?') raises (unknown word 'Hello')"],
                [got[0].get("ids", got[0].get("raised")), got[1].get("raised", got[1].get("ids"))], [want_ids, "KeyError"])
    check.cases([f"{tok}.decode({want_ids})"], run(P.decode_v1, vocab, [want_ids]), ['" Nobody reads those books," said the inspector.'])


@pytest.mark.task("5.4")
def test_simple_tokenizer_v2_unknown_words(run):
    vocab = small_vocab(["do", "you", "like", "tea", "?", ",", ".", "In", "the", "sunlit", "terraces", "of"])
    text = "Hello, do you like tea? <|endoftext|> In the sunlit terraces of the palace."
    got = run(P.encode_v2, vocab, [text])
    want = [vocab[t] for t in ["<|unk|>", ",", "do", "you", "like", "tea", "?", "<|endoftext|>", "In", "the",
                               "sunlit", "terraces", "of", "the", "<|unk|>", "."]]
    tok = f"SimpleTokenizerV2({vocab})"
    check.cases([f"{tok}.encode({text!r})"], [got[0].get("ids", got[0].get("raised"))], [want])
    check.cases([f"{tok}.decode({want})"], run(P.decode_v2, vocab, [want]),
                ["<|unk|>, do you like tea? <|endoftext|> In the sunlit terraces of the <|unk|>."])


@pytest.mark.task("5.5")
def test_dataset_windows_book_settings(run, ref):
    plain = document(2)[:600]
    joined = document(2)[:200] + " <|endoftext|> " + document(3)[:200]  # the special token is allowed
    texts = [plain, joined]
    check.cases([f"GPTDatasetV1(text, tiktoken gpt2, max_length=4, stride=1), text = {t[:40]!r}... ({len(t)} characters)"
                 for t in texts],
                [run(P.dataset_windows, t, "gpt2", 4, 1) for t in texts], [ref(P.dataset_windows, t, "gpt2", 4, 1) for t in texts])


@pytest.mark.task("5.6")
def test_dataloader_first_batches(run, ref):
    text = document(0)[:2000]
    settings = [(8, 4, 4, True), (32, 4, 4, False)]  # drop_last=False keeps the last, shorter batch
    got = [run(P.dataloader_batches, text, b, m, s, False, d) for b, m, s, d in settings]
    want = [ref(P.dataloader_batches, text, b, m, s, False, d) for b, m, s, d in settings]
    calls = [f"create_dataloader_v1(text, batch_size={b}, max_length={m}, stride={s}, shuffle=False, drop_last={d})"
             for b, m, s, d in settings]
    check.cases([f"{c}: number of batches" for c in calls], [len(g) for g in got], [len(w) for w in want])
    check.cases([f"{c}: batch {i}" for c in calls for i in (0, 1, -1)],
                [[b["inputs"], b["targets"]] for g in got for b in (g[0], g[1], g[-1])],
                [[b["inputs"], b["targets"]] for w in want for b in (w[0], w[1], w[-1])])


@pytest.mark.task("5.7")
def test_gpt_embedding_shapes_and_values(run, ref):
    ids = torch.tensor([[40, 367, 2885, 1464], [1807, 3619, 402, 271]])
    check.cases([f"torch.manual_seed(123); GPTEmbedding(5000, 8, 16)({ids.tolist()})"], [run(P.embedding_forward, 5000, 8, 16, 123, ids)],
                [ref(P.embedding_forward, 5000, 8, 16, 123, ids)], check.close, atol=1e-6, rtol=0)
