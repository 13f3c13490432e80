"""Hidden checks for ch08_pretrain: a float64 GPT forward and ``F.cross_entropy`` for the losses,
Hugging Face's GPT-2 for the weight loader and greedy decoding, chi-square tests on a model with fixed
logits for sampling, the reference for the training loop's exact lists, and bit-identical resumption."""
import math

import pytest
import torch
import torch.nn.functional as F

from grader.harness import check
from tests_hidden.ch07_gpt import oracles as O
from tests_hidden.ch08_pretrain import probes as P

CFG = {"vocab_size": 89, "context_length": 10, "emb_dim": 24, "n_heads": 3, "n_layers": 2, "drop_rate": 0.2,
       "qkv_bias": False}
CFG_BIAS = dict(CFG, qkv_bias=True, emb_dim=16, n_heads=4)
TINY_GPT2 = {"vocab_size": 50257, "context_length": 12, "emb_dim": 8, "n_heads": 2, "n_layers": 2, "drop_rate": 0.3,
             "qkv_bias": False}
HF_CONFIGS = [dict(vocab_size=512, n_positions=64, n_embd=64, n_layer=2, n_head=4, seed=0),
              dict(vocab_size=301, n_positions=24, n_embd=48, n_layer=3, n_head=3, seed=5),
              dict(vocab_size=101, n_positions=16, n_embd=32, n_layer=1, n_head=8, seed=9)]
# Chi-square critical values far in the tail (the reference's statistics at these seeds are far below).
CHI2_MAX = {2: 22.0, 4: 30.0, 6: 36.0, 7: 40.0}


def windows(seed, n, T, vocab):
    g = O.gen(seed)
    return torch.randint(0, vocab, (n, T), generator=g), torch.randint(0, vocab, (n, T), generator=g)


def oracle_losses(sd, cfg, x, y, batch_size):
    """Per-batch mean cross-entropy (float64 GPT forward, eval mode)."""
    out = []
    for i in range(0, len(x), batch_size):
        logits = O.gpt_oracle(sd, x[i:i + batch_size], cfg)
        out.append(float(F.cross_entropy(logits.flatten(0, 1), y[i:i + batch_size].flatten())))
    return out


def hf_state(model):
    """A ``GPT2LMHeadModel``'s weights in the layout the contract names (no ``transformer.`` prefix, no ``lm_head``)."""
    return {k.removeprefix("transformer."): v.detach().clone() for k, v in model.state_dict().items()
            if not k.startswith("lm_head")}


def gpt_cfg(model):
    c = model.config
    return {"vocab_size": c.vocab_size, "context_length": c.n_positions, "emb_dim": c.n_embd, "n_heads": c.n_head,
            "n_layers": c.n_layer, "drop_rate": 0.1, "qkv_bias": True}


def chi_square(samples, probs):
    counts = torch.bincount(samples.flatten(), minlength=len(probs)).double()
    expected = probs.double() * samples.numel()
    keep = expected > 0
    check.that(bool((counts[~keep] == 0).all()), {"zh": "采样出了概率为 0 的 id（被 top-k 过滤掉的）",
                                                  "en": "sampled an id whose probability is 0 (filtered out by top-k)"})
    return float((((counts - expected) ** 2)[keep] / expected[keep]).sum()), int(keep.sum()) - 1


# ----------------------------------------------------------------- 8.1
@pytest.mark.task("8.1")
def test_text_ids_more_texts(run):
    import tiktoken

    texts = ["a", "  leading spaces and\nnewlines\n", "naïve café — déjà vu", "<|endoftext|>", "1234 + 5678 = 6912"]
    got = run(P.text_ids, texts)
    enc = tiktoken.get_encoding("r50k_base")
    for text, item in zip(texts, got):
        want = enc.encode(text, allowed_special={"<|endoftext|>"})
        check.equal(item["ids"].tolist(), [want], what=f"text_to_token_ids({text!r})")
        check.equal(item["ids"].dtype, torch.int64, what="text_to_token_ids dtype")
        check.equal(item["text"], text, what=f"token_ids_to_text(text_to_token_ids({text!r}))")


