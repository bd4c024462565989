"""Our vector envs against gymnasium's SyncVectorEnv of the same single envs:
`python -m bench.vector_env_speed`.

Lane-steps per second of `envs.step` with random actions, autoresets included, for
FlappyBird-v0 (the lanes scene: every lane one array row, one call a step) and
Gridworld-v0 on the Dyna Maze (one GridWorldScene), at several lane counts. The two
sides produce the same episodes (tests/test_envs.py), so this is the price of the
Python loop over lanes alone.
"""

from __future__ import annotations

import argparse
import time

import gymnasium
import numpy as np

import bench.common  # noqa: F401
import game.envs
from bench.common import table


def lane_steps_per_second(envs, seconds: float) -> float:
    envs.reset(seed=0)
    rng = np.random.default_rng(0)
    # Flappy birds flap one tick in ten at random: enough to live a while.
    actions = [
        (rng.random(envs.num_envs) < 0.1).astype(np.int64)
        if envs.single_action_space.n == 2
        else rng.integers(0, envs.single_action_space.n, envs.num_envs)
        for _ in range(64)
    ]
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for batch in actions:
            envs.step(batch)
        steps += len(actions)
    return steps * envs.num_envs / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="per measurement")
    args = parser.parse_args()
    rows = []
    for env_id, kwargs in ((game.envs.FLAPPY_ID, {}), (game.envs.GRIDWORLD_ID, {})):
        for n in (1, 8, 64, 512):
            ours = gymnasium.make_vec(env_id, num_envs=n, **kwargs)
            sync = gymnasium.make_vec(env_id, num_envs=n, vectorization_mode="sync", **kwargs)
            fast = lane_steps_per_second(ours, args.seconds)
            slow = lane_steps_per_second(sync, args.seconds)
            name = env_id.split("/")[1]
            rows.append([name, n, f"{fast:,.0f}", f"{slow:,.0f}", f"{fast / slow:.1f}x"])
    print(table(["env", "lanes", "ours lane-steps/s", "SyncVectorEnv", "ratio"], rows))


if __name__ == "__main__":
    main()
