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


@pytest.mark.task("8.1")
def test_text_to_token_ids_gpt2(run):
    import tiktoken

    texts = ["Every effort moves you", "Hello, do you like tea? <|endoftext|> In the sunlit terraces"]
    got = run(P.text_ids, texts)
    enc = tiktoken.get_encoding("r50k_base")
    for text, item in zip(texts, got):
        want = enc.encode(text, allowed_special={"<|endoftext|>"})
        check.equal(tuple(item["ids"].shape), (1, len(want)), what=f"text_to_token_ids({text!r}).shape")
        check.equal(item["ids"][0].tolist(), want, what=f"text_to_token_ids({text!r})")
        check.equal(item["text"], text, what="token_ids_to_text(text_to_token_ids(text))")


@pytest.mark.task("8.2")
def test_calc_loss_batch(run, ref):
    state = ref(P.seeded_state, SMALL, 123)
    x, y = windows(1, 3)
    got = run(P.loss_batch, SMALL, state, x, y)
    check.equal(got["shape"], [], what="calc_loss_batch returns a scalar tensor")
    check.close(got["loss"], ref(P.loss_batch, SMALL, state, x, y)["loss"], atol=1e-5, rtol=1e-5,
                what="calc_loss_batch (mean cross-entropy over every position)")


@pytest.mark.task("8.3")
def test_calc_loss_loader(run, ref):
    state = ref(P.seeded_state, SMALL, 123)
    x, y = windows(2, 10)
    for num_batches in (None, 2):
        got = run(P.loss_loader, SMALL, state, x, y, 2, num_batches)
        want = ref(P.loss_loader, SMALL, state, x, y, 2, num_batches)
        check.close(got["loss"], want["loss"], atol=1e-5, rtol=1e-5, what=f"calc_loss_loader(num_batches={num_batches})")
    empty = run(P.loss_loader, SMALL, state, x[:0], y[:0], 2, None)
    check.that(math.isnan(empty["loss"]), {"zh": f"空的 loader 应返回 nan，得到 {empty['loss']}",
                                           "en": f"an empty loader should give nan, got {empty['loss']}"})


@pytest.mark.task("8.4")
def test_evaluate_model(run, ref):
    state = ref(P.seeded_state, SMALL, 5)
    train_xy, val_xy = windows(3, 8), windows(4, 6)
    got = run(P.evaluate, SMALL, state, train_xy, val_xy, 2, 2)
    check.close(got["losses"], ref(P.evaluate, SMALL, state, train_xy, val_xy, 2, 2)["losses"], atol=1e-5, rtol=1e-5,
                what="evaluate_model (train_loss, val_loss)")
    check.that(all(not f["training"] and not f["grad"] for f in got["forwards"]),
               {"zh": "evaluate_model 应在 eval 模式、torch.no_grad() 下计算", "en": "evaluate_model should run in eval mode under torch.no_grad()"})
    check.equal(got["training_after"], True, what="model.training after evaluate_model")


@pytest.mark.task("8.5")
def test_train_model_simple_tiny(run, ref):
    text = ref(P.corpus_text, 0, 1500)
    got = run(P.train_run, TINY_GPT2, 123, text, 2, 5, 2)
    want = ref(P.train_run, TINY_GPT2, 123, text, 2, 5, 2)
    check.equal(got["tokens_seen"], want["tokens_seen"], what="track_tokens_seen (input tokens, evaluated at steps 0, 5, 10, ...)")
    check.close(got["train_losses"], want["train_losses"], atol=1e-5, rtol=1e-5, what="train_losses")
    check.close(got["val_losses"], want["val_losses"], atol=1e-5, rtol=1e-5, what="val_losses")
    check.equal(got["training_after"], True, what="model.training after train_model_simple")
    check.equal(got["printed"].count("Every effort"), 2, what="samples printed (one after each of the 2 epochs)")


