"""Our policy-gradient brains against Stable-Baselines3's PPO and A2C on CartPole-v1, same
machine, same run: `python -m bench.pg_vs_sb3`.

Both sides: torch with the same thread count, the same "solved" rule (the greedy or
deterministic policy averages at least 475 over 20 fresh episodes, checked every 2,000
environment steps), seconds counted as training time only (checks excluded on both
sides), and training continued to the budget after solving, so the checks show whether a
run stays solved. SB3 runs from its own virtualenv (bench/.sb3-venv, made on first use)
with the rl-baselines3-zoo hyperparameters and budgets (PPO 100,000 steps, A2C 500,000).
Targets: our PPO solves every seed in at most half of SB3 PPO's median seconds; each of
reinforce, a2c, ppo and trpo solves every seed within 200,000 steps.
"""

from __future__ import annotations

import argparse
import statistics

import bench.common  # noqa: F401
from bench.common import table
from bench.dqn_vs_sb3 import CHECK_EVERY, HEADERS, ours, summary

BRAINS = ("ppo", "a2c", "reinforce", "trpo")
ZOO_STEPS = {"ppo": 100_000, "a2c": 500_000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=200_000, help="steps per run of ours")
    parser.add_argument("--threads", type=int, default=1, help="torch threads, both sides")
    parser.add_argument("--brains", default=",".join(BRAINS), help="ours, comma-separated")
    parser.add_argument("--no-sb3", action="store_true", help="time only ours")
    parser.add_argument("--sb3", default="ppo,a2c", help="SB3's algorithms to time")
    args = parser.parse_args()
    seeds = list(range(args.seeds))
    results: dict[str, list[dict]] = {}
    for brain in args.brains.split(","):
        runs = results[f"ours: {brain}, 8 environments"] = []
        for seed in seeds:
            run = ours(seed, args.steps, brain, args.threads, None)
            runs.append(run)
            print(
                f"{brain} seed {seed}: solved at {run['solved_at_steps']} steps, "
                f"{run['solved_at_seconds']} s; final check {run['final_eval']}",
                flush=True,
            )
    if not args.no_sb3:
        from bench.sb3_venv import run_sb3

        for algo in args.sb3.split(","):
            runs = run_sb3(algo, seeds, ZOO_STEPS[algo], args.threads, CHECK_EVERY, 3600)
            results[f"SB3 {algo.upper()} (zoo, {ZOO_STEPS[algo]:,} steps)"] = runs
    print(table(HEADERS, [summary(name, runs) for name, runs in results.items()]))

    def median_seconds(runs: list[dict]) -> float:
        values = [r["solved_at_seconds"] for r in runs if r["solved"]]
        return statistics.median(values) if values else float("nan")

    ppo = next((v for k, v in results.items() if k.startswith("ours: ppo")), None)
    peer = next((v for k, v in results.items() if k.startswith("SB3 PPO")), None)
    if ppo and peer:
        ratio = median_seconds(ppo) / median_seconds(peer)
        print(f"ours PPO / SB3 PPO, median seconds to solve: {ratio:.2f} (target <= 0.5)")
    print(f"torch threads: {args.threads}; ours trained {args.steps:,} steps a seed")


if __name__ == "__main__":
    main()
