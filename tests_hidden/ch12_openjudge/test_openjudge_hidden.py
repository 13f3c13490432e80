"""Hidden checks for ch12_openjudge: many generated cases against independent oracles (``oracles.py``),
the edge cases, judged programs on fresh inputs, and time-limit cases at the largest sizes.

Time limits (CPU seconds of the program, one core; memory 1024 MB each):
- paths_divisible, N = 10^6, L = 10^5, M = 100: 6 s. The reference: 0.41-0.44 s of CPU, peak about
  220 MB (Python start-up and reading 3 * 10^6 numbers included); an O(N * L) solution needs about
  10^11 steps (the catalogued one runs out of time here).
- feedforward_network, dense n = 100 (about 4,500 edges): 2 s. The reference: 0.02 s of CPU; evaluating
  neurons by recursion without memoisation visits every path (the catalogued one runs out of time).
"""
import random

import pytest

from grader.harness import check
from tests_hidden.ch12_openjudge import oracles as O
from tests_hidden.ch12_openjudge import probes as P
from tests_public.ch12_openjudge import cases as C
from tests_public.ch12_openjudge.judge import judge

SMALL_LIMIT, LARGE_PATHS_LIMIT, DENSE_LIMIT, MEMORY_MB = 2.0, 6.0, 2.0, 1024


def small_paths_cases(seed: int, count: int):
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        n, layers, m = rng.randint(1, 4), rng.randint(2, 5), rng.randint(2, 13)
        cases.append((n, layers, m, *([rng.randint(0, m) for _ in range(n)] for _ in range(3))))
    return cases


def random_network(rng: random.Random, n: int, p: int, kind: str):
    """A random network: ``"dag"`` (edges along a random order), ``"cycle"`` (one back edge), ``"loop"`` (a self-loop)."""
    order = list(range(1, n + 1))
    rng.shuffle(order)
    edges = []
    for _ in range(p):
        a, b = sorted(rng.sample(range(n), 2)) if n > 1 else (0, 0)
        if a != b:
            edges.append((order[a], order[b], rng.randint(-3, 4)))
    if edges and rng.random() < 0.4:  # a repeated pair, sometimes cancelling
        i, j, w = rng.choice(edges)
        edges.append((i, j, -w if rng.random() < 0.5 else rng.randint(-3, 4)))
    if kind == "cycle" and n > 1:
        a, b = sorted(rng.sample(range(n), 2))
        edges += [(order[a], order[b], 1), (order[b], order[a], 1)] if rng.random() < 0.3 else [(order[b], order[a], 1)]
        if rng.random() < 0.5:
            edges.append((order[a], order[b], 2))
    if kind == "loop":
        v = rng.randint(1, n)
        edges.append((v, v, rng.randint(-2, 3)))
    rng.shuffle(edges)
    states = [rng.randint(-3, 6) for _ in range(n)]
    thresholds = [rng.randint(-2, 5) for _ in range(n)]
    return n, states, thresholds, edges


def network_cases(seed: int, count: int):
    rng = random.Random(seed)
    return [random_network(rng, rng.randint(1, 9), rng.randint(0, 16), rng.choice(["dag"] * 6 + ["cycle", "loop"]))
            for _ in range(count)]


def _compare(got: list, want: list, cases: list, what: str) -> None:
    wrong = [k for k, (g, w) in enumerate(zip(got, want)) if g != w]
    check.that(len(got) == len(want) and not wrong,
               {"zh": f"{what}：{len(want)} 个生成的用例中有 {len(wrong) if len(got) == len(want) else len(want)} 个结果不对",
                "en": f"{what}: wrong on {len(wrong) if len(got) == len(want) else len(want)} of {len(want)} generated cases"})


# --- paths_divisible -------------------------------------------------------------------------------------
@pytest.mark.task("12.1")
def test_count_paths_brute_force(run):
    cases = small_paths_cases(11, 300)
    _compare(run(P.count_paths, cases), [O.paths_brute_force(*c) for c in cases], cases,
             "count_paths vs all paths enumerated")


@pytest.mark.task("12.1")
def test_count_paths_edge_cases(run):
    cases = [
        (3, 2, 4, [1, 2, 3], [3, 2, 1], [0, 4, 2]),                  # L = 2: the only move is the last one
        (2, 2, 2, [0, 0], [0, 0], [0, 0]),                            # every cost 0
        (3, 6, 5, [5, 5, 5], [5, 5, 5], [5, 5, 5]),                   # every cost m
        (3, 2, 5, [5, 5, 0], [5, 0, 5], [5, 5, 5]),                   # costs m at L = 2
        (1, 2, 2, [1], [0], [1]),                                     # one city
        (2, 5, 100, [100, 1], [99, 0], [1, 100]),                     # m = 100
        (4, 3, 3, [0, 1, 2, 3], [3, 1, 1, 2], [1, 2, 2, 0]),          # exit paired with the last move matters
    ]
    _compare(run(P.count_paths, cases), [O.paths_brute_force(*c) for c in cases], cases, "count_paths edge cases")


