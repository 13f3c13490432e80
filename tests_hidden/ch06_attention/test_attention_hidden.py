"""Hidden checks for ch06_attention against independent oracles (PyTorch's SDPA, explicit formulas)."""
import pytest
import torch

from grader.harness import check
from tests_hidden.ch06_attention import probes as P

from .oracles import (causal_oracle, gen, mha_oracle, mha_state, qkv_state, self_attention_oracle, wrapper_oracle,
                      wrapper_state)

TOL = dict(atol=1e-5, rtol=1e-5)


# ---------------------------------------------------------------- 6.1 / 6.2
@pytest.mark.task("6.1")
def test_softmax_naive_last_dim(run):
    g = gen(1)
    xs = [torch.randn(7, generator=g), torch.randn(3, 5, generator=g) * 3, torch.randn(2, 4, 6, generator=g)]
    got = run(P.softmax_naive_many, xs)
    for x, y in zip(xs, got):
        check.close(y, torch.softmax(x.double(), dim=-1), what=f"softmax_naive on shape {tuple(x.shape)}", **TOL)


@pytest.mark.task("6.2")
@pytest.mark.parametrize("T,d", [(6, 3), (1, 4), (9, 5)])
def test_simple_attention_oracle(run, T, d):
    x = torch.rand(T, d, generator=gen(T * 10 + d))
    got = run(P.simple_attention_many, [x])[0]
    xd = x.double()
    w = torch.softmax(xd @ xd.T, dim=1)
    check.close(got, w @ xd, what="simple_attention", **TOL)


# ---------------------------------------------------------------- 6.3 / 6.4
@pytest.mark.task("6.3")
@pytest.mark.parametrize("d_in,d_out", [(3, 2), (5, 4)])
def test_self_attention_v1_oracle(run, d_in, d_out):
    g = gen(d_in * 7 + d_out)
    sd = {n: torch.rand(d_in, d_out, generator=g) for n in ("W_query", "W_key", "W_value")}
    xs = [torch.rand(6, d_in, generator=g), torch.rand(2, d_in, generator=g)]
    got = run(P.sa_v1_forward, d_in, d_out, sd, xs)
    for x, y in zip(xs, got):
        xd = x.double()
        want = self_attention_oracle(xd @ sd["W_query"].double(), xd @ sd["W_key"].double(), xd @ sd["W_value"].double())
        check.close(y, want, what="SelfAttention_v1", **TOL)


@pytest.mark.task("6.3")
@pytest.mark.parametrize("seed", [123, 7])
def test_self_attention_v1_seeded_params(run, ref, seed):
    got = run(P.sa_v1_params, 4, 3, seed)
    check.equal(sorted(got), ["W_key", "W_query", "W_value"], what="SelfAttention_v1 parameter names")
    check.equal(got, ref(P.sa_v1_params, 4, 3, seed), what="SelfAttention_v1 weights after torch.manual_seed (torch.rand, order)")


@pytest.mark.task("6.4")
@pytest.mark.parametrize("bias", [False, True])
def test_self_attention_v2_oracle(run, bias):
    g = gen(40 + bias)
    sd = qkv_state(g, 5, 4, bias)
    xs = [torch.rand(7, 5, generator=g), torch.rand(1, 5, generator=g)]
    got = run(P.sa_v2_forward, 5, 4, bias, sd, xs)
    for x, y in zip(xs, got):
        q, k, v = (torch.nn.functional.linear(x.double(), sd[f"{n}.weight"].double(),
                                              sd[f"{n}.bias"].double() if bias else None)
                   for n in ("W_query", "W_key", "W_value"))
        check.close(y, self_attention_oracle(q, k, v), what=f"SelfAttention_v2(qkv_bias={bias})", **TOL)


@pytest.mark.task("6.4")
@pytest.mark.parametrize("bias", [False, True])
def test_self_attention_v2_seeded_params(run, ref, bias):
    got = run(P.sa_v2_params, 5, 4, bias, 789)
    check.equal(got, ref(P.sa_v2_params, 5, 4, bias, 789), what="SelfAttention_v2 weights after torch.manual_seed (order)")


