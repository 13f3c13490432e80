"""Hidden checks for ch14_qa: best_span vs brute force on random logits (ties, max_answer_len, length-1
inputs), span_to_text vs a real fast tokenizer's offsets, answer() vs transformers' own pipeline, and the
exact-match rate on held-out generated questions (generated here; the answers never leave this process)."""
import random

import numpy as np
import pytest

from grader.harness import check
from tests_hidden.ch14_qa import probes as P
from tests_public.ch14_qa.test_qa import brute_force_span, kit_pipeline

HELD_OUT_SEED = 914_2026  # the held-out questions: not the kit's training seed
HELD_OUT_N = 200
EXACT_MATCH_MIN = 0.85  # the reference scores 1.00 on this set (3 seeds of held-out questions: 1.00, 1.00, 1.00)
AGREE_N = 30


def _examples(n, seed):
    return P.kitdata_module("qa").generate_examples(n, seed)


@pytest.mark.task("14.1")
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_best_span_brute_force(run, seed):
    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(40):
        n = int(rng.choice([1, 2, 3, 5, 8, 17]))
        max_len = int(rng.choice([1, 2, 3, 4, 30]))
        # small integers: many exact ties, the same in float32 and float64
        start = rng.integers(-3, 4, size=n).astype(float).tolist()
        end = rng.integers(-3, 4, size=n).astype(float).tolist()
        cases.append([start, end, max_len])
    got = run(P.best_span_many, cases)
    for (start, end, max_len), mine in zip(cases, got):
        check.equal(mine, brute_force_span(start, end, max_len),
                    what=f"best_span({start}, {end}, max_answer_len={max_len}) [s, e, score]")


@pytest.mark.task("14.1")
def test_best_span_tensors_and_masked_positions(run):
    import torch

    g = torch.Generator().manual_seed(5)
    start, end = torch.randn(40, generator=g), torch.randn(40, generator=g)
    start[:10] = float("-inf")
    end[:10] = float("-inf")
    want = brute_force_span(start.double().tolist(), end.double().tolist(), 30)
    got = run(P.best_span_run, start, end)
    check.equal(got[:2], want[:2], what="best_span on float tensors with -inf (masked) positions: [s, e]")
    check.close(got[2], want[2], atol=1e-5, rtol=1e-6, what="best_span score")
    check.equal(run(P.best_span_run, [2.0], [-1.0], 30), [0, 0, 1.0], what="best_span on a length-1 input")


@pytest.mark.task("14.2")
def test_span_to_text_real_offsets(run):
    _, tokenizer = P.kit_model()
    rng = random.Random(7)
    for example in _examples(12, 77):
        q, c = example["question"], example["context"]
        enc = tokenizer(q, c, return_offsets_mapping=True)
        offsets = [list(o) for o in enc["offset_mapping"]]
        ids = [i for i, sid in enumerate(enc.sequence_ids()) if sid == 1]
        spans = []
        for _ in range(6):
            a, b = sorted(rng.sample(ids, 2)) if len(ids) > 1 else (ids[0], ids[0])
            spans.append([a, b])
        spans.append([ids[-1], ids[-1]])
        want = [c[offsets[s][0]:offsets[e][1]] for s, e in spans]
        check.equal(run(P.span_texts, c, offsets, spans), want,
                    what=f"span_to_text on {c!r} with offsets from the fast tokenizer (special and question tokens included)")


@pytest.mark.task("14.3")
def test_answer_same_span_as_pipeline(run):
    examples = _examples(AGREE_N, HELD_OUT_SEED + 1)
    pairs = [[e["question"], e["context"]] for e in examples]
    got = run(P.answers, pairs, timeout=120)["answers"]
    qa = kit_pipeline()
    for (question, context), mine in zip(pairs, got):
        theirs = qa(question=question, context=context, max_answer_len=30, align_to_words=False)
        same = [mine["start"], mine["end"], mine["answer"]] == [theirs["start"], theirs["end"], theirs["answer"]]
        check.that(same, {"zh": f"answer({question!r})：你的 {mine['answer']!r} [{mine['start']}:{mine['end']}]，"
                                f"pipeline 的 {theirs['answer']!r} [{theirs['start']}:{theirs['end']}]",
                          "en": f"answer({question!r}): yours {mine['answer']!r} [{mine['start']}:{mine['end']}], "
                                f"the pipeline's {theirs['answer']!r} [{theirs['start']}:{theirs['end']}]"})


@pytest.mark.task("14.3")
def test_answer_never_outside_context(run):
    examples = _examples(10, HELD_OUT_SEED + 3)
    pairs = [[e["question"], e["context"]] for e in examples]
    got = run(P.answers, pairs, None, True, timeout=120)["answers"]
    qa = kit_pipeline()
    for (question, context), mine in zip(pairs, got):
        theirs = qa(question=question, context=context, max_answer_len=30, align_to_words=False)
        check.equal([mine["start"], mine["end"], mine["answer"]], [theirs["start"], theirs["end"], theirs["answer"]],
                    what=f"answer({question!r}) when [CLS] and the question tokens score highest: [start, end, text]")


@pytest.mark.task("14.3")
def test_answer_max_answer_len(run):
    examples = _examples(6, HELD_OUT_SEED + 2)
    pairs = [[e["question"], e["context"]] for e in examples]
    got = run(P.answers, pairs, 1, timeout=120)["answers"]
    qa = kit_pipeline()
    for (question, context), mine in zip(pairs, got):
        theirs = qa(question=question, context=context, max_answer_len=1, align_to_words=False)
        check.equal([mine["start"], mine["end"]], [theirs["start"], theirs["end"]],
                    what=f"answer({question!r}, max_answer_len=1) vs the pipeline: [start, end]")


@pytest.mark.slow
@pytest.mark.task("14.3")
def test_exact_match_on_held_out_questions(run):
    examples = _examples(HELD_OUT_N, HELD_OUT_SEED)
    got = run(P.answers, [[e["question"], e["context"]] for e in examples], timeout=240)["answers"]
    check.that(len(got) == len(examples), {"zh": "答案数量与问题数量不符", "en": "not one answer per question"})
    exact = float(np.mean([g["answer"].strip() == e["answer"] for g, e in zip(got, examples)]))
    check.that(exact >= EXACT_MATCH_MIN,
               {"zh": f"{HELD_OUT_N} 个未见过的问题上精确匹配率 {exact:.3f}，需要 ≥ {EXACT_MATCH_MIN}",
                "en": f"exact match on {HELD_OUT_N} held-out questions is {exact:.3f}; needs ≥ {EXACT_MATCH_MIN}"})
