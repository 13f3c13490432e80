"""Public tests for ch08_pretrain: the book's ch. 5 steps at small sizes."""
import math

import pytest
import torch

from grader.harness import check

from . import probes as P

SMALL = {"vocab_size": 97, "context_length": 12, "emb_dim": 16, "n_heads": 2, "n_layers": 2, "drop_rate": 0.1,
         "qkv_bias": False}
TINY_GPT2 = {"vocab_size": 50257, "context_length": 16, "emb_dim": 16, "n_heads": 2, "n_layers": 1, "drop_rate": 0.1,
             "qkv_bias": False}


def windows(seed, n, T=8, vocab=97):
    g = torch.Generator().manual_seed(seed)
    x = torch.randint(0, vocab, (n, T), generator=g)
    return x, torch.randint(0, vocab, (n, T), generator=g)


def hf_layout_state(cfg, seed):
    """Random weights in Hugging Face's GPT-2 layout (Conv1D weights ``(in, out)``)."""
    g = torch.Generator().manual_seed(seed)
    E, V = cfg["emb_dim"], cfg["vocab_size"]
    r = lambda *shape, s=0.3: torch.randn(*shape, generator=g) * s  # noqa: E731
    sd = {"wte.weight": r(V, E, s=1.0), "wpe.weight": r(cfg["context_length"], E, s=1.0)}
    for i in range(cfg["n_layers"]):
        h = f"h.{i}."
        sd.update({h + "ln_1.weight": 1 + r(E), h + "ln_1.bias": r(E), h + "attn.c_attn.weight": r(E, 3 * E),
                   h + "attn.c_attn.bias": r(3 * E), h + "attn.c_proj.weight": r(E, E), h + "attn.c_proj.bias": r(E),
                   h + "ln_2.weight": 1 + r(E), h + "ln_2.bias": r(E), h + "mlp.c_fc.weight": r(E, 4 * E),
                   h + "mlp.c_fc.bias": r(4 * E), h + "mlp.c_proj.weight": r(4 * E, E), h + "mlp.c_proj.bias": r(E)})
    sd.update({"ln_f.weight": 1 + r(E), "ln_f.bias": r(E)})
    return sd


def _model(seed: int, mode: str = "eval") -> str:
    """How the tests describe the kit's small model: ``GPTModel(SMALL)`` seeded, in ``mode``."""
    return f"model = GPTModel(SMALL) with the weights made after torch.manual_seed({seed}), in {mode} mode"


@pytest.mark.task("8.1")
def test_text_to_token_ids_gpt2(run):
    import tiktoken

    texts = ["Every effort moves you", "Hello, do you like tea? <|endoftext|> In the sunlit terraces"]
    got = run(P.text_ids, texts)
    enc = tiktoken.get_encoding("r50k_base")
    for text, item in zip(texts, got):
        want = enc.encode(text, allowed_special={"<|endoftext|>"})
        called = f"text_to_token_ids({text!r}, tokenizer)"
        check.cases([f"{called}.shape", f"{called}[0]", f"token_ids_to_text({called}, tokenizer)"],
                    [tuple(item["ids"].shape), item["ids"][0].tolist(), item["text"]], [(1, len(want)), want, text])


@pytest.mark.task("8.2")
def test_calc_loss_batch(run, ref):
    state = ref(P.seeded_state, SMALL, 123)
    x, y = windows(1, 3)
    got = run(P.loss_batch, SMALL, state, x, y)
    called = f"{_model(123)}; calc_loss_batch(x, y, model, 'cpu'), x and y random ids of shape {tuple(x.shape)}"
    check.cases([f"{called}.shape (a scalar tensor)"], [got["shape"]], [[]])
    check.cases([f"{called} (mean cross-entropy over every position)"], [got["loss"]],
                [ref(P.loss_batch, SMALL, state, x, y)["loss"]], check.close, atol=1e-5, rtol=1e-5)


