"""Per-student overrides and late penalties from a TA-edited ``adjustments.yaml`` (``grade --adjustments FILE``).

Applied when the outputs are written, never to the gradebook: each becomes an extra row
``<chapter>/adjustment/<n>`` (``late`` for the penalty) with signed points, no maximum and the reason
as its message, so ``grades.csv``, the LMS exports, ``results/<student>.json`` and the feedback all
show it and sum it like any test. Editing the file and re-running ``grade`` (nothing is re-graded when
no submission changed) re-applies it from scratch.

```yaml
late_policy:
  per_day_percent: 10     # each late day takes this share of the chapter's earned points
  max_days: 5             # later than this: the chapter scores 0 (omit: no limit)
students:
  alice:
    late_days: 2          # every chapter; or per chapter: {ch02_backprop: 2}
    points:
      - {points: 1.5, reason: "test_x was flaky on her run (re-checked by hand)", chapter: ch02_backprop}
      - {points: -2, reason: "copied the plotting helper without credit"}   # chapter may be left out
```
A ``chapter`` may be left out when the gradebook has one chapter. A chapter's score is not clipped:
the TA's adjustment is what the TA wrote.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

import yaml

from grader.i18n import both, stored

KIND = "adjustment"


class AdjustmentsError(ValueError):
    """The file cannot be read or says something the kit does not understand."""


@dataclass(frozen=True)
class Adjustment:
    """Points added (or removed, negative) with the TA's reason."""

    points: float
    reason: str
    chapter: Optional[str] = None


@dataclass(frozen=True)
class LatePolicy:
    per_day_percent: float = 0.0
    max_days: Optional[int] = None


@dataclass
class Adjustments:
    """The parsed file: the late policy, late days per student (chapter ``*``: all) and point adjustments."""

    late: LatePolicy = field(default_factory=LatePolicy)
    late_days: dict[str, dict[str, int]] = field(default_factory=dict)
    points: dict[str, list[Adjustment]] = field(default_factory=dict)


def _keys(where: str, data: Any, allowed: set[str]) -> dict:
    if not isinstance(data, dict):
        raise AdjustmentsError(f"{where}: expected a mapping")
    unknown = set(data) - allowed
    if unknown:
        raise AdjustmentsError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))} (allowed: {', '.join(sorted(allowed))})")
    return data


def _number(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise AdjustmentsError(f"{where}: expected a number, got {value!r}")
    return float(value)


def _days(where: str, value: Union[int, dict]) -> dict[str, int]:
    spec = value if isinstance(value, dict) else {"*": value}
    out = {}
    for chapter, days in spec.items():
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise AdjustmentsError(f"{where}: late days must be a whole number >= 0, got {days!r}")
        out[str(chapter)] = days
    return out


def parse(data: Any, where: str = "adjustments") -> Adjustments:
    """Check and read the YAML document; :class:`AdjustmentsError` naming the first problem."""
    top = _keys(where, data or {}, {"late_policy", "students"})
    policy = _keys(f"{where}: late_policy", top.get("late_policy") or {}, {"per_day_percent", "max_days"})
    percent = _number(f"{where}: late_policy.per_day_percent", policy.get("per_day_percent", 0))
    max_days = policy.get("max_days")
    if max_days is not None and (isinstance(max_days, bool) or not isinstance(max_days, int) or max_days < 0):
        raise AdjustmentsError(f"{where}: late_policy.max_days must be a whole number >= 0")
    result = Adjustments(LatePolicy(percent, max_days))
    students = top.get("students") or {}
    if not isinstance(students, dict):
        raise AdjustmentsError(f"{where}: students: expected a mapping of student id to adjustments")
    for student, spec in students.items():
        here = f"{where}: students.{student}"
        spec = _keys(here, spec or {}, {"late_days", "points"})
        if "late_days" in spec:
            result.late_days[str(student)] = _days(f"{here}.late_days", spec["late_days"])
        items = []
        for i, item in enumerate(spec.get("points") or []):
            item = _keys(f"{here}.points[{i}]", item, {"points", "reason", "chapter"})
            reason = item.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                raise AdjustmentsError(f"{here}.points[{i}]: every adjustment needs a reason")
            chapter = item.get("chapter")
            items.append(Adjustment(_number(f"{here}.points[{i}].points", item.get("points")), reason.strip(),
                                    str(chapter) if chapter is not None else None))
        result.points[str(student)] = items
    return result


def load(path: Path) -> Adjustments:
    """Read ``adjustments.yaml``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise AdjustmentsError(f"{path}: {exc}") from exc
    return parse(data, str(path))


def _row(student: str, chapter: str, name: str, points: float, message: str) -> dict:
    return {"student": student, "test": f"{chapter}/{KIND}/{name}", "chapter": chapter, "kind": KIND,
            "status": "pass" if points >= 0 else "fail", "points": round(points, 4) + 0.0, "max_points": 0.0,
            "message": message, "brief": message, "visibility": "visible", "duration": 0.0}


def late_penalty(policy: LatePolicy, days: int, earned: float) -> tuple[float, dict[str, str]]:
    """``(points taken, reason in both languages)`` for a chapter handed in ``days`` late."""
    if policy.max_days is not None and days > policy.max_days:
        return earned, both("adj.too_late", days=days, max_days=policy.max_days)
    percent = min(100.0, days * policy.per_day_percent)
    return earned * percent / 100, both("adj.late", days=days, percent=f"{percent:g}")


def _graded(name: Optional[str], chapters: list[str]) -> Optional[str]:
    """The graded chapter ``name`` means (``ch02`` or ``ch02_backprop``; none given: the only one)."""
    if name is None:
        return chapters[0] if len(chapters) == 1 else None
    return next((c for c in chapters if c == name or c.startswith(name + "_")), None)


def rows(adj: Adjustments, results: list[dict], chapters: list[str]) -> tuple[list[dict], list[str]]:
    """``(adjustment rows to add to the results, warnings)``: students the gradebook lacks, chapters not graded."""
    earned: dict[tuple[str, str], float] = {}
    for r in results:
        earned[(r["student"], r["chapter"])] = earned.get((r["student"], r["chapter"]), 0.0) + r["points"]
    students = {s for s, _ in earned}
    out: list[dict] = []
    warnings = [f"adjustments for {s}, who is not in the gradebook, are ignored"
                for s in sorted((set(adj.late_days) | set(adj.points)) - students)]
    for student in sorted(students & set(adj.late_days)):
        days = {_graded(k, chapters) if k != "*" else k: v for k, v in adj.late_days[student].items()}
        for chapter in chapters:
            late = days.get(chapter, days.get("*", 0))
            if late:
                taken, reason = late_penalty(adj.late, late, earned.get((student, chapter), 0.0))
                out.append(_row(student, chapter, "late", -taken, stored(reason)))
    for student in sorted(students & set(adj.points)):
        for n, item in enumerate(adj.points[student], 1):
            target = _graded(item.chapter, chapters)
            if target is None:
                warnings.append(f"{student}: adjustment {item.reason!r} ignored: "
                                + (f"chapter {item.chapter} is not graded" if item.chapter else "name its chapter (several are graded)"))
                continue
            out.append(_row(student, target, str(n), item.points, stored(both("adj.manual", reason=item.reason))))
    return out, warnings
