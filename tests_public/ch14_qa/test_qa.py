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


def _spans(answers):
    return [[a["start"], a["end"], a["answer"]] for a in answers]


@pytest.mark.task("14.1")
def test_best_span(run):
    start, end = [0.0, 3.0, 1.0, 0.0, 2.5], [0.0, 1.0, 4.0, 2.0, 0.5]
    cases = [[start, end, m] for m in (30, 1, 2)] + [[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], None]]  # ties: smallest s, then e
    check.cases([check.call("best_span", *(c if c[2] else c[:2])) for c in cases], run(P.best_span_many, cases),
                [brute_force_span(*(c if c[2] else c[:2])) for c in cases])


@pytest.mark.task("14.2")
def test_span_to_text(run):
    _, tokenizer = P.kit_model()
    question, context = EXAMPLES[0]
    enc = tokenizer(question, context, return_offsets_mapping=True)
    offsets = [list(o) for o in enc["offset_mapping"]]
    ids = [i for i, sid in enumerate(enc.sequence_ids()) if sid == 1]
    spans = [[ids[0], ids[0]], [ids[2], ids[5]], [ids[-3], ids[-2]]]
    want = [context[offsets[s][0]:offsets[e][1]] for s, e in spans]
    check.cases([f"span_to_text({context!r}, offsets, {s}, {e}) with the kit tokenizer's offsets (question tokens first)"
                 for s, e in spans], run(P.span_texts, context, offsets, spans), want)


@pytest.mark.task("14.3")
def test_answer_agrees_with_pipeline(run):
    qa = kit_pipeline()
    for max_len in (30, 1):
        got = run(P.answers, [list(p) for p in EXAMPLES], max_len)["answers"]
        want = [qa(question=q, context=c, max_answer_len=max_len, align_to_words=False) for q, c in EXAMPLES]
        check.cases([f"answer({q!r}, {c!r}, model, tokenizer, max_answer_len={max_len}): [start, end, answer] "
                     f"as transformers' question-answering pipeline finds them" for q, c in EXAMPLES],
                    _spans(got), _spans(want))
        for (q, _), mine in zip(EXAMPLES, got):
            check.that(math.isfinite(mine["score"]), {"zh": f"answer({q!r}, ...)['score'] 应该是有限的数，得到 {mine['score']}",
                                                       "en": f"answer({q!r}, ...)['score'] must be a finite number, got {mine['score']}"})


@pytest.mark.task("14.3")
def test_answer_only_from_context(run):
    got = run(P.answers, [list(p) for p in EXAMPLES], None, True)["answers"]
    qa = kit_pipeline()
    want = [qa(question=q, context=c, max_answer_len=30, align_to_words=False) for q, c in EXAMPLES]
    check.cases([f"answer({q!r}, {c!r}, model, tokenizer) with huge logits on [CLS] and the question tokens "
                 f"(only context tokens may be chosen): [start, end, answer]" for q, c in EXAMPLES], _spans(got), _spans(want))
