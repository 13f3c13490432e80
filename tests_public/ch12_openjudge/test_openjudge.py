"""Public tests for ch12_openjudge: the handout's samples judged like OpenJudge, small fixed cases,
and one case at the largest sizes per problem (limits as stated in ``cases.py`` and below)."""
import pytest

from tests_public.ch12_openjudge import cases as C
from tests_public.ch12_openjudge import probes as P
from tests_public.ch12_openjudge.judge import judge
from grader.harness import check

# Limits of the judged cases (CPU seconds of the program, MB). The reference needs 0.41-0.44 s of CPU
# on the largest paths cases (N = 10^6, L = 10^5, M = 100; about 220 MB) and 0.02 s on a dense network
# of n = 100 (about 4,500 edges), Python's start-up and input included, on one core.
SMALL_LIMIT, LARGE_PATHS_LIMIT, DENSE_LIMIT, MEMORY_MB = 2.0, 6.0, 2.0, 1024

PATHS_CASES = [  # (n, layers, m, entry, between, exit): L = 2, costs equal to m, a result above 10^9 + 7
    (2, 3, 13, [4, 6], [2, 1], [3, 4]),
    (3, 2, 5, [0, 5, 2], [1, 3, 4], [4, 2, 1]),
    (1, 7, 4, [4], [4], [0]),
    (2, 4, 3, [1, 2], [0, 3], [2, 1]),
    (4, 2, 2, [0, 1, 2, 1], [1, 1, 0, 2], [1, 0, 1, 0]),
    (40, 9, 7, list(range(40)), [k % 8 for k in range(40)], [(3 * k) % 8 for k in range(40)]),
]
NETWORK_CASES = [  # (n, states, thresholds, edges)
    (5, [1, 1, 0, 0, 0], [0, 0, 1, 1, 1], [(1, 3, 1), (1, 4, 1), (1, 5, 1), (2, 3, 1), (2, 4, 1), (2, 5, 1)]),
    (3, [2, 0, 0], [5, 1, 1], [(1, 2, 3), (2, 3, 2)]),                      # input threshold ignored
    (3, [2, 0, 0], [0, 1, 1], [(1, 2, 3), (1, 2, 2), (2, 3, 1)]),           # repeated edges summed
    (3, [-2, 3, 0], [0, 0, 0], [(1, 3, 5), (2, 3, 1)]),                     # an inactive input sends nothing
    (4, [1, 0, 0, 7], [0, 0, 0, 0], [(1, 2, 1), (2, 3, 1), (3, 2, 1)]),     # a cycle
    (2, [1, 0], [0, 0], [(1, 2, 1), (2, 2, 1)]),                            # a self-loop
    (4, [3, 0, 0, 0], [0, 4, 0, 0], [(1, 2, 1), (2, 3, 5), (1, 4, 1)]),     # a blocked neuron; outputs 3 and 4
    (3, [0, 0, 0], [0, 0, 0], [(3, 2, 1), (2, 1, 1)]),                      # all outputs <= 0: NULL
    (4, [0, 2, 0, 6], [0, 0, 0, 0], [(2, 1, 4), (4, 3, 1)]),                # 4 -> 3 before 2 -> 1; sorted output
    (3, [2, 7, 0], [0, 0, 1], [(1, 2, 1), (1, 2, -1), (1, 3, 4)]),         # weights summing to 0: still an edge
]


@pytest.mark.task("12.1", "12.2")
@pytest.mark.parametrize("how", ["main", "m"])
def test_paths_sample(run, how):
    judge(run, "paths_divisible", "sample", *C.PATHS_SAMPLE, SMALL_LIMIT, MEMORY_MB, public=True, how=how)


@pytest.mark.task("12.1")
def test_count_paths_small(run, ref):
    check.cases([check.call("count_paths", *case) for case in PATHS_CASES], run(P.count_paths, PATHS_CASES),
                ref(P.count_paths, PATHS_CASES))


@pytest.mark.slow
@pytest.mark.task("12.1", "12.2")
def test_paths_largest(run, ref):
    case = C.random_paths_case(2024, **{"n": C.LARGEST_PATHS["n"], "layers": C.LARGEST_PATHS["layers"],
                                        "m": C.LARGEST_PATHS["m"]})
    expected = f"{ref(P.count_paths, [case])[0]}\n"
    judge(run, "paths_divisible", "N=10^6 L=10^5 M=100", C.paths_input(*case), expected, LARGE_PATHS_LIMIT, MEMORY_MB,
          public=True)


@pytest.mark.task("12.3", "12.4")
@pytest.mark.parametrize("how", ["main", "m"])
def test_network_sample(run, how):
    judge(run, "feedforward_network", "sample", *C.NETWORK_SAMPLE, SMALL_LIMIT, MEMORY_MB, public=True, how=how)


@pytest.mark.task("12.3")
def test_simulate_small(run, ref):
    check.cases([check.call("simulate", *case) for case in NETWORK_CASES], run(P.simulate, NETWORK_CASES),
                ref(P.simulate, NETWORK_CASES))


@pytest.mark.task("12.3", "12.4")
@pytest.mark.parametrize("index", range(len(NETWORK_CASES)))
def test_network_judged(run, ref, index):
    case = NETWORK_CASES[index]
    expected = C.network_output(ref(P.simulate, [case])[0])
    judge(run, "feedforward_network", f"kit-{index}", C.network_input(*case), expected, SMALL_LIMIT, MEMORY_MB,
          public=True)


@pytest.mark.slow
@pytest.mark.task("12.3", "12.4")
def test_network_dense(run, ref):
    case = C.dense_network(7)
    expected = C.network_output(ref(P.simulate, [case])[0])
    judge(run, "feedforward_network", "dense n=100", C.network_input(*case), expected, DENSE_LIMIT, MEMORY_MB,
          public=True)