@pytest.mark.task("8.3")
def test_calc_loss_loader(run, ref):
    state = ref(P.seeded_state, SMALL, 123)
    x, y = windows(2, 10)
    for num_batches in (None, 2):
        got = run(P.loss_loader, SMALL, state, x, y, 2, num_batches)
        want = ref(P.loss_loader, SMALL, state, x, y, 2, num_batches)
        check.cases([f"{_model(123)}; calc_loss_loader(loader, model, 'cpu', num_batches={num_batches}), loader of 10 "
                     "random windows of 8 ids in batches of 2"], [got["loss"]], [want["loss"]], check.close, atol=1e-5, rtol=1e-5)
    empty = run(P.loss_loader, SMALL, state, x[:0], y[:0], 2, None)
    check.that(math.isnan(empty["loss"]), {"zh": f"calc_loss_loader(空的 loader, model, 'cpu') 应返回 nan，得到 {empty['loss']}",
                                           "en": f"calc_loss_loader(an empty loader, model, 'cpu') should give nan, got {empty['loss']}"})


@pytest.mark.task("8.4")
def test_evaluate_model(run, ref):
    state = ref(P.seeded_state, SMALL, 5)
    train_xy, val_xy = windows(3, 8), windows(4, 6)
    got = run(P.evaluate, SMALL, state, train_xy, val_xy, 2, 2)
    called = (f"{_model(5, 'train')}; evaluate_model(model, train_loader, val_loader, 'cpu', eval_iter=2), loaders of 8 and 6 "
              "random windows in batches of 2")
    want = ref(P.evaluate, SMALL, state, train_xy, val_xy, 2, 2)
    check.cases([f"{called}: (train_loss, val_loss)"], [got["losses"]], [want["losses"]], check.close, atol=1e-5, rtol=1e-5)
    check.that(all(not f["training"] and not f["grad"] for f in got["forwards"]),
               {"zh": f"{called}：evaluate_model 应在 eval 模式、torch.no_grad() 下计算",
                "en": f"{called}: evaluate_model should run in eval mode under torch.no_grad()"})
    check.cases([f"{called}: model.training afterwards (as it was handed over)"], [got["training_after"]], [True])


@pytest.mark.task("8.5")
def test_train_model_simple_tiny(run, ref):
    text = ref(P.corpus_text, 0, 1500)
    got = run(P.train_run, TINY_GPT2, 123, text, 2, 5, 2)
    want = ref(P.train_run, TINY_GPT2, 123, text, 2, 5, 2)
    called = ("torch.manual_seed(123); model = GPTModel(TINY_GPT2); train_model_simple(model, train_loader, val_loader, "
              "AdamW(lr=4e-4, weight_decay=0.1), 'cpu', num_epochs=2, eval_freq=5, eval_iter=2, start_context='Every effort', "
              "tokenizer), loaders of the corpus' first 1500 characters in batches of 2")
    check.cases([f"{called}: tokens_seen (input tokens, evaluated at steps 0, 5, 10, ...)"], [got["tokens_seen"]],
                [want["tokens_seen"]])
    check.cases([f"{called}: train_losses", f"{called}: val_losses"], [got["train_losses"], got["val_losses"]],
                [want["train_losses"], want["val_losses"]], check.close, atol=1e-5, rtol=1e-5)
    check.cases([f"{called}: model.training afterwards", f"{called}: the samples printed (one after each of the 2 epochs)"],
                [got["training_after"], got["printed"].count("Every effort")], [True, 2])


@pytest.mark.task("8.6")
def test_generate_greedy_and_eos(run):
    prompt = torch.tensor([[3, 4]])
    model = "model a kit stand-in whose logits favour the last id + 1"
    got = [run(P.generate_counter, prompt, 10, 4)["out"], run(P.generate_counter, prompt, 10, 4, eos_id=9)["out"]]
    check.cases([f"generate(model, {check.show(prompt)}, 10, 4), {model} (temperature 0: greedy)",
                 f"generate(model, {check.show(prompt)}, 10, 4, eos_id=9), {model} (stops at eos_id, not appended)"],
                got, [torch.tensor([list(range(3, 15))]), torch.tensor([[3, 4, 5, 6, 7, 8]])])


@pytest.mark.task("8.6")
def test_generate_top_k_keeps_ties(run):
    logits = torch.tensor([[4.0, 1.0, 3.0, 3.0, 0.5, 3.0, -1.0], [0.0, 2.0, 2.0, 6.5, 7.0, 1.0, 5.0]])
    got = run(P.generate_fixed, logits, torch.zeros(2, 1, dtype=torch.long), 300, 4, 1.0, 2, None, 7)["out"][:, 1:]
    called = (f"torch.manual_seed(7); generate(model, torch.zeros(2, 1), 300, 4, temperature=1.0, top_k=2), model a kit "
              f"stand-in whose logits are always {check.show(logits)}")
    allowed = [{0, 2, 3, 5}, {4, 3}]
    for row, ok in enumerate(allowed):
        seen = set(got[row].tolist())
        check.that(seen <= ok, {"zh": f"{called}：第 {row} 行出现了 {sorted(seen - ok)}（允许 {sorted(ok)}，与第 k 大并列的保留）",
                                "en": f"{called}: row {row} produced {sorted(seen - ok)} (allowed {sorted(ok)}, ties with the "
                                      "k-th kept)"})
        check.cases([f"{called}: the ids sampled in row {row} (300 draws)"], [seen], [ok])


