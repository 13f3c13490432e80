"""OpenJudge T29741 "神经网络之国" (a country built like a neural network): count the entry→exit
paths whose total cost is divisible by ``m``.

There are ``layers`` layers of ``n`` cities each. A path enters at a city ``j`` of layer 1 (cost
``entry[j]``), moves ``layers - 1`` times to any city ``j`` of the next layer (cost ``between[j]``,
the same whichever city it comes from), and leaves from its city in the last layer ``jL`` (cost
``exit[jL]``). The last move and the exit belong to the same city, so they cannot be counted apart.

Input: ``N L M``, then ``N`` entry costs, ``N`` between costs, ``N`` exit costs
(``1 <= N <= 10**6``, ``2 <= L <= 10**5``, ``2 <= M <= 100``, ``0 <= cost <= M``).
Output: the number of such paths modulo 1,000,000,007.

Run it: ``python -m ch12_openjudge.paths_divisible < input.txt``.
"""
from __future__ import annotations

import sys

MOD = 1_000_000_007


def count_paths(n: int, layers: int, m: int, entry: list[int], between: list[int], exit: list[int]) -> int:
    """The number of entry→exit paths whose total cost is divisible by ``m``, modulo 1,000,000,007.

    ``entry``, ``between`` and ``exit`` hold ``n`` costs each. Only costs modulo ``m`` matter, and a
    path's cost residue is a sum of independent choices, so count cities per residue and combine
    the counts by cyclic convolution; the ``layers - 2`` identical middle moves are one convolution
    power (repeated squaring), and the last move is paired with the exit of the same city.
    Must run in about ``O(n + m**2 * log(layers))``.
    """
    # TODO 12.1: 统计每个余数的城市数：入口、中间转移、最后一次转移+出口（同一城市 between[j]+exit[j]）；中间 layers-2 次转移用循环卷积的快速幂
    #   count cities per residue for the entry, a middle move, and the last move plus exit (between[j] + exit[j] of one city); raise the middle move to the power layers - 2 by repeated squaring of cyclic convolutions
    raise NotImplementedError("TODO 12.1: count_paths")


def main() -> None:
    """Read the problem's input from standard input and print the answer."""
    # TODO 12.2: 一次读入全部标准输入并 split（10^6 个数时 input() 太慢），转成整数后调用 count_paths 并 print
    #   read all of standard input at once and split it (input() is too slow for 10^6 numbers), convert to ints, call count_paths, print
    raise NotImplementedError("TODO 12.2: main")


if __name__ == "__main__":
    main()
