"""Case files for ch12_openjudge: the handout's samples, input text from numbers, expected output from answers."""
from __future__ import annotations

import numpy as np

# The handout's samples (input, expected output).
PATHS_SAMPLE = ("2 3 13\n4 6\n2 1\n3 4\n", "2\n")
NETWORK_SAMPLE = ("5 6\n1 0\n1 0\n0 1\n0 1\n0 1\n1 3 1\n1 4 1\n1 5 1\n2 3 1\n2 4 1\n2 5 1\n", "3 1\n4 1\n5 1\n")

LARGEST_PATHS = {"n": 10**6, "layers": 10**5, "m": 100}
LARGEST_NETWORK = 100


def paths_input(n: int, layers: int, m: int, entry, between, exit) -> str:
    """The problem's input text."""
    lines = [f"{n} {layers} {m}"] + [" ".join(map(str, np.asarray(c).tolist())) for c in (entry, between, exit)]
    return "\n".join(lines) + "\n"


def network_input(n: int, states, thresholds, edges) -> str:
    """The problem's input text."""
    lines = [f"{n} {len(edges)}"] + [f"{c} {u}" for c, u in zip(states, thresholds)]
    lines += [f"{i} {j} {w}" for i, j, w in edges]
    return "\n".join(lines) + "\n"


def network_output(result) -> str:
    """The expected output for ``simulate``'s result: ``i C`` lines, or ``NULL``."""
    return "NULL\n" if result is None else "".join(f"{i} {c}\n" for i, c in result)


def random_paths_case(seed: int, n: int, layers: int, m: int, cost_choices=None):
    """``(n, layers, m, entry, between, exit)`` with int64 cost arrays in ``[0, m]`` (or drawn from ``cost_choices``)."""
    rng = np.random.default_rng(seed)
    if cost_choices is None:
        costs = rng.integers(0, m + 1, size=(3, n))
    else:
        costs = rng.choice(np.asarray(cost_choices), size=(3, n))
    return n, layers, m, costs[0], costs[1], costs[2]


def dense_network(seed: int, n: int = LARGEST_NETWORK, cycle: bool = False):
    """``(n, states, thresholds, edges)``: a random topological order with ``n // 10`` inputs first and
    ``n // 10`` outputs last, about 90% of all forward pairs joined, ``n`` repeated pairs, small
    weights, some inactive inputs; with ``cycle``, one edge added backwards."""
    rng = np.random.default_rng(seed)
    order = (rng.permutation(n) + 1).tolist()
    k = n // 10
    edges = [(order[a], order[b], int(rng.integers(-2, 4)))
             for a in range(n) for b in range(max(a + 1, k), n)
             if not (a >= n - k and b >= n - k) and rng.random() < 0.9]
    edges += [(i, j, int(rng.integers(-2, 3))) for i, j, _ in (edges[t] for t in rng.choice(len(edges), size=n, replace=False))]
    if cycle:
        i, j, _ = edges[len(edges) // 3]
        edges.append((j, i, 1))
    order_of_edges = rng.permutation(len(edges))
    states = rng.integers(-3, 6, size=n).tolist()
    thresholds = rng.integers(0, 60, size=n).tolist()
    return n, states, thresholds, [edges[t] for t in order_of_edges]