@pytest.mark.task("12.1")
def test_count_paths_modulo_and_medium(run):
    cases = [C.random_paths_case(s, n, layers, m) for s, (n, layers, m) in
             enumerate([(500, 40, 7), (300, 60, 100), (999, 12, 2), (64, 57, 61), (3000, 2, 100), (10, 1000, 3)])]
    cases.append(C.random_paths_case(99, 200, 50, 10, cost_choices=[0, 10]))
    want = [O.paths_layer_by_layer(n, layers, m, a.tolist(), b.tolist(), c.tolist()) for n, layers, m, a, b, c in cases]
    check.that(want == [O.paths_matrix(*c) for c in cases], "oracles disagree")  # the two oracles agree
    _compare(run(P.count_paths, cases), want, cases, "count_paths on larger cases (results modulo 10^9 + 7)")


@pytest.mark.task("12.1", "12.2")
@pytest.mark.parametrize("seed", range(4))
def test_paths_judged(run, seed):
    rng = random.Random(100 + seed)
    case = C.random_paths_case(seed, rng.randint(1, 2000), rng.randint(2, 3000), rng.randint(2, 100))
    judge(run, "paths_divisible", f"hidden-{seed}", C.paths_input(*case), f"{O.paths_matrix(*case)}\n",
          SMALL_LIMIT, MEMORY_MB)


@pytest.mark.slow
@pytest.mark.task("12.1", "12.2")
@pytest.mark.parametrize("seed,choices", [(1, None), (2, [0, 100]), (3, [37, 63, 100])])
def test_paths_time_limit(run, seed, choices):
    case = C.random_paths_case(500 + seed, **C.LARGEST_PATHS, cost_choices=choices)
    judge(run, "paths_divisible", f"largest-{seed}", C.paths_input(*case), f"{O.paths_matrix(*case)}\n",
          LARGE_PATHS_LIMIT, MEMORY_MB)


# --- feedforward_network ---------------------------------------------------------------------------------
@pytest.mark.task("12.3")
def test_simulate_random_vs_oracle(run):
    cases = network_cases(21, 400)
    _compare(run(P.simulate, cases), [O.network_fixed_point(*c) for c in cases], cases,
             "simulate vs naive fixed-point propagation and direct cycle search")


EDGE_NETWORKS = {
    "self_loop": (3, [1, 0, 0], [0, 0, 0], [(1, 2, 1), (2, 3, 1), (3, 3, 1)]),
    "self_loop_isolated": (2, [1, 0], [0, 0], [(2, 2, 0)]),
    "cancelling_repeats": (3, [4, 1, 0], [0, 0, 0], [(1, 3, 2), (2, 3, 1), (1, 3, -2)]),
    "cancelling_repeats_keep_edge": (3, [4, 0, 5], [0, 0, 0], [(1, 2, 3), (1, 2, -3), (3, 2, 1)]),
    "isolated_neuron": (4, [2, 0, 0, 9], [0, 1, 0, 0], [(1, 2, 1), (2, 3, 3)]),
    "all_outputs_not_positive": (3, [3, 0, 0], [0, 3, 1], [(1, 2, 1), (1, 3, 1)]),
    "inactive_inputs": (4, [0, -5, 2, 0], [0, 0, 0, 0], [(1, 4, 7), (2, 4, -1), (3, 4, 1)]),
    "input_thresholds_ignored": (3, [1, 1, 0], [9, 9, 0], [(1, 3, 1), (2, 3, 1)]),
    "negative_weights": (4, [2, 3, 0, 0], [0, 0, 0, 1], [(1, 3, -1), (2, 3, 1), (3, 4, 2), (1, 4, 1)]),
    "two_cycle": (3, [1, 0, 0], [0, 0, 0], [(1, 2, 1), (2, 3, 1), (3, 2, 1)]),
    "labels_out_of_order": (5, [0, 0, 0, 0, 3], [0, 1, 0, 0, 0], [(5, 4, 2), (4, 2, 3), (2, 1, 1), (4, 3, 1)]),
}


@pytest.mark.task("12.3")
@pytest.mark.parametrize("name", sorted(EDGE_NETWORKS))
def test_simulate_edge_cases(run, name):
    case = EDGE_NETWORKS[name]
    got = run(P.simulate, [case])[0]
    check.that(got == O.network_fixed_point(*case),
               {"zh": f"simulate 边界情况 {name} 的结果不对", "en": f"simulate: wrong result on the edge case {name}"})


@pytest.mark.task("12.3", "12.4")
@pytest.mark.parametrize("seed", range(4))
def test_network_judged(run, seed):
    rng = random.Random(300 + seed)
    case = random_network(rng, rng.randint(6, 30), rng.randint(5, 80), ["dag", "dag", "cycle", "loop"][seed])
    judge(run, "feedforward_network", f"hidden-{seed}", C.network_input(*case),
          C.network_output(O.network_fixed_point(*case)), SMALL_LIMIT, MEMORY_MB)


@pytest.mark.slow
@pytest.mark.task("12.3", "12.4")
@pytest.mark.parametrize("seed,cycle", [(1, False), (2, False), (3, True)])
def test_network_time_limit(run, seed, cycle):
    case = C.dense_network(40 + seed, cycle=cycle)
    judge(run, "feedforward_network", f"dense-{seed}", C.network_input(*case),
          C.network_output(O.network_fixed_point(*case)), DENSE_LIMIT, MEMORY_MB)
