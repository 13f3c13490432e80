"""nbgrader-style solution markers, with a task id and a bilingual hint.

In ``solutions/``::

    def slide_and_merge(line):
        \"\"\"Docstring stays.\"\"\"
        ### BEGIN SOLUTION 1.1
        ### zh: 一句中文提示
        ### en: a one-line hint
        ...the solution...
        ### END SOLUTION

In ``assignments/`` the region becomes a ``# TODO 1.1`` comment with the hint and
``raise NotImplementedError("TODO 1.1: slide_and_merge")``. A file whose first line is
``# release: reference-only`` is not released at all.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Callable

BEGIN = re.compile(r"^(?P<indent>\s*)### BEGIN SOLUTION(?:\s+(?P<task>\S+))?\s*$")
HINT = re.compile(r"^\s*### (?P<lang>zh|en): (?P<text>.+?)\s*$")
END = re.compile(r"^\s*### END SOLUTION\s*$")
REFERENCE_ONLY = "# release: reference-only"


class MarkerError(ValueError):
    """A malformed solution region."""


@dataclass
class Region:
    """One solution region: 1-based line numbers of its markers, the task and the function."""

    task: str
    function: str
    begin: int
    end: int
    indent: str
    hint: dict[str, str] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)


def functions(source: str) -> list[tuple[int, int, str]]:
    """``(first line, last line, qualified name)`` of every function, innermost last."""
    out: list[tuple[int, int, str]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.append((child.lineno, child.end_lineno or child.lineno, prefix + child.name))
                visit(child, prefix + child.name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")

    visit(ast.parse(source), "")
    return out


def find_regions(source: str, filename: str = "<source>") -> list[Region]:
    """Every solution region of a module; each must lie inside one function body."""
    lines = source.splitlines()
    spans = functions(source)
    regions: list[Region] = []
    current: Region | None = None
    for number, line in enumerate(lines, 1):
        begin, end = BEGIN.match(line), END.match(line)
        if begin:
            if current is not None:
                raise MarkerError(f"{filename}:{number}: nested BEGIN SOLUTION")
            if not begin["task"]:
                raise MarkerError(f"{filename}:{number}: BEGIN SOLUTION needs a task id, e.g. '### BEGIN SOLUTION 1.1'")
            inside = [f for f in spans if f[0] < number <= f[1]]
            if not inside:
                raise MarkerError(f"{filename}:{number}: a solution region must be inside a function")
            current = Region(begin["task"], inside[-1][2], number, 0, begin["indent"])
        elif end:
            if current is None:
                raise MarkerError(f"{filename}:{number}: END SOLUTION without BEGIN")
            current.end = number
            regions.append(current)
            current = None
        elif current is not None:
            hint = HINT.match(line)
            if hint and not current.body:
                current.hint[hint["lang"]] = hint["text"]
            else:
                current.body.append(line)
    if current is not None:
        raise MarkerError(f"{filename}:{current.begin}: BEGIN SOLUTION without END")
    return regions


def todo_comment(region: Region, hint: dict[str, str]) -> list[str]:
    """``# TODO <task>: <zh hint>`` and ``#   <en hint>``, indented like the region."""
    pad = region.indent
    lines = [f"{pad}# TODO {region.task}: {hint.get('zh', '')}".rstrip()]
    if hint.get("en"):
        lines.append(f"{pad}#   {hint['en']}")
    return lines


def stub(region: Region, hint: dict[str, str]) -> list[str]:
    """The lines that replace a region in the skeleton."""
    return todo_comment(region, hint) + [f'{region.indent}raise NotImplementedError("TODO {region.task}: {region.function}")']


def nbgrader_region(region: Region, hint: dict[str, str]) -> list[str]:
    """A region as nbgrader marks it: the TODO comment, then the body between plain ``### BEGIN/END SOLUTION``."""
    pad = region.indent
    return todo_comment(region, hint) + [f"{pad}### BEGIN SOLUTION", *region.body, f"{pad}### END SOLUTION"]


def rewrite_regions(source: str, hints: dict[str, dict[str, str]], replace: Callable[[Region, dict[str, str]], list[str]],
                    filename: str = "<source>") -> str:
    """``source`` with every region replaced by ``replace(region, hint)`` (hints looked up by task); must compile."""
    lines = source.splitlines()
    out: list[str] = []
    previous = 0
    for region in find_regions(source, filename):
        out.extend(lines[previous : region.begin - 1])
        out.extend(replace(region, region.hint or hints.get(region.task, {})))
        previous = region.end
    out.extend(lines[previous:])
    text = "\n".join(out) + ("\n" if source.endswith("\n") else "")
    compile(text, filename, "exec")
    return text


def strip_solutions(source: str, hints: dict[str, dict[str, str]], filename: str = "<source>") -> str:
    """The skeleton of a module: every region replaced by its stub (hints looked up by task)."""
    return rewrite_regions(source, hints, stub, filename)
