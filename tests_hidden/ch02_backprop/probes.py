"""Hidden probes for ch02_backprop: the public probes, plus the constructor's parameters."""
from __future__ import annotations

from tests_public.ch02_backprop.probes import *  # noqa: F401,F403 — the grader ships both modules
from tests_public.ch02_backprop.probes import _net, _params


def init_params(sizes, seed):
    """The constructor's parameters."""
    return _params(_net(sizes, seed))
