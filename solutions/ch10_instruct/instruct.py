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
    ### BEGIN SOLUTION 10.1
    ### zh: 先拼 PREAMBLE 和 "\n\n### Instruction:\n" + 指令；只有 input 非空时（entry.get("input")）才接上 "\n\n### Input:\n" + input
    ### en: PREAMBLE, then "\n\n### Instruction:\n" + the instruction; add "\n\n### Input:\n" + input only when it is non-empty (entry.get("input"))
    instruction_text = f"{PREAMBLE}\n\n### Instruction:\n{entry['instruction']}"
    input_text = f"\n\n### Input:\n{entry['input']}" if entry.get("input") else ""
    return instruction_text + input_text
    ### END SOLUTION


def partition_data(data: list, train_frac: float = 0.85, test_frac: float = 0.1) -> tuple[list, list, list]:
    """``(train, test, val)`` slices of ``data`` in its order (no shuffling): ``int(len(data) * train_frac)``
    entries for training, the next ``int(len(data) * test_frac)`` for testing, the rest for validation."""
    ### BEGIN SOLUTION 10.2
    ### zh: train_portion = int(len * train_frac)，test_portion = int(len * test_frac)；按顺序切片，剩下的全是验证集
    ### en: train_portion = int(len * train_frac), test_portion = int(len * test_frac); slice in order, the rest is validation
    train_portion = int(len(data) * train_frac)
    test_portion = int(len(data) * test_frac)
    train_data = data[:train_portion]
    test_data = data[train_portion:train_portion + test_portion]
    val_data = data[train_portion + test_portion:]
    return train_data, test_data, val_data
    ### END SOLUTION


class InstructionDataset(Dataset):
    """Pre-tokenised training texts (book listing 7.4).

    ``encoded_texts[i] = tokenizer.encode(format_input(entry) + RESPONSE_HEADER + entry["output"])``
    (a list of ints); ``dataset[i]`` returns it and ``len(dataset)`` is the number of entries.
    """

    def __init__(self, data: list, tokenizer) -> None:
        ### BEGIN SOLUTION 10.3
        ### zh: 对每条数据：format_input(entry) + RESPONSE_HEADER + entry["output"]，用 tokenizer.encode 编码后存进 self.encoded_texts
        ### en: for each entry: format_input(entry) + RESPONSE_HEADER + entry["output"], encoded with tokenizer.encode, stored in self.encoded_texts
        self.data = data
        self.encoded_texts = []
        for entry in data:
            full_text = format_input(entry) + RESPONSE_HEADER + entry["output"]
            self.encoded_texts.append(tokenizer.encode(full_text))
        ### END SOLUTION

    def __getitem__(self, index: int) -> list:
        ### BEGIN SOLUTION 10.3
        return self.encoded_texts[index]
        ### END SOLUTION

    def __len__(self) -> int:
        ### BEGIN SOLUTION 10.3
        return len(self.encoded_texts)
        ### END SOLUTION


def custom_collate_fn(batch: list, pad_token_id: int = 50256, ignore_index: int = -100,
                      allowed_max_length: int | None = None, device="cpu") -> tuple[torch.Tensor, torch.Tensor]:
    """Turn a list of token-id lists into ``(inputs, targets)`` int64 tensors of shape ``(b, T)`` (listing 7.5).

    For each sequence: append one ``pad_token_id``, pad with ``pad_token_id`` to the longest such
    sequence of the batch; ``inputs`` drop the last position, ``targets`` the first (shifted by one);
    in each target row every ``pad_token_id`` after the first becomes ``ignore_index`` (the first
    stays: the model learns to end its answer). Then cut both to ``allowed_max_length`` positions
    (when given) and move them to ``device``.
    """
    ### BEGIN SOLUTION 10.4
    ### zh: 先 +1 个 pad，再补齐到 max(len+1)；inputs = padded[:-1]，targets = padded[1:]；targets 里第一个 pad 之后的 pad 改成 ignore_index；最后截断到 allowed_max_length 并 .to(device)
    ### en: add one pad, pad to max(len + 1); inputs = padded[:-1], targets = padded[1:]; in targets, pads after the first become ignore_index; finally cut to allowed_max_length and .to(device)
    batch_max_length = max(len(item) + 1 for item in batch)
    inputs_lst, targets_lst = [], []
    for item in batch:
        new_item = list(item) + [pad_token_id]
        padded = new_item + [pad_token_id] * (batch_max_length - len(new_item))
        inputs = torch.tensor(padded[:-1])
        targets = torch.tensor(padded[1:])
        indices = torch.nonzero(targets == pad_token_id).squeeze(1)
        if indices.numel() > 1:
            targets[indices[1:]] = ignore_index
        if allowed_max_length is not None:
            inputs = inputs[:allowed_max_length]
            targets = targets[:allowed_max_length]
        inputs_lst.append(inputs)
        targets_lst.append(targets)
    return torch.stack(inputs_lst).to(device), torch.stack(targets_lst).to(device)
    ### END SOLUTION


