"""Hidden probes for ch02_backprop: the public probes (the grader ships both modules)."""
from tests_public.ch02_backprop.probes import *  # noqa: F401,F403
