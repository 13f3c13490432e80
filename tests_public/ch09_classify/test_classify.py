"""Public tests for ch09_classify: the book's steps (ch. 6) on small inputs, one or more per task."""
import math

import pytest
import torch

from grader.harness import check

from . import oracles as O
from . import probes as P

SMALL = {"index": [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21],
         "Label": ["ham", "ham", "spam", "ham", "ham", "spam", "ham", "ham", "ham", "spam", "ham", "ham"],
         "Text": ["Ok see you at 6", "Running late sorry", "WIN a prize! Call now", "Can you get milk?",
                  "lol same", "FREE entry, text WIN to 80081", "Happy birthday!!", "Where are you?",
                  "Dinner is pasta", "URGENT! Claim your £500 voucher", "Got your keys", "Call me later x"]}


@pytest.mark.task("9.1")
def test_balanced_dataset_matches_pandas(run):
    got = run(P.balanced, SMALL)
    want = O.balanced(SMALL)
    check.equal(got["Label"].count("spam"), 3, what="spam rows kept (all of them)")
    check.equal(got["Label"].count("ham"), 3, what="ham rows (undersampled to the spam count)")
    check.equal(got, want, what="create_balanced_dataset vs df[ham].sample(n_spam, random_state=123) + spam")


@pytest.mark.task("9.2")
@pytest.mark.parametrize("copies,sizes", [(1, [8, 1, 3]), (2, [16, 2, 6])])
def test_random_split_matches_pandas(run, copies, sizes):
    data = {"Label": SMALL["Label"] * copies, "Text": [f"{t} ({k})" for k in range(copies) for t in SMALL["Text"]]}
    got = run(P.split, data, 0.7, 0.1)
    n = len(data["Text"])
    check.equal([len(part["Text"]) for part in got], sizes,
                what=f"split sizes for {n} rows, 0.7 / 0.1 (int() of each share; the rest is test)")
    want = O.split(data, 0.7, 0.1)
    for name, g, w in zip(("train", "validation", "test"), got, want):
        check.equal({"Label": g["Label"], "Text": g["Text"]}, w, what=f"{name} rows (shuffled with random_state=123)")


@pytest.mark.task("9.3")
@pytest.mark.parametrize("max_length", [None, 6])
def test_spam_dataset_pads_and_truncates(run, max_length):
    got = run(P.spam_dataset, SMALL, "bytes", max_length)
    encoded = [list(t.encode()) for t in SMALL["Text"]]
    want_ids, length = O.padded(encoded, max_length, 50256)
    check.equal(got["max_length"], length, what="SpamDataset.max_length")
    check.equal(got["len"], len(SMALL["Text"]), what="len(SpamDataset)")
    check.equal([ids.tolist() for ids in got["ids"]], want_ids, what="token ids (cut to max_length, padded right with 50256)")
    check.equal([int(y) for y in got["labels"]], O.labels(SMALL["Label"]), what="labels (ham 0, spam 1)")
    check.equal(got["dtypes"], ["torch.int64"], what="item dtypes")


@pytest.mark.task("9.4")
def test_classification_head_trainable_parameters(run):
    got = run(P.classification_head, P.TINY, 1, 42)
    last = P.TINY["n_layers"] - 1
    names = list(got["before"]) + ["out_head.bias"]
    want = sorted(n for n in names if n.startswith((f"trf_blocks.{last}.", "final_norm.", "out_head.")))
    check.equal(got["trainable"], want, what="trainable parameters (last block, final_norm, new out_head)")
    torch.manual_seed(42)
    head = torch.nn.Linear(P.TINY["emb_dim"], 2)
    check.close(got["params"]["out_head.weight"], head.weight.detach(), atol=0, rtol=0,
                what="out_head.weight (nn.Linear(E, 2) made right after the caller's torch.manual_seed(42))")
    check.close(got["params"]["out_head.bias"], head.bias.detach(), atol=0, rtol=0, what="out_head.bias")


@pytest.mark.task("9.5")
@pytest.mark.parametrize("num_batches,train_mode", [(None, False), (2, True)])
def test_accuracy_uses_last_token(run, num_batches, train_mode):
    ids = torch.randint(0, 200, (10, 7), generator=torch.Generator().manual_seed(5))
    labels = O.last_token_predictions(ids)
    labels[:3] = 1 - labels[:3]  # 7 of 10 right when the last token decides
    got = run(P.accuracy, ids, labels, 4, num_batches, train_mode)
    check.close(got["accuracy"], O.accuracy(ids, labels, 4, num_batches), atol=1e-9, rtol=0,
                what=f"calc_accuracy_loader (argmax of the last token's logits; num_batches={num_batches}"
                     + (", model handed over in train mode: evaluate in eval mode)" if train_mode else ")"))


@pytest.mark.task("9.6")
def test_loss_batch_uses_last_token(run):
    ids = torch.randint(0, 200, (4, 6), generator=torch.Generator().manual_seed(6))
    labels = torch.tensor([0, 1, 1, 0])
    got = run(P.loss_batch, ids, labels)
    check.equal(got["shape"], [], what="loss shape (a scalar)")
    check.close(got["loss"], O.last_token_loss(ids, labels), atol=1e-6, rtol=1e-6,
                what="calc_loss_batch (cross-entropy of the last token's logits)")


@pytest.mark.task("9.7")
def test_train_classifier_simple_lists(run, ref):
    args = (P.TINY, 0, 24, 8, 4, 2, 3, 2)  # cfg, seed, n_train, n_val, batch_size, epochs, eval_freq, eval_iter
    got = run(P.train_loop, *args)
    steps = 2 * math.ceil(24 / 4)
    check.equal(len(got["train_losses"]), O.eval_freq_count(steps, 3), what="number of recorded losses (steps 0, 3, 6, ...)")
    check.equal(len(got["train_accs"]), 2, what="number of recorded accuracies (one per epoch)")
    check.equal(got["examples_seen"], 2 * 24, what="examples_seen (examples, not batches)")
    want = ref(P.train_loop, *args)
    for key in ("train_losses", "val_losses", "train_accs", "val_accs"):
        check.close(got[key], want[key], atol=1e-4, rtol=1e-4, what=f"{key} vs the reference")


@pytest.mark.task("9.8")
@pytest.mark.parametrize("max_length,context", [(20, 64), (None, 16)])
def test_classify_review_cuts_pads_and_reads_the_last_token(run, max_length, context):
    texts = ["You have won a prize, call now!", "see you at the station at 6", "ok"]
    got = run(P.classify_texts, texts, "bytes", max_length, context)
    want_ids = [O.review_ids(list(t.encode()), max_length, context) for t in texts]
    how = "cut to 20, padded right to 20" if max_length else "cut to the context length 16, no padding"
    check.equal([x.tolist() for x in got["inputs"]], [[ids] for ids in want_ids],
                what=f"ids given to the model ({how}, a batch of one)")
    check.equal(got["answers"], [O.review_answer(ids) for ids in want_ids], what='answers ("spam" is class 1)')
