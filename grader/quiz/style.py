"""Bank style rules: choice letters that survive shuffling, no longest-answer giveaway, no hints in code.

Options (and matching / code-blank choices) are shuffled and re-lettered at display time, so bank
text must not name a choice by its bank letter. It names it by content, or by a placeholder `{b}`
that display replaces with the letter shown for bank choice `b` (see `fill`).

A *letter reference* is a lone Latin letter, outside `code spans` and formulas, that is the id of
one of the question's choices (a capitalised `B` at a sentence start counts for option `b`):
`b is wrong`, `(c)`, `选项 d`, `a、c`, `A and C`, `1B 2A`. A letter in a formula or in code is
a variable: next to an operator with a formula on the other side (`w·x + b`, `a = σ(z)`,
`a mod M`, `∂L/∂b`, but not `D = 一个块`), called or indexed (`a(1 - a)`, `a[0]`), or a call's
argument (`torch.tensor(a)`, `(w1, b)`). The letter a/A is also an English article, so it counts only where an article
cannot stand: not followed by a word (`(a)`, `to A.`, `A (chapter 8)`), after option/choice/选项,
in a list with another choice letter (`a, c`, `a and c`, `a/b`, `A → B`), before a verb
(`a is`, `a gets`), lowercase at the start of a sentence, or next to Chinese text.
`e.g.` / `i.e.` and hyphenated words (`d-dimensional`, `3-D`) are not references. A variable
named like a choice in prose (`the analytic gradient a`) is not caught: put it in a code span.
"""
from __future__ import annotations

import io
import re
import tokenize

CHOICE_FIELD = {"single": "options", "multiple": "options", "matching": "right", "code_blanks": "terms"}
BLANK_NAME = re.compile(r"___\d+___")
_PLACEHOLDER_OR_CODE = re.compile(r"`[^`]*`|\{([A-Za-z])\}")
_LIST_SEP = re.compile(r",? (?:and|or) |, |、|/|和|与|或|及")
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
# a lone ASCII letter: not part of a word, a hyphenated word, an abbreviation (e.g., i.e.) or `x'`
_LETTER = re.compile(r"(?<![A-Za-z0-9_'’\-])(?<![A-Za-z]\.)([A-Za-z])(?![A-Za-z0-9_'’\-])(?!\.[A-Za-z])")
# operators: a letter next to one is a variable in a formula (`w·x + b`, `a = σ(z)`, `e^x`)
_MATH = "=+−\\-·×÷*^′∂σ<>≤≥|"
# a matching or code-blank answer written as pairs: `1B 2A`
_PAIR = re.compile(r"(?<![A-Za-z0-9_])\d([A-Z])(?![A-Za-z0-9_'’\-])")
_VERBS = ("is|are|was|were|has|have|had|would|will|does|did|can|cannot|could|should|gets|get|describes|"
          "confuses|mixes|swaps|reverses|claims|says|states|gives|uses|ignores|assumes|adds|drops|keeps|"
          "forgets|treats|omits|computes|returns|applies|makes|holds|lets|skips|updates|reads|masks|misses|"
          "picks|puts|sets|takes|thinks|only|alone|also|too|both")
# the start of a sentence, but not after `e.g.` / `i.e.`
_SENTENCE_START = r"(?:^|(?<!\.[A-Za-z])[.!?。！？；;]\s*)$"
_JOIN = r"\s*(?:,|、|/|–|-|~|→|to|and|or|和|与|或|及|以及)\s*"
_OPTION_WORD = re.compile(r"(?:options?|choices?|answers?|items?|terms?|letters?|选项|答案)\s*$", re.I)


def choice_ids(question: dict) -> set[str]:
    """The ids of the items the question shuffles (empty for short questions)."""
    field = CHOICE_FIELD.get(str(question.get("type")), "")
    return {item["id"] for item in question.get(field) or [] if isinstance(item, dict) and isinstance(item.get("id"), str)}


