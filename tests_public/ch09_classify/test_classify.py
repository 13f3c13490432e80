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


FRAME = "df = a DataFrame of 12 SMS rows (3 spam), index 10-21"
BYTES = "tokenizer a kit stand-in whose ids are a text's UTF-8 bytes"
POSITION = "model a kit stand-in whose logits for class c read the token ids at each position"


@pytest.mark.task("9.1")
def test_balanced_dataset_matches_pandas(run):
    got = run(P.balanced, SMALL)
    called = f"create_balanced_dataset(df), {FRAME}"
    check.cases([f"{called}: the spam rows kept (all of them)", f"{called}: the ham rows (undersampled to the spam count)",
                 f"{called} vs df[ham].sample(n_spam, random_state=123) + spam"],
                [got["Label"].count("spam"), got["Label"].count("ham"), got], [3, 3, O.balanced(SMALL)])


@pytest.mark.task("9.2")
@pytest.mark.parametrize("copies,sizes", [(1, [8, 1, 3]), (2, [16, 2, 6])])
def test_random_split_matches_pandas(run, copies, sizes):
    data = {"Label": SMALL["Label"] * copies, "Text": [f"{t} ({k})" for k in range(copies) for t in SMALL["Text"]]}
    got = run(P.split, data, 0.7, 0.1)
    n = len(data["Text"])
    called = f"train, validation, test = random_split(df, 0.7, 0.1), df a DataFrame of {n} SMS rows"
    check.cases([f"{called}: their lengths (int() of each share; the rest is test)"], [[len(part["Text"]) for part in got]],
                [sizes])
    check.cases([f"{called}: the {name} rows (shuffled with random_state=123)" for name in ("train", "validation", "test")],
                [{"Label": g["Label"], "Text": g["Text"]} for g in got], O.split(data, 0.7, 0.1))


@pytest.mark.task("9.3")
@pytest.mark.parametrize("max_length", [None, 6])
def test_spam_dataset_pads_and_truncates(run, max_length):
    got = run(P.spam_dataset, SMALL, "bytes", max_length)
    encoded = [list(t.encode()) for t in SMALL["Text"]]
    want_ids, length = O.padded(encoded, max_length, 50256)
    args = "" if max_length is None else f", max_length={max_length}"
    called = f"dataset = SpamDataset(df, tokenizer{args}), {FRAME}, {BYTES}"
    check.cases([f"{called}: dataset.max_length", f"{called}: len(dataset)",
                 f"{called}: the token ids of each item (cut to max_length, padded right with 50256)",
                 f"{called}: the label of each item (ham 0, spam 1)", f"{called}: the dtypes of the items"],
                [got["max_length"], got["len"], [ids.tolist() for ids in got["ids"]], [int(y) for y in got["labels"]],
                 got["dtypes"]],
                [length, len(SMALL["Text"]), want_ids, O.labels(SMALL["Label"]), ["torch.int64"]])


@pytest.mark.task("9.4")
def test_classification_head_trainable_parameters(run):
    got = run(P.classification_head, P.TINY, 1, 42)
    last = P.TINY["n_layers"] - 1
    names = list(got["before"]) + ["out_head.bias"]
    want = sorted(n for n in names if n.startswith((f"trf_blocks.{last}.", "final_norm.", "out_head.")))
    called = "model = GPTModel(TINY) after torch.manual_seed(1); torch.manual_seed(42); add_classification_head(model, 2)"
    check.cases([f"{called}: the trainable parameters (last block, final_norm, new out_head)"], [got["trainable"]], [want])
    torch.manual_seed(42)
    head = torch.nn.Linear(P.TINY["emb_dim"], 2)
    check.cases([f"{called}: model.out_head.weight (nn.Linear(E, 2) made right after the caller's torch.manual_seed(42))",
                 f"{called}: model.out_head.bias"], [got["params"]["out_head.weight"], got["params"]["out_head.bias"]],
                [head.weight.detach(), head.bias.detach()], check.close, atol=0, rtol=0)


