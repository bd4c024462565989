"""The binned Q-table on CartPole, seed by seed: `python -m bench.q_table_cartpole`.

Each seed trains the `q-table` brain (its defaults, one cart, as `python main.py train
--scene cartpole --brain q-table --seed S` does) for up to 3,000 episodes. Every 50
episodes its greedy policy plays 100 fresh episodes (a seed stream of their own, so the
arena's own checks and training are untouched). The table gives, per seed, the first
episode at which that mean reached 195 (CartPole-v0's rule: 195 over 100 consecutive
episodes; our carts have v1's 500-step limit, so a mean can exceed 200) and the greedy
mean after the last episode.
Target: every seed reaches 195 within 3,000 episodes.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import bench.common  # noqa: F401
from bench.common import table
from brains.registry import make_brain
from game.arena import LearnerArena, brain_shape
from game.evaluation import Evaluation, episode_seed
from game.scenes import SolveRule

V0_RULE = SolveRule(episodes=100, threshold=195, every_episode=False)
BENCH_STREAM = 7  # evaluation seeds apart from the arena's training and check streams


def greedy_mean(arena: LearnerArena, index: int) -> float:
    seed = episode_seed(arena.seed, BENCH_STREAM, index)
    evaluation = Evaluation("cartpole", arena.brain.champion(), seed, V0_RULE)
    evaluation.finish()
    return evaluation.score


def run_seed(brain_text: str, seed: int, episodes: int, every: int, stop: bool) -> dict:
    """Train one seed; the episode of the first greedy mean >= 195 and the final mean."""
    brain = make_brain(brain_text, brain_shape("cartpole"), None, seed)
    arena = LearnerArena("cartpole", brain, seed)
    start = time.perf_counter()
    first, checks, mean, best = None, 0, 0.0, 0.0
    while arena.metrics.episodes < episodes:
        arena.tick()
        if arena.metrics.episodes >= (checks + 1) * every:
            mean = greedy_mean(arena, checks)
            checks += 1
            best = max(best, mean)
            if first is None and mean >= V0_RULE.threshold:
                first = arena.metrics.episodes
                if stop:
                    break
    if checks * every < arena.metrics.episodes:
        mean = greedy_mean(arena, checks)
        best = max(best, mean)
    return {
        "seed": seed,
        "first": first,
        "final": mean,
        "best": best,
        "episodes": arena.metrics.episodes,
        "steps": arena.metrics.env_steps,
        "seconds": time.perf_counter() - start,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brain", default="q-table", help="brain and settings, e.g. q-table")
    parser.add_argument("--seeds", type=int, default=10, help="seeds 0 to N-1")
    parser.add_argument("--episodes", type=int, default=3_000, help="training episodes per seed")
    parser.add_argument("--every", type=int, default=50, help="episodes between greedy checks")
    parser.add_argument(
        "--stop", action="store_true", help="stop a seed at its first mean of 195 (quicker)"
    )
    args = parser.parse_args()
    results = []
    for seed in range(args.seeds):
        result = run_seed(args.brain, seed, args.episodes, args.every, args.stop)
        results.append(result)
        print(
            f"seed {seed}: first >= 195 at episode {result['first']}, "
            f"final {result['final']:.1f}, {result['seconds']:.0f} s",
            flush=True,
        )
    rows = [
        [
            r["seed"],
            "-" if r["first"] is None else f"{r['first']:,}",
            f"{r['final']:.1f}",
            f"{r['best']:.1f}",
            f"{r['steps']:,}",
            f"{r['seconds']:.0f} s",
        ]
        for r in results
    ]
    headers = ["seed", "first mean >= 195 (episode)", "final mean", "best mean", "steps", "time"]
    print(f"{args.brain} on CartPole: greedy mean over 100 fresh episodes every {args.every}")
    print(table(headers, rows))
    reached = [r["first"] for r in results if r["first"] is not None]
    median = f"{np.median(reached):,.0f}" if reached else "-"
    print(f"reached 195: {len(reached)}/{len(results)} seeds, median episode {median}")
    print(f"target: every seed reaches 195 within {args.episodes:,} episodes")


if __name__ == "__main__":
    main()
