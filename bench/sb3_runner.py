"""The benchmark's SB3 peer: Stable-Baselines3's DQN, PPO or A2C learning gymnasium's CartPole-v1.

Runs inside bench/.sb3-venv (see bench/sb3_venv.py), never in the app's venv: SB3 is a
benchmark-only dependency. Imports only stable_baselines3, gymnasium, torch, numpy and the
standard library.

Hyperparameters are rl-baselines3-zoo's for CartPole-v1 (hyperparams/dqn.yml, ppo.yml, a2c.yml), so
this is SB3 as its authors tuned it. Judged like the app: every `--eval-every` env steps
(counted over all envs) the greedy policy plays `--eval-episodes` episodes on seeds that
training never uses; solved the first time their mean return reaches `--threshold`.
Training carries on to `--total-steps` regardless, to show whether it stays solved.

    python bench/sb3_runner.py --algo dqn --seeds 0,1,2,3,4 --total-steps 50000 --threads 1

prints one JSON line per seed on stdout (progress goes to stderr):
    {"algo", "seed", "solved", "solved_at_steps", "solved_at_seconds", "final_eval",
     "evals": [[env_steps, mean_return], ...], "train_seconds", "total_steps", ...}

All seconds are training wall time from the start of learn(), without the time spent in
evaluations (which are the benchmark's cost, not the learner's); model construction before
learn() is not counted either.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass, field

import gymnasium as gym
import numpy as np
import torch
from stable_baselines3 import A2C, DQN, PPO
from stable_baselines3.common.base_class import BaseAlgorithm
from stable_baselines3.common.callbacks import BaseCallback
from stable_baselines3.common.env_util import make_vec_env
from stable_baselines3.common.utils import LinearSchedule

ENV_ID = "CartPole-v1"
# Evaluation episodes use seeds far above any seed training uses (make_vec_env seeds env i
# of a run with `seed + i`), so the judge never replays a training episode.
EVAL_SEED_BASE = 10_000_000


def make_dqn(seed: int) -> DQN:
    """rl-baselines3-zoo's DQN for CartPole-v1 (one env, as the zoo runs it)."""
    env = make_vec_env(ENV_ID, n_envs=1, seed=seed)
    return DQN(
        "MlpPolicy",
        env,
        policy_kwargs={"net_arch": [256, 256]},
        learning_rate=2.3e-3,
        batch_size=64,
        buffer_size=100_000,
        learning_starts=1000,
        gamma=0.99,
        target_update_interval=10,
        train_freq=256,
        gradient_steps=128,
        exploration_fraction=0.16,
        exploration_final_eps=0.04,
        seed=seed,
        device="cpu",
    )


def make_ppo(seed: int) -> PPO:
    """rl-baselines3-zoo's PPO for CartPole-v1: 8 envs stepped in turn in this process
    (DummyVecEnv, the zoo's default), learning rate and clip range decaying linearly to 0
    (the zoo's `lin_0.001` and `lin_0.2`)."""
    env = make_vec_env(ENV_ID, n_envs=8, seed=seed)
    return PPO(
        "MlpPolicy",
        env,
        n_steps=32,
        batch_size=256,
        gae_lambda=0.8,
        gamma=0.98,
        n_epochs=20,
        ent_coef=0.0,
        learning_rate=LinearSchedule(start=1e-3, end=0.0, end_fraction=1.0),
        clip_range=LinearSchedule(start=0.2, end=0.0, end_fraction=1.0),
        seed=seed,
        device="cpu",
    )


def make_a2c(seed: int) -> A2C:
    """rl-baselines3-zoo's A2C for CartPole-v1: 8 envs (DummyVecEnv), no entropy bonus,
    SB3's A2C defaults otherwise (5 steps per env per update, RMSprop at 7e-4)."""
    env = make_vec_env(ENV_ID, n_envs=8, seed=seed)
    return A2C("MlpPolicy", env, ent_coef=0.0, seed=seed, device="cpu")


MAKERS = {"dqn": make_dqn, "ppo": make_ppo, "a2c": make_a2c}


class GreedyJudge:
    """Plays the greedy policy on a fixed set of held-out episodes. All episodes run side
    by side, one batched forward pass per step, so a judgement costs ~500 policy calls
    instead of ~10,000: evaluations are excluded from the timings, but not from the
    benchmark's own wall time."""

    def __init__(self, seed: int, episodes: int) -> None:
        self.envs = [gym.make(ENV_ID) for _ in range(episodes)]
        self.seeds = [EVAL_SEED_BASE + seed * 1000 + k for k in range(episodes)]

    def mean_return(self, model: BaseAlgorithm) -> float:
        observations = [env.reset(seed=s)[0] for env, s in zip(self.envs, self.seeds, strict=True)]
        returns = [0.0] * len(self.envs)
        running = list(range(len(self.envs)))
        while running:
            batch = np.stack([observations[i] for i in running])
            actions, _ = model.predict(batch, deterministic=True)
            still_running = []
            for i, action in zip(running, actions, strict=True):
                obs, reward, terminated, truncated, _ = self.envs[i].step(int(action))
                observations[i] = obs
                returns[i] += float(reward)
                if not (terminated or truncated):
                    still_running.append(i)
            running = still_running
        return float(np.mean(returns))

    def close(self) -> None:
        for env in self.envs:
            env.close()