@pytest.mark.task("9.5")
@pytest.mark.parametrize("num_batches,train_mode", [(None, False), (2, True)])
def test_accuracy_uses_last_token(run, num_batches, train_mode):
    ids = torch.randint(0, 200, (10, 7), generator=torch.Generator().manual_seed(5))
    labels = O.last_token_predictions(ids)
    labels[:3] = 1 - labels[:3]  # 7 of 10 right when the last token decides
    got = run(P.accuracy, ids, labels, 4, num_batches, train_mode)
    called = (f"calc_accuracy_loader(loader, model, 'cpu', num_batches={num_batches}), loader of 10 rows of 7 random ids in "
              f"batches of 4, {POSITION} (argmax of the last token's logits"
              + ("; model handed over in train mode: evaluate in eval mode)" if train_mode else ")"))
    check.cases([called], [got["accuracy"]], [O.accuracy(ids, labels, 4, num_batches)], check.close, atol=1e-9, rtol=0)


@pytest.mark.task("9.6")
def test_loss_batch_uses_last_token(run):
    ids = torch.randint(0, 200, (4, 6), generator=torch.Generator().manual_seed(6))
    labels = torch.tensor([0, 1, 1, 0])
    got = run(P.loss_batch, ids, labels)
    called = (f"calc_loss_batch(ids, {check.show(labels)}, model, 'cpu'), ids of shape {tuple(ids.shape)}, {POSITION} "
              "(cross-entropy of the last token's logits)")
    check.cases([f"{called}.shape (a scalar)"], [got["shape"]], [[]])
    check.cases([called], [got["loss"]], [O.last_token_loss(ids, labels)], check.close, atol=1e-6, rtol=1e-6)


@pytest.mark.task("9.7")
def test_train_classifier_simple_lists(run, ref):
    args = (P.TINY, 0, 24, 8, 4, 2, 3, 2)  # cfg, seed, n_train, n_val, batch_size, epochs, eval_freq, eval_iter
    got = run(P.train_loop, *args)
    steps = 2 * math.ceil(24 / 4)
    called = ("train_classifier_simple(model, train_loader, val_loader, AdamW(lr=0.01, weight_decay=0.1), 'cpu', "
              "num_epochs=2, eval_freq=3, eval_iter=2), model GPTModel(TINY) after torch.manual_seed(0) with a 2-class head, "
              "loaders of 24 and 8 random examples in batches of 4")
    check.cases([f"{called}: the number of recorded losses (steps 0, 3, 6, ...)",
                 f"{called}: the number of recorded accuracies (one per epoch)",
                 f"{called}: examples_seen (examples, not batches)"],
                [len(got["train_losses"]), len(got["train_accs"]), got["examples_seen"]], [O.eval_freq_count(steps, 3), 2, 2 * 24])
    want = ref(P.train_loop, *args)
    keys = ("train_losses", "val_losses", "train_accs", "val_accs")
    check.cases([f"{called}: {key}" for key in keys], [got[key] for key in keys], [want[key] for key in keys],
                check.close, atol=1e-4, rtol=1e-4)


@pytest.mark.task("9.8")
@pytest.mark.parametrize("max_length,context", [(20, 64), (None, 16)])
def test_classify_review_cuts_pads_and_reads_the_last_token(run, max_length, context):
    texts = ["You have won a prize, call now!", "see you at the station at 6", "ok"]
    got = run(P.classify_texts, texts, "bytes", max_length, context)
    want_ids = [O.review_ids(list(t.encode()), max_length, context) for t in texts]
    how = "cut to 20, padded right to 20" if max_length else "cut to the context length 16, no padding"
    calls = [f"classify_review({t!r}, model, tokenizer, 'cpu', max_length={max_length}), {POSITION}, context length {context}, "
             f"{BYTES}" for t in texts]
    check.cases([f"{c}: the ids given to the model ({how}, a batch of one)" for c in calls], [x.tolist() for x in got["inputs"]],
                [[ids] for ids in want_ids])
    check.cases([f'{c} ("spam" is class 1)' for c in calls], got["answers"], [O.review_answer(ids) for ids in want_ids])