def _placeholders(text: str) -> list[re.Match]:
    """The placeholders `{x}` of a text, outside code spans."""
    return [m for m in _PLACEHOLDER_OR_CODE.finditer(text) if m.group(1)]


def fill(text: str, label: dict[str, str]) -> str:
    """`text` with each placeholder `{x}` (outside code spans) replaced by the label shown for choice `x`.

    A list of placeholders (`{c}, {a} and {d}`, `{c}、{a}`) is shown in display order (`a, c and d`).
    """
    matches = _placeholders(text)
    shown = [label.get(m.group(1), m.group(0)) for m in matches]
    for run in _runs(matches, text):
        ordered = sorted(shown[i] for i in run)
        for i, value in zip(run, ordered):
            shown[i] = value
    for m, value in reversed(list(zip(matches, shown))):
        text = text[:m.start()] + value + text[m.end():]
    return text


def _runs(matches: list[re.Match], text: str) -> list[list[int]]:
    """Indices of placeholders that form lists (joined only by `, `, ` and `, ` or `, `、`, `/`, 和 …)."""
    runs: list[list[int]] = []
    for i, m in enumerate(matches):
        if i and _LIST_SEP.fullmatch(text[matches[i - 1].end():m.start()]):
            runs[-1].append(i)
        else:
            runs.append([i])
    return [run for run in runs if len(run) > 1]


def _is_article_a(text: str, start: int, end: int, ids: set[str]) -> bool:
    """Whether the `a`/`A` at text[start:end] reads as the English article rather than a choice letter."""
    before, after = text[:start], text[end:]
    letter = text[start:end]
    if re.search(rf"[{_CJK}]\s*$", before) or re.match(rf"\s*[{_CJK}]", after):
        return False
    if not re.match(r"\s*[A-Za-z0-9§\-−'\"“‘]", after) or _OPTION_WORD.search(before):
        return False  # an article is followed by a word
    letters = "".join(sorted({i.lower() for i in ids} | {i.upper() for i in ids}))
    if re.match(rf"{_JOIN}[{letters}](?![A-Za-z])", after) or re.search(rf"(?<![A-Za-z])[{letters}]{_JOIN}$", before):
        return False
    if re.match(rf"\s+(?:{_VERBS})\b", after):
        return False
    return not (letter == "a" and re.search(r"(?:^|(?<!\.[A-Za-z])[.!?。！？]\s*)$", before))


def _in_formula(before: str, after: str) -> bool:
    """Whether a letter between `before` and `after` is a variable in a formula or in code."""
    return bool(re.search(rf"[\w(|§][^\S\n]*(?:[{_MATH}]|\bmod)\s*$", before, re.A)
                or re.match(rf"\s*(?:[{_MATH}]|mod\b)[^\S\n]*[^\s{_CJK}]", after)
                or re.search(rf"[{_MATH}]$", before)  # ∂L/∂b
                or re.match(r"[(\[]", after)  # a(1 - a), a[0]
                or re.search(r"[\w\])]\($", before, re.A)  # torch.tensor(a), -log(a)
                or re.search(r"[A-Za-z_]\w*[\d_]\w*,\s*$", before))  # (w1, b)


def _blank(m: re.Match) -> str:
    """Code spans and placeholders become a same-length non-word (positions stay those of the text)."""
    return "§" * len(m.group(0))


def _references(text: str, ids: set[str]) -> list[re.Match]:
    """The letter references of `text` as matches (positions are those in `text`)."""
    text = _PLACEHOLDER_OR_CODE.sub(_blank, text)
    found = []
    for m in _LETTER.finditer(text):
        letter, before, after = m.group(1), text[:m.start()], text[m.end():]
        at_start = re.search(_SENTENCE_START, before) is not None
        if letter not in ids and not (at_start and letter.lower() in ids and letter != "A"):
            continue
        if _in_formula(before, after):
            continue
        if letter.lower() == "a" and _is_article_a(text, m.start(), m.end(), ids):
            continue
        found.append(m)
    return sorted(found + [m for m in _PAIR.finditer(text) if m.group(1) in ids], key=lambda m: m.start())