def extract_response(generated_text: str, input_text: str) -> str:
    """The model's answer: ``generated_text`` without its first ``len(input_text)`` characters (the
    prompt it continued), with ``"### Response:"`` removed and surrounding whitespace stripped."""
    ### BEGIN SOLUTION 10.5
    ### zh: 去掉前 len(input_text) 个字符，把 "### Response:" 替换成空串，再 strip()
    ### en: drop the first len(input_text) characters, replace "### Response:" with "", then strip()
    return generated_text[len(input_text):].replace("### Response:", "").strip()
    ### END SOLUTION


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
    ### BEGIN SOLUTION 10.6
    ### zh: 每条：answer = judge(judge_prompt(entry, json_key))；re.search(r"-?\d+", answer) 取第一个整数；没有整数或不在 0–100 就 warnings.warn 并跳过
    ### en: per entry: answer = judge(judge_prompt(entry, json_key)); the first integer via re.search(r"-?\d+", answer); none, or outside 0-100: warnings.warn and skip
    scores = []
    for entry in entries:
        answer = judge(judge_prompt(entry, json_key))
        match = re.search(r"-?\d+", answer)
        score = int(match.group()) if match else None
        if score is None or not 0 <= score <= 100:
            warnings.warn(f"无法换算成分数，已跳过 / could not convert the score, skipped: {answer!r}", UserWarning)
            continue
        scores.append(score)
    return scores
    ### END SOLUTION


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
        ### BEGIN SOLUTION 10.7
        ### zh: 记下参数；url = host（去掉末尾 "/"，没有 "://" 就加 "http://"）+ "/api/chat"
        ### en: keep the arguments; url = host (trailing "/" removed, "http://" added when there is no "://") + "/api/chat"
        self.model, self.seed, self.num_ctx, self.timeout = model, seed, num_ctx, timeout
        host = host.rstrip("/")
        self.url = (host if "://" in host else "http://" + host) + "/api/chat"
        ### END SOLUTION

    def __call__(self, prompt: str) -> str:
        ### BEGIN SOLUTION 10.7
        ### zh: urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST") → 逐行 json.loads，拼接 message.content，遇到 done 停；所有网络错误、超时、格式错误都转成 OllamaError（中英文）
        ### en: urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST") -> json.loads each line, join message.content, stop at done; turn every network error, timeout and bad format into an OllamaError (zh + en)
        payload = {"model": self.model, "messages": [{"role": "user", "content": prompt}],
                   "options": {"seed": self.seed, "temperature": 0, "num_ctx": self.num_ctx}, "stream": True}
        request = urllib.request.Request(self.url, data=json.dumps(payload).encode("utf-8"), method="POST",
                                         headers={"Content-Type": "application/json"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # a local server: no proxy
        parts = []
        try:
            with opener.open(request, timeout=self.timeout) as response:
                for raw in response:
                    line = raw.decode("utf-8", errors="replace").strip()
                    if not line:
                        continue
                    try:
                        chunk = json.loads(line)
                    except json.JSONDecodeError:
                        chunk = None
                    if isinstance(chunk, dict) and "error" in chunk:
                        raise OllamaError(f"Ollama（{self.url}）报错：{chunk['error']}\n"
                                          f"Ollama at {self.url} reported: {chunk['error']}")
                    message = chunk.get("message") if isinstance(chunk, dict) else None
                    if not isinstance(message, dict) or not isinstance(message.get("content"), str):
                        raise OllamaError(f"Ollama（{self.url}）的回答格式不对：{line[:200]!r}\n"
                                          f"Ollama at {self.url} sent a line that is not a chat chunk: {line[:200]!r}")
                    parts.append(message["content"])
                    if chunk.get("done"):
                        break
        except urllib.error.HTTPError as exc:
            body = exc.read()[:200]
            raise OllamaError(f"Ollama（{self.url}）返回 HTTP {exc.code}：{body!r}\n"
                              f"Ollama at {self.url} answered HTTP {exc.code}: {body!r}") from exc
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            raise OllamaError(f"无法从 {self.url} 得到 Ollama 的回答（{reason}）：请先运行 `ollama serve` 并 "
                              f"`ollama pull {self.model}`，或改用离线评分（--judge offline）。\n"
                              f"no answer from Ollama at {self.url} ({reason}): start it with `ollama serve` and "
                              f"`ollama pull {self.model}`, or use the offline judge (--judge offline).") from exc
        return "".join(parts)
        ### END SOLUTION


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
