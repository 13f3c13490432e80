"""Hidden checks for ch07_gpt: PyTorch's own layers as oracles, the reference with the same weights,
the 124M parameter count, and the whole model against Hugging Face's GPT-2."""
import pytest
import torch

from grader.harness import check
from tests_hidden.ch07_gpt import probes as P

from . import oracles as O

CFG = {"vocab_size": 97, "context_length": 12, "emb_dim": 24, "n_heads": 3, "n_layers": 2, "drop_rate": 0.3,
       "qkv_bias": False}
CFG_BIAS = dict(CFG, qkv_bias=True, n_heads=4, emb_dim=16)
TOL = dict(atol=1e-5, rtol=1e-5)


# ----------------------------------------------------------------- 7.1 LayerNorm
@pytest.mark.task("7.1")
@pytest.mark.parametrize("E,shape,scale_x,offset", [(8, (3, 8), 1.0, 0.0), (64, (2, 5, 64), 3.0, 50.0),
                                                   (16, (4, 16), 0.004, 0.0), (5, (2, 3, 5), 1.0, -2.0)])
def test_layernorm_vs_torch(run, E, shape, scale_x, offset):
    g = O.gen(E)
    scale, shift = 1 + 0.3 * torch.randn(E, generator=g), 0.3 * torch.randn(E, generator=g)
    x = torch.randn(shape, generator=g) * scale_x + offset
    got = run(P.layernorm_forward, E, scale, shift, [x])[0]
    check.close(got, O.layer_norm_oracle(x, scale, shift), atol=2e-5, rtol=1e-5,
                what=f"LayerNorm vs torch.nn.LayerNorm(eps=1e-5) (input std {scale_x})")


@pytest.mark.task("7.1")
def test_layernorm_parameters(run):
    got = run(P.layernorm_defaults, 6, torch.randn(2, 6, generator=O.gen(3)))
    check.equal(sorted(got["params"]), ["scale", "shift"], what="LayerNorm parameter names")
    check.equal(got["params"]["scale"], torch.ones(6), what="LayerNorm.scale at start")
    check.equal(got["params"]["shift"], torch.zeros(6), what="LayerNorm.shift at start")


# ----------------------------------------------------------------- 7.2 GELU
@pytest.mark.task("7.2")
def test_gelu_vs_torch_tanh(run):
    x = torch.cat([torch.linspace(-8, 8, 2001), torch.randn(3, 50, generator=O.gen(7)).flatten() * 3])
    got = run(P.gelu_forward, x)
    check.close(got, torch.nn.functional.gelu(x.double(), approximate="tanh"), atol=2e-6, rtol=1e-6,
                what='GELU vs torch.nn.functional.gelu(approximate="tanh")')


@pytest.mark.task("7.2")
def test_gelu_keeps_shape(run):
    x = torch.randn(2, 3, 4, generator=O.gen(8))
    got = run(P.gelu_forward, x)
    check.equal(tuple(got.shape), (2, 3, 4), what="GELU output shape")


# ----------------------------------------------------------------- 7.3 FeedForward
@pytest.mark.task("7.3")
@pytest.mark.parametrize("E", [8, 24])
def test_feedforward_oracle(run, E):
    g = O.gen(30 + E)
    sd = O.ff_state(g, E)
    xs = [torch.randn(2, 5, E, generator=g), torch.randn(1, 1, E, generator=g)]
    got = run(P.feedforward_forward, dict(CFG, emb_dim=E), sd, xs)
    for x, y in zip(xs, got):
        check.close(y, O.ff_oracle(sd, x), what="FeedForward", **TOL)


@pytest.mark.task("7.3")
def test_feedforward_structure_seeded(run, ref):
    got = run(P.feedforward_structure, CFG, 5)
    check.equal(got["layers"], ["Linear", "GELU", "Linear"], what="FeedForward.layers")
    check.equal(got, ref(P.feedforward_structure, CFG, 5), what="FeedForward seeded weights")


# ----------------------------------------------------------------- 7.4 TransformerBlock
@pytest.mark.task("7.4")
@pytest.mark.parametrize("cfg,T", [(CFG, 12), (CFG, 4), (CFG_BIAS, 7)])
def test_block_oracle(run, cfg, T):
    g = O.gen(40 + T)
    sd = O.block_state(g, cfg)
    x = torch.randn(2, T, cfg["emb_dim"], generator=g)
    got = run(P.block_forward, cfg, sd, [x])[0]
    check.close(got, O.block_oracle(sd, x, cfg), what=f"TransformerBlock (T={T}, eval)", atol=5e-5, rtol=1e-5)


@pytest.mark.task("7.4")
def test_block_reference_same_state_dict(run, ref):
    g = O.gen(45)
    sd = O.block_state(g, CFG_BIAS)
    xs = [torch.randn(3, 9, 16, generator=g)]
    check.close(run(P.block_forward, CFG_BIAS, sd, xs)[0], ref(P.block_forward, CFG_BIAS, sd, xs)[0],
                what="TransformerBlock vs the reference (same state_dict, eval)", **TOL)
    train = run(P.block_forward, CFG_BIAS, sd, xs, True, 4)[0]
    check.close(train, ref(P.block_forward, CFG_BIAS, sd, xs, True, 4)[0],
                what="TransformerBlock in training mode (torch.manual_seed(4); dropout where the book has it)", **TOL)


@pytest.mark.task("7.4")
def test_block_seeded_construction(run, ref):
    got = run(P.block_params, CFG_BIAS, 9)
    want = ref(P.block_params, CFG_BIAS, 9)
    check.equal(sorted(got), sorted(want), what="TransformerBlock parameter names")
    check.equal(got, want, what="TransformerBlock weights after torch.manual_seed (creation order)")


