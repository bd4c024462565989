"""Cart-steps per second, ours against gymnasium's CartPole-v1, in one run:
`python -m bench.cartpole_throughput`.

Every contender steps random actions and starts finished carts again at once:
- ours: CartPoleScene(n).step + observe, finished carts restarted with reset_agents;
- ours float32: the same with CartPoleFloat32Scene (scene key cartpole:float32), which
  gives up matching gymnasium to the bit;
- gymnasium single: gymnasium.make("CartPole-v1") stepped one cart at a time in a Python
  loop, the usual way (with make's standard wrappers);
- gymnasium vector: gymnasium.make_vec("CartPole-v1", num_envs=n,
  vectorization_mode="vector_entry_point"), its own NumPy-vectorised CartPole.
Targets (issue 3): at 4,096 carts at least 1.5 times gymnasium's vectorised CartPole, and
more than 100 times its single-env loop (issue 24: a faster mode, if the exact scene
misses 1.5, offered as a setting with its measured speed).
"""

from __future__ import annotations

import argparse
import time

import gymnasium
import numpy as np

import bench.common  # noqa: F401
from bench.common import table
from game.scenes.cartpole import CartPoleScene
from game.scenes.cartpole_float32 import CartPoleFloat32Scene


def ours(n: int, seconds: float, scene_class: type[CartPoleScene] = CartPoleScene) -> float:
    scene = scene_class(n)
    scene.reset(0)
    rng = np.random.default_rng(0)
    actions = rng.integers(0, 2, (64, n))
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for a in actions:
            scene.step(a)
            scene.observe()
            scene.reset_agents(~scene.alive)
        steps += 64 * n
    return steps / (time.perf_counter() - start)


def gym_single(seconds: float) -> float:
    env = gymnasium.make("CartPole-v1")
    env.reset(seed=0)
    rng = np.random.default_rng(0)
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for a in rng.integers(0, 2, 1000):
            _, _, terminated, truncated, _ = env.step(int(a))
            if terminated or truncated:
                env.reset()
        steps += 1000
    return steps / (time.perf_counter() - start)


def gym_vector(n: int, seconds: float) -> float:
    env = gymnasium.make_vec("CartPole-v1", num_envs=n, vectorization_mode="vector_entry_point")
    env.reset(seed=0)
    rng = np.random.default_rng(0)
    actions = rng.integers(0, 2, (64, n))
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for a in actions:
            env.step(a)
        steps += 64 * n
    env.close()
    return steps / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = parser.parse_args()
    single = gym_single(args.seconds)
    rows = []
    for n in (1, 256, 4_096):
        exact, fast = ours(n, args.seconds), ours(n, args.seconds, CartPoleFloat32Scene)
        vector = gym_vector(n, args.seconds)
        rows.append(
            [
                f"{n:,}",
                f"{exact:,.0f}",
                f"{fast:,.0f}",
                f"{vector:,.0f}",
                f"{single:,.0f}",
                f"{exact / vector:.2f}x",
                f"{fast / vector:.2f}x",
                f"{exact / single:,.0f}x",
            ]
        )
    print(
        table(
            [
                "carts",
                "ours",
                "ours float32",
                "gymnasium vector",
                "gymnasium single",
                "ours / vector",
                "float32 / vector",
                "ours / single",
            ],
            rows,
        )
    )
    print("targets at 4,096 carts: ours / vector >= 1.5x; ours / single > 100x")


if __name__ == "__main__":
    main()
