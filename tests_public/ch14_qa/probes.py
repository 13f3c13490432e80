"""Probes for ch14_qa: call the student's code, return plain data. No expected values here.

The QA probes run the student's ``answer`` with the kit's model on questions they are given without
answers; the trusted tests compare with Hugging Face's pipeline and score exact matches.
"""
from __future__ import annotations

import time

from tests_public.torch_helpers import kitdata_module

_LOADED: dict = {}


def kit_model():
    """``(model, tokenizer)``: the kit's QA model, loaded by the kit (once per process)."""
    if not _LOADED:
        from transformers import AutoModelForQuestionAnswering, AutoTokenizer

        folder = str(kitdata_module("qa").kit_qa_model())
        _LOADED["pair"] = (AutoModelForQuestionAnswering.from_pretrained(folder).eval(),
                           AutoTokenizer.from_pretrained(folder))
    return _LOADED["pair"]


def best_span_run(start_logits, end_logits, max_answer_len=None):
    """``best_span(start, end[, max_answer_len])`` as ``[s, e, score]`` (or the exception's name)."""
    from ch14_qa.qa import best_span

    args = (start_logits, end_logits) if max_answer_len is None else (start_logits, end_logits, max_answer_len)
    try:
        s, e, score = best_span(*args)
    except NotImplementedError:
        raise  # a TODO stays a TODO
    except Exception as exc:  # an error is a result here
        return {"raised": type(exc).__name__}
    return [int(s), int(e), float(score)]


def best_span_many(cases: list):
    """``best_span_run`` over ``[start, end, max_answer_len]`` cases."""
    return [best_span_run(*case) for case in cases]


def span_texts(context: str, offsets: list, spans: list) -> list:
    """``span_to_text(context, offsets, s, e)`` for each ``[s, e]``."""
    from ch14_qa.qa import span_to_text

    return [span_to_text(context, offsets, s, e) for s, e in spans]


class QuestionBoost:
    """The kit's model with +100 added to the start and end logits of every non-context token
    (``token_type_ids == 0``: [CLS], the question, the first [SEP]): only a context mask keeps them out."""

    def __init__(self, model) -> None:
        self.model = model

    def __getattr__(self, name):  # config, device, to(), ... as the wrapped model's
        return getattr(self.model, name)

    def eval(self):
        self.model.eval()
        return self

    def __call__(self, **inputs):
        out = self.model(**inputs)
        boost = (inputs["token_type_ids"] == 0).to(out.start_logits.dtype) * 100.0
        out.start_logits = out.start_logits + boost
        out.end_logits = out.end_logits + boost
        return out


def answers(pairs: list, max_answer_len=None, boost_question: bool = False) -> dict:
    """The student's ``answer(question, context, model, tokenizer)`` with the kit's model, per ``[question, context]``
    (``boost_question``: the model wrapped in :class:`QuestionBoost`)."""
    from ch14_qa.qa import answer

    model, tokenizer = kit_model()
    if boost_question:
        model = QuestionBoost(model)
    kwargs = {} if max_answer_len is None else {"max_answer_len": max_answer_len}
    start = time.perf_counter()
    out = []
    for question, context in pairs:
        got = answer(question, context, model, tokenizer, **kwargs)
        out.append({"answer": str(got["answer"]), "start": int(got["start"]), "end": int(got["end"]),
                    "score": float(got["score"])})
    return {"answers": out, "seconds": time.perf_counter() - start}
