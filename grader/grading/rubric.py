"""Points and visibility per test, from ``tests_hidden/<chapter>/rubric.yaml``.

```yaml
default_points: 1
visibility: {public: visible, hidden: after_due_date}   # visible | hidden | after_due_date
points:
  hidden/test_ai_strength_ladder: 4      # "<kind>/<test function>" (parametrized cases share it)
```
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from grader.layout import TESTS_HIDDEN

VISIBILITIES = ("visible", "hidden", "after_due_date")


@dataclass
class Rubric:
    """A chapter's scoring rules."""

    default_points: float = 1.0
    visibility: dict[str, str] = field(default_factory=lambda: {"public": "visible", "hidden": "after_due_date"})
    points: dict[str, float] = field(default_factory=dict)

    def points_for(self, name: str) -> float:
        """Points of a test named ``<chapter>/<kind>/<test>[params]``."""
        _, kind, test = name.split("/", 2)
        return float(self.points.get(f"{kind}/{test.split('[')[0]}", self.default_points))

    def visibility_for(self, kind: str) -> str:
        return self.visibility.get(kind, "visible")


@lru_cache(maxsize=None)
def load(chapter: str) -> Rubric:
    """The chapter's rubric (defaults when there is no file)."""
    path = TESTS_HIDDEN / chapter / "rubric.yaml"
    if not path.is_file():
        return Rubric()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rubric = Rubric(float(data.get("default_points", 1)), {**Rubric().visibility, **data.get("visibility", {})},
                    {k: float(v) for k, v in (data.get("points") or {}).items()})
    bad = [v for v in rubric.visibility.values() if v not in VISIBILITIES]
    if bad:
        raise ValueError(f"{path}: unknown visibility {bad}")
    return rubric
