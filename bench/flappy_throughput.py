"""Bird-steps per second, headless, on one core: `python -m bench.flappy_throughput`.

Two columns per population size:
- scene: FlappyScene.step + observe with every bird alive and a cheap scripted pilot,
  the simulation's own cost;
- scene + GA: the same with the genetic algorithm's batched networks choosing the flaps,
  every bird alive, which is the cost of one training tick per bird.
Target (issue 2): at least 2,000,000 bird-steps/s at 1,000 birds.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import bench.common  # noqa: F401  (one core, repo on sys.path)
from bench.common import table
from brains.base import BrainShape
from brains.ga import GeneticAlgorithm
from game.scenes.flappy import GROUND_Y, FlappyScene


def pilot(obs: np.ndarray) -> np.ndarray:
    """Flap when 20 px below the next gap's middle (offsets are gap minus bird)."""
    return ((obs[:, 3] + obs[:, 4]) < -40 / GROUND_Y * 2).astype(np.int64)


def measure(n: int, seconds: float, use_ga: bool) -> float:
    """Bird-steps per second of living birds over about `seconds` of stepping."""
    scene = FlappyScene(n)
    policy = GeneticAlgorithm(BrainShape(7, 2), max(n, 2), seed=0).ask() if use_ga else None
    scene.reset(0)
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(100):
            obs = scene.observe()
            if policy is not None:
                # The networks' choice is computed (that is the cost measured) but the
                # pilot flies: random networks would crash at once, and the count
                # should be n birds per tick.
                policy.act(obs)
            actions = pilot(obs)
            steps += int(np.count_nonzero(scene.alive))
            scene.step(actions)
            if scene.all_done:
                scene.reset(steps)
    return steps / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    args = parser.parse_args()
    rows = []
    for n in (100, 1_000, 10_000):
        scene = measure(n, args.seconds, use_ga=False)
        with_ga = measure(n, args.seconds, use_ga=True)
        rows.append([f"{n:,}", f"{scene:,.0f}", f"{with_ga:,.0f}"])
    print(table(["birds", "scene bird-steps/s", "scene + GA bird-steps/s"], rows))
    print("target: >= 2,000,000 bird-steps/s at 1,000 birds (scene + GA)")


if __name__ == "__main__":
    main()
