"""Evolution's speed where it used to waste work: `python -m bench.training_speed`.

- loop: the training loop of `train --scene flappy --brain ga --seed 5 --population 1000
  --max-generations 40`, in bird-steps per second of wall and of CPU time;
- GA solve, NEAT solve: seconds to the robust solve of bench.flappy_solve (the champion
  flies 100 pipes on each of 5 unseen courses), population 200 (GA) and 150 (NEAT), the
  median over --seeds, of wall time and of CPU time (on a busy machine the CPU seconds
  are the fairer comparison of two revisions);
- generation end: the window at 1x with 1,000 birds over 8 generations, the longest and
  the median of the frames around each generation's end (breeding, the report and the
  charts, the new course), and the median of the other frames.

With --against REF each measure is also taken on git revision REF, checked out in a
temporary worktree and run by this same script in a subprocess, so before and after
come from one run on one machine. Targets (issue "Faster training"): loop 1.5 million
bird-steps/s, GA median under 4 s, NEAT under 10 s, generation end under 8 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
MEASURES = ("loop", "ga-solve", "neat-solve", "generation-end")


def measure(name: str, seeds: list[int]) -> dict:
    """One measure on the code of the current directory (whatever revision it holds)."""
    sys.path.insert(0, os.getcwd())
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    from brains.registry import make_brain
    from game.arena import Budget, EvolutionArena, brain_shape

    def arena(brain: str, population: int, seed: int) -> EvolutionArena:
        return EvolutionArena(
            "flappy", make_brain(brain, brain_shape("flappy"), population, seed), seed
        )

    if name == "loop":
        run = arena("ga", 1000, 5)
        wall, cpu = time.perf_counter(), time.process_time()
        run.run(Budget(max_generations=40))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        steps = run.metrics.env_steps
        return {"steps": steps, "per_wall": steps / wall, "per_cpu": steps / cpu}
    if name in ("ga-solve", "neat-solve"):
        brain, population = ("ga", 200) if name == "ga-solve" else ("neat", 150)
        times, cpu_times, solved = [], [], 0
        for seed in seeds:
            run = arena(brain, population, seed)
            start, cpu = time.perf_counter(), time.process_time()
            run.run(Budget(max_generations=300, until_solved=True))
            times.append(time.perf_counter() - start)
            cpu_times.append(time.process_time() - cpu)
            solved += run.metrics.solved
        return {
            "median": statistics.median(times),
            "cpu_median": statistics.median(cpu_times),
            "solved": solved,
            "runs": len(seeds),
        }
    return generation_end()


def generation_end() -> dict:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from brains.registry import make_brain
    from game.app import App
    from game.arena import EvolutionArena, brain_shape
    from game.views import make_view

    run = EvolutionArena("flappy", make_brain("ga", brain_shape("flappy"), 1000, 0), 0)
    app = App(run, make_view("flappy"), fps=0, speed=1)
    app._owed = 0.0
    times, ends = [], []  # every frame's milliseconds; the frames where generations end
    while run.metrics.generations < 8:
        before = run.metrics.generations
        start = time.perf_counter()
        app._owed = 1.0  # exactly one tick a frame, as 1x at 60 fps asks
        app.frame()
        times.append((time.perf_counter() - start) * 1000)
        if run.metrics.generations > before:
            ends.append(len(times) - 1)
    # A generation's end may spread over the frames around the one that counts it
    # (breeding on one, the report on the next, the new course after): all are its frames.
    near = {i + d for i in ends for d in (-1, 0, 1) if 0 <= i + d < len(times)}
    others = [t for i, t in enumerate(times) if i not in near]
    end_frames = [max(times[j] for j in (i - 1, i, i + 1) if 0 <= j < len(times)) for i in ends]
    app.close()
    return {
        "end_max": max(end_frames),
        "end_median": statistics.median(end_frames),
        "median": statistics.median(others),
    }


def run_elsewhere(folder: Path, name: str, seeds: list[int]) -> dict:
    """The measure, by this script, on the code in `folder`."""
    done = subprocess.run(
        [sys.executable, str(HERE), "--measure", name, "--seeds", ",".join(map(str, seeds))],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def cells(name: str, result: dict) -> str:
    if name == "loop":
        return f"{result['per_wall'] / 1e6:.2f} M/s wall, {result['per_cpu'] / 1e6:.2f} M/s CPU"
    if name.endswith("solve"):
        return (
            f"median {result['median']:.2f} s wall, {result['cpu_median']:.2f} s CPU "
            f"({result['solved']}/{result['runs']} solved)"
        )
    return (
        f"longest {result['end_max']:.1f} ms, median {result['end_median']:.1f} ms "
        f"(other frames: median {result['median']:.1f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REF", help="also measure git revision REF")
    parser.add_argument("--only", default=",".join(MEASURES), help="measures, comma-separated")
    parser.add_argument("--seeds", default="0,1,2,3,4,5,6,7,8,9", help="seeds of the solves")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the subprocess's entry point
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    if args.measure:
        print(json.dumps(measure(args.measure, seeds)))
        return
    root = HERE.parent.parent
    names = [n for n in args.only.split(",") if n in MEASURES]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        before = None
        if args.against:
            before = Path(scratch) / "before"
            subprocess.run(
                ["git", "worktree", "add", "--detach", "-q", str(before), args.against],
                cwd=root,
                check=True,
            )
        try:
            for name in names:
                now = cells(name, run_elsewhere(root, name, seeds))
                then = cells(name, run_elsewhere(before, name, seeds)) if before else "-"
                rows.append([name, then, now])
                print(f"{name}: before {then}; now {now}", file=sys.stderr)
        finally:
            if before is not None:
                subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=root)
    sys.path.insert(0, str(root))
    from bench.common import table

    print(table(["measure", f"before ({args.against})" if args.against else "before", "now"], rows))
    print(f"load average (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
