"""What writing a run's logs costs a headless run: `python -m bench.run_log_cost`.

The same runs with and without the run log (progress.csv, episodes.csv), alternating
which goes first so a change in the machine's load falls on both: the GA until Flappy
Bird is solved (about 10,000 episodes), and the GA on CartPole for a million steps (about
7,000 episodes in 2 s, the most episode rows per second of the shipped brains). One core.
Timed in CPU seconds of this process, not wall seconds: on a machine shared with other
work, waiting for the core would swamp a difference of a few per cent.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import bench.common  # noqa: F401
from bench.common import table
from brains.registry import make_brain
from game.arena import Budget, brain_shape
from game.experiment import make_arena
from game.run_log import RunLog
from game.training import train

CASES = {
    "flappy ga, until solved": ("flappy", "ga", Budget(max_generations=500, until_solved=True)),
    "cartpole ga, 1M steps": ("cartpole", "ga", Budget(max_steps=1_000_000)),
}


def timed(scene: str, brain: str, budget: Budget, seed: int, logs: Path | None) -> tuple:
    arena = make_arena(scene, make_brain(brain, brain_shape(scene), None, seed), seed)
    log = RunLog(arena, logs) if logs is not None else None
    start = time.process_time()
    result = train(arena, budget, None, progress=False, logs=log)
    return time.process_time() - start, result["episodes"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for name, (scene, brain, budget) in CASES.items():
            plain, logged, episodes = [], [], 0
            for seed in range(args.seeds):
                folder = Path(scratch) / f"{scene}-{brain}-{seed}"
                order = [None, folder] if seed % 2 == 0 else [folder, None]
                for logs in order:
                    seconds, episodes = timed(scene, brain, budget, seed, logs)
                    (plain if logs is None else logged).append(seconds)
                    print(
                        f"{name} seed {seed} {'logged' if logs else 'plain'}: {seconds:.2f} CPU s"
                    )
            a, b = statistics.median(plain), statistics.median(logged)
            rows.append(
                [name, args.seeds, f"{a:.2f}", f"{b:.2f}", f"{(b - a) / a:+.1%}", f"{episodes:,}"]
            )
    print(
        table(
            ["run", "seeds", "plain CPU s (median)", "logged", "cost", "episodes (last seed)"], rows
        )
    )


if __name__ == "__main__":
    main()
