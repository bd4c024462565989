"""A learner (DQN, PPO, A2C, ...) on Flappy Bird: `python -m bench.learner_flappy
[--brain ppo] [--birds 8]`.

The environment steps and seconds a learner takes to solve Flappy Bird with one bird, or
with several at once on one shared course, by the foundation's rule (100 pipes on each
of 5 fresh courses). The greedy policy is checked every 2,000 steps, as on CartPole; the
table shows when it solved (if it did), its best and last checks, and the best single
training episode. Seconds are training time only (the checks are excluded).
"""

from __future__ import annotations

import argparse
import time

import bench.common  # noqa: F401
from bench.common import table
from brains.registry import make_brain
from game.arena import Budget, brain_shape
from game.experiment import make_arena


def run(brain: str, seed: int, max_steps: int, birds: int = 1) -> list[object]:
    arena = make_arena("flappy", make_brain(brain, brain_shape("flappy"), birds, seed), seed)
    start = time.perf_counter()
    arena.run(Budget(max_steps=max_steps, until_solved=True))
    m = arena.metrics
    _, checks = m.series["eval_score"].arrays()
    at = m.solved_at or {}
    return [
        seed,
        "yes" if m.solved else "no",
        f"{at['env_steps']:,}" if m.solved else "-",
        f"{at['training_seconds']:.0f}" if m.solved else "-",
        f"{m.env_steps:,}",
        f"{max(checks):.1f}" if len(checks) else "-",
        f"{checks[-1]:.1f}" if len(checks) else "-",
        f"{m.best_score:g}" if m.best_score is not None else "-",
        f"{time.perf_counter() - start:.0f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brain", default="dqn", help="the learner and its settings (default dqn)")
    parser.add_argument("--birds", type=int, default=1, help="birds played at once (default 1)")
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--max-steps", type=int, default=300_000)
    args = parser.parse_args()
    rows = [run(args.brain, seed, args.max_steps, args.birds) for seed in range(args.seeds)]
    headers = [
        "seed",
        "solved",
        "steps to solve",
        "seconds",
        "steps run",
        "best check (pipes)",
        "last check",
        "best episode",
        "wall s",
    ]
    birds = "one bird" if args.birds == 1 else f"{args.birds} birds"
    print(f"{args.brain} on Flappy Bird, {birds}, at most {args.max_steps:,} steps")
    print(table(headers, rows))


if __name__ == "__main__":
    main()
