"""Public tests for ch07_gpt: the book's examples (ch. 4) at small sizes."""
import pytest
import torch
import torch.nn.functional as F

from grader.harness import check

from . import probes as P

SMALL = {"vocab_size": 300, "context_length": 16, "emb_dim": 32, "n_heads": 4, "n_layers": 2,
         "drop_rate": 0.1, "qkv_bias": False}


def _shape(name: str, x: torch.Tensor) -> str:
    return f"{name} of shape {tuple(x.shape)}"


@pytest.mark.task("7.1")
def test_layernorm_mean_zero_var_one(run):
    torch.manual_seed(123)
    batch = torch.randn(2, 5)
    scale, shift = torch.rand(5) + 0.5, torch.randn(5)
    tiny = batch * 0.003  # variance near eps: eps goes inside the square root
    fresh = [run(P.layernorm_defaults, 5, x)["out"] for x in (batch, tiny)]
    given = run(P.layernorm_forward, 5, scale, shift, [batch])[0]
    calls = [check.call("LayerNorm(5)", batch), check.call("LayerNorm(5)", tiny),
             f"LayerNorm(5) with scale = {check.show(scale)}, shift = {check.show(shift)}: m({check.show(batch)})"]
    want = [F.layer_norm(batch, (5,), eps=1e-5), F.layer_norm(tiny, (5,), eps=1e-5), F.layer_norm(batch, (5,), scale, shift, eps=1e-5)]
    check.cases(calls, [*fresh, given], want, check.close, atol=1e-5, rtol=0)


@pytest.mark.task("7.2")
def test_gelu_values(run):
    x = torch.linspace(-3, 3, 13)
    check.cases([check.call("GELU()", x)], [run(P.gelu_forward, x)], [F.gelu(x, approximate="tanh")],
                check.close, atol=1e-6, rtol=0)


@pytest.mark.task("7.3")
def test_feedforward_shape_and_layers(run):
    got = run(P.feedforward_structure, dict(SMALL), 123)
    check.cases(["[type(m).__name__ for m in FeedForward(cfg).layers], cfg['emb_dim'] = 32"], [got["layers"]],
                [["Linear", "GELU", "Linear"]])
    check.cases(["{name: p.shape for name, p in FeedForward(cfg).named_parameters()}, cfg['emb_dim'] = 32"],
                [{k: tuple(v.shape) for k, v in got["params"].items()}],
                [{"layers.0.weight": (128, 32), "layers.0.bias": (128,), "layers.2.weight": (32, 128), "layers.2.bias": (32,)}])


@pytest.mark.task("7.4")
def test_transformer_block_seeded(run, ref):
    torch.manual_seed(0)
    x = torch.rand(2, 4, 32)
    state = ref(P.block_params, SMALL, 123)
    torch.manual_seed(1)
    for name in state:  # norm1 and norm2 differ: each sub-layer must use its own
        if name.startswith("norm"):
            state[name] = torch.rand_like(state[name]) + 0.5 if name.endswith("scale") else torch.randn_like(state[name])
    got = [run(P.block_seeded_forward, SMALL, 123, x), run(P.block_forward, SMALL, state, [x])[0]]
    want = [ref(P.block_seeded_forward, SMALL, 123, x), ref(P.block_forward, SMALL, state, [x])[0]]
    calls = [f"torch.manual_seed(123); TransformerBlock(cfg).eval()(x), {_shape('x', x)}",
             f"TransformerBlock(cfg) with random norm1/norm2 scale and shift, eval()(x), {_shape('x', x)}"]
    check.cases(calls, got, want, check.close, atol=1e-5, rtol=1e-5)


@pytest.mark.task("7.5")
def test_gpt_model_seeded_logits(run, ref):
    batch = torch.tensor([[6109, 3626, 6100, 345], [6109, 1110, 6622, 257]]) % SMALL["vocab_size"]
    check.cases([f"torch.manual_seed(123); GPTModel(cfg).eval()({batch.tolist()})"], [run(P.gpt_seeded_forward, SMALL, 123, batch)],
                [ref(P.gpt_seeded_forward, SMALL, 123, batch)], check.close, atol=1e-5, rtol=1e-5)


@pytest.mark.task("7.5")
def test_gpt_124m_parameter_count(run):
    got = run(P.gpt_param_count_124m)
    check.cases(["sum(p.numel() for p in GPTModel(GPT_CONFIG_124M).parameters())"], [got["total"]], [163_009_536])


@pytest.mark.task("7.6")
def test_generate_text_simple_greedy(run, ref):
    idx = torch.tensor([[15, 11, 31, 16]])
    check.cases([f"torch.manual_seed(123); generate_text_simple(GPTModel(cfg).eval(), {idx.tolist()}, 6, 16)"],
                [run(P.generate_seeded, SMALL, 123, idx, 6, SMALL["context_length"])],
                [ref(P.generate_seeded, SMALL, 123, idx, 6, SMALL["context_length"])])


@pytest.mark.task("7.6")
def test_generate_text_simple_crops_the_context(run):
    idx, new, context = [[3, 1, 4, 1, 5]], 4, 3
    seq, fed = list(idx[0]), []  # the kit's counting model predicts (last id + 1); it is fed the last 3 ids
    for _ in range(new):
        fed.append([seq[-context:]])
        seq.append(seq[-1] + 1)
    got = run(P.generate_with_counter, torch.tensor(idx), new, context)
    called = f"generate_text_simple(model, {idx}, {new}, {context}) with a model that predicts last id + 1"
    check.cases([f"{called}: the ids", f"{called}: what the model is fed at each step"],
                [got["out"].tolist(), [t.tolist() for t in got["inputs"]]], [[seq], fed])