# ---------------------------------------------------------------- 6.5 CausalAttention
@pytest.mark.task("6.5")
@pytest.mark.parametrize("T", [8, 5, 1])
def test_causal_attention_sdpa_oracle(run, T):
    g = gen(50 + T)
    sd = qkv_state(g, 6, 4, True)
    x = torch.randn(3, T, 6, generator=g)
    got = run(P.causal_forward, 6, 4, 8, 0.5, True, sd, [x])[0]  # dropout 0.5, eval mode: no dropout
    check.close(got, causal_oracle(sd, x), what=f"CausalAttention (T={T}, context_length=8, eval)", **TOL)


@pytest.mark.task("6.5")
def test_causal_attention_is_causal(run):
    g = gen(55)
    sd = qkv_state(g, 6, 4, False)
    x = torch.randn(2, 7, 6, generator=g)
    x2 = x.clone()
    x2[:, 4:] = torch.randn(2, 3, 6, generator=g)
    a, b = run(P.causal_forward, 6, 4, 7, 0.0, False, sd, [x, x2])
    check.close(b[:, :4], a[:, :4], atol=1e-6, rtol=0, what="CausalAttention: outputs before the changed tokens")


@pytest.mark.task("6.5")
def test_causal_attention_dropout_train_only(run, ref):
    g = gen(56)
    sd = qkv_state(g, 6, 4, False)
    x = torch.randn(2, 6, 6, generator=g)
    train = run(P.causal_forward, 6, 4, 6, 0.5, False, sd, [x], True, 3)[0]
    evald = run(P.causal_forward, 6, 4, 6, 0.5, False, sd, [x], False, 3)[0]
    check.close(evald, causal_oracle(sd, x), what="CausalAttention in eval mode (dropout off)", **TOL)
    check.that(not torch.allclose(train, evald), {"zh": "训练模式下 dropout 应生效", "en": "dropout must act in training mode"})
    check.close(train, ref(P.causal_forward, 6, 4, 6, 0.5, False, sd, [x], True, 3)[0], atol=1e-5, rtol=1e-5,
                what="CausalAttention in training mode (torch.manual_seed(3); dropout on the attention weights)")


@pytest.mark.task("6.5")
def test_causal_attention_seeded_params(run, ref):
    got = run(P.causal_params, 5, 3, 9, 0.1, True, 11)
    check.equal(got, ref(P.causal_params, 5, 3, 9, 0.1, True, 11), what="CausalAttention weights after torch.manual_seed (order)")


# ---------------------------------------------------------------- 6.6 wrapper
@pytest.mark.task("6.6")
@pytest.mark.parametrize("T", [6, 3])
def test_wrapper_oracle(run, T):
    g = gen(60 + T)
    sd = wrapper_state(g, 5, 3, 3, False)
    x = torch.randn(2, T, 5, generator=g)
    got = run(P.wrapper_forward, 5, 3, 6, 0.3, 3, False, sd, [x])[0]
    check.equal(tuple(got.shape), (2, T, 9), what="MultiHeadAttentionWrapper output shape")
    check.close(got, wrapper_oracle(sd, x, 3), what="MultiHeadAttentionWrapper", **TOL)


@pytest.mark.task("6.6")
def test_wrapper_structure_and_seed(run, ref):
    got = run(P.wrapper_params, 4, 2, 5, 0.0, 3, True, 5)
    check.equal(got["heads_type"], "ModuleList", what="type of heads")
    check.equal(got["heads"], ["CausalAttention"] * 3, what="the heads")
    check.equal(got, ref(P.wrapper_params, 4, 2, 5, 0.0, 3, True, 5), what="MultiHeadAttentionWrapper seeded weights")


