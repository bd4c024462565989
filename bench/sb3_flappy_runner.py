"""The benchmark's SB3 side on our game: SB3's PPO learning LearningArcade/FlappyBird-v0.

Runs inside bench/.sb3-venv (see bench/ppo_flappy_sb3.py), with the repository on
PYTHONPATH so that `import game.envs` registers our environment: SB3 meets our game only
through gymnasium, as any other library would. Nothing is drawn (pygame is not needed).

PPO is SB3's with its defaults (64/64 tanh networks, lr 3e-4, 10 epochs over minibatches
of 64, gamma 0.99, GAE lambda 0.95, clip 0.2), on 8 environments of 256 steps each per
rollout: the 2,048 transitions a rollout of our own PPO gathers, whose defaults are these.

Judged by our solve rule: every `--eval-every` env steps the greedy policy flies 5 fresh
courses (seeds training never uses); solved the first time it passes 100 pipes on each.
At the end it flies `--final-episodes` fresh courses, whose mean pipes is the headline.
Episodes are capped at 100 pipes (FlappyBird-v0's default truncation).

    python bench/sb3_flappy_runner.py --seed 0 --total-steps 300000

prints one JSON line on stdout (progress goes to stderr). Seconds are training wall time
from the start of learn(), without the judging.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np
import torch
from stable_baselines3 import PPO
from stable_baselines3.common.base_class import BaseAlgorithm
from stable_baselines3.common.callbacks import BaseCallback
from stable_baselines3.common.env_util import make_vec_env

import game.envs
from game.envs.vector import FlappyBirdVectorEnv

N_ENVS = 8
N_STEPS = 256  # per env: 2,048 transitions a rollout
CHECK_EPISODES = 5  # our solve rule: 100 pipes on each of 5 fresh courses
PIPES_TO_SOLVE = 100
EVAL_SEED_BASE = 10_000_000  # far above make_vec_env's training seeds (seed + i)


def greedy_pipes(model: BaseAlgorithm, episodes: int, seed: int) -> np.ndarray:
    """Pipes passed by the greedy policy on `episodes` fresh courses, flown side by side
    in our vector env: one batched forward pass a tick. Each lane's first episode counts."""
    envs = FlappyBirdVectorEnv(episodes, max_pipes=PIPES_TO_SOLVE)
    obs, _ = envs.reset(seed=seed)
    pipes = np.zeros(episodes, dtype=np.int64)
    flying = np.ones(episodes, dtype=bool)
    while flying.any():
        actions, _ = model.predict(obs, deterministic=True)
        obs, _, terminated, truncated, infos = envs.step(actions)
        ended = flying & (terminated | truncated)
        pipes[ended] = infos["score"][ended]
        flying &= ~ended
    envs.close()
    return pipes


class Judge(BaseCallback):
    """Checks the greedy policy every `eval_every` env steps and keeps the clock."""

    def __init__(self, seed: int, eval_every: int, label: str) -> None:
        super().__init__()
        self.seed = seed
        self.eval_every = eval_every
        self.label = label
        self.next_check = eval_every
        self.checks: list[list[float]] = []  # [env steps, mean pipes, fewest pipes]
        self.solved_at: tuple[int, float] | None = None  # (env steps, training seconds)
        self.start = time.perf_counter()
        self.judging = 0.0
        self.checks_made = 0

    def restart_clock(self) -> None:
        self.start, self.judging = time.perf_counter(), 0.0

    def train_seconds(self) -> float:
        return time.perf_counter() - self.start - self.judging

    def check(self) -> None:
        trained_for = self.train_seconds()
        began = time.perf_counter()
        # Every check flies courses of its own: none is seen twice.
        seed = EVAL_SEED_BASE + self.seed * 100_000 + self.checks_made * CHECK_EPISODES
        pipes = greedy_pipes(self.model, CHECK_EPISODES, seed)
        self.checks_made += 1
        self.judging += time.perf_counter() - began
        steps = self.model.num_timesteps
        self.checks.append([steps, float(pipes.mean()), int(pipes.min())])
        if self.solved_at is None and pipes.min() >= PIPES_TO_SOLVE:
            self.solved_at = (steps, trained_for)
        mark = "  SOLVED" if self.solved_at and self.solved_at[0] == steps else ""
        print(
            f"{self.label}: {steps:>7} steps  pipes {pipes.tolist()}  train {trained_for:5.0f} s"
            f"{mark}",
            file=sys.stderr,
            flush=True,
        )

    def _on_step(self) -> bool:
        if self.model.num_timesteps >= self.next_check:
            self.check()
            while self.next_check <= self.model.num_timesteps:
                self.next_check += self.eval_every
        return True


def run_seed(seed: int, total_steps: int, eval_every: int, final_episodes: int) -> dict:
    envs = make_vec_env(game.envs.FLAPPY_ID, n_envs=N_ENVS, seed=seed)
    model = PPO("MlpPolicy", envs, n_steps=N_STEPS, seed=seed, device="cpu")
    judge = Judge(seed, eval_every, f"sb3 ppo seed {seed}")
    judge.restart_clock()
    model.learn(total_timesteps=total_steps, callback=judge)
    train_seconds = judge.train_seconds()
    final = greedy_pipes(model, final_episodes, EVAL_SEED_BASE + seed * 100_000 + 90_000)
    envs.close()
    return {
        "seed": seed,
        "total_steps": model.num_timesteps,
        "train_seconds": round(train_seconds, 1),
        "judging_seconds": round(judge.judging, 1),
        "solved_at_steps": None if judge.solved_at is None else judge.solved_at[0],
        "solved_at_seconds": None if judge.solved_at is None else round(judge.solved_at[1], 1),
        "checks": judge.checks,
        "final_pipes": final.tolist(),
        "final_mean": float(final.mean()),
        "threads": torch.get_num_threads(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--total-steps", type=int, default=300_000)
    parser.add_argument("--eval-every", type=int, default=20_000, help="env steps")
    parser.add_argument("--final-episodes", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.threads)
    result = run_seed(args.seed, args.total_steps, args.eval_every, args.final_episodes)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
