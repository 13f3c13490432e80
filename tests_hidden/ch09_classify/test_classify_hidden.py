"""Hidden checks for ch09_classify: pandas oracles on fresh frames, exact padding and truncation,
the trainable parameter set, last-token logits, the loop against the reference, classify_review on
long texts. (The fine-tuning run is in test_training_run.py, after these fast checks.)"""
import math
import random

import pytest
import torch

from grader.harness import check
from tests_public.ch09_classify import oracles as O
from tests_hidden.ch09_classify import probes as P


def random_frame(seed: int, n: int, spam_share: float) -> dict:
    rng = random.Random(seed)
    words = ["call", "now", "free", "see", "you", "at", "6", "prize", "win", "lol", "ok", "home", "£100", "txt", "é"]
    labels = ["spam" if rng.random() < spam_share else "ham" for _ in range(n)]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))) for _ in range(n)]
    index = rng.sample(range(1000, 1000 + 5 * n), n)  # a non-default index, as after filtering a bigger frame
    return {"index": index, "Label": labels, "Text": texts}


# ----------------------------------------------------------------- 9.1 create_balanced_dataset
@pytest.mark.task("9.1")
@pytest.mark.parametrize("seed,n,share", [(1, 40, 0.2), (2, 101, 0.13), (3, 17, 0.45)])
def test_balanced_dataset_vs_pandas(run, seed, n, share):
    data = random_frame(seed, n, share)
    check.equal(run(P.balanced, data), O.balanced(data),
                what=f"create_balanced_dataset on {n} rows (rows, order and index vs the pandas oracle)")


# ----------------------------------------------------------------- 9.2 random_split
@pytest.mark.task("9.2")
@pytest.mark.parametrize("n,train_frac,validation_frac", [(37, 0.7, 0.1), (50, 0.5, 0.25), (9, 0.8, 0.2), (101, 0.6, 0.3)])
def test_random_split_vs_pandas(run, n, train_frac, validation_frac):
    data = random_frame(n, n, 0.5)
    got = run(P.split, data, train_frac, validation_frac)
    want = O.split(data, train_frac, validation_frac)
    check.equal([len(p["Text"]) for p in got], [len(p["Text"]) for p in want],
                what=f"split sizes for {n} rows ({train_frac} / {validation_frac}; int() of each share, rest is test)")
    for name, g, w in zip(("train", "validation", "test"), got, want):
        check.equal({"Label": g["Label"], "Text": g["Text"]}, w, what=f"{name} rows of {n} (random_state=123)")


# ----------------------------------------------------------------- 9.3 SpamDataset
def _encoded(texts, kind):
    return [list(t.encode()) if kind == "bytes" else P.tokenizer("gpt2").encode(t) for t in texts]


@pytest.mark.task("9.3")
@pytest.mark.parametrize("kind,max_length,pad", [("bytes", None, 50256), ("bytes", "longer", 0), ("bytes", "shorter", 7),
                                                 ("gpt2", None, 50256), ("gpt2", 4, 50256), ("gpt2", "longer", 50256)])
def test_spam_dataset_exact_padding(run, kind, max_length, pad):
    data = random_frame(11, 15, 0.3)
    encoded = _encoded(data["Text"], kind)
    longest = max(len(e) for e in encoded)
    limit = {"longer": longest + 5, "shorter": max(1, longest - 6)}.get(max_length, max_length)
    got = run(P.spam_dataset, data, kind, limit, pad)
    want, length = O.padded(encoded, limit, pad)
    check.equal(got["max_length"], length, what=f"SpamDataset.max_length (max_length={limit}, longest {longest})")
    check.equal([x.tolist() for x in got["ids"]], want, what=f"ids ({kind} tokens, max_length={limit}, pad {pad})")
    check.equal([int(y) for y in got["labels"]], O.labels(data["Label"]), what="labels (ham 0, spam 1)")


@pytest.mark.task("9.3")
def test_spam_dataset_reads_csv_with_numeric_labels(run):
    data = random_frame(12, 9, 0.5)
    data = {"Label": O.labels(data["Label"]), "Text": data["Text"]}
    got = run(P.spam_dataset, data, "bytes", None, 50256, True)
    want, _ = O.padded(_encoded(data["Text"], "bytes"), None, 50256)
    check.equal(got["len"], 9, what="len(SpamDataset) from a CSV path")
    check.equal([x.tolist() for x in got["ids"]], want, what="ids from a CSV path")
    check.equal([int(y) for y in got["labels"]], data["Label"], what="labels already 0/1 in the CSV")
    check.equal(got["dtypes"], ["torch.int64"], what="item dtypes (torch.long)")


