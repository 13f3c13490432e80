"""Ask a question about a text: ``python -m ch14_qa.ask --question "…" --context "…"``.

Prints your ``answer()`` (span, character positions, logit sum) next to what Hugging Face's own
question-answering pipeline (``build_pipeline``) says. The model is the handout's
``uer/roberta-base-chinese-extractive-qa`` when it is available, else the kit's small bilingual model.
"""
from __future__ import annotations

import argparse
import time

from ch14_qa.qa import answer, build_pipeline, load_model

EXAMPLE = {"zh": ("李华出生在哪里？", "李华于1998年出生在杭州。她是一名工程师，现在住在成都。"),
           "en": ("Where does Mara Quill live now?",
                  "Mara Quill was born in Oslo in 1987. Mara works as a pilot and now lives in Porto.")}


def main(argv=None) -> int:
    from transformers.utils import logging

    from kitdata.qa import qa_model_dir

    parser = argparse.ArgumentParser(description="extractive question answering / 抽取式问答")
    parser.add_argument("--question", help="the question / 问题")
    parser.add_argument("--context", help="the text holding the answer / 包含答案的文本")
    parser.add_argument("--model", default=None, help="a local model folder (default: handout model, else the kit's)")
    parser.add_argument("--max-answer-len", type=int, default=30)
    parser.add_argument("--offline", action="store_true", help="use the kit's model even with a network")
    args = parser.parse_args(argv)
    logging.disable_progress_bar()

    examples = [(args.question, args.context)] if args.question and args.context else list(EXAMPLE.values())
    model_dir = args.model or qa_model_dir(True if args.offline else None)
    print(f"模型 / model: {model_dir}")
    model, tokenizer = load_model(model_dir)
    qa_pipeline = build_pipeline(model_dir)
    for question, context in examples:
        t0 = time.perf_counter()
        got = answer(question, context, model, tokenizer, max_answer_len=args.max_answer_len)
        seconds = time.perf_counter() - t0
        ref = qa_pipeline(question=question, context=context, max_answer_len=args.max_answer_len, align_to_words=False)
        print(f"\n问题 / question: {question}\n上下文 / context: {context}")
        print(f"你的 answer() / your answer(): {got['answer']!r}  [{got['start']}:{got['end']}]  "
              f"logit sum {got['score']:.2f}  ({seconds * 1000:.0f} ms)")
        print(f"pipeline: {ref['answer']!r}  [{ref['start']}:{ref['end']}]  probability {ref['score']:.3f}")
        same = (got["start"], got["end"]) == (ref["start"], ref["end"])
        print("一致 / same span" if same else "不一致 / different spans")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