@pytest.mark.task("8.1")
def test_token_ids_to_text_shapes(run):
    import tiktoken

    ids = tiktoken.get_encoding("r50k_base").encode("Every effort moves you forward")
    got = run(P.ids_text, [torch.tensor([ids]), torch.tensor(ids)])
    check.equal(got, ["Every effort moves you forward"] * 2, what="token_ids_to_text of (1, n) and (n,) tensors")


# ----------------------------------------------------------------- 8.2
@pytest.mark.task("8.2")
@pytest.mark.parametrize("cfg,n,T", [(CFG, 3, 10), (CFG, 1, 1), (CFG_BIAS, 4, 6)])
def test_calc_loss_batch_oracle(run, cfg, n, T):
    sd = O.gpt_state(O.gen(10 + T), cfg)
    x, y = windows(20 + n, n, T, cfg["vocab_size"])
    got = run(P.loss_batch, cfg, sd, x, y)
    check.close(got["loss"], oracle_losses(sd, cfg, x, y, n)[0], atol=1e-4, rtol=1e-5,
                what=f"calc_loss_batch vs F.cross_entropy on the logits ({n}x{T} targets)")
    check.equal(got["shape"], [], what="calc_loss_batch returns a scalar tensor")
    check.equal(got["requires_grad"], True, what="calc_loss_batch keeps the graph (loss.requires_grad)")


# ----------------------------------------------------------------- 8.3
@pytest.mark.task("8.3")
@pytest.mark.parametrize("num_batches", [None, 1, 3, 100])
def test_calc_loss_loader_oracle(run, num_batches):
    sd = O.gpt_state(O.gen(31), CFG)
    x, y = windows(32, 9, 7, CFG["vocab_size"])  # batches of 2: five batches, the last one of 1
    per_batch = oracle_losses(sd, CFG, x, y, 2)
    n = len(per_batch) if num_batches is None else min(num_batches, len(per_batch))
    got = run(P.loss_loader, CFG, sd, x, y, 2, num_batches)
    check.close(got["loss"], sum(per_batch[:n]) / n, atol=1e-4, rtol=1e-5,
                what=f"calc_loss_loader(num_batches={num_batches}) on a loader of 5 batches")
    check.equal(got["forwards"], n, what=f"batches evaluated by calc_loss_loader(num_batches={num_batches})")


@pytest.mark.task("8.3")
@pytest.mark.parametrize("num_batches", [None, 4])
def test_calc_loss_loader_empty(run, num_batches):
    sd = O.gpt_state(O.gen(33), CFG)
    x, y = windows(34, 0, 7, CFG["vocab_size"])
    got = run(P.loss_loader, CFG, sd, x, y, 2, num_batches)
    check.that(math.isnan(got["loss"]), {"zh": f"空的 loader 应返回 nan（num_batches={num_batches}），得到 {got['loss']}",
                                         "en": f"an empty loader should give nan (num_batches={num_batches}), got {got['loss']}"})


# ----------------------------------------------------------------- 8.4
@pytest.mark.task("8.4")
@pytest.mark.parametrize("eval_iter", [1, 2, 50])
def test_evaluate_model_oracle(run, eval_iter):
    sd = O.gpt_state(O.gen(40), CFG)
    train_xy, val_xy = windows(41, 7, 10, CFG["vocab_size"]), windows(42, 5, 10, CFG["vocab_size"])
    got = run(P.evaluate, CFG, sd, train_xy, val_xy, 2, eval_iter)
    want = []
    for xy in (train_xy, val_xy):
        losses = oracle_losses(sd, CFG, *xy, 2)
        want.append(sum(losses[:eval_iter]) / len(losses[:eval_iter]))
    check.close(got["losses"], want, atol=1e-4, rtol=1e-5,
                what=f"evaluate_model(eval_iter={eval_iter}) vs cross-entropy in eval mode (dropout 0.2 off)")
    check.that(all(not f["training"] for f in got["forwards"]),
               {"zh": "evaluate_model 中有前向计算处于训练模式（忘了 model.eval()？）",
                "en": "evaluate_model ran a forward pass in training mode (model.eval() missing?)"})
    check.that(all(not f["grad"] for f in got["forwards"]),
               {"zh": "evaluate_model 中有前向计算开着梯度（忘了 torch.no_grad()？）",
                "en": "evaluate_model ran a forward pass with gradients on (torch.no_grad() missing?)"})
    check.equal(got["training_after"], True, what="model.training after evaluate_model (back in train mode)")


