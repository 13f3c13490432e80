"""Loading and validating quiz banks (one YAML file per chapter, see quizzes/README.md)."""
from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .style import longest_problems, question_problems

TYPES = ("single", "multiple", "matching", "code_blanks", "short")
MODES = ("self-check", "graded")
KEY_FIELDS = ("answer", "explanation", "reference", "key_points")
BLANK_RE = re.compile(r"___(\d+)___")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_BANK_KEYS = {"chapter", "mode", "title", "questions"}
_COMMON_KEYS = {"id", "type", "topic", "prompt", "answer", "explanation"}
_TYPE_KEYS = {
    "single": {"options"},
    "multiple": {"options"},
    "matching": {"left", "right"},
    "code_blanks": {"code", "terms"},
    "short": {"reference", "key_points"},
}


class QuizError(Exception):
    """A bank, chapter or answer file that cannot be used."""


def load_yaml(path: Path) -> Any:
    """Parse a YAML file; any failure becomes a `QuizError`."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise QuizError(f"{path}: {exc}") from exc


def as_id(value: Any) -> Any:
    """YAML reads `1` as an int: ids and blank numbers are strings everywhere else."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def load_bank(path: Path) -> dict:
    """Read a bank with its ids (option, item, term, blank and answer ids) as strings."""
    bank = load_yaml(path)
    if not isinstance(bank, dict):
        raise QuizError(f"{path}: a bank must be a mapping")
    for q in bank.get("questions") or []:
        if not isinstance(q, dict):
            continue
        for field in ("options", "left", "right", "terms"):
            for item in q.get(field) or []:
                if isinstance(item, dict) and "id" in item:
                    item["id"] = as_id(item["id"])
        answer = q.get("answer")
        if isinstance(answer, dict):
            q["answer"] = {as_id(k): as_id(v) for k, v in answer.items()}
        elif isinstance(answer, list):
            q["answer"] = [as_id(v) for v in answer]
        elif answer is not None:
            q["answer"] = as_id(answer)
    return bank


def blanks(code: str) -> list[str]:
    """The distinct blank numbers of a code listing, in numeric order."""
    return sorted(set(BLANK_RE.findall(code)), key=int)


def strip_answer_keys(bank: dict) -> dict:
    """A copy of `bank` without answers, explanations, references and key points."""
    stripped = copy.deepcopy(bank)
    for q in stripped.get("questions", []):
        for key in KEY_FIELDS:
            q.pop(key, None)
    return stripped


def has_answer_keys(bank: dict) -> bool:
    """Whether every question still carries what checking it needs."""
    questions = bank.get("questions") or []
    return all(not isinstance(q, dict) or ("key_points" if q.get("type") == "short" else "answer") in q
               for q in questions)


def _text(value: Any, field: str, chinese: bool = False) -> list[str]:
    """Problems of a bilingual field `{zh: ..., en: ...}`."""
    if not isinstance(value, dict):
        return [f"{field} must be a mapping with zh and en"]
    problems = [f"{field} has unknown key {k!r}" for k in value if k not in ("zh", "en")]
    for lang in ("zh", "en"):
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{field}.{lang} is missing or empty")
    if chinese and isinstance(value.get("zh"), str) and value["zh"].strip() and not _CJK_RE.search(value["zh"]):
        problems.append(f"{field}.zh has no Chinese text")
    return problems