def letter_references(text: str, ids: set[str]) -> list[str]:
    """The choice letters `text` names directly (see the module docstring), in order of appearance."""
    return [m.group(1) for m in _references(text, ids)]


def text_fields(question: dict) -> list[tuple[str, str]]:
    """(field name, text) of every student-facing text of a question that may talk about its choices."""
    out = []
    for field in ("prompt", "explanation", "reference"):
        value = question.get(field)
        if isinstance(value, dict):
            out += [(f"{field}.{lang}", value[lang]) for lang in ("zh", "en") if isinstance(value.get(lang), str)]
    for field in ("options", "left", "right"):
        for item in question.get(field) or []:
            if isinstance(item, dict):
                out += [(f"{field} {item.get('id')!r}.{lang}", item[lang]) for lang in ("zh", "en")
                        if isinstance(item.get(lang), str)]
    return out


def letter_problems(question: dict) -> list[str]:
    """Bank letters named in the question's texts, and placeholders that name no choice."""
    ids = choice_ids(question)
    problems = []
    for field, text in text_fields(question):
        refs = letter_references(text, ids)
        if refs:
            problems.append(f"{field} names choice letter(s) {', '.join(dict.fromkeys(refs))} that display "
                            "re-letters: name the choice by its content or write a placeholder like {b}")
        bad = [m.group(1) for m in _placeholders(text) if m.group(1) not in ids]
        if bad:
            problems.append(f"{field}: placeholder(s) {', '.join('{' + p + '}' for p in bad)} name no choice")
    return problems


MAX_LONGEST_SHARE = 0.35


def _length(text: str) -> int:
    """Characters without whitespace and code-span backticks (a Chinese character counts 1)."""
    return len(re.sub(r"[\s`]", "", text))


def answer_is_longest(question: dict, lang: str) -> bool:
    """Whether a single-choice question's answer is strictly longer than every other option in `lang`."""
    lengths = {o["id"]: _length(o[lang]) for o in question["options"]}
    mine = lengths.pop(question["answer"])
    return all(mine > other for other in lengths.values())


def longest_share(questions: list[dict]) -> dict[str, tuple[int, int]]:
    """Per language: (single-choice questions whose answer is the uniquely longest option, all single-choice)."""
    singles = [q for q in questions if q["type"] == "single"]
    return {lang: (sum(answer_is_longest(q, lang) for q in singles), len(singles)) for lang in ("zh", "en")}


def longest_problems(questions: list[dict]) -> list[str]:
    """A problem per language in which the uniquely longest option is the answer too often (valid questions only)."""
    problems = []
    for lang, (hits, total) in longest_share(questions).items():
        if total and hits / total > MAX_LONGEST_SHARE:
            problems.append(f"the answer is the uniquely longest option in {hits} of {total} single-choice "
                            f"questions in {lang} ({hits / total:.0%} > {MAX_LONGEST_SHARE:.0%}): shorten answers "
                            "or lengthen distractors")
    return problems


def commented_blank_lines(code: str) -> list[int]:
    """Line numbers (from 1) of a code listing where a blank `___n___` shares its line with a comment.

    Such comments tend to give the blank away (`.___1___(0)  # a batch of one`), so none are allowed.
    """
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    blank_lines = {tok.start[0] for tok in tokens if tok.type == tokenize.NAME and BLANK_NAME.fullmatch(tok.string)}
    return sorted({tok.start[0] for tok in tokens if tok.type == tokenize.COMMENT} & blank_lines)


def question_problems(question: dict) -> list[str]:
    """Style problems of a valid question: letter references, stray placeholders, commented blank lines."""
    problems = letter_problems(question)
    if question["type"] == "code_blanks":
        problems += [f"code line {n} has a blank and a comment (comments there give blanks away)"
                     for n in commented_blank_lines(question["code"])]
    return problems
