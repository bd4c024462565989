"""Generations and seconds to solve Flappy Bird, ours against a peer:
`python -m bench.flappy_solve`.

Ours: the genetic algorithm, population 200, trained headless until solved (the champion
passes 100 pipes on each of 5 courses it never trained on), seeds 0-4, one core.
The peer: neat-python driving the flappy-bird-gymnasium package, population 100, the same
rule, run from its own virtualenv (bench/.peer-venv, made on first use) because that
package needs plain pygame, which must never sit beside pygame-ce in the app's .venv.
Target (issue 2): our median under 10 s.
"""

from __future__ import annotations

import argparse
import statistics
import time

import bench.common  # noqa: F401
from bench.common import table
from brains.registry import make_brain
from game.arena import Budget, EvolutionArena, brain_shape


def solve_ours(seed: int, brain: str, population: int, max_generations: int) -> dict:
    """One headless run until solved; also timed by bench.neat_vs_ga."""
    arena = EvolutionArena(
        "flappy", make_brain(brain, brain_shape("flappy"), population, seed), seed
    )
    start = time.perf_counter()
    arena.run(Budget(max_generations=max_generations, until_solved=True))
    m = arena.metrics
    return {
        "seed": seed,
        "solved": m.solved,
        "generations": m.generations,
        "wall_seconds": time.perf_counter() - start,
        "env_steps": m.env_steps,
        "best_score": m.best_score,
        "checking": m.checking / max(m.busy, 1e-9),  # share of time checking the champion
    }


def line(who: str, r: dict) -> str:
    return f"{who} seed {r['seed']}: solved={r['solved']} gens={r['generations']} " + (
        f"{r['wall_seconds']:.1f}s"
    )


def summarise(name: str, results: list[dict]) -> list[object]:
    solved = [r for r in results if r["solved"]]
    steps_per_s = sum(r["env_steps"] for r in results) / sum(r["wall_seconds"] for r in results)
    row: list[object] = [name, f"{len(solved)}/{len(results)}"]
    if solved:
        row += [
            statistics.median(r["generations"] for r in solved),
            f"{statistics.median(r['wall_seconds'] for r in solved):.1f}",
            f"{max(r['wall_seconds'] for r in solved):.1f}",
        ]
    else:
        row += ["-", "-", "-"]
    return row + [max(r["best_score"] or 0 for r in results), f"{steps_per_s:,.0f}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--brain", default="ga")
    parser.add_argument("--max-generations", type=int, default=500)
    parser.add_argument("--no-peer", action="store_true", help="time only our GA")
    parser.add_argument("--peer-generations", type=int, default=300)
    parser.add_argument("--peer-timeout", type=float, default=600, help="seconds per peer seed")
    args = parser.parse_args()
    seeds = list(range(args.seeds))
    ours = []
    for seed in seeds:
        ours.append(solve_ours(seed, args.brain, 200, args.max_generations))
        r = ours[-1]
        print(line("ours", r))
    rows = [summarise(f"ours: {args.brain}, population 200", ours)]
    peer = []
    if not args.no_peer:
        from bench.peer_venv import run_peer

        peer = run_peer(seeds, args.peer_generations, args.peer_timeout)
        for r in peer:
            print(line("peer", r))
        rows.append(summarise("peer: neat-python + flappy-bird-gymnasium, pop 100", peer))
    headers = [
        "method",
        "solved",
        "median gens",
        "median s",
        "worst s",
        "best pipes",
        "bird-steps/s",
    ]
    print(table(headers, rows))
    ours_s = [r["wall_seconds"] for r in ours if r["solved"]]
    peer_s = [r["wall_seconds"] for r in peer if r["solved"]]
    if ours_s and peer_s:
        ratio = statistics.median(peer_s) / statistics.median(ours_s)
        print(f"peer median seconds / ours: {ratio:.1f}x")
    elif peer and not peer_s:
        spent = statistics.median(r["wall_seconds"] for r in peer)
        print(
            f"the peer solved no seed: it stopped after a median {spent:.0f} s "
            f"({args.peer_generations} generations) without solving; ours solved in "
            f"{statistics.median(ours_s or [float('nan')]):.1f} s"
        )
    print("target: our median under 10 s")


if __name__ == "__main__":
    main()
