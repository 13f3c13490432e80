"""Benchmark the reference 2048 AI (``ch01_game2048.fast_ai.FastAI``) on seeded games.

    python bench/bench_2048.py --games 20 [--seed0 0] [--jobs 1] [--out bench/out]

Game ``i`` is ``ch01_game2048.ai.play_game(random.Random(seed0 + i), policy=FastAI())``, played to
the end. Prints one row per game (seed, best tile, score, moves, median ms per move), the share of
games reaching 2048 / 4096 / 8192 and the median ms per move over every move of every game, and
writes a histogram of the best tiles (``max_tiles.png``) and the raw results (``bench_2048.json``)
to ``--out``. With ``--jobs N > 1`` games run in parallel, one process per game.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Optional

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "solutions"))

from ch01_game2048.ai import play_game  # noqa: E402
from ch01_game2048.fast_ai import FastAI  # noqa: E402

THRESHOLDS = (2048, 4096, 8192)
_move_counter: Optional[Any] = None  # shared move counter, set in pool workers


# ----------------------------------------------------------------------------------------------
# Playing
# ----------------------------------------------------------------------------------------------
def play_one(
    seed: int, on_move: Optional[Callable[[], None]] = None, max_moves: Optional[int] = None
) -> dict[str, Any]:
    """One seeded game with ``FastAI`` (to the end unless ``max_moves``); the AI's time per move is
    measured around ``best_move``."""
    import random

    ai = FastAI()
    times: list[float] = []  # wall-clock seconds per move
    cpu_times: list[float] = []  # CPU seconds per move (what one core spends, whatever else runs)

    def policy(board: list[list[int]]) -> Optional[str]:
        start, cpu_start = time.perf_counter(), time.process_time()
        key = ai.best_move(board)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
        if on_move is not None:
            on_move()
        return key

    start = time.perf_counter()
    result = play_game(random.Random(seed), policy=policy, max_moves=max_moves)
    return {
        "seed": seed,
        "max_tile": result["max_tile"],
        "score": result["score"],
        "moves": result["moves"],
        "median_ms": 1000 * statistics.median(times) if times else 0.0,
        "median_cpu_ms": 1000 * statistics.median(cpu_times) if cpu_times else 0.0,
        "wall_s": time.perf_counter() - start,
        "ms_per_move": [round(1000 * t, 3) for t in times],
        "cpu_ms_per_move": [round(1000 * t, 3) for t in cpu_times],
    }


def _init_worker(counter: Any) -> None:
    """Pool initializer: remember the shared move counter."""
    global _move_counter
    _move_counter = counter


def _count_move() -> None:
    """Add one to the shared move counter (in a pool worker)."""
    assert _move_counter is not None
    with _move_counter.get_lock():
        _move_counter.value += 1


def _play_in_worker(seed: int, max_moves: Optional[int]) -> dict[str, Any]:
    """``play_one`` inside a pool worker, counting moves for the progress display."""
    return play_one(seed, _count_move, max_moves)


def run_games(seeds: list[int], jobs: int, max_moves: Optional[int] = None) -> list[dict[str, Any]]:
    """Play every seed (in parallel when ``jobs > 1``), with progress bars for games and moves."""
    from tqdm import tqdm

    results: list[dict[str, Any]] = []
    interval = 0.5 if sys.stderr.isatty() else 30.0  # fewer lines in a log file
    games_bar = tqdm(total=len(seeds), desc="games", unit="game", position=0, mininterval=interval)
    moves_bar = tqdm(desc="moves", unit="move", position=1, mininterval=interval)

    def finished(result: dict[str, Any]) -> None:
        results.append(result)
        games_bar.update(1)
        games_bar.set_postfix(seed=result["seed"], tile=result["max_tile"])

    try:
        if jobs <= 1:
            for seed in seeds:
                finished(play_one(seed, lambda: moves_bar.update(1), max_moves))
        else:
            counter = mp.Value("q", 0)
            with mp.Pool(jobs, initializer=_init_worker, initargs=(counter,), maxtasksperchild=1) as pool:
                pending = [pool.apply_async(_play_in_worker, (seed, max_moves)) for seed in seeds]
                while pending:
                    time.sleep(0.5)
                    moves_bar.update(counter.value - moves_bar.n)
                    for job in [j for j in pending if j.ready()]:
                        pending.remove(job)
                        finished(job.get())
                moves_bar.update(counter.value - moves_bar.n)
    finally:
        moves_bar.close()
        games_bar.close()
    return sorted(results, key=lambda r: r["seed"])


# ----------------------------------------------------------------------------------------------
# Reporting
# ----------------------------------------------------------------------------------------------
def summarize(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Share of games reaching each threshold and the median ms per move over all moves."""
    all_ms = [ms for r in results for ms in r["ms_per_move"]] or [0.0]
    all_cpu_ms = [ms for r in results for ms in r["cpu_ms_per_move"]] or [0.0]
    n = len(results)
    return {
        "games": n,
        "reached": {str(t): sum(r["max_tile"] >= t for r in results) / n for t in THRESHOLDS},
        "median_ms_per_move": statistics.median(all_ms),
        "mean_ms_per_move": statistics.mean(all_ms),
        "median_cpu_ms_per_move": statistics.median(all_cpu_ms),
        "mean_cpu_ms_per_move": statistics.mean(all_cpu_ms),
        "total_moves": sum(r["moves"] for r in results),
    }