# ----------------------------------------------------------------- 8.5
@pytest.mark.task("8.5")
@pytest.mark.parametrize("epochs,eval_freq,eval_iter,seed", [(3, 3, 1, 7), (1, 1, 2, 8)])
def test_train_model_simple_exact(run, ref, epochs, eval_freq, eval_iter, seed):
    text = ref(P.corpus_text, 3000, 4200)
    got = run(P.train_run, TINY_GPT2, seed, text, epochs, eval_freq, eval_iter, 2, 1e-3, "The river", True)
    want = ref(P.train_run, TINY_GPT2, seed, text, epochs, eval_freq, eval_iter, 2, 1e-3, "The river", True)
    steps = epochs * want["batches"]
    evals = list(range(0, steps, eval_freq))  # global_step starts at -1, so steps 0, eval_freq, ...
    check.equal(got["tokens_seen"], [(s + 1) * want["batch_tokens"][0] for s in evals],
                what=f"track_tokens_seen (input tokens after steps {evals[:4]}...)")
    check.equal(len(got["train_losses"]), len(evals), what="number of evaluations")
    check.close(got["grad_norms"], want["grad_norms"], atol=1e-6, rtol=1e-4,
                what="gradient norm at every optimizer.step() (zero_grad before each backward)")
    check.close(got["train_losses"], want["train_losses"], atol=1e-5, rtol=1e-5, what="train_losses")
    check.close(got["val_losses"], want["val_losses"], atol=1e-5, rtol=1e-5, what="val_losses")
    for name, value in want["state"].items():
        check.close(got["state"][name], value, atol=1e-5, rtol=1e-4, what=f"{name} after training")
    check.that(all(f["training"] for f in got["forwards"] if f["grad"]),
               {"zh": "有训练步骤在 eval 模式下进行（评估后没有恢复 model.train()？）",
                "en": "a training step ran in eval mode (model.train() not restored after evaluation?)"})
    check.equal(got["training_after"], True, what="model.training after train_model_simple")
    check.equal(got["printed"].count("The river"), epochs, what="samples printed (one after each epoch)")


# ----------------------------------------------------------------- 8.6
@pytest.mark.task("8.6")
@pytest.mark.parametrize("temperature,top_k,seed", [(1.0, None, 1), (0.5, None, 2), (2.0, None, 3), (1.3, 5, 4), (0.8, 3, 5)])
def test_generate_distribution_chi_square(run, temperature, top_k, seed):
    base = torch.tensor([2.0, 1.0, 0.5, 0.0, -0.5, 1.5, 0.3, -1.0])
    rows = 50
    got = run(P.generate_fixed, base.repeat(rows, 1), torch.zeros(rows, 1, dtype=torch.long), 80, 4, temperature,
              top_k, None, seed)["out"][:, 1:]
    logits = base.clone()
    if top_k is not None:
        logits[logits < logits.topk(top_k).values[-1]] = -math.inf
    stat, df = chi_square(got, torch.softmax(logits / temperature, dim=-1))
    check.that(stat < CHI2_MAX[df], {
        "zh": f"temperature={temperature}, top_k={top_k}：4000 次采样与 softmax(logits / T) 不符（卡方 {stat:.1f}，自由度 {df}，上限 {CHI2_MAX[df]}）",
        "en": f"temperature={temperature}, top_k={top_k}: 4000 draws do not follow softmax(logits / T) (chi-square {stat:.1f}, df {df}, limit {CHI2_MAX[df]})"})