# ---------------------------------------------------------------- 6.7 MultiHeadAttention
@pytest.mark.task("6.7")
@pytest.mark.parametrize("d_in,d_out,heads,T,ctx,bias", [
    (8, 12, 3, 10, 10, False),
    (8, 12, 4, 6, 10, True),
    (16, 16, 2, 1, 4, False),
    (6, 8, 8, 5, 7, True),
])
def test_mha_matches_sdpa(run, d_in, d_out, heads, T, ctx, bias):
    g = gen(d_in + d_out + heads + T)
    sd = mha_state(g, d_in, d_out, bias)
    x = torch.randn(2, T, d_in, generator=g)
    got = run(P.mha_forward, d_in, d_out, ctx, 0.2, heads, bias, sd, [x])[0]
    check.equal(tuple(got.shape), (2, T, d_out), what="MultiHeadAttention output shape")
    check.close(got, mha_oracle(sd, x, heads), what=f"MultiHeadAttention vs SDPA(is_causal=True) (heads={heads}, T={T})", **TOL)


@pytest.mark.task("6.7")
def test_mha_reference_same_state_dict(run, ref):
    g = gen(71)
    sd = mha_state(g, 10, 12, True)
    xs = [torch.randn(3, 9, 10, generator=g), torch.randn(1, 4, 10, generator=g)]
    got = run(P.mha_forward, 10, 12, 9, 0.0, 4, True, sd, xs)
    want = ref(P.mha_forward, 10, 12, 9, 0.0, 4, True, sd, xs)
    for a, b in zip(got, want):
        check.close(a, b, what="MultiHeadAttention vs the reference (same state_dict)", **TOL)


@pytest.mark.task("6.7")
def test_mha_is_causal(run):
    g = gen(72)
    sd = mha_state(g, 8, 8, False)
    x = torch.randn(2, 9, 8, generator=g)
    variants = [x]
    for t in (1, 5, 8):
        x2 = x.clone()
        x2[:, t:] = torch.randn(2, 9 - t, 8, generator=g)
        variants.append(x2)
    outs = run(P.mha_forward, 8, 8, 9, 0.0, 2, False, sd, variants)
    for t, out in zip((1, 5, 8), outs[1:]):
        check.close(out[:, :t], outs[0][:, :t], atol=1e-6, rtol=0, what=f"MultiHeadAttention: outputs before token {t} when later tokens change")


@pytest.mark.task("6.7")
def test_mha_dropout_train_only(run, ref):
    g = gen(73)
    sd = mha_state(g, 8, 8, False)
    x = torch.randn(2, 6, 8, generator=g)
    evald = run(P.mha_forward, 8, 8, 6, 0.5, 2, False, sd, [x])[0]
    check.close(evald, mha_oracle(sd, x, 2), what="MultiHeadAttention in eval mode with dropout=0.5", **TOL)
    train = run(P.mha_forward, 8, 8, 6, 0.5, 2, False, sd, [x], True, 9)[0]
    check.that(not torch.allclose(train, evald), {"zh": "训练模式下 dropout 应生效", "en": "dropout must act in training mode"})
    check.close(train, ref(P.mha_forward, 8, 8, 6, 0.5, 2, False, sd, [x], True, 9)[0], atol=1e-5, rtol=1e-5,
                what="MultiHeadAttention in training mode (torch.manual_seed(9); dropout on the attention weights)")


@pytest.mark.task("6.7")
def test_mha_indivisible_heads_raise(run):
    got = [run(P.mha_construct, 8, d_out, 4, 0.0, heads) for d_out, heads in ((10, 3), (8, 3), (6, 4))]
    check.equal(got, [{"raised": "ValueError"}] * 3, what="MultiHeadAttention(d_out % num_heads != 0)")
    check.equal(run(P.mha_construct, 8, 12, 4, 0.0, 3), {"raised": None}, what="MultiHeadAttention(d_out=12, num_heads=3)")


@pytest.mark.task("6.7")
@pytest.mark.parametrize("bias", [False, True])
def test_mha_seeded_construction(run, ref, bias):
    got = run(P.mha_params, 6, 8, 5, 0.1, 2, bias, 123)
    want = ref(P.mha_params, 6, 8, 5, 0.1, 2, bias, 123)
    check.equal(sorted(got), sorted(want), what="MultiHeadAttention parameter names")
    check.equal(got, want, what="MultiHeadAttention weights after torch.manual_seed (creation order)")
