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


@pytest.mark.task("6.1")
def test_softmax_naive_book_scores(run):
    scores = torch.tensor([0.9544, 1.4950, 1.4754, 0.8434, 0.7070, 1.0865])
    got = run(P.softmax_naive_many, [scores])[0]
    check.close(got, torch.softmax(scores, dim=0), atol=1e-6, rtol=0, what="softmax_naive")


@pytest.mark.task("6.2")
def test_simple_attention_book_inputs(run, ref):
    got = run(P.simple_attention_many, [INPUTS])[0]
    check.equal(tuple(got.shape), (6, 3), what="simple_attention shape")
    check.close(got, ref(P.simple_attention_many, [INPUTS])[0], atol=1e-6, rtol=0, what="simple_attention")


@pytest.mark.task("6.3")
def test_self_attention_v1_seed_123(run, ref):
    got = run(P.sa_v1_seeded_forward, 3, 2, 123, INPUTS)
    check.equal(tuple(got.shape), (6, 2), what="SelfAttention_v1 output shape")
    check.close(got, ref(P.sa_v1_seeded_forward, 3, 2, 123, INPUTS), atol=1e-6, rtol=0, what="SelfAttention_v1 (seed 123)")


@pytest.mark.task("6.4")
def test_self_attention_v2_seed_789(run, ref):
    got = run(P.sa_v2_seeded_forward, 3, 2, 789, INPUTS)
    check.close(got, ref(P.sa_v2_seeded_forward, 3, 2, 789, INPUTS), atol=1e-6, rtol=0, what="SelfAttention_v2 (seed 789)")


@pytest.mark.task("6.5")
def test_causal_attention_batch(run, ref):
    got = run(P.causal_seeded_forward, 3, 2, 6, 0.0, 123, BATCH)
    check.equal(tuple(got.shape), (2, 6, 2), what="CausalAttention output shape")
    check.close(got, ref(P.causal_seeded_forward, 3, 2, 6, 0.0, 123, BATCH), atol=1e-6, rtol=0, what="CausalAttention (seed 123)")


@pytest.mark.task("6.6")
def test_multihead_wrapper_two_heads(run, ref):
    got = run(P.wrapper_seeded_forward, 3, 2, 6, 2, 123, BATCH)
    check.equal(tuple(got.shape), (2, 6, 4), what="MultiHeadAttentionWrapper output shape")
    check.close(got, ref(P.wrapper_seeded_forward, 3, 2, 6, 2, 123, BATCH), atol=1e-6, rtol=0,
                what="MultiHeadAttentionWrapper (seed 123)")


@pytest.mark.task("6.7")
def test_multihead_attention_two_heads(run, ref):
    got = run(P.mha_seeded_forward, 3, 2, 6, 2, 123, BATCH)
    check.equal(tuple(got.shape), (2, 6, 2), what="MultiHeadAttention output shape")
    check.close(got, ref(P.mha_seeded_forward, 3, 2, 6, 2, 123, BATCH), atol=1e-6, rtol=0, what="MultiHeadAttention (seed 123)")