def format_table(results: list[dict[str, Any]], summary: dict[str, Any], wall_s: float) -> str:
    """The per-game table and the summary lines."""
    lines = [f"{'seed':>6} {'max tile':>9} {'score':>9} {'moves':>7} {'median ms/move':>15} {'(CPU ms)':>9}"]
    for r in results:
        lines.append(
            f"{r['seed']:>6} {r['max_tile']:>9} {r['score']:>9} {r['moves']:>7} {r['median_ms']:>15.1f}"
            f" {r['median_cpu_ms']:>9.1f}"
        )
    lines.append("")
    for t in THRESHOLDS:
        share = summary["reached"][str(t)]
        lines.append(f"reached {t:>5}: {share:6.1%}  ({round(share * summary['games'])}/{summary['games']})")
    lines.append(
        f"median ms per move: {summary['median_ms_per_move']:.1f}  (mean {summary['mean_ms_per_move']:.1f}; "
        f"CPU time: median {summary['median_cpu_ms_per_move']:.1f}, mean {summary['mean_cpu_ms_per_move']:.1f}; "
        f"{summary['total_moves']} moves)"
    )
    lines.append(f"wall time: {wall_s:.0f} s")
    return "\n".join(lines)


def save_histogram(results: list[dict[str, Any]], path: Path) -> None:
    """A bar chart of how many games ended with each best tile."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    counts = Counter(r["max_tile"] for r in results)
    tiles = [1 << k for k in range(min(counts).bit_length() - 1, max(counts).bit_length())]
    fig, ax = plt.subplots(figsize=(7, 4))
    bars = ax.bar([str(t) for t in tiles], [counts.get(t, 0) for t in tiles], color="#f59563", edgecolor="#776e65")
    ax.bar_label(bars)
    ax.set_xlabel("best tile")
    ax.set_ylabel("games")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"FastAI: best tile over {len(results)} seeded games")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def parse_args(argv: Optional[list[str]] = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=20, help="number of games (default 20)")
    parser.add_argument("--seed0", type=int, default=0, help="seed of the first game (default 0)")
    parser.add_argument("--jobs", type=int, default=1, help="games in parallel, one process each (default 1)")
    parser.add_argument("--max-moves", type=int, default=None, help="stop every game after N moves (quick smoke runs)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out", help="output folder (default bench/out)")
    return parser.parse_args(argv)


def main(argv: Optional[list[str]] = None) -> int:
    """Run the benchmark and report."""
    args = parse_args(argv)
    seeds = list(range(args.seed0, args.seed0 + args.games))
    start = time.perf_counter()
    results = run_games(seeds, args.jobs, args.max_moves)
    wall_s = time.perf_counter() - start
    summary = summarize(results)
    print(format_table(results, summary, wall_s))
    args.out.mkdir(parents=True, exist_ok=True)
    save_histogram(results, args.out / "max_tiles.png")
    payload = {"summary": {**summary, "wall_s": wall_s, "jobs": args.jobs}, "games": results}
    (args.out / "bench_2048.json").write_text(json.dumps(payload) + "\n")
    print(f"saved {args.out / 'max_tiles.png'} and {args.out / 'bench_2048.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
