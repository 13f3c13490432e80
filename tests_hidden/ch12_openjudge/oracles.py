"""Independent oracles for ch12_openjudge (trusted side): brute force and plain algorithms, no student code."""
from __future__ import annotations

import itertools

import numpy as np

MOD = 1_000_000_007


def paths_brute_force(n, layers, m, entry, between, exit) -> int:
    """Enumerate every path (``n ** layers`` of them) and count the costs divisible by ``m``."""
    count = 0
    for cities in itertools.product(range(n), repeat=layers):
        cost = entry[cities[0]] + sum(between[j] for j in cities[1:]) + exit[cities[-1]]
        count += cost % m == 0
    return count % MOD


def _matmul_mod(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b mod MOD`` for int64 matrices with entries below MOD, without overflow (b split in 15-bit halves)."""
    low, high = b & 0x7FFF, b >> 15
    return ((a @ low) % MOD + (((a @ high) % MOD) << 15) % MOD) % MOD


def paths_matrix(n, layers, m, entry, between, exit) -> int:
    """Residue DP as an ``m x m`` transition matrix raised to ``layers - 2`` (numpy), then the last move + exit."""
    entry, between, exit = (np.asarray(c, dtype=np.int64) for c in (entry, between, exit))
    start = np.bincount(entry % m, minlength=m).astype(np.int64)
    step = np.bincount(between % m, minlength=m).astype(np.int64)
    last = np.bincount((between + exit) % m, minlength=m).astype(np.int64)
    moves = np.array([[step[(s - r) % m] for s in range(m)] for r in range(m)], dtype=np.int64)  # r -> s
    total, power, k = start[None, :], moves, layers - 2
    while k:
        if k & 1:
            total = _matmul_mod(total, power)
        power = _matmul_mod(power, power)
        k >>= 1
    finish = np.array([last[(-r) % m] for r in range(m)], dtype=np.int64)[:, None]
    return int(_matmul_mod(total, finish)[0, 0])


def paths_layer_by_layer(n, layers, m, entry, between, exit) -> int:
    """The plain DP: the count of partial paths per residue, one layer at a time (Python ints)."""
    count = [0] * m
    for c in entry:
        count[c % m] += 1
    for _ in range(layers - 2):
        new = [0] * m
        for c in between:
            for r in range(m):
                new[(r + c) % m] += count[r]
        count = [v % MOD for v in new]
    return sum(count[r] for j in range(n) for r in range(m) if (r + between[j] + exit[j]) % m == 0) % MOD


def has_cycle(n, edges) -> bool:
    """Direct search: is some neuron reachable from itself (a self-loop included)?"""
    after = {i: {j for a, j, _ in edges if a == i} for i in range(1, n + 1)}
    for start in range(1, n + 1):
        seen, stack = set(), list(after[start])
        while stack:
            v = stack.pop()
            if v == start:
                return True
            if v not in seen:
                seen.add(v)
                stack.extend(after[v])
    return False


def network_fixed_point(n, states, thresholds, edges):
    """Naive propagation: recompute every non-input neuron from the current states, ``n`` rounds (enough for a DAG)."""
    if has_cycle(n, edges):
        return None
    weight = {}
    for i, j, w in edges:
        weight[i, j] = weight.get((i, j), 0) + w
    incoming = {j: [(i, w) for (i, jj), w in weight.items() if jj == j] for j in range(1, n + 1)}
    sources = {i for i, _ in weight}
    value = {i: (states[i - 1] if not incoming[i] else 0) for i in range(1, n + 1)}
    for _ in range(n):
        value = {j: (sum(w * value[i] for i, w in incoming[j] if value[i] > 0) - thresholds[j - 1]) if incoming[j]
                 else value[j] for j in range(1, n + 1)}
    result = [[i, value[i]] for i in range(1, n + 1) if i not in sources and value[i] > 0]
    return result or None
