"""OpenJudge M29740 "神经网络" (a neural network): simulate a feed-forward network of threshold neurons.

Neurons ``1..n`` each have a state ``C`` and a threshold ``U``; a directed edge ``i → j`` has weight
``W``. Input neurons (no incoming edge) keep their given state. Every other neuron, once all its
predecessors are known, takes ``C_j = sum(W_ij * C_i over predecessors i with C_i > 0) - U_j``: only
active neurons (state > 0) pass a signal on. Output neurons are those with no outgoing edge.
Repeated edges ``i → j`` are one edge whose weight is their sum. A network with a directed cycle (a
self-loop included) cannot be evaluated.

Input: ``n p``, then ``n`` lines ``C U``, then ``p`` lines ``i j W``.
Output: one line ``i C`` per output neuron with ``C > 0``, ascending by ``i``; ``NULL`` when there
is none or the network has a cycle.

Run it: ``python -m ch12_openjudge.feedforward_network < input.txt``.
"""
from __future__ import annotations

import sys
from collections import deque


def simulate(n: int, states: list[int], thresholds: list[int], edges: list[tuple[int, int, int]]):
    """``[(i, C_i), ...]`` for the output neurons with ``C_i > 0``, ascending by ``i``; ``None`` when
    there is none or the network has a directed cycle.

    ``states[i - 1]`` and ``thresholds[i - 1]`` belong to neuron ``i``; ``edges`` are ``(i, j, w)``
    triples (repeated pairs are summed into one edge). Evaluate in topological order (Kahn's
    algorithm also finds cycles: some neuron is never reached).
    """
    ### BEGIN SOLUTION 12.3
    ### zh: 先把重复边的权重相加；用 Kahn 拓扑排序（入度为 0 的入队），处理不完所有神经元说明有环；入度 0 的输入神经元不减阈值
    ### en: sum the weights of repeated edges; Kahn's topological sort (queue the in-degree-0 neurons), a neuron never dequeued means a cycle; input neurons (in-degree 0) keep their state
    weights: dict[tuple[int, int], int] = {}
    for i, j, w in edges:
        weights[i, j] = weights.get((i, j), 0) + w
    successors: list[list[tuple[int, int]]] = [[] for _ in range(n + 1)]
    indegree = [0] * (n + 1)
    for (i, j), w in weights.items():
        successors[i].append((j, w))
        indegree[j] += 1
    state = [0] + list(states)
    incoming = [0] * (n + 1)
    queue = deque(i for i in range(1, n + 1) if indegree[i] == 0)
    left = indegree[:]
    done = 0
    while queue:
        i = queue.popleft()
        done += 1
        if indegree[i]:
            state[i] = incoming[i] - thresholds[i - 1]
        for j, w in successors[i]:
            if state[i] > 0:
                incoming[j] += w * state[i]
            left[j] -= 1
            if left[j] == 0:
                queue.append(j)
    if done < n:
        return None
    outputs = [(i, state[i]) for i in range(1, n + 1) if not successors[i] and state[i] > 0]
    return outputs or None
    ### END SOLUTION


def main() -> None:
    """Read the problem's input from standard input and print the answer."""
    ### BEGIN SOLUTION 12.4
    ### zh: 读入 n、p、n 行 (C, U)、p 行 (i, j, W)，调用 simulate；结果为 None 时打印 NULL，否则每行 "i C"
    ### en: read n, p, n lines (C, U) and p lines (i, j, W), call simulate; print NULL for None, else one "i C" line each
    data = list(map(int, sys.stdin.buffer.read().split()))
    n, p = data[0], data[1]
    states, thresholds = data[2:2 + 2 * n:2], data[3:3 + 2 * n:2]
    rest = data[2 + 2 * n:]
    edges = [(rest[3 * k], rest[3 * k + 1], rest[3 * k + 2]) for k in range(p)]
    result = simulate(n, states, thresholds, edges)
    print("NULL" if result is None else "\n".join(f"{i} {c}" for i, c in result))
    ### END SOLUTION


if __name__ == "__main__":
    main()
