"""Episodes until the first 500-step CartPole episode, over many independent trials:
`python -m bench.search_methods`.

Each trial is a fresh search with its own seed, for:
- random search: a new uniform [-1, 1] weight vector every episode;
- hill climbing, classic: one neighbour per episode, fixed noise 0.1 (the write-ups');
- hill climbing, adaptive: the same, with noise that grows while stuck and shrinks on
  progress (from 0.5);
- adaptive + replays: the hill-climb brain's defaults, 4 episodes per generation of which
  one replays the incumbent. Replays do not help the first success (a quarter of the
  episodes re-check the incumbent); they make "solved" (mean of 20 fresh episodes) reliable.
A trial is "stuck" when no episode reaches 500 steps within 2,000 episodes. All trials of
a method run side by side: each round, every trial's next candidates are played at once in
one batched CartPoleScene, using the brains' own ask/tell.
Target (issue 3): the adaptive climber is never stuck and needs fewer episodes than random
search at the median.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import bench.common  # noqa: F401
from bench.common import table
from brains.base import BrainShape
from brains.hill_climb import HillClimb, HillClimbSettings
from brains.linear import LinearPolicy
from brains.random_search import RandomSearch
from game.scenes.cartpole import TIME_LIMIT, CartPoleScene

SHAPE = BrainShape(4, 2, "cartpole")
METHODS = {
    "random search": lambda seed: RandomSearch(SHAPE, 1, seed),
    "hill climbing, classic": lambda seed: HillClimb(
        SHAPE, 1, seed, HillClimbSettings(noise=0.1, adaptive=False, reevaluate=False)
    ),
    "hill climbing, adaptive": lambda seed: HillClimb(
        SHAPE, 1, seed, HillClimbSettings(reevaluate=False)
    ),
    "adaptive + replays (brain default)": lambda seed: HillClimb(
        SHAPE, HillClimb.default_population, seed
    ),
}


def episodes_to_first_success(make, trials: int, cap: int) -> np.ndarray:
    """Episodes each trial played up to and including its first 500-step episode
    (cap + 1 for a trial that never got there)."""
    brains = [make(seed) for seed in range(trials)]
    episodes = np.zeros(trials, dtype=np.int64)
    result = np.full(trials, cap + 1)
    active = np.arange(trials)
    round_ = 0
    while len(active):
        policies = [brains[i].ask() for i in active]
        sizes = [brains[i].population_size for i in active]
        weights = np.concatenate([p.weights for p in policies])
        scene = CartPoleScene(len(weights))
        scene.reset(round_)
        played = LinearPolicy(weights)  # candidate i plays cart i, as the brains do
        while not scene.all_done:
            scene.step(played.act(scene.observe()))
        lengths = np.split(scene.steps.astype(float), np.cumsum(sizes)[:-1])
        still = []
        for trial, fitness in zip(active, lengths, strict=True):
            hits = np.flatnonzero(fitness >= TIME_LIMIT)
            if len(hits):
                result[trial] = episodes[trial] + hits[0] + 1
                continue
            episodes[trial] += len(fitness)
            if episodes[trial] >= cap:
                continue
            brains[trial].tell(fitness)
            still.append(trial)
        active = np.array(still, dtype=np.int64)
        round_ += 1
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1_000)
    parser.add_argument("--cap", type=int, default=2_000, help="episodes before a trial is stuck")
    args = parser.parse_args()
    rows, medians = [], {}
    for name, make in METHODS.items():
        start = time.perf_counter()
        found = episodes_to_first_success(make, args.trials, args.cap)
        solved = found[found <= args.cap]
        stuck = 1.0 - len(solved) / len(found)
        medians[name] = float(np.median(found))
        rows.append(
            [
                name,
                f"{solved.mean():.1f}" if len(solved) else "-",
                f"{np.median(found):.0f}" if stuck < 0.5 else f">{args.cap}",
                f"{np.percentile(found, 90):.0f}" if stuck < 0.1 else f">{args.cap}",
                f"{stuck:.1%}",
                f"{time.perf_counter() - start:.0f} s",
            ]
        )
    headers = ["method", "mean (successes)", "median", "90th pct", "stuck", "bench time"]
    print(f"episodes until the first {TIME_LIMIT}-step episode, {args.trials} trials each")
    print(table(headers, rows))
    ratio = medians["random search"] / medians["hill climbing, adaptive"]
    print(f"random search median / adaptive median: {ratio:.2f}x")
    print("target: adaptive never stuck, and below random search at the median")


if __name__ == "__main__":
    main()
