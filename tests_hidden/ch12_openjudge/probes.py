"""Hidden probes for ch12_openjudge (the public probes are enough)."""
from tests_public.ch12_openjudge.probes import *  # noqa: F401,F403 — the grader ships both modules
