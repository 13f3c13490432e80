"""Given code that reproduces another chapter's solution, and how a release withholds it.

A later chapter carries earlier chapters' code as given code (the contract: each chapter works and is
graded alone), e.g. ``ch07_gpt/previous_chapters.py`` holds ch06's ``MultiHeadAttention``. Released
after the earlier chapter's deadline that is fine; released *together* with it, it hands out the
earlier chapter's answers. The rule: a solution region of a released chapter is *reproduced* by a file
of another released chapter when ``min(3, n)`` consecutive code lines of the region (``n`` = its code
lines; blank and comment lines ignored) appear consecutively in the file. The student release then
withholds each function holding such a run (its body becomes a stub naming the task to paste in), and
the leak check fails on any run left (e.g. at module level, which cannot be withheld).
"""
from __future__ import annotations

import ast
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from grader import i18n
from grader.layout import SOLUTIONS
from grader.release.build import SKIP_PARTS
from grader.release.markers import REFERENCE_ONLY, find_regions, functions

MIN_RUN = 3
MIN_CHARS = 20  # a run shorter than this (e.g. one `return x`) is too common to be an answer


@dataclass(frozen=True)
class Solution:
    """One solution region as code lines, and where it comes from."""

    chapter: str
    task: str
    function: str
    where: str
    lines: tuple[str, ...]

    @property
    def run(self) -> int:
        return min(MIN_RUN, len(self.lines))


def code_lines(lines: list[str]) -> list[tuple[int, str]]:
    """``(1-based number, stripped text)`` of the lines that are code (not blank, not a comment)."""
    return [(n, s) for n, s in ((n, x.strip()) for n, x in enumerate(lines, 1)) if s and not s.startswith("#")]


def solutions(chapter: str) -> list[Solution]:
    """Every solution region of a chapter in ``solutions/``."""
    out = []
    for path in sorted((SOLUTIONS / chapter).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if SKIP_PARTS & set(path.parts) or text.startswith(REFERENCE_ONLY):
            continue
        for region in find_regions(text, str(path)):
            body = tuple(s for _, s in code_lines(region.body))
            if body:
                out.append(Solution(chapter, region.task, region.function, f"{path.relative_to(SOLUTIONS)}:{region.begin}", body))
    return out


def reproduced(code: list[tuple[int, str]], solution: Solution) -> list[int]:
    """Line numbers where a run of the solution's code lines starts in ``code`` (from :func:`code_lines`)."""
    k = solution.run
    windows = {solution.lines[i : i + k] for i in range(len(solution.lines) - k + 1)}
    windows = {w for w in windows if sum(map(len, w)) >= MIN_CHARS}
    texts = tuple(s for _, s in code)
    return [code[i][0] for i in range(len(code) - k + 1) if texts[i : i + k] in windows]


def matches(source: str, others: list[Solution]) -> list[tuple[int, Solution]]:
    """Every ``(line, solution)`` of ``others`` that ``source`` reproduces."""
    code = code_lines(source.splitlines())
    return [(line, s) for s in others for line in reproduced(code, s)]


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _docstring(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    first = func.body[0]
    return isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)


def withhold(source: str, others: list[Solution]) -> tuple[str, list[str]]:
    """``source`` with every function that reproduces one of ``others`` reduced to a stub (signature and
    docstring kept), and a note per withheld function. Runs outside any function stay (the leak check
    reports them)."""
    lines = source.splitlines()
    funcs = _functions(ast.parse(source))
    qualified = {first: name for first, _, name in functions(source)}
    hits: dict[int, Counter[Solution]] = defaultdict(Counter)  # function's first line -> solutions it reproduces
    for line, solution in matches(source, others):
        around = [f for f in funcs if f.lineno <= line <= (f.end_lineno or f.lineno)]
        if around:
            hits[max(f.lineno for f in around)][solution] += 1
    by_line = {f.lineno: f for f in funcs}
    chosen = {first: (by_line[first], count.most_common(1)[0][0]) for first, count in hits.items()}
    notes = []
    for _, (func, solution) in sorted(chosen.items(), reverse=True):  # bottom up: line numbers stay valid
        code = func.body[1:] if _docstring(func) else func.body
        if not code or code[0].lineno == func.lineno:
            continue  # nothing below the docstring, or a one-line def: the leak check reports it
        pad = " " * code[0].col_offset
        params = dict(chapter=solution.chapter, task=solution.task, function=solution.function)
        stub = [f"{pad}# {i18n.t('release.withheld', lang, **params)}" for lang in i18n.LANGS]
        stub.append(f'{pad}raise NotImplementedError("TODO {solution.task}: {solution.function} ({solution.chapter}), withheld")')
        lines[code[0].lineno - 1 : func.end_lineno] = stub
        notes.append(f"{qualified[func.lineno]}: withheld, it reproduces {solution.chapter} task {solution.task} ({solution.where})")
    text = "\n".join(lines) + ("\n" if source.endswith("\n") else "")
    compile(text, "<withheld>", "exec")
    return text, notes[::-1]


def released_solutions(chapters: list[str]) -> dict[str, list[Solution]]:
    """For each released chapter, the solutions of the *other* released chapters its files must not reproduce."""
    own = {c: solutions(c) for c in chapters}
    return {c: [s for other in chapters if other != c for s in own[other]] for c in chapters}


def cross_leaks(dist_assignments: Path, chapters: list[str]) -> list[str]:
    """Every run in a released chapter's files that reproduces another released chapter's solution."""
    leaks = []
    for chapter, others in released_solutions(chapters).items():
        for path in sorted((dist_assignments / chapter).rglob("*.py")):
            for line, s in matches(path.read_text(encoding="utf-8"), others):
                leaks.append(f"{path.relative_to(dist_assignments.parent)}:{line} reproduces {s.chapter} task {s.task} "
                             f"({s.where}); release {s.chapter} first or withhold it")
    return leaks