@dataclass
class SeedRecord:
    """What one seed's run produced; the clock is owned by EvalCallback."""

    evals: list[tuple[int, float]] = field(default_factory=list)
    solved_at_steps: int | None = None
    solved_at_seconds: float | None = None
    stop_reason: str = "total_steps"


class EvalCallback(BaseCallback):
    """Judges the policy every `eval_every` env steps and keeps the training clock.

    `train_seconds()` is wall time since `start` minus the time spent judging, so an
    evaluation never counts as learning time. SB3 calls `_on_step` after every vectorised
    step (n_envs env steps at once), so a judgement happens at the first step at or past
    each multiple of `eval_every`.
    """

    def __init__(
        self,
        judge: GreedyJudge,
        record: SeedRecord,
        eval_every: int,
        threshold: float,
        time_limit_s: float,
        label: str,
    ) -> None:
        super().__init__()
        self.judge = judge
        self.record = record
        self.eval_every = eval_every
        self.threshold = threshold
        self.time_limit_s = time_limit_s
        self.label = label
        self.next_eval = eval_every
        self.start = time.perf_counter()
        self.eval_seconds = 0.0

    def restart_clock(self) -> None:
        """Called right before learn(): model construction is not training time."""
        self.start = time.perf_counter()
        self.eval_seconds = 0.0

    def train_seconds(self) -> float:
        return time.perf_counter() - self.start - self.eval_seconds

    def evaluate(self) -> float:
        """Judge now, record the result, and keep the judging time off the clock."""
        trained_for = self.train_seconds()
        eval_start = time.perf_counter()
        mean = self.judge.mean_return(self.model)
        self.eval_seconds += time.perf_counter() - eval_start
        steps = self.model.num_timesteps
        self.record.evals.append((steps, mean))
        if self.record.solved_at_steps is None and mean >= self.threshold:
            self.record.solved_at_steps = steps
            self.record.solved_at_seconds = trained_for
        solved = "  SOLVED" if self.record.solved_at_steps == steps else ""
        print(
            f"{self.label}: {steps:>7} steps  eval {mean:6.1f}  train {trained_for:6.1f} s{solved}",
            file=sys.stderr,
            flush=True,
        )
        return mean

    def _on_step(self) -> bool:
        if self.model.num_timesteps >= self.next_eval:
            self.evaluate()
            # Skip multiples already passed (possible when n_envs does not divide eval_every).
            while self.next_eval <= self.model.num_timesteps:
                self.next_eval += self.eval_every
        # The limit covers judging too: it bounds the benchmark's wall time, not the learner's.
        if time.perf_counter() - self.start > self.time_limit_s:
            self.record.stop_reason = "time_limit"
            return False  # SB3 stops learn() when a callback returns False
        return True


def run_seed(
    algo: str,
    seed: int,
    total_steps: int,
    eval_every: int,
    eval_episodes: int,
    threshold: float,
    time_limit_s: float,
) -> dict:
    """Train one seed to `total_steps` (SB3 finishes its current rollout, so it may overshoot
    by up to one rollout) and return its result line."""
    label = f"sb3 {algo} seed {seed}"
    model = MAKERS[algo](seed)
    judge = GreedyJudge(seed, eval_episodes)
    record = SeedRecord()
    callback = EvalCallback(judge, record, eval_every, threshold, time_limit_s, label)

    callback.restart_clock()
    model.learn(total_timesteps=total_steps, callback=callback)
    train_seconds = callback.train_seconds()
    # The final judgement is of the policy training ended with; the last periodic one may
    # predate the last update (PPO's final rollout, DQN's last batch of gradient steps).
    if not record.evals or record.evals[-1][0] != model.num_timesteps:
        callback.evaluate()
    judge.close()
    model.get_env().close()

    return {
        "algo": algo,
        "seed": seed,
        "solved": record.solved_at_steps is not None,
        "solved_at_steps": record.solved_at_steps,
        "solved_at_seconds": (
            None if record.solved_at_seconds is None else round(record.solved_at_seconds, 3)
        ),
        "final_eval": record.evals[-1][1],
        "evals": [[steps, mean] for steps, mean in record.evals],
        "train_seconds": round(train_seconds, 3),
        "total_steps": model.num_timesteps,
        "target_steps": total_steps,
        "eval_seconds": round(callback.eval_seconds, 3),
        "threads": torch.get_num_threads(),
        "stop_reason": record.stop_reason,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--algo", choices=sorted(MAKERS), required=True)
    parser.add_argument("--seeds", default="0,1,2,3,4", help="comma-separated")
    parser.add_argument(
        "--total-steps",
        type=int,
        default=None,
        help="default: 50000 (dqn), 100000 (ppo), 500000 (a2c)",
    )
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--eval-every", type=int, default=2000, help="env steps")
    parser.add_argument("--eval-episodes", type=int, default=20)
    parser.add_argument("--threshold", type=float, default=475.0)
    parser.add_argument(
        "--time-limit", type=float, default=math.inf, help="seconds per seed, judging included"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    # First, before any torch work: the thread count is part of what is being measured,
    # and the inter-op pool can only be sized before it starts.
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.threads)
    total_steps = args.total_steps or {"dqn": 50_000, "ppo": 100_000, "a2c": 500_000}[args.algo]
    for seed in (int(s) for s in args.seeds.split(",")):
        result = run_seed(
            args.algo,
            seed,
            total_steps,
            args.eval_every,
            args.eval_episodes,
            args.threshold,
            args.time_limit,
        )
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