# ----------------------------------------------------------------- 9.4 add_classification_head
@pytest.mark.task("9.4")
@pytest.mark.parametrize("n_layers,num_classes,head_seed", [(3, 2, 7), (1, 2, 123), (2, 3, 99)])
def test_classification_head_parameters(run, n_layers, num_classes, head_seed):
    cfg = dict(P.TINY, n_layers=n_layers)
    got = run(P.classification_head, cfg, 5, head_seed, num_classes)
    last = f"trf_blocks.{n_layers - 1}."
    body = [n for n in got["before"] if not n.startswith("out_head.")]
    want_trainable = sorted([n for n in body if n.startswith((last, "final_norm."))] + ["out_head.bias", "out_head.weight"])
    check.equal(got["trainable"], want_trainable, what=f"trainable parameter names ({n_layers} blocks)")
    check.equal(got["frozen"], sorted(n for n in body if n not in want_trainable), what="frozen parameter names")
    check.equal(got["head_type"], "Linear", what="type of out_head")
    torch.manual_seed(head_seed)
    head = torch.nn.Linear(cfg["emb_dim"], num_classes)
    check.close(got["params"]["out_head.weight"], head.weight.detach(), atol=0, rtol=0,
                what=f"out_head.weight ({num_classes} classes, caller's seed {head_seed})")
    check.close(got["params"]["out_head.bias"], head.bias.detach(), atol=0, rtol=0, what="out_head.bias")
    for name in body:
        check.equal(got["params"][name], got["before"][name], what=f"{name} unchanged by add_classification_head")
    check.that(got["returned_model"], {"zh": "add_classification_head 应原地修改并返回同一个模型",
                                       "en": "add_classification_head should change the model in place and return it"})


# ----------------------------------------------------------------- 9.5 calc_accuracy_loader
@pytest.mark.task("9.5")
@pytest.mark.parametrize("n,batch_size,num_batches,train_mode", [(13, 4, None, False), (13, 4, 2, False),
                                                                 (13, 4, 100, False), (9, 3, None, True), (5, 8, 1, False)])
def test_accuracy_vs_last_token_oracle(run, n, batch_size, num_batches, train_mode):
    ids = torch.randint(0, 250, (n, 5), generator=torch.Generator().manual_seed(n + batch_size))
    labels = torch.randint(0, 2, (n,), generator=torch.Generator().manual_seed(3))
    got = run(P.accuracy, ids, labels, batch_size, num_batches, train_mode)
    check.close(got["accuracy"], O.accuracy(ids, labels, batch_size, num_batches), atol=1e-9, rtol=0,
                what=f"calc_accuracy_loader ({n} examples, batch {batch_size}, num_batches={num_batches}"
                     + (", model handed over in train mode: evaluate in eval mode)" if train_mode else ")"))
    used = math.ceil(n / batch_size) if num_batches is None else min(num_batches, math.ceil(n / batch_size))
    check.equal(got["calls"], used, what="batches the model was run on")


@pytest.mark.task("9.5")
def test_accuracy_three_classes(run):
    ids = torch.randint(0, 250, (12, 4), generator=torch.Generator().manual_seed(21))
    labels = P.PositionModel.logits(ids, 3)[:, -1, :].argmax(-1)
    labels[::4] = (labels[::4] + 1) % 3
    got = run(P.accuracy, ids, labels, 5, None, False, 3)
    check.close(got["accuracy"], 9 / 12, atol=1e-9, rtol=0, what="calc_accuracy_loader with 3 classes (9 of 12 right)")


# ----------------------------------------------------------------- 9.6 calc_loss_batch
@pytest.mark.task("9.6")
@pytest.mark.parametrize("b,t,num_classes", [(1, 3, 2), (6, 9, 2), (5, 4, 3)])
def test_loss_batch_vs_torch(run, b, t, num_classes):
    g = torch.Generator().manual_seed(b * 10 + t)
    ids = torch.randint(0, 250, (b, t), generator=g)
    labels = torch.randint(0, num_classes, (b,), generator=g)
    got = run(P.loss_batch, ids, labels, num_classes)
    check.close(got["loss"], O.last_token_loss(ids, labels, num_classes), atol=1e-6, rtol=1e-6,
                what=f"calc_loss_batch ({b}x{t}, {num_classes} classes) vs F.cross_entropy(last token's logits)")
    scale = torch.ones(1, requires_grad=True)
    torch.nn.functional.cross_entropy(scale * P.PositionModel.logits(ids, num_classes)[:, -1, :], labels).backward()
    check.close(got["grad"], scale.grad, atol=1e-5, rtol=1e-5, what="the loss keeps its graph (gradient of the model's scale)")


