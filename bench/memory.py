"""Resident memory stays flat: `python -m bench.memory`.

- the window (SDL's dummy driver) at max speed, the GA on Flappy Bird with 1,000 birds,
  for --minutes minutes: charts, series and generations pile up, memory must not;
- the DQN on CartPole, headless, for --steps environment steps (its replay ring fills,
  then must hold steady).
Each runs in its own process; resident memory (VmRSS) is read at the start (after the
first second of work, when everything is built) and at the end.
Target (issue "Reliability"): growth under 50 MB in each.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def window(seconds: float) -> dict:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from brains.registry import make_brain
    from game.app import App
    from game.arena import EvolutionArena, brain_shape
    from game.views import make_view

    arena = EvolutionArena("flappy", make_brain("ga", brain_shape("flappy"), 1000, 0), 0)
    app = App(arena, make_view("flappy"), fps=0, speed=None)
    start = time.perf_counter()
    while time.perf_counter() - start < 1.0:
        app.frame()
    first = rss_mb()
    while time.perf_counter() - start < seconds:
        app.frame()
    app.close()
    m = arena.metrics
    return {"start": first, "end": rss_mb(), "generations": m.generations, "frames": app.frames}


def dqn(steps: int) -> dict:
    from brains.registry import make_brain
    from game.arena import Budget, brain_shape
    from game.experiment import make_arena

    arena = make_arena("cartpole", make_brain("dqn", brain_shape("cartpole"), None, 0), 0)
    arena.run(Budget(max_steps=min(10_000, steps)))
    first = rss_mb()
    arena.run(Budget(max_steps=steps))
    return {"start": first, "end": rss_mb(), "steps": arena.metrics.env_steps}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="the window's run")
    parser.add_argument("--steps", type=int, default=1_000_000, help="the DQN's run")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parent.parent))
    if args.measure:
        result = window(args.minutes * 60) if args.measure == "window" else dqn(args.steps)
        print(json.dumps(result))
        return
    from bench.common import table

    rows = []
    for name, what in (("window", f"{args.minutes:g} min at max speed"), ("dqn", "headless")):
        done = subprocess.run(
            [sys.executable, str(HERE), "--measure", name, "--minutes", str(args.minutes),
             "--steps", str(args.steps)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        r = json.loads(done.stdout.strip().splitlines()[-1])
        extra = f"{r['generations']} generations" if name == "window" else f"{r['steps']:,} steps"
        rows.append([name, what, extra, f"{r['start']:.0f}", f"{r['end']:.0f}",
                     f"{r['end'] - r['start']:+.0f}"])  # fmt: skip
    print(table(["run", "how", "work", "RSS start (MB)", "RSS end (MB)", "growth (MB)"], rows))
    print(f"load average (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
