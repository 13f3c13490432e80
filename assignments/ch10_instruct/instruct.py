"""Instruction fine-tuning (book ch. 7): Alpaca-style prompts, the instruction dataset, the collate
function that pads, shifts and masks a batch, response extraction, and scoring responses with a judge.

A *judge* is any callable ``judge(prompt: str) -> str`` whose answer holds an integer score 0–100:
:class:`OllamaJudge` asks a local Ollama server (``ollama serve``; the book uses Llama 3), and the
given :class:`OverlapJudge` scores offline by word overlap, so the chapter runs without Ollama.
"""
from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.request
import warnings
from collections import Counter

import torch
from torch.utils.data import Dataset

PREAMBLE = ("Below is an instruction that describes a task. "
            "Write a response that appropriately completes the request.")
RESPONSE_HEADER = "\n\n### Response:\n"


def format_input(entry: dict) -> str:
    """The Alpaca prompt for ``entry`` (book listing 7.2), without the response::

        PREAMBLE + "\\n\\n### Instruction:\\n" + entry["instruction"]
                 + "\\n\\n### Input:\\n" + entry["input"]      # only when the input is non-empty

    A missing ``input`` key counts as an empty input. The training text is
    ``format_input(entry) + RESPONSE_HEADER + entry["output"]``.
    """
    # TODO 10.1: 先拼 PREAMBLE 和 "\n\n### Instruction:\n" + 指令；只有 input 非空时（entry.get("input")）才接上 "\n\n### Input:\n" + input
    #   PREAMBLE, then "\n\n### Instruction:\n" + the instruction; add "\n\n### Input:\n" + input only when it is non-empty (entry.get("input"))
    raise NotImplementedError("TODO 10.1: format_input")


def partition_data(data: list, train_frac: float = 0.85, test_frac: float = 0.1) -> tuple[list, list, list]:
    """``(train, test, val)`` slices of ``data`` in its order (no shuffling): ``int(len(data) * train_frac)``
    entries for training, the next ``int(len(data) * test_frac)`` for testing, the rest for validation."""
    # TODO 10.2: train_portion = int(len * train_frac)，test_portion = int(len * test_frac)；按顺序切片，剩下的全是验证集
    #   train_portion = int(len * train_frac), test_portion = int(len * test_frac); slice in order, the rest is validation
    raise NotImplementedError("TODO 10.2: partition_data")


class InstructionDataset(Dataset):
    """Pre-tokenised training texts (book listing 7.4).

    ``encoded_texts[i] = tokenizer.encode(format_input(entry) + RESPONSE_HEADER + entry["output"])``
    (a list of ints); ``dataset[i]`` returns it and ``len(dataset)`` is the number of entries.
    """

    def __init__(self, data: list, tokenizer) -> None:
        # TODO 10.3: 对每条数据：format_input(entry) + RESPONSE_HEADER + entry["output"]，用 tokenizer.encode 编码后存进 self.encoded_texts
        #   for each entry: format_input(entry) + RESPONSE_HEADER + entry["output"], encoded with tokenizer.encode, stored in self.encoded_texts
        raise NotImplementedError("TODO 10.3: InstructionDataset.__init__")

    def __getitem__(self, index: int) -> list:
        # TODO 10.3: 对每条数据：format_input(entry) + RESPONSE_HEADER + entry["output"]，用 tokenizer.encode 编码后存进 self.encoded_texts
        #   for each entry: format_input(entry) + RESPONSE_HEADER + entry["output"], encoded with tokenizer.encode, stored in self.encoded_texts
        raise NotImplementedError("TODO 10.3: InstructionDataset.__getitem__")

    def __len__(self) -> int:
        # TODO 10.3: 对每条数据：format_input(entry) + RESPONSE_HEADER + entry["output"]，用 tokenizer.encode 编码后存进 self.encoded_texts
        #   for each entry: format_input(entry) + RESPONSE_HEADER + entry["output"], encoded with tokenizer.encode, stored in self.encoded_texts
        raise NotImplementedError("TODO 10.3: InstructionDataset.__len__")


def custom_collate_fn(batch: list, pad_token_id: int = 50256, ignore_index: int = -100,
                      allowed_max_length: int | None = None, device="cpu") -> tuple[torch.Tensor, torch.Tensor]:
    """Turn a list of token-id lists into ``(inputs, targets)`` int64 tensors of shape ``(b, T)`` (listing 7.5).

    For each sequence: append one ``pad_token_id``, pad with ``pad_token_id`` to the longest such
    sequence of the batch; ``inputs`` drop the last position, ``targets`` the first (shifted by one);
    in each target row every ``pad_token_id`` after the first becomes ``ignore_index`` (the first
    stays: the model learns to end its answer). Then cut both to ``allowed_max_length`` positions
    (when given) and move them to ``device``.
    """
    # TODO 10.4: 先 +1 个 pad，再补齐到 max(len+1)；inputs = padded[:-1]，targets = padded[1:]；targets 里第一个 pad 之后的 pad 改成 ignore_index；最后截断到 allowed_max_length 并 .to(device)
    #   add one pad, pad to max(len + 1); inputs = padded[:-1], targets = padded[1:]; in targets, pads after the first become ignore_index; finally cut to allowed_max_length and .to(device)
    raise NotImplementedError("TODO 10.4: custom_collate_fn")