def _items(items: Any, field: str, text_keys: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Problems and ids of a list of items (options, left, right or terms)."""
    if not isinstance(items, list) or not items:
        return [f"{field} must be a non-empty list"], []
    problems: list[str] = []
    ids: list[str] = []
    seen_texts: dict[tuple[str, str], str] = {}
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            problems.append(f"{field}[{n}] must be a mapping")
            continue
        item_id = item.get("id")
        if not isinstance(item_id, str) or not item_id.strip():
            problems.append(f"{field}[{n}] needs a string id")
            continue
        where = f"{field} {item_id!r}"
        if item_id in ids:
            problems.append(f"{where}: duplicate id")
        ids.append(item_id)
        problems += [f"{where}: unknown key {k!r}" for k in item if k not in ("id", *text_keys)]
        if text_keys == ("text",):
            if not isinstance(item.get("text"), str) or not item["text"].strip():
                problems.append(f"{where}: text is missing or empty")
        else:
            problems += _text({k: item.get(k) for k in text_keys}, where)
        for key in text_keys:
            text = item.get(key)
            if isinstance(text, str) and text.strip():
                other = seen_texts.setdefault((key, _norm(text)), item_id)
                if other != item_id:
                    problems.append(f"{where}: same {key} text as {other!r}")
    return problems, ids


def _choice_answer(q: dict, ids: list[str]) -> list[str]:
    answer = q.get("answer")
    if q["type"] == "single":
        if not isinstance(answer, str):
            return ["answer must be one option id"]
        return [] if answer in ids else [f"answer refers to unknown option {answer!r}"]
    if not isinstance(answer, list) or not answer:
        return ["answer must be a non-empty list of option ids"]
    problems = [f"answer refers to unknown option {a!r}" for a in answer if a not in ids]
    if len(set(map(str, answer))) != len(answer):
        problems.append("answer lists an option twice")
    return problems


def _mapping_answer(answer: Any, slots: list[str], targets: list[str], slot_name: str, target_name: str) -> list[str]:
    if not isinstance(answer, dict):
        return [f"answer must be a mapping {slot_name} -> {target_name} id"]
    problems = [f"answer names unknown {slot_name} {k!r}" for k in answer if k not in slots]
    problems += [f"{slot_name} {s!r} has no answer" for s in slots if s not in answer]
    problems += [f"answer for {slot_name} {k!r} refers to unknown {target_name} {v!r}"
                 for k, v in answer.items() if v not in targets]
    return problems


def _key_points(points: Any) -> list[str]:
    if not isinstance(points, list) or not points:
        return ["key_points must be a non-empty list"]
    problems: list[str] = []
    for n, point in enumerate(points, 1):
        where = f"key_points[{n}]"
        if not isinstance(point, dict):
            problems.append(f"{where} must be a mapping")
            continue
        problems += [f"{where} has unknown key {k!r}" for k in point if k not in ("zh", "en", "keywords")]
        problems += _text({k: point.get(k) for k in ("zh", "en")}, where)
        words = point.get("keywords")
        if not isinstance(words, list) or not words:
            problems.append(f"{where}.keywords must be a non-empty list")
        elif not all(isinstance(w, str) and w.strip() and w == w.lower() for w in words):
            problems.append(f"{where}.keywords must be non-empty lowercase strings")
    return problems


def check_question(q: Any) -> list[str]:
    """Problems of one question (without the bank-wide checks)."""
    if not isinstance(q, dict):
        return ["a question must be a mapping"]
    qtype = q.get("type")
    if qtype not in TYPES:
        return [f"type must be one of {', '.join(TYPES)}"]
    problems = [f"unknown key {k!r}" for k in q if k not in _COMMON_KEYS | _TYPE_KEYS[qtype]]
    if not isinstance(q.get("id"), str) or not q["id"].strip():
        problems.append("id must be a non-empty string")
    problems += _text(q.get("prompt"), "prompt", chinese=True)
    problems += _text(q.get("explanation"), "explanation", chinese=True)
    if "topic" in q:
        problems += _text(q["topic"], "topic")
    if qtype in ("single", "multiple"):
        item_problems, ids = _items(q.get("options"), "options", ("zh", "en"))
        problems += item_problems
        if len(ids) < 2:
            problems.append("options needs at least two options")
        problems += _choice_answer(q, ids)
    elif qtype == "matching":
        left_problems, left = _items(q.get("left"), "left", ("zh", "en"))
        right_problems, right = _items(q.get("right"), "right", ("zh", "en"))
        problems += left_problems + right_problems
        if len(right) < len(left):
            problems.append("right needs at least as many items as left")
        problems += _mapping_answer(q.get("answer"), left, right, "left item", "right item")
    elif qtype == "code_blanks":
        code = q.get("code")
        numbers = blanks(code) if isinstance(code, str) else []
        if not numbers:
            problems.append("code must be a listing with blanks like ___1___")
        term_problems, terms = _items(q.get("terms"), "terms", ("text",))
        problems += term_problems
        problems += _mapping_answer(q.get("answer"), numbers, terms, "blank", "term")
    else:
        if "answer" in q:
            problems.append("a short question has no answer field (use reference and key_points)")
        problems += _text(q.get("reference"), "reference")
        problems += _key_points(q.get("key_points"))
    return problems


def validate_bank(bank: Any, name: str, style: bool = True) -> list[str]:
    """Problems of one bank read from `<name>.yaml`, each prefixed with the file and question.

    With `style`, also the authoring rules of `style.py` (choice letters, longest option, code comments).
    """
    if not isinstance(bank, dict):
        return [f"{name}.yaml: a bank must be a mapping"]
    problems = [f"unknown key {k!r}" for k in bank if k not in _BANK_KEYS]
    if bank.get("chapter") != name:
        problems.append(f"chapter must equal the file name {name!r}")
    if bank.get("mode") not in MODES:
        problems.append(f"mode must be one of {', '.join(MODES)}")
    problems += _text(bank.get("title"), "title")
    out = [f"{name}.yaml: {p}" for p in problems]
    questions = bank.get("questions")
    if not isinstance(questions, list) or not questions:
        return [*out, f"{name}.yaml: questions must be a non-empty list"]
    valid = []
    for n, q in enumerate(questions, 1):
        qid = q.get("id") if isinstance(q, dict) else None
        where = qid if isinstance(qid, str) and qid.strip() else f"question {n}"
        problems = check_question(q)
        if not problems:
            valid.append(q)
            problems = question_problems(q) if style else []
        out += [f"{name}.yaml: {where}: {p}" for p in problems]
    return out + [f"{name}.yaml: {p}" for p in (longest_problems(valid) if style else [])]


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _duplicates(banks: Iterable[tuple[str, dict]]) -> list[str]:
    """Question ids and prompts used more than once across banks."""
    problems: list[str] = []
    ids: dict[str, str] = {}
    prompts: dict[tuple[str, str], str] = {}
    for name, bank in banks:
        for q in bank.get("questions") or []:
            if not isinstance(q, dict) or not isinstance(q.get("id"), str):
                continue
            where = f"{name}.yaml: {q['id']}"
            if q["id"] in ids:
                problems.append(f"{where}: id already used in {ids[q['id']]}")
            ids.setdefault(q["id"], f"{name}.yaml")
            prompt: dict = q["prompt"] if isinstance(q.get("prompt"), dict) else {}
            for lang in ("zh", "en"):
                if isinstance(prompt.get(lang), str) and prompt[lang].strip():
                    other = prompts.setdefault((lang, _norm(prompt[lang])), where)
                    if other != where:
                        problems.append(f"{where}: same {lang} prompt as {other}")
    return problems


def validate_all(quiz_dir: Path) -> list[str]:
    """Problems of every `*.yaml` bank in `quiz_dir`, including ids and prompts repeated across banks."""
    paths = sorted(Path(quiz_dir).glob("*.yaml"))
    if not paths:
        return [f"{quiz_dir}: no *.yaml banks"]
    problems: list[str] = []
    banks: list[tuple[str, dict]] = []
    for path in paths:
        try:
            bank = load_bank(path)
        except QuizError as exc:
            problems.append(str(exc))
            continue
        problems += validate_bank(bank, path.stem)
        banks.append((path.stem, bank))
    return problems + _duplicates(banks)
