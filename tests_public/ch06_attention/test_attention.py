"""Public tests for ch06_attention: the book's examples (ch. 3, "Your journey starts with one step")."""
import pytest
import torch

from grader.harness import check

from . import probes as P

INPUTS = torch.tensor(
    [[0.43, 0.15, 0.89],  # Your
     [0.55, 0.87, 0.66],  # journey
     [0.57, 0.85, 0.64],  # starts
     [0.22, 0.58, 0.33],  # with
     [0.77, 0.25, 0.10],  # one
     [0.05, 0.80, 0.55]]  # step
)
BATCH = torch.stack((INPUTS, INPUTS), dim=0)
SHORT = BATCH[:, :4].clone()  # 4 tokens with context_length 6: the mask is cut to the sequence


def _calls(name: str, seed: int, args: tuple, xs: list) -> list[str]:
    """``torch.manual_seed(123); CausalAttention(3, 2, 6, 0.0)(x), x of shape (2, 6, 3)`` per input."""
    return [f"torch.manual_seed({seed}); {check.call(name, *args)}(x), x of shape {tuple(x.shape)}" for x in xs]


@pytest.mark.task("6.1")
def test_softmax_naive_book_scores(run):
    scores = torch.tensor([0.9544, 1.4950, 1.4754, 0.8434, 0.7070, 1.0865])
    rows = torch.stack((scores, scores.flip(0), torch.linspace(-1.0, 2.0, 6)))  # a matrix: along the last dim
    xs = [scores, rows]
    check.cases([check.call("softmax_naive", x) for x in xs], run(P.softmax_naive_many, xs),
                [torch.softmax(x, dim=-1) for x in xs], check.close, atol=1e-6, rtol=0)


@pytest.mark.task("6.2")
def test_simple_attention_book_inputs(run, ref):
    check.cases([check.call("simple_attention", INPUTS)], run(P.simple_attention_many, [INPUTS]),
                ref(P.simple_attention_many, [INPUTS]), check.close, atol=1e-6, rtol=0)


@pytest.mark.task("6.3")
def test_self_attention_v1_seed_123(run, ref):
    check.cases(_calls("SelfAttention_v1", 123, (3, 2), [INPUTS]), [run(P.sa_v1_seeded_forward, 3, 2, 123, INPUTS)],
                [ref(P.sa_v1_seeded_forward, 3, 2, 123, INPUTS)], check.close, atol=1e-6, rtol=0)


@pytest.mark.task("6.4")
def test_self_attention_v2_seed_789(run, ref):
    check.cases(_calls("SelfAttention_v2", 789, (3, 2), [INPUTS]), [run(P.sa_v2_seeded_forward, 3, 2, 789, INPUTS)],
                [ref(P.sa_v2_seeded_forward, 3, 2, 789, INPUTS)], check.close, atol=1e-6, rtol=0)


@pytest.mark.task("6.5")
def test_causal_attention_batch(run, ref):
    xs = [BATCH, SHORT]
    got = [run(P.causal_seeded_forward, 3, 2, 6, 0.0, 123, x) for x in xs]
    want = [ref(P.causal_seeded_forward, 3, 2, 6, 0.0, 123, x) for x in xs]
    check.cases(_calls("CausalAttention", 123, (3, 2, 6, 0.0), xs), got, want, check.close, atol=1e-6, rtol=0)


@pytest.mark.task("6.5")
def test_causal_attention_dropout(run, ref):
    state = ref(P.causal_params, 3, 2, 6, 0.5, False, 123)
    got = run(P.causal_forward, 3, 2, 6, 0.5, False, state, [BATCH], True, 5)
    want = ref(P.causal_forward, 3, 2, 6, 0.5, False, state, [BATCH], True, 5)
    called = f"m = CausalAttention(3, 2, 6, dropout=0.5); m.train(); torch.manual_seed(5); m(x), x of shape {tuple(BATCH.shape)}"
    check.cases([called], got, want, check.close, atol=1e-6, rtol=0)


@pytest.mark.task("6.6")
def test_multihead_wrapper_two_heads(run, ref):
    check.cases(_calls("MultiHeadAttentionWrapper", 123, (3, 2, 6, 0.0, 2), [BATCH]),
                [run(P.wrapper_seeded_forward, 3, 2, 6, 2, 123, BATCH)], [ref(P.wrapper_seeded_forward, 3, 2, 6, 2, 123, BATCH)],
                check.close, atol=1e-6, rtol=0)


@pytest.mark.task("6.7")
def test_multihead_attention_two_heads(run, ref):
    shapes = [(3, 2), (3, 4)]  # head_dim 1 and 2: the scores are scaled by sqrt(head_dim)
    cases = [(d_in, d_out, x) for d_in, d_out in shapes for x in (BATCH, SHORT)]
    got = [run(P.mha_seeded_forward, d_in, d_out, 6, 2, 123, x) for d_in, d_out, x in cases]
    want = [ref(P.mha_seeded_forward, d_in, d_out, 6, 2, 123, x) for d_in, d_out, x in cases]
    calls = [_calls("MultiHeadAttention", 123, (d_in, d_out, 6, 0.0, 2), [x])[0] for d_in, d_out, x in cases]
    check.cases(calls, got, want, check.close, atol=1e-6, rtol=0)


@pytest.mark.task("6.7")
def test_multihead_attention_dropout(run, ref):
    state = ref(P.mha_params, 3, 4, 6, 0.5, 2, False, 123)
    got = run(P.mha_forward, 3, 4, 6, 0.5, 2, False, state, [BATCH], True, 5)
    want = ref(P.mha_forward, 3, 4, 6, 0.5, 2, False, state, [BATCH], True, 5)
    called = ("m = MultiHeadAttention(3, 4, 6, dropout=0.5, num_heads=2); m.train(); torch.manual_seed(5); "
              f"m(x), x of shape {tuple(BATCH.shape)}")
    check.cases([called], got, want, check.close, atol=1e-6, rtol=0)


@pytest.mark.task("6.7")
def test_multihead_attention_rejects_uneven_heads(run):
    check.cases(["MultiHeadAttention(3, 3, 6, 0.0, num_heads=2) raises"], [run(P.mha_construct, 3, 3, 6, 0.0, 2)["raised"]],
                ["ValueError"])
