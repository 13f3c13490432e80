"""Points and visibility per test, from ``tests_hidden/<chapter>/rubric.yaml``.

```yaml
default_points: 1
visibility: {public: visible, hidden: after_due_date}   # visible | hidden | after_due_date | after_published
points:
  hidden/test_ai_strength_ladder: 4      # "<kind>/<test function>" (parametrized cases share it)
gates: [hidden/test_numpy_only_policy]  # policy checks: 0 points; failing one zeroes the chapter
```
A gate scores nothing on its own (code that implements nothing must earn nothing); when a gate
does not pass, every other test of the chapter keeps its status but scores 0, with the gate named.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from grader.layout import TESTS_HIDDEN

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")  # Gradescope's values


@dataclass
class Rubric:
    """A chapter's scoring rules."""

    default_points: float = 1.0
    visibility: dict[str, str] = field(default_factory=lambda: {"public": "visible", "hidden": "after_due_date"})
    points: dict[str, float] = field(default_factory=dict)
    gates: list[str] = field(default_factory=list)

    @staticmethod
    def key(name: str) -> str:
        """``<kind>/<test function>`` of a test named ``<chapter>/<kind>/<test>[params]``."""
        _, kind, test = name.split("/", 2)
        return f"{kind}/{test.split('[')[0]}"

    def is_gate(self, name: str) -> bool:
        return self.key(name) in self.gates

    def points_for(self, name: str) -> float:
        """Points of a test named ``<chapter>/<kind>/<test>[params]`` (0 for a gate)."""
        if self.is_gate(name):
            return 0.0
        return float(self.points.get(self.key(name), self.default_points))

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
                    {k: float(v) for k, v in (data.get("points") or {}).items()}, list(data.get("gates") or []))
    bad = [v for v in rubric.visibility.values() if v not in VISIBILITIES]
    if bad:
        raise ValueError(f"{path}: unknown visibility {bad}")
    return rubric