@pytest.mark.task("8.6")
def test_generate_temperature_frequencies(run):
    logits = torch.tensor([2.0, 0.0, -1.0, 1.0])
    got = run(P.generate_fixed, logits.repeat(40, 1), torch.zeros(40, 1, dtype=torch.long), 50, 4, 0.5, None, None, 3)
    freq = torch.bincount(got["out"][:, 1:].flatten(), minlength=4).double() / 2000
    called = (f"torch.manual_seed(3); generate(model, torch.zeros(40, 1), 50, 4, temperature=0.5), model a kit stand-in whose "
              f"logits are always {check.show(logits)}: the frequencies of the 2000 ids drawn (vs softmax(logits / 0.5))")
    check.cases([called], [freq], [torch.softmax(logits.double() / 0.5, dim=-1)], check.close, atol=0.04, rtol=0)


@pytest.mark.task("8.6")
def test_generate_sampling_seeded(run, ref):
    state = ref(P.seeded_state, SMALL, 7)
    prompt = torch.tensor([[1, 2, 3]])
    got = run(P.generate_gpt, SMALL, state, prompt, 15, 1.4, 25, None, 123)
    called = f"{_model(7)}; torch.manual_seed(123); generate(model, {check.show(prompt)}, 15, 12, temperature=1.4, top_k=25)"
    check.cases([called], [got], [ref(P.generate_gpt, SMALL, state, prompt, 15, 1.4, 25, None, 123)])


@pytest.mark.task("8.7")
def test_checkpoint_roundtrip(run):
    x, y = windows(5, 2)
    got = run(P.checkpoint_roundtrip, SMALL, 11, x, y)
    called = ("model = GPTModel(SMALL) after torch.manual_seed(11) and two AdamW steps; save_checkpoint(path, model, optimizer); "
              "load_checkpoint(path, fresh, fresh_optimizer), fresh = GPTModel(SMALL) after torch.manual_seed(12)")
    check.entries(f"{called} (expected: model's weights); fresh.state_dict()", got["loaded"], got["saved"])
    check.entries(f"{called}; one more AdamW step on each (expected: model's weights, bit-identical); fresh.state_dict()",
                  got["next_loaded"], got["next_original"])
    check.that(not got["pickle"], {"zh": f"{called}：检查点是 pickle / torch.save 文件：权重请用 safetensors（不经 pickle）保存",
                                   "en": f"{called}: the checkpoint is a pickle / torch.save file: store the weights with "
                                         "safetensors (no pickle)"})


@pytest.mark.task("8.8")
def test_load_gpt2_weights(run, ref):
    cfg = dict(SMALL, qkv_bias=True)
    sd = hf_layout_state(cfg, 8)
    idx = [torch.randint(0, 97, (2, 12), generator=torch.Generator().manual_seed(9))]
    got = run(P.gpt2_loaded, cfg, sd, idx)
    called = ("model = GPTModel(dict(SMALL, qkv_bias=True)); load_gpt2_weights(model, sd), sd random weights in "
              "Hugging Face's layout")
    check.cases([f"{called}: model.out_head.weight (tied to sd's wte.weight)",
                 f"{called}: model.trf_blocks[0].ff.layers[0].weight (sd's h.0.mlp.c_fc.weight, a Conv1D weight, transposed)"],
                [got["state"]["out_head.weight"], got["state"]["trf_blocks.0.ff.layers.0.weight"]],
                [sd["wte.weight"], sd["h.0.mlp.c_fc.weight"].T])
    check.cases([f"{called}; model.eval(); model(idx), idx random ids of shape {tuple(idx[0].shape)}"], [got["logits"][0]],
                [ref(P.gpt2_loaded, cfg, sd, idx)["logits"][0]], check.close, atol=1e-4, rtol=1e-5)