def extract_response(generated_text: str, input_text: str) -> str:
    """The model's answer: ``generated_text`` without its first ``len(input_text)`` characters (the
    prompt it continued), with ``"### Response:"`` removed and surrounding whitespace stripped."""
    # TODO 10.5: 去掉前 len(input_text) 个字符，把 "### Response:" 替换成空串，再 strip()
    #   drop the first len(input_text) characters, replace "### Response:" with "", then strip()
    raise NotImplementedError("TODO 10.5: extract_response")


def judge_prompt(entry: dict, json_key: str = "model_response") -> str:
    """The book's judging prompt for one entry (section 7.8); :func:`score_responses` sends exactly this."""
    return (f"Given the input `{format_input(entry)}` "
            f"and correct output `{entry['output']}`, "
            f"score the model response `{entry[json_key]}`"
            f" on a scale from 0 to 100, where 100 is the best score. "
            f"Respond with the integer number only.")


def score_responses(entries: list, judge, json_key: str = "model_response") -> list[int]:
    """Scores 0–100 for the entries' responses (``entry[json_key]``), in order (book section 7.8).

    For each entry: ``answer = judge(judge_prompt(entry, json_key))``; the score is the first integer
    in ``answer`` (an optional ``-`` and digits). An answer without one, or whose integer is outside
    0–100, is skipped with a ``warnings.warn`` (``UserWarning``) that quotes it, as the book's loop
    skips scores it cannot convert; so the list may be shorter than ``entries``.
    """
    # TODO 10.6: 每条：answer = judge(judge_prompt(entry, json_key))；re.search(r"-?\d+", answer) 取第一个整数；没有整数或不在 0–100 就 warnings.warn 并跳过
    #   per entry: answer = judge(judge_prompt(entry, json_key)); the first integer via re.search(r"-?\d+", answer); none, or outside 0-100: warnings.warn and skip
    raise NotImplementedError("TODO 10.6: score_responses")


class OllamaError(RuntimeError):
    """Ollama did not answer (no server, timeout) or answered something that is not Ollama's format."""


class OllamaJudge:
    """A judge backed by a local Ollama server's chat API (book section 7.8, ``query_model``).

    ``OllamaJudge(model="llama3", host="http://localhost:11434", seed=123, num_ctx=2048, timeout=60.0)``;
    ``host`` may omit ``http://``; a trailing ``/`` is ignored. Calling it with a prompt POSTs this JSON
    to ``{host}/api/chat`` (``Content-Type: application/json``)::

        {"model": model, "messages": [{"role": "user", "content": prompt}],
         "options": {"seed": seed, "temperature": 0, "num_ctx": num_ctx}, "stream": true}

    and reads the streamed answer: one JSON object per line, ``{"message": {"content": "..."}, "done": false}``
    ..., the last with ``"done": true``. It returns the contents joined in order (the text after the
    ``done`` line is not read). ``timeout`` (seconds) bounds connecting and every read. No server, a
    refused connection, a timeout, an HTTP error, a line that is not JSON or lacks
    ``message.content``, or an ``{"error": ...}`` line raise :class:`OllamaError` with a message in
    Chinese and English that names the URL (and, when no server answers, says to run ``ollama serve``).
    """

    def __init__(self, model: str = "llama3", host: str = "http://localhost:11434", seed: int = 123,
                 num_ctx: int = 2048, timeout: float = 60.0) -> None:
        # TODO 10.7: 记下参数；url = host（去掉末尾 "/"，没有 "://" 就加 "http://"）+ "/api/chat"
        #   keep the arguments; url = host (trailing "/" removed, "http://" added when there is no "://") + "/api/chat"
        raise NotImplementedError("TODO 10.7: OllamaJudge.__init__")

    def __call__(self, prompt: str) -> str:
        # TODO 10.7: urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST") → 逐行 json.loads，拼接 message.content，遇到 done 停；所有网络错误、超时、格式错误都转成 OllamaError（中英文）
        #   urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST") -> json.loads each line, join message.content, stop at done; turn every network error, timeout and bad format into an OllamaError (zh + en)
        raise NotImplementedError("TODO 10.7: OllamaJudge.__call__")


class OverlapJudge:
    """An offline, deterministic judge (given code): reads the reference output and the model's response
    out of the book's judging prompt (:func:`judge_prompt`) and answers their word-overlap F1 × 100,
    rounded, as text. Lowercase words (``\\w+``) are compared as multisets, as in SQuAD's F1."""

    _PROMPT = re.compile(r"and correct output `(?P<ref>.*)`, score the model response `(?P<resp>.*)` on a scale "
                         r"from 0 to 100", re.DOTALL)

    def __call__(self, prompt: str) -> str:
        match = self._PROMPT.search(prompt)
        if match is None:
            raise ValueError("离线评分器读不懂这个提示：它不是书中 7.8 节的评分提示格式。\n"
                             "the offline judge cannot read this prompt: it is not the book's judging prompt (section 7.8).")
        return str(round(100 * self.f1(match.group("resp"), match.group("ref"))))

    @staticmethod
    def f1(response: str, reference: str) -> float:
        """Word-overlap F1 of two texts in [0, 1] (1 when both have no words)."""
        got, want = Counter(re.findall(r"\w+", response.lower())), Counter(re.findall(r"\w+", reference.lower()))
        if not got or not want:
            return float(got == want)
        common = sum((got & want).values())
        if common == 0:
            return 0.0
        precision, recall = common / sum(got.values()), common / sum(want.values())
        return 2 * precision * recall / (precision + recall)
