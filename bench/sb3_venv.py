"""Stable-Baselines3's own virtualenv, and running its DQN and PPO on CartPole-v1 in it.

stable-baselines3 is only a benchmark peer, never a dependency of the app, so it lives in
`bench/.sb3-venv` and runs as a subprocess (bench/sb3_runner.py); this module only uses the
standard library, so the app's venv can import it.

    from bench.sb3_venv import ensure_sb3_venv, run_sb3
    results = run_sb3("dqn", seeds=[0, 1, 2, 3, 4], total_steps=50_000, threads=1,
                      eval_every=2000, timeout_s=600)
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.venvs import (
    REPO_ROOT,
    BenchVenv,
    cpu_torch_problems,
    installed_packages,
    run_json_lines,
)

SB3_VENV = REPO_ROOT / "bench" / ".sb3-venv"
SB3_SCRIPT = REPO_ROOT / "bench" / "sb3_runner.py"
# torch is named so the constraints pin it to the CPU build the app uses (2.13.0+cpu from
# /opt/wheels). gymnasium and numpy come in with stable-baselines3 (1.4.0 and 2.4.6 when
# this was written, the same as the app's).
REQUIREMENTS = ("stable-baselines3==2.9.2", "torch==2.13.0")
STAMP_NAME = ".sb3-installed"
ALGOS = ("dqn", "ppo", "a2c")

# Extra seconds past `timeout_s` before the subprocess is killed: the runner stops itself at
# `timeout_s` (checked after every env step), so this only covers start-up (importing torch
# takes a few seconds) and a stuck process.
KILL_GRACE_S = 60.0


def _sb3_problems(packages: dict[str, str]) -> list[str]:
    problems = cpu_torch_problems(packages)
    for name in ("stable-baselines3", "torch"):
        if name not in packages:
            problems.append(f"{name} is missing")
    return problems


SB3 = BenchVenv(SB3_VENV, REQUIREMENTS, STAMP_NAME, _sb3_problems)


def ensure_sb3_venv(quiet: bool = True) -> Path:
    """Create and fill `bench/.sb3-venv` unless it is up to date; return its python."""
    return SB3.ensure(quiet)


def sb3_env(threads: int) -> dict[str, str]:
    """The environment for the runner: the BLAS/OpenMP pools sized like torch's (the
    benchmarks' parent may have set them to 1 for itself), and nothing from the app."""
    env = dict(os.environ)
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[variable] = str(threads)
    env.pop("PYTHONPATH", None)  # nothing from the app's environment leaks into the peer
    return env


def _failed_result(algo: str, seed: int, reason: str, total_steps: int) -> dict:
    """A seed whose process gave no result. Numbers, not None, where callers sum or compare
    them; what it reached before failing is unknown."""
    return {
        "algo": algo,
        "seed": seed,
        "solved": False,
        "solved_at_steps": None,
        "solved_at_seconds": None,
        "final_eval": 0.0,
        "evals": [],
        "train_seconds": 0.0,
        "total_steps": 0,
        "target_steps": total_steps,
        "stop_reason": reason,
    }


def run_sb3(
    algo: str,
    seeds: list[int],
    total_steps: int,
    threads: int,
    eval_every: int,
    timeout_s: float,
    eval_episodes: int = 20,
    threshold: float = 475.0,
    stream_progress: bool = True,
) -> list[dict]:
    """Train SB3's `algo` ("dqn", "ppo" or "a2c", rl-baselines3-zoo hyperparameters) on CartPole-v1
    once per seed, each in its own subprocess in the sb3 venv, and return one result dict
    per seed (keys: algo, seed, solved, solved_at_steps, solved_at_seconds, final_eval,
    evals [[env_steps, mean_return], ...], train_seconds, total_steps, plus threads,
    target_steps and stop_reason). Seconds are training wall time without evaluations.

    `timeout_s` caps each seed's wall time (training and evaluations): the runner stops
    itself there and reports `stop_reason: "time_limit"`; a process that overruns by
    KILL_GRACE_S is killed and reported as `stop_reason: "killed"`. Progress goes to this
    process's stderr when `stream_progress`, otherwise it is discarded.
    """
    if algo not in ALGOS:
        raise ValueError(f"algo must be one of {ALGOS}, not {algo!r}")
    python = ensure_sb3_venv()
    results: list[dict] = []
    for seed in seeds:
        command = [
            str(python),
            str(SB3_SCRIPT),
            "--algo",
            algo,
            "--seeds",
            str(seed),
            "--total-steps",
            str(total_steps),
            "--threads",
            str(threads),
            "--eval-every",
            str(eval_every),
            "--eval-episodes",
            str(eval_episodes),
            "--threshold",
            str(threshold),
            "--time-limit",
            str(timeout_s),
        ]
        # One process per seed: a killed seed loses only its own result, and every seed
        # starts from the same fresh interpreter.
        timeout = timeout_s + KILL_GRACE_S
        found = run_json_lines(command, sb3_env(threads), timeout, stream_progress)
        if isinstance(found, str):
            found = [_failed_result(algo, seed, found, total_steps)]
        results.extend(found)
    return results


if __name__ == "__main__":
    # `python -m bench.sb3_venv` only sets up the venv and says what it holds.
    start = time.perf_counter()
    sb3_python = ensure_sb3_venv(quiet=False)
    print(f"{sb3_python} ready in {time.perf_counter() - start:.0f} s")
    for name, version in sorted(installed_packages(sb3_python).items()):
        print(f"{name}=={version}")
