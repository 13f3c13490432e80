"""The course kit's grader: release, test harness, batch grading and quizzes."""
from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"

#: The kit's root folder (holds solutions/, assignments/, tests_public/, ...).
REPO_ROOT = Path(__file__).resolve().parent.parent