@pytest.mark.task("8.6")
def test_generate_rows_independent(run):
    a = torch.tensor([3.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0])
    b = torch.tensor([0.0, 0.0, 2.0, 2.0, 0.0, -9.0, 1.0])
    logits = torch.stack([a, b] * 30)  # rows alternate between two distributions
    got = run(P.generate_fixed, logits, torch.zeros(60, 2, dtype=torch.long), 60, 4, 1.0, None, None, 11)["out"][:, 2:]
    for name, rows, row_logits in (("even", got[0::2], a), ("odd", got[1::2], b)):
        stat, df = chi_square(rows, torch.softmax(row_logits, dim=-1))
        check.that(stat < CHI2_MAX[df], {"zh": f"{name} 行的采样与它们自己的 logits 不符（卡方 {stat:.1f}）：每一行要按自己的分布采样",
                                         "en": f"{name} rows do not follow their own logits (chi-square {stat:.1f}): sample each row from its own distribution"})
    same = float((got[0::2] == got[0:1]).all(dim=0).double().mean())
    check.that(same < 0.05, {"zh": f"{same:.0%} 的步骤里所有同分布的行抽到了同一个 id：各行应独立采样",
                             "en": f"in {same:.0%} of the steps every row with the same logits drew the same id: rows must be sampled independently"})


@pytest.mark.task("8.6")
def test_generate_top_k_one_and_zero_temperature_are_greedy(run):
    g = O.gen(12)
    logits = torch.randn(4, 30, generator=g) * 2
    prompt = torch.zeros(4, 1, dtype=torch.long)
    want = logits.argmax(dim=-1, keepdim=True).repeat(1, 6)
    for temperature, top_k in ((0.0, None), (1.5, 1), (0.0, 3)):
        got = run(P.generate_fixed, logits, prompt, 6, 4, temperature, top_k, None, 13)["out"][:, 1:]
        check.equal(got, want, what=f"generate(temperature={temperature}, top_k={top_k}) = greedy")


@pytest.mark.task("8.6")
@pytest.mark.parametrize("temperature,top_k", [(0.0, None), (1.0, 1)])
def test_generate_eos(run, temperature, top_k):
    got = run(P.generate_counter, torch.tensor([[10, 11, 12]]), 20, 5, 50, temperature, top_k, 17)
    check.equal(got["out"], torch.tensor([[10, 11, 12, 13, 14, 15, 16]]), what="generate stops before eos_id 17 (not appended)")
    got = run(P.generate_counter, torch.tensor([[10]]), 5, 5, 50, temperature, top_k, 3)
    check.equal(got["out"], torch.tensor([[10, 11, 12, 13, 14, 15]]), what="generate with an eos_id that never comes")
    got = run(P.generate_counter, torch.tensor([[16]]), 5, 5, 50, temperature, top_k, 17)
    check.equal(got["out"], torch.tensor([[16]]), what="generate when the first new id is eos_id")


@pytest.mark.task("8.6")
def test_generate_context_crop(run):
    got = run(P.generate_fixed, torch.tensor([[0.0, 5.0, 1.0]]), torch.tensor([[2, 2, 2, 2, 2, 2]]), 4, 3)
    check.equal(got["input_shapes"], [[1, 3]] * 4, what="shapes fed to the model (the last context_size ids)")
    check.equal(got["out"], torch.tensor([[2, 2, 2, 2, 2, 2, 1, 1, 1, 1]]), what="generate output")


@pytest.mark.task("8.6")
def test_generate_seeded_same_as_reference(run, ref):
    sd = O.gpt_state(O.gen(14), CFG)
    prompt = torch.randint(0, CFG["vocab_size"], (3, 4), generator=O.gen(15))
    for temperature, top_k in ((0.7, None), (1.4, 25), (1.0, 4)):
        got = run(P.generate_gpt, CFG, sd, prompt, 12, temperature, top_k, None, 99)
        check.equal(got, ref(P.generate_gpt, CFG, sd, prompt, 12, temperature, top_k, None, 99),
                    what=f"generate(temperature={temperature}, top_k={top_k}), torch.manual_seed(99), batch of 3")


