"""Planning speed: `python -m bench.planning`.

- Value iteration: synchronous sweeps per second over a 100x100 maze (10,000 states, the
  maze made by game/scenes/mazegen.py with a few loops knocked through), and the sweeps
  and seconds it takes to converge from zero (theta 1e-6, gamma 0.95).
- Dyna-Q: planning updates per second (one-after-another Q-learning updates on
  remembered transitions, as the book's algorithm does them), with the model filled by a
  random walk first, on the Dyna Maze and on the 100x100 maze.
- MCTS: simulations (rollouts) per second and milliseconds per move, playing with
  brains.mcts.play_episodes: on CartPole with the brain's CartPole defaults (200
  simulations a move, imitating rollouts of depth 100, one expansion of 200 lanes), and
  on the Dyna Maze with settings for mazes (2,048 simulations of depth 60 per move, 512
  lanes per expansion; see tests/test_mcts.py).

Pinned to one core (bench/common.py). The numbers are medians of `--repeats` runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

import numpy as np

import bench.common  # noqa: F401
from bench.common import table
from brains.base import BrainShape, Transitions
from brains.dyna import DynaQ, DynaSettings
from brains.dynamic_programming import DPSettings, ValueIteration
from brains.mcts import MCTS, Episode, MCTSSettings, play_episodes
from brains.registry import make_brain
from game.scenes import make_scene
from game.scenes.cartpole import CartPoleScene
from game.scenes.gridmap import parse_map
from game.scenes.gridworld import GridWorldScene
from game.scenes.mazegen import maze_text

BIG = (100, 100)


def big_maze() -> GridWorldScene:
    text = maze_text(*BIG, seed=0, loops=0.05, title="100x100 benchmark maze")
    return GridWorldScene(parse_map(text, "<100x100 maze>"), 1)


def value_iteration(scene: GridWorldScene, sweeps: int) -> tuple[float, int, float]:
    """(sweeps per second over `sweeps` sweeps, sweeps to converge, seconds to converge)."""
    model = scene.tabular_model()
    shape = BrainShape(model.n_states, model.n_actions, one_hot=True)
    brain = ValueIteration(shape, 1, 0, DPSettings(theta=1e-6))
    brain.attach(model)
    start = time.perf_counter()
    for _ in range(sweeps):
        brain.sweep()
    rate = sweeps / (time.perf_counter() - start)
    brain = ValueIteration(shape, 1, 0, DPSettings(theta=1e-6))
    brain.attach(model)
    start = time.perf_counter()
    while not brain.think(10.0):
        pass
    return rate, brain.sweeps, time.perf_counter() - start


def dyna_planning(scene: GridWorldScene, updates: int, walk: int = 20_000) -> tuple[float, int]:
    """(planning updates per second, (state, action) pairs in the model)."""
    brain = DynaQ(
        BrainShape(scene.spec.obs_dim, 4, one_hot=True), 1, 0, DynaSettings(n=0, epsilon=1.0)
    )
    scene.reset(0)
    rng = np.random.default_rng(0)
    for _ in range(walk):  # a random walk fills the model
        obs = scene.observe()
        actions = rng.integers(0, 4, 1)
        rewards, terminated, truncated = scene.step(actions)
        brain.observe(Transitions(obs, actions, rewards, scene.observe(), terminated, truncated))
        scene.reset_agents(~scene.alive)
    start = time.perf_counter()
    brain.plan(updates)
    return updates / (time.perf_counter() - start), brain._known


# Mazes reward only far ahead: long rollouts, many lanes at once, the best rollout counts.
MAZE_MCTS = MCTSSettings(
    discount=0.95, backup="max", depth=60, simulations=2048, rollouts_per_action=128
)


# The brain's own CartPole defaults (its scene_defaults: imitating rollouts of depth 100).
CARTPOLE_MCTS = make_brain("mcts", BrainShape(4, 2, "cartpole"), None, 0).settings


def mcts_speed(scene: Any, settings: MCTSSettings, moves: int) -> tuple[float, float, int]:
    """(simulations per second, ms per move, moves played): episodes from seed 0 on,
    until `moves` moves are played."""
    planner = MCTS(BrainShape(scene.spec.obs_dim, scene.spec.n_actions), 0, 0, settings)
    played: list[Episode] = []
    while sum(e.steps for e in played) < moves:
        left = moves - sum(e.steps for e in played)
        played += play_episodes(planner, scene, 1, seed=len(played), max_steps=left)
    steps = sum(e.steps for e in played)
    ms = 1000 * sum(e.seconds for e in played) / steps
    return planner.simulations_per_second, ms, steps


def mcts_rows(repeats: int, moves: int) -> list[list[str]]:
    rows = []
    cases = (
        ("CartPole, defaults", lambda: CartPoleScene(1), CARTPOLE_MCTS),
        ("Dyna Maze, maze settings", lambda: make_scene("gridworld:dyna-maze", 1), MAZE_MCTS),
    )
    for name, scene, settings in cases:
        runs = [mcts_speed(scene(), settings, moves) for _ in range(repeats)]
        rows.append(
            [
                f"MCTS simulations per second ({name})",
                f"{statistics.median(r[0] for r in runs):,.0f}",
                f"{statistics.median(r[1] for r in runs):.1f} ms/move at "
                f"{settings.simulations:,} simulations, depth {settings.depth}",
            ]
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sweeps", type=int, default=200)
    parser.add_argument("--updates", type=int, default=200_000)
    parser.add_argument("--mcts-moves", type=int, default=200, help="moves played per MCTS run")
    args = parser.parse_args()
    maze = big_maze()
    open_cells = int(np.count_nonzero(~maze.layout.wall))
    longest = int(maze.layout.distance[maze.starts[0]])
    vi = [value_iteration(maze, args.sweeps) for _ in range(args.repeats)]
    rate = statistics.median(v[0] for v in vi)
    rows = [
        [
            f"value iteration: sweeps per second, 100x100 maze ({open_cells:,} open cells)",
            f"{rate:,.0f}",
            f"{rate * maze.rows * maze.cols / 1e6:,.1f}M state backups/s",
        ],
        [
            f"value iteration: sweeps to converge from zero (start {longest} moves from goal)",
            f"{vi[0][1]:,}",
            f"{statistics.median(v[2] for v in vi):.2f} s",
        ],
    ]
    for name, scene in (("Dyna Maze", make_scene("gridworld:dyna-maze", 1)), ("100x100", maze)):
        runs = [dyna_planning(scene, args.updates) for _ in range(args.repeats)]
        rows.append(
            [
                f"Dyna-Q planning updates per second ({name})",
                f"{statistics.median(r[0] for r in runs):,.0f}",
                f"{runs[0][1]:,} (s, a) pairs in the model",
            ]
        )
    rows += mcts_rows(args.repeats, args.mcts_moves)
    print(table(["measure", "value", "note"], rows))
    print(f"\nload average (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