# ----------------------------------------------------------------- 9.7 train_classifier_simple
@pytest.mark.task("9.7")
@pytest.mark.parametrize("seed,n_train,batch_size,epochs,eval_freq,eval_iter", [(1, 20, 3, 3, 1, 1), (2, 16, 8, 2, 5, 3)])
def test_train_loop_vs_reference(run, ref, seed, n_train, batch_size, epochs, eval_freq, eval_iter):
    args = (P.TINY, seed, n_train, 6, batch_size, epochs, eval_freq, eval_iter)
    got = run(P.train_loop, *args)
    steps = epochs * math.ceil(n_train / batch_size)
    check.equal(len(got["train_losses"]), O.eval_freq_count(steps, eval_freq), what=f"recorded losses ({steps} steps, eval_freq {eval_freq})")
    check.equal(len(got["val_losses"]), O.eval_freq_count(steps, eval_freq), what="recorded validation losses")
    check.equal([len(got["train_accs"]), len(got["val_accs"])], [epochs, epochs], what="accuracies recorded per epoch")
    check.equal(got["examples_seen"], epochs * n_train, what="examples_seen (the last batch is smaller)")
    want = ref(P.train_loop, *args)
    for key in ("train_losses", "val_losses", "train_accs", "val_accs"):
        check.close(got[key], want[key], atol=1e-4, rtol=1e-4, what=f"{key} vs the reference")
    for name in P.TRAINED_PARAMS:
        check.close(got["params"][name], want["params"][name], atol=1e-4, rtol=1e-4, what=f"{name} after training")


# ----------------------------------------------------------------- 9.8 classify_review
LONG = ("Congratulations! You have been selected for a free holiday for two. Call 09061701461 now to claim "
        "your prize before midnight, standard rates apply, reply STOP to opt out of further messages.")


@pytest.mark.task("9.8")
@pytest.mark.parametrize("kind,max_length,context", [("bytes", 30, 64), ("bytes", None, 40), ("gpt2", 12, 64),
                                                     ("gpt2", None, 16), ("gpt2", 50, 64), ("bytes", 64, 64)])
def test_classify_review_long_texts(run, kind, max_length, context):
    texts = [LONG, "ok see you at 6", LONG[::-1], "£500 voucher waiting"]
    got = run(P.classify_texts, texts, kind, max_length, context)
    want_ids = [O.review_ids(e, max_length, context) for e in _encoded(texts, kind)]
    check.equal([x.tolist() for x in got["inputs"]], [[ids] for ids in want_ids],
                what=f"ids the model got (max_length={max_length}, context {context})")
    check.equal(got["answers"], [O.review_answer(ids) for ids in want_ids], what="answers from the last position")
    check.that(not any(got["modes"]), {"zh": "classify_review 应在 eval 模式下运行模型（model.eval()）",
                                       "en": "classify_review should run the model in eval mode (model.eval())"})


@pytest.mark.task("9.8")
def test_classify_review_custom_pad(run):
    got = run(P.classify_texts, ["hi"], "bytes", 6, 64, 0)
    check.equal(got["inputs"][0].tolist(), [[104, 105, 0, 0, 0, 0]], what="padding with pad_token_id=0")


@pytest.mark.task("9.8")
def test_classify_review_with_a_gpt(run):
    torch.manual_seed(17)
    model = P.kit("tinygpt").GPTModel(P.TINY)
    model.out_head = torch.nn.Linear(P.TINY["emb_dim"], 2)
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    texts = [LONG[:k] for k in (5, 11, 23, 40)] + ["x" * 30]
    got = run(P.classify_with_weights, P.TINY, state, texts, 12)
    model.eval()
    want = []
    for text in texts:
        ids = O.review_ids(list(text.encode()), 12, P.TINY["context_length"], pad_token_id=0)
        want.append("spam" if int(model(torch.tensor([ids]))[0, -1].argmax()) == 1 else "not spam")
    check.equal(got, want, what="classify_review with a tiny GPTModel and a two-class head")
