"""Public tests for ch07_gpt: the book's examples (ch. 4) at small sizes."""
import pytest
import torch

from grader.harness import check

from . import probes as P

SMALL = {"vocab_size": 300, "context_length": 16, "emb_dim": 32, "n_heads": 4, "n_layers": 2,
         "drop_rate": 0.1, "qkv_bias": False}


@pytest.mark.task("7.1")
def test_layernorm_mean_zero_var_one(run):
    torch.manual_seed(123)
    batch = torch.randn(2, 5)
    got = run(P.layernorm_defaults, 5, batch)["out"]
    check.close(got.mean(dim=-1), torch.zeros(2), atol=1e-6, rtol=0, what="LayerNorm output mean")
    check.close(got.var(dim=-1, unbiased=False), torch.ones(2), atol=1e-4, rtol=0, what="LayerNorm output variance")


@pytest.mark.task("7.2")
def test_gelu_values(run):
    x = torch.linspace(-3, 3, 13)
    got = run(P.gelu_forward, x)
    check.close(got, torch.nn.functional.gelu(x, approximate="tanh"), atol=1e-6, rtol=0, what="GELU (tanh approximation)")


@pytest.mark.task("7.3")
def test_feedforward_shape_and_layers(run):
    cfg = dict(SMALL)
    got = run(P.feedforward_structure, cfg, 123)
    check.equal(got["layers"], ["Linear", "GELU", "Linear"], what="FeedForward.layers")
    check.equal({k: tuple(v.shape) for k, v in got["params"].items()},
                {"layers.0.weight": (128, 32), "layers.0.bias": (128,), "layers.2.weight": (32, 128), "layers.2.bias": (32,)},
                what="FeedForward parameter shapes")


@pytest.mark.task("7.4")
def test_transformer_block_seeded(run, ref):
    torch.manual_seed(0)
    x = torch.rand(2, 4, 32)
    got = run(P.block_seeded_forward, SMALL, 123, x)
    check.equal(tuple(got.shape), (2, 4, 32), what="TransformerBlock output shape")
    check.close(got, ref(P.block_seeded_forward, SMALL, 123, x), atol=1e-5, rtol=1e-5, what="TransformerBlock (seed 123, eval)")


@pytest.mark.task("7.5")
def test_gpt_model_seeded_logits(run, ref):
    batch = torch.tensor([[6109, 3626, 6100, 345], [6109, 1110, 6622, 257]]) % SMALL["vocab_size"]
    got = run(P.gpt_seeded_forward, SMALL, 123, batch)
    check.equal(tuple(got.shape), (2, 4, 300), what="GPTModel logits shape")
    check.close(got, ref(P.gpt_seeded_forward, SMALL, 123, batch), atol=1e-5, rtol=1e-5, what="GPTModel (seed 123, eval)")


@pytest.mark.task("7.5")
def test_gpt_124m_parameter_count(run):
    got = run(P.gpt_param_count_124m)
    check.equal(got["total"], 163_009_536, what="GPTModel(GPT_CONFIG_124M) parameter count")


@pytest.mark.task("7.6")
def test_generate_text_simple_greedy(run, ref):
    idx = torch.tensor([[15, 11, 31, 16]])
    got = run(P.generate_seeded, SMALL, 123, idx, 6, SMALL["context_length"])
    check.equal(tuple(got.shape), (1, 10), what="generate_text_simple output shape")
    check.equal(got, ref(P.generate_seeded, SMALL, 123, idx, 6, SMALL["context_length"]), what="generate_text_simple (greedy)")
