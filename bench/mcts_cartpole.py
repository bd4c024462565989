"""MCTS on CartPole: steps balanced (cap 500) per episode, milliseconds per move and
simulations per second: `python -m bench.mcts_cartpole [--episodes N] [--first-seed S]`.

Contenders, each one planner playing episodes with seeds S..S+N-1 in turn (one cart, the
real simulator; what a planner keeps between moves, its rollouts' imitation, carries on
from episode to episode as it does in `train`):
- ours, CartPole defaults: brains.mcts.MCTS as `--brain mcts` makes it on CartPole
  (rollouts that imitate the search's moves, depth 100, up to 100 per action, all
  played at once in lanes of one scene), at 50 and 200 simulations (rollouts) per move;
- ours, random rollouts: the class defaults (uniform random rollouts of depth 20, 8 per
  action per expansion), what CartPole ran before: a drifting cart is seen only a few
  centimetres before the end of the track;
- ours, one at a time: random rollouts with batched=false (restore, then step one cart
  per rollout), to show what the lanes buy;
- peer, plain UCT: a textbook UCT written here in plain Python, the simulator deep-copied
  for every simulation, one new node per simulation, random rollouts of depth 20,
  100 simulations per move (the issue quotes ~478 steps at ~40 ms per move for this).
Target: 500 steps every episode at 200 simulations, under 20 ms per move. An expansion
plays all its lanes at once, so the budget is run in whole expansions: "run/move" is
the number of rollouts actually played per move.
The machine is shared: the load average is printed with the table.
"""

from __future__ import annotations

import argparse
import copy
import math
import os
import time

import numpy as np

import bench.common  # noqa: F401
from bench.common import table
from brains.base import BrainShape
from brains.mcts import MCTS, MCTSSettings, play_episodes
from brains.registry import make_brain
from game.scenes.cartpole import CartPoleScene

SHAPE = BrainShape(4, 2, "cartpole")


class PlainUCT:
    """UCT as usually first written: a deep copy of the simulator per simulation."""

    def __init__(self, simulations: int, depth: int, seed: int, c: float = math.sqrt(2)) -> None:
        self.simulations, self.depth, self.c = simulations, depth, c
        self.rng = np.random.default_rng(seed)
        self.scene: CartPoleScene | None = None

    def attach(self, scene: CartPoleScene) -> None:
        self.scene = scene

    def think(self, seconds: float) -> bool:
        return True

    def act(self, observations: np.ndarray) -> np.ndarray:
        # A node: [visits, total return, children (action -> node)].
        root: list = [0, 0.0, {}]
        for _ in range(self.simulations):
            sim = copy.deepcopy(self.scene)
            node, path, total = root, [root], 0.0
            while len(node[2]) == 2 and sim.alive[0]:
                n = node[0]
                action = max(
                    (0, 1),
                    key=lambda a: (
                        node[2][a][1] / node[2][a][0] / (self.depth * 2)
                        + self.c * math.sqrt(math.log(n) / node[2][a][0])
                        + 1e-9 * self.rng.random()
                    ),
                )
                total += sim.step(np.array([action]))[0][0]
                node = node[2][action]
                path.append(node)
            if sim.alive[0]:
                untried = [a for a in (0, 1) if a not in node[2]]
                action = untried[self.rng.integers(len(untried))]
                total += sim.step(np.array([action]))[0][0]
                node[2][action] = [0, 0.0, {}]
                node = node[2][action]
                path.append(node)
            for _ in range(self.depth):
                if not sim.alive[0]:
                    break
                total += sim.step(self.rng.integers(0, 2, 1))[0][0]
            # Every node on the path is credited with the whole return from the root,
            # which ranks siblings the same as crediting only what followed them.
            for visited in path:
                visited[0] += 1
                visited[1] += total
        visits = [root[2][a][0] if a in root[2] else 0 for a in (0, 1)]
        return np.array([int(np.argmax(visits))])


def run(planner, episodes: int, first_seed: int) -> tuple[list[int], float, float]:
    """(steps per episode, ms per move, wall seconds)."""
    start = time.perf_counter()
    played = []
    for seed in range(first_seed, first_seed + episodes):  # one planner throughout
        played += play_episodes(planner, CartPoleScene(1), 1, seed=seed)
    seconds = sum(e.seconds for e in played)
    moves = sum(e.steps for e in played)
    return [e.steps for e in played], 1000 * seconds / moves, time.perf_counter() - start


def row(label: str, sims: int, run_: float, steps: list[int], ms: float, rate: float) -> list:
    return [
        label,
        sims,
        f"{run_:.0f}",
        f"{np.mean(steps):.1f}",
        min(steps),
        f"{sum(s == 500 for s in steps)}/{len(steps)}",
        f"{ms:.1f}",
        f"{rate:,.0f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0, help="episode seeds from here")
    parser.add_argument("--random-episodes", type=int, default=10, help="0 skips them")
    parser.add_argument("--peer-episodes", type=int, default=10, help="0 skips the plain UCT")
    parser.add_argument("--serial-episodes", type=int, default=3, help="0 skips batched=false")
    args = parser.parse_args()

    rows = []
    print(f"load average before: {os.getloadavg()}", flush=True)

    def contender(label: str, planner, episodes: int, sims: int) -> None:
        steps, ms, wall = run(planner, episodes, args.first_seed)
        done = planner.simulations_done / sum(steps)
        rows.append(row(label, sims, done, steps, ms, planner.simulations_per_second))
        print(f"  {label} {sims}: {steps} ({wall:.0f} s)", flush=True)

    for sims in (50, 200):
        planner = make_brain(f"mcts:simulations={sims}", SHAPE, None, 0)
        contender("ours, CartPole defaults", planner, args.episodes, sims)
    if args.random_episodes:
        planner = MCTS(SHAPE, seed=0, settings=MCTSSettings(simulations=200))
        contender("ours, random rollouts", planner, args.random_episodes, 200)
    if args.serial_episodes:
        planner = MCTS(SHAPE, seed=0, settings=MCTSSettings(simulations=200, batched=False))
        contender("ours, one at a time", planner, args.serial_episodes, 200)
    if args.peer_episodes:
        steps, ms, wall = run(PlainUCT(100, 20, seed=0), args.peer_episodes, args.first_seed)
        rows.append(row("peer, plain UCT", 100, 100, steps, ms, 100 * 1000 / ms))
        print(f"  plain UCT 100: {steps} ({wall:.0f} s)", flush=True)
    print()
    headers = ["search", "sims/move", "run/move", "mean steps", "min", "at 500", "ms/move"]
    headers.append("sims/s")
    print(table(headers, rows))
    print(f"\nload average after (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