# ----------------------------------------------------------------- 7.5 GPTModel
@pytest.mark.task("7.5")
def test_gpt_124m_count_and_config(run):
    got = run(P.gpt_param_count_124m)
    check.equal(got["total"], 163_009_536, what="GPTModel(GPT_CONFIG_124M) parameter count")
    check.equal(got["out_head_bias"], False, what="out_head has no bias")
    check.equal(got["blocks"], 12, what="number of transformer blocks")
    check.equal(got["block_params"], 7_085_568, what="parameters per transformer block")
    check.equal(run(P.config_124m), {"vocab_size": 50257, "context_length": 1024, "emb_dim": 768, "n_heads": 12,
                                     "n_layers": 12, "drop_rate": 0.1, "qkv_bias": False}, what="GPT_CONFIG_124M")


@pytest.mark.task("7.5")
def test_gpt_structure(run):
    got = run(P.gpt_structure, CFG)
    check.equal(got["children"], ["tok_emb", "pos_emb", "drop_emb", "trf_blocks", "final_norm", "out_head"],
                what="GPTModel submodules (in creation order)")
    check.equal(got["block_children"], ["att", "ff", "norm1", "norm2", "drop_shortcut"],
                what="TransformerBlock submodules (in creation order)")
    check.equal(got["types"][3], "Sequential", what="type of trf_blocks")


@pytest.mark.task("7.5")
@pytest.mark.parametrize("cfg,T", [(CFG, 12), (CFG, 3), (CFG_BIAS, 10)])
def test_gpt_oracle(run, cfg, T):
    g = O.gen(50 + T)
    sd = O.gpt_state(g, cfg)
    idx = torch.randint(0, cfg["vocab_size"], (2, T), generator=g)
    got = run(P.gpt_forward, cfg, sd, [idx])[0]
    check.equal(tuple(got.shape), (2, T, cfg["vocab_size"]), what="GPTModel logits shape")
    check.close(got, O.gpt_oracle(sd, idx, cfg), what=f"GPTModel logits (T={T}, eval)", atol=1e-4, rtol=1e-5)


@pytest.mark.task("7.5")
def test_gpt_seeded_construction(run, ref):
    got = run(P.gpt_params, CFG, 123)
    want = ref(P.gpt_params, CFG, 123)
    check.equal(list(got), list(want), what="GPTModel parameter names (in creation order)")
    check.equal(got, want, what="GPTModel weights after torch.manual_seed (creation order)")


@pytest.mark.task("7.5")
def test_gpt_matches_hugging_face(run):
    model = O.hf_gpt2()
    cfg, sd = O.hf_to_gptmodel(model)
    g = O.gen(60)
    batches = [torch.randint(0, cfg["vocab_size"], (2, 64), generator=g), torch.randint(0, cfg["vocab_size"], (3, 7), generator=g)]
    got = run(P.gpt_forward, cfg, sd, batches)
    for idx, logits in zip(batches, got):
        check.close(logits, O.hf_logits(model, idx), atol=1e-4, rtol=0,
                    what=f"GPTModel vs Hugging Face GPT2LMHeadModel (same weights, T={idx.shape[1]})")


# ----------------------------------------------------------------- 7.6 generate_text_simple
@pytest.mark.task("7.6")
@pytest.mark.parametrize("batch,context_size", [(1, 5), (3, 3), (2, 12)])
def test_generate_counter_model(run, batch, context_size):
    idx = torch.arange(batch * 4).reshape(batch, 4) * 3 % 50
    got = run(P.generate_with_counter, idx, 7, context_size)
    want = idx.clone()
    inputs = []
    for _ in range(7):
        inputs.append(want[:, -context_size:])
        want = torch.cat([want, (want[:, -1:] + 1) % 50], dim=1)
    check.equal(got["out"], want, what="generate_text_simple (greedy: argmax of the last position)")
    check.equal(got["input_shapes"], [list(t.shape) for t in inputs], what="shapes fed to the model (cropped to context_size)")
    check.equal(got["inputs"], inputs, what="ids fed to the model (the last context_size ids)")


@pytest.mark.task("7.6")
def test_generate_reference_same_weights(run, ref):
    g = O.gen(70)
    sd = O.gpt_state(g, CFG)
    idx = torch.randint(0, CFG["vocab_size"], (2, 4), generator=g)
    got = run(P.generate_with_weights, CFG, sd, idx, 10, 6)
    check.equal(got, ref(P.generate_with_weights, CFG, sd, idx, 10, 6), what="generate_text_simple (drop_rate 0.3, eval)")


@pytest.mark.task("7.5", "7.6")
def test_generate_matches_hugging_face_greedy(run):
    model = O.hf_gpt2()
    cfg, sd = O.hf_to_gptmodel(model)
    idx = torch.randint(0, cfg["vocab_size"], (1, 5), generator=O.gen(71))
    got = run(P.generate_with_weights, cfg, sd, idx, 12, 8)
    check.equal(got, O.hf_greedy(model, idx, 12, 8), what="greedy generation vs Hugging Face GPT-2 (same weights)")


@pytest.mark.task("7.5")
def test_own_implementation(run):
    """A gate: the graded classes are the chapter's own, not the kit's given tiny GPT (kitdata) re-exported."""
    borrowed = {name: mods for name, mods in run(P.class_origins).items() if any(not m.startswith("ch07_gpt") for m in mods)}
    check.that(not borrowed, {"zh": f"这些类来自别处而不是你自己的 ch07_gpt 代码：{borrowed}",
                              "en": f"these classes come from elsewhere, not from your ch07_gpt code: {borrowed}"})
