"""One 40-trial sweep three ways: `python -m bench.sweep_speedup`.

The trials: random search and hill climbing on CartPole, seeds 0-19 each, 60,000 steps
each, solved or not (what `python main.py sweep --scene cartpole --brains
random-search,hill-climb --seeds 0-19 --max-steps 60000 --full-budget` runs): trials of a
second or two, so that the cores have work to share. They run

- in this process, one after another, through game.trial.run_trial (no Ray at all);
- as Ray tasks on a local Ray with 1 worker;
- as Ray tasks on a local Ray with every core.

The table gives each wall time (Ray's start-up included, and apart), the speedup of all
cores over one worker, and Ray's overhead per trial: (1-worker Ray, less its start-up,
less the in-process time) / trials. Every run must give the same results, trial by trial,
but for wall_seconds and saved_to; the bench checks it.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import bench.common  # noqa: F401
from bench.common import table
from game.arena import Budget
from game.sweep import SweepFolder, plan_trials, run_sweep, start_ray
from game.trial import Trial, run_trial

SAME = ("brain", "seed", "solved", "generations", "episodes", "env_steps", "eval_score")


def trials(seeds: int) -> list[Trial]:
    template = Trial("cartpole", "", 0, Budget(max_steps=60_000))
    return plan_trials(template, ["random-search", "hill-climb"], {}, list(range(seeds)))


def in_process(plan: list[Trial], root: Path) -> tuple[float, list[dict]]:
    started = time.perf_counter()
    results = [run_trial(trial, root / "runs") for trial in plan]
    return time.perf_counter() - started, results


def ray_start_seconds(workers: int) -> float:
    started = time.perf_counter()
    ray = start_ray(None, workers)
    seconds = time.perf_counter() - started
    ray.shutdown()
    return seconds


def on_ray(plan: list[Trial], root: Path, workers: int) -> tuple[float, list[dict]]:
    folder = SweepFolder(root, resume=False)
    started = time.perf_counter()
    run_sweep(plan, folder, workers=workers, progress=False)
    return time.perf_counter() - started, folder.results


def key(result: dict) -> tuple:
    return tuple(result[k] for k in SAME)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="seeds per brain (default 20)")
    args = parser.parse_args()
    plan = trials(args.seeds)
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        alone, reference = in_process(plan, root / "alone")
        start = ray_start_seconds(1)
        one, one_results = on_ray(plan, root / "one", 1)
        every, every_results = on_ray(plan, root / "all", cores)
    expected = sorted(map(key, reference))
    for name, results in (("1 worker", one_results), (f"{cores} workers", every_results)):
        assert sorted(map(key, results)) == expected, f"{name}: results differ from in-process"
    n = len(plan)
    rows = [
        ["in this process, no Ray", f"{alone:.1f}", "-", "-"],
        ["Ray, 1 worker", f"{one:.1f}", f"{start:.1f}", "1.00x"],
        [
            f"Ray, {cores} workers (all cores)",
            f"{every:.1f}",
            f"{start:.1f}",
            f"{one / every:.2f}x",
        ],
    ]
    print(f"{n} trials: random-search and hill-climb on CartPole, seeds 0-{args.seeds - 1}")
    print(table(["how", "wall s", "of which Ray start s", "speedup"], rows))
    overhead = (one - start - alone) / n
    trials_speedup = (one - start) / (every - start)  # Ray's start-up is the same for both
    print(f"Ray's overhead per trial (1 worker, start-up apart): {overhead * 1000:.0f} ms")
    print(f"Speedup of the trials alone (start-up apart): {trials_speedup:.2f}x")
    print("Results: identical trial by trial in all three runs.")


if __name__ == "__main__":
    main()