# ----------------------------------------------------------------- 8.7
@pytest.mark.task("8.7")
@pytest.mark.parametrize("cfg,seed", [(CFG, 21), (CFG_BIAS, 22)])
def test_checkpoint_resume_bit_identical(run, cfg, seed):
    x, y = windows(seed, 3, 9, cfg["vocab_size"])
    got = run(P.checkpoint_roundtrip, cfg, seed, x, y)
    check.equal(sorted(got["loaded"]), sorted(got["saved"]), what="state_dict keys after load_checkpoint")
    check.equal(got["loaded"], got["saved"], what="model weights after load_checkpoint")
    check.equal(got["lr_loaded"], [1e-3], what="optimizer learning rate after load_checkpoint")
    check.equal(got["next_loaded"], got["next_original"],
                what="the next AdamW step after load_checkpoint (optimizer moments and step restored)")


@pytest.mark.task("8.7")
def test_checkpoint_model_only(run):
    x, y = windows(23, 2, 5, CFG["vocab_size"])
    got = run(P.checkpoint_roundtrip, CFG, 23, x, y, False)
    check.equal(got["loaded"], got["saved"], what="save_checkpoint(path, model) / load_checkpoint(path, model)")


@pytest.mark.task("8.7")
def test_checkpoint_not_a_pickle(run):
    x, y = windows(24, 2, 5, CFG["vocab_size"])
    got = run(P.checkpoint_roundtrip, CFG, 24, x, y)
    check.that(not got["pickle"], {"zh": "检查点是 pickle / torch.save 文件：权重请用 safetensors（不经 pickle）保存",
                                   "en": "the checkpoint is a pickle / torch.save file: store the weights with safetensors (no pickle)"})


# ----------------------------------------------------------------- 8.8
@pytest.mark.task("8.8")
@pytest.mark.parametrize("hf_cfg", HF_CONFIGS, ids=["E64-L2", "E48-L3", "E32-L1"])
def test_load_gpt2_weights_matches_hugging_face(run, hf_cfg):
    model = O.hf_gpt2(**hf_cfg)
    cfg, sd = gpt_cfg(model), hf_state(model)
    g = O.gen(hf_cfg["seed"] + 50)
    batches = [torch.randint(0, cfg["vocab_size"], (2, cfg["context_length"]), generator=g),
               torch.randint(0, cfg["vocab_size"], (3, 5), generator=g)]
    got = run(P.gpt2_loaded, cfg, sd, batches)
    check.equal(got["state"]["out_head.weight"], sd["wte.weight"], what="out_head.weight tied to wte.weight")
    for idx, logits in zip(batches, got["logits"]):
        check.close(logits, O.hf_logits(model, idx), atol=1e-4, rtol=0,
                    what=f"logits after load_gpt2_weights vs Hugging Face GPT2LMHeadModel (T={idx.shape[1]})")


@pytest.mark.task("8.6", "8.8")
@pytest.mark.parametrize("hf_cfg", HF_CONFIGS[:2], ids=["E64-L2", "E48-L3"])
def test_greedy_generate_matches_hugging_face(run, hf_cfg):
    model = O.hf_gpt2(**hf_cfg)
    cfg, sd = gpt_cfg(model), hf_state(model)
    prompt = torch.randint(0, cfg["vocab_size"], (1, 5), generator=O.gen(hf_cfg["seed"] + 70))
    n = min(12, cfg["context_length"] - 5)
    want = model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=n, do_sample=False,
                          pad_token_id=0, eos_token_id=None)
    check.equal(run(P.gpt2_generate, cfg, sd, prompt, n), want,
                what="greedy generate vs Hugging Face generate(do_sample=False) (same weights)")
