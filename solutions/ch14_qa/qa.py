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
    ### BEGIN SOLUTION 14.1
    ### zh: scores[s, e] = start[s] + end[e]（广播成矩阵），只保留 s <= e < s + max_answer_len（torch.triu / tril），按行展开后 argmax 就是最小的 s、再最小的 e
    ### en: scores[s, e] = start[s] + end[e] (broadcast to a matrix), keep s <= e < s + max_answer_len (torch.triu / tril); argmax of the flattened matrix gives the smallest s, then e
    start = torch.as_tensor(start_logits, dtype=torch.float64).flatten()
    end = torch.as_tensor(end_logits, dtype=torch.float64).flatten()
    n = start.numel()
    scores = start[:, None] + end[None, :]
    allowed = torch.ones(n, n, dtype=torch.bool).triu().tril(max_answer_len - 1)
    scores = scores.masked_fill(~allowed, float("-inf"))
    best = int(torch.argmax(scores))
    s, e = divmod(best, n)
    return s, e, float(scores[s, e])
    ### END SOLUTION


def span_to_text(context: str, offsets, start: int, end: int) -> str:
    """The context's characters from token ``start``'s first to token ``end``'s last (``offsets[i] = (a, b)``)."""
    ### BEGIN SOLUTION 14.2
    ### zh: 偏移量按 token 下标（问题和特殊 token 也算在内）：context[offsets[start][0]:offsets[end][1]]
    ### en: offsets are indexed by token (question and special tokens included): context[offsets[start][0]:offsets[end][1]]
    return context[int(offsets[start][0]):int(offsets[end][1])]
    ### END SOLUTION


def answer(question: str, context: str, model, tokenizer, max_answer_len: int = 30) -> dict:
    """``{"answer", "start", "end", "score"}``: the best context span (character positions) and its logit sum."""
    ### BEGIN SOLUTION 14.3
    ### zh: tokenizer(question, context, return_offsets_mapping=True)；sequence_ids() == 1 的才是上下文 token，其余位置的 logits 设为 -inf；再用 best_span 和 span_to_text
    ### en: tokenizer(question, context, return_offsets_mapping=True); only tokens with sequence_ids() == 1 are context, set the other logits to -inf; then best_span and span_to_text
    enc = tokenizer(question, context, return_offsets_mapping=True, truncation="only_second", return_tensors="pt")
    offsets = enc.pop("offset_mapping")[0].tolist()
    is_context = torch.tensor([sid == 1 for sid in enc.sequence_ids(0)])
    model.eval()
    with torch.no_grad():
        out = model(**enc)
    start = out.start_logits[0].masked_fill(~is_context, float("-inf"))
    end = out.end_logits[0].masked_fill(~is_context, float("-inf"))
    s, e, score = best_span(start, end, max_answer_len)
    return {"answer": span_to_text(context, offsets, s, e), "start": int(offsets[s][0]), "end": int(offsets[e][1]),
            "score": score}
    ### END SOLUTION


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