@pytest.mark.task("8.6")
def test_generate_greedy_and_eos(run):
    got = run(P.generate_counter, torch.tensor([[3, 4]]), 10, 4)
    check.equal(got["out"], torch.tensor([list(range(3, 15))]), what="generate, temperature 0 (greedy)")
    got = run(P.generate_counter, torch.tensor([[3, 4]]), 10, 4, eos_id=9)
    check.equal(got["out"], torch.tensor([[3, 4, 5, 6, 7, 8]]), what="generate stops at eos_id (not appended)")


@pytest.mark.task("8.6")
def test_generate_top_k_keeps_ties(run):
    logits = torch.tensor([[4.0, 1.0, 3.0, 3.0, 0.5, 3.0, -1.0], [0.0, 2.0, 2.0, 6.5, 7.0, 1.0, 5.0]])
    got = run(P.generate_fixed, logits, torch.zeros(2, 1, dtype=torch.long), 300, 4, 1.0, 2, None, 7)["out"][:, 1:]
    allowed = [{0, 2, 3, 5}, {4, 3}]
    for row, ok in enumerate(allowed):
        seen = set(got[row].tolist())
        check.that(seen <= ok, {"zh": f"第 {row} 行 top_k=2 时出现了 {sorted(seen - ok)}（允许 {sorted(ok)}，与第 k 大并列的保留）",
                                "en": f"row {row}, top_k=2 produced {sorted(seen - ok)} (allowed {sorted(ok)}, ties with the k-th kept)"})
        check.equal(seen, ok, what=f"ids sampled in row {row} (300 draws)")


@pytest.mark.task("8.6")
def test_generate_temperature_frequencies(run):
    logits = torch.tensor([2.0, 0.0, -1.0, 1.0])
    got = run(P.generate_fixed, logits.repeat(40, 1), torch.zeros(40, 1, dtype=torch.long), 50, 4, 0.5, None, None, 3)
    freq = torch.bincount(got["out"][:, 1:].flatten(), minlength=4).double() / 2000
    check.close(freq, torch.softmax(logits.double() / 0.5, dim=-1), atol=0.04, rtol=0,
                what="frequencies of 2000 ids sampled at temperature 0.5 vs softmax(logits / 0.5)")


@pytest.mark.task("8.6")
def test_generate_sampling_seeded(run, ref):
    state = ref(P.seeded_state, SMALL, 7)
    prompt = torch.tensor([[1, 2, 3]])
    got = run(P.generate_gpt, SMALL, state, prompt, 15, 1.4, 25, None, 123)
    check.equal(got, ref(P.generate_gpt, SMALL, state, prompt, 15, 1.4, 25, None, 123),
                what="generate(temperature=1.4, top_k=25) after torch.manual_seed(123)")


@pytest.mark.task("8.7")
def test_checkpoint_roundtrip(run):
    x, y = windows(5, 2)
    got = run(P.checkpoint_roundtrip, SMALL, 11, x, y)
    check.equal(got["loaded"], got["saved"], what="model weights after load_checkpoint")
    check.equal(got["next_loaded"], got["next_original"], what="the next AdamW step after load_checkpoint (bit-identical)")
    check.that(not got["pickle"], {"zh": "检查点是 pickle / torch.save 文件：权重请用 safetensors（不经 pickle）保存",
                                   "en": "the checkpoint is a pickle / torch.save file: store the weights with safetensors (no pickle)"})


@pytest.mark.task("8.8")
def test_load_gpt2_weights(run, ref):
    cfg = dict(SMALL, qkv_bias=True)
    sd = hf_layout_state(cfg, 8)
    idx = [torch.randint(0, 97, (2, 12), generator=torch.Generator().manual_seed(9))]
    got = run(P.gpt2_loaded, cfg, sd, idx)
    check.equal(got["state"]["out_head.weight"], sd["wte.weight"], what="out_head.weight (tied to wte)")
    check.equal(got["state"]["trf_blocks.0.ff.layers.0.weight"], sd["h.0.mlp.c_fc.weight"].T,
                what="trf_blocks.0.ff.layers.0.weight (Conv1D weight, transposed)")
    check.close(got["logits"][0], ref(P.gpt2_loaded, cfg, sd, idx)["logits"][0], atol=1e-4, rtol=1e-5,
                what="GPTModel logits after load_gpt2_weights")
