"""Extractive question answering (handout 3.2): score start and end positions, take the best span.

A QA model reads ``[CLS] question [SEP] context [SEP]`` and gives every token a start logit and an
end logit; the answer is the context span ``s..e`` maximising ``start[s] + end[e]`` (not too long),
mapped back to characters with the fast tokenizer's offsets. The handout calls
``pipeline("question-answering")`` on ``uer/roberta-base-chinese-extractive-qa``; here you write what
the pipeline does inside. Offline, a small model the kit trains stands in (``kitdata.qa``).
Run it: ``python -m ch14_qa.ask --question "…" --context "…"``.
"""
from __future__ import annotations

import torch


def best_span(start_logits, end_logits, max_answer_len: int = 30) -> tuple[int, int, float]:
    """``(s, e, score)`` maximising ``start_logits[s] + end_logits[e]`` over ``s <= e < s + max_answer_len``.

    Ties go to the smallest ``s``, then the smallest ``e``. 1-D tensors or lists of equal length.
    """
    # TODO 14.1: scores[s, e] = start[s] + end[e]（广播成矩阵），只保留 s <= e < s + max_answer_len（torch.triu / tril），按行展开后 argmax 就是最小的 s、再最小的 e
    #   scores[s, e] = start[s] + end[e] (broadcast to a matrix), keep s <= e < s + max_answer_len (torch.triu / tril); argmax of the flattened matrix gives the smallest s, then e
    raise NotImplementedError("TODO 14.1: best_span")


def span_to_text(context: str, offsets, start: int, end: int) -> str:
    """The context's characters from token ``start``'s first to token ``end``'s last (``offsets[i] = (a, b)``)."""
    # TODO 14.2: 偏移量按 token 下标（问题和特殊 token 也算在内）：context[offsets[start][0]:offsets[end][1]]
    #   offsets are indexed by token (question and special tokens included): context[offsets[start][0]:offsets[end][1]]
    raise NotImplementedError("TODO 14.2: span_to_text")


def answer(question: str, context: str, model, tokenizer, max_answer_len: int = 30) -> dict:
    """``{"answer", "start", "end", "score"}``: the best context span (character positions) and its logit sum."""
    # TODO 14.3: tokenizer(question, context, return_offsets_mapping=True)；sequence_ids() == 1 的才是上下文 token，其余位置的 logits 设为 -inf；再用 best_span 和 span_to_text
    #   tokenizer(question, context, return_offsets_mapping=True); only tokens with sequence_ids() == 1 are context, set the other logits to -inf; then best_span and span_to_text
    raise NotImplementedError("TODO 14.3: answer")


def build_pipeline(model_dir):
    """The question-answering pipeline on the local folder ``model_dir`` (given code).

    ``transformers.pipeline("question-answering", ...)`` as in the handout where transformers still
    has it; transformers 5 removed that task, and the kit's ``QAPipeline`` does the same steps.
    """
    from kitdata.qa import qa_pipeline

    return qa_pipeline(model_dir)


def load_model(model_dir):
    """``(model, tokenizer)`` from a local folder (given code)."""
    from transformers import AutoModelForQuestionAnswering, AutoTokenizer

    return AutoModelForQuestionAnswering.from_pretrained(str(model_dir)), AutoTokenizer.from_pretrained(str(model_dir))
