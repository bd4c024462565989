"""Stable-Baselines3's PPO on our Flappy Bird, through gymnasium:
`python -m bench.ppo_flappy_sb3 [--seeds 3] [--steps 500000]`.

SB3 runs from its own virtualenv (bench/.sb3-venv, made on first use, as for
bench.dqn_vs_sb3) with the repository on PYTHONPATH, so it trains on
LearningArcade/FlappyBird-v0 exactly as any library outside this project would: `import
game.envs`, then `gymnasium.make`. Each seed is its own process (bench/sb3_flappy_runner.py):
SB3's default PPO on 8 environments, checked every 20,000 steps by our solve rule (the
greedy policy passes 100 pipes on each of 5 fresh courses), and at the end flying 20
fresh courses, capped at 100 pipes. Prints one table; seconds are training time without
the checks.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import bench.common  # noqa: F401
from bench.common import ROOT, table
from bench.sb3_venv import KILL_GRACE_S, ensure_sb3_venv, sb3_env
from bench.venvs import run_json_lines

RUNNER = ROOT / "bench" / "sb3_flappy_runner.py"

HEADERS = [
    "seed",
    "solved at (steps)",
    "solved at (s)",
    "best check (mean pipes)",
    "final: mean pipes over 20 fresh courses",
    "reached 100",
    "steps",
    "training s",
]


def run_seed(python: str, seed: int, steps: int, threads: int, timeout_s: float) -> dict | str:
    command = [python, str(RUNNER), "--seed", str(seed), "--total-steps", str(steps)]
    command += ["--threads", str(threads)]
    env = sb3_env(threads)
    # Our game, importable in SB3's venv; nothing else of the app's comes along.
    env["PYTHONPATH"] = str(ROOT)
    env["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
    found = run_json_lines(command, env, timeout_s + KILL_GRACE_S, stream_progress=True)
    return found if isinstance(found, str) else found[0]


def row(result: dict) -> list[object]:
    final = result["final_pipes"]
    solved = result["solved_at_steps"] is not None
    return [
        result["seed"],
        f"{result['solved_at_steps']:,}" if solved else "no",
        f"{result['solved_at_seconds']:.0f}" if solved else "-",
        f"{max(c[1] for c in result['checks']):.1f}" if result["checks"] else "-",
        f"{result['final_mean']:.1f}",
        f"{sum(p >= 100 for p in final)}/{len(final)}",
        f"{result['total_steps']:,}",
        f"{result['train_seconds']:.0f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=500_000, help="env steps per seed")
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per seed")
    args = parser.parse_args()
    python = str(ensure_sb3_venv())
    start = time.perf_counter()
    results, failed = [], []
    for seed in range(args.seeds):
        result = run_seed(python, seed, args.steps, args.threads, args.timeout)
        if isinstance(result, str):
            failed.append(f"seed {seed}: {result}")
        else:
            results.append(result)
    print(table(HEADERS, [row(r) for r in results]))
    if results:
        means = [r["final_mean"] for r in results]
        print(f"median of the final means: {statistics.median(means):.1f} pipes")
    for line in failed:
        print(f"no result from {line}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"wall time {time.perf_counter() - start:.0f} s; load average at the end {load}")


if __name__ == "__main__":
    main()
