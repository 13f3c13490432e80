"""Public tests for ch14_qa (handout 3.2, extractive question answering): one per task.

The oracles are a brute-force span search, the fast tokenizer's own offsets and the question-answering
pipeline (``transformers.pipeline("question-answering")``; with transformers 5, which removed it, the same
steps around transformers' own span selection, ``kitdata.qa.QAPipeline``), run here on the kit's QA model.
"""
import math

import pytest

from grader.harness import check
from tests_public.ch14_qa import probes as P

EXAMPLES = [
    ("Where does Mara Quill live now?", "Mara Quill was born in Oslo in 1987. Mara works as a pilot and now lives in Porto."),
    ("In which year was Mara Quill born?", "Mara Quill was born in Oslo in 1987. Mara works as a pilot and now lives in Porto."),
    ("李华出生在哪里？", "李华于1998年出生在杭州。老城区的街道很窄。李华是一名工程师，现在住在成都。"),
    ("李华的职业是什么？", "李华于1998年出生在杭州。老城区的街道很窄。李华是一名工程师，现在住在成都。"),
]


def brute_force_span(start, end, max_answer_len=30):
    """Every allowed (s, e) in order; the first strictly better one wins (smallest s, then e, on ties)."""
    best = None
    for s in range(len(start)):
        for e in range(s, min(len(end), s + max_answer_len)):
            score = start[s] + end[e]
            if best is None or score > best[2]:
                best = (s, e, score)
    return list(best)


def kit_pipeline():
    qa = P.kitdata_module("qa")
    return qa.qa_pipeline(qa.kit_qa_model())


@pytest.mark.task("14.1")
def test_best_span(run):
    start, end = [0.0, 3.0, 1.0, 0.0, 2.5], [0.0, 1.0, 4.0, 2.0, 0.5]
    for max_len in (30, 1, 2):
        check.equal(run(P.best_span_run, start, end, max_len), brute_force_span(start, end, max_len),
                    what=f"best_span(start, end, max_answer_len={max_len})")
    check.equal(run(P.best_span_run, [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]), [0, 0, 2.0],
                what="best_span on ties: the smallest start, then the smallest end")


@pytest.mark.task("14.2")
def test_span_to_text(run):
    _, tokenizer = P.kit_model()
    question, context = EXAMPLES[0]
    enc = tokenizer(question, context, return_offsets_mapping=True)
    offsets = [list(o) for o in enc["offset_mapping"]]
    ids = [i for i, sid in enumerate(enc.sequence_ids()) if sid == 1]
    spans = [[ids[0], ids[0]], [ids[2], ids[5]], [ids[-3], ids[-2]]]
    want = [context[offsets[s][0]:offsets[e][1]] for s, e in spans]
    check.equal(run(P.span_texts, context, offsets, spans), want,
                what="span_to_text(context, offsets, s, e) with a real tokenizer's offsets (question tokens first)")


@pytest.mark.task("14.3")
def test_answer_agrees_with_pipeline(run):
    got = run(P.answers, [list(p) for p in EXAMPLES])["answers"]
    qa = kit_pipeline()
    for (question, context), mine in zip(EXAMPLES, got):
        theirs = qa(question=question, context=context, max_answer_len=30, align_to_words=False)
        check.equal([mine["start"], mine["end"], mine["answer"]], [theirs["start"], theirs["end"], theirs["answer"]],
                    what=f"answer({question!r}) vs transformers' question-answering pipeline [start, end, text]")
        check.that(math.isfinite(mine["score"]), {"zh": "score 应该是有限的数", "en": "score must be a finite number"})


@pytest.mark.task("14.3")
def test_answer_only_from_context(run):
    got = run(P.answers, [list(p) for p in EXAMPLES], None, True)["answers"]
    qa = kit_pipeline()
    for (question, context), mine in zip(EXAMPLES, got):
        theirs = qa(question=question, context=context, max_answer_len=30, align_to_words=False)
        check.equal([mine["start"], mine["end"], mine["answer"]], [theirs["start"], theirs["end"], theirs["answer"]],
                    what=f"answer({question!r}) with huge logits on [CLS] and the question tokens: only context "
                         f"tokens may be chosen")
