"""Start-up time and frame time of the window: `python -m bench.window_timing`.

- start-up: wall time of `python main.py run --frames 1`, from launching the process
  until it has drawn its first frame and exited (an upper bound on time to first frame),
  and the import time of torch, which the window must not pay.
- frame time: drawing one frame (game, charts, bars) to an off-screen surface with 1,000
  birds alive, at 1x, and the ticks that 1x asks for (one per frame at 60 fps).
Targets (issue 2): start-up under 1.5 s; under 10 ms per frame with 1,000 birds.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

import bench.common  # noqa: F401
from bench.common import ROOT, table

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


def startup_seconds(runs: int = 7) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "main.py"),
                "run",
                "--frames",
                "1",
                "--out",
                "/tmp/la-bench",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return times


def torch_import_seconds() -> float:
    code = "import time; t = time.perf_counter(); import torch; print(time.perf_counter() - t)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return float(result.stdout)


def frame_milliseconds(birds: int = 1_000, frames: int = 300) -> tuple[float, float]:
    """Median and 95th percentile of one frame's draw + its 1x tick, all birds alive."""
    import numpy as np

    from brains.registry import make_brain
    from game.app import App
    from game.arena import EvolutionArena, brain_shape
    from game.views import make_view

    arena = EvolutionArena("flappy", make_brain("ga", brain_shape("flappy"), birds, 0), 0)
    app = App(arena, make_view("flappy"), save_root=ROOT / "runs", fps=0)
    arena.tick()
    scene = arena.scene
    spread = np.linspace(120, 300, birds)  # a believable flock, every bird visible
    times = []
    for _ in range(frames):
        scene.y[:] = spread
        scene.alive[:] = True
        start = time.perf_counter()
        arena.tick()
        app.draw()
        times.append((time.perf_counter() - start) * 1000)
    app.arena.can_save = False
    app.close()
    times.sort()
    return statistics.median(times), times[int(0.95 * len(times))]


def main() -> None:
    startup = startup_seconds()
    median, p95 = frame_milliseconds()
    rows = [
        ["start-up: `main.py run --frames 1` (median of 7)", f"{statistics.median(startup):.2f} s"],
        ["import torch alone (not paid by the window)", f"{torch_import_seconds():.2f} s"],
        ["frame, 1,000 birds drawn, 1x (median)", f"{median:.2f} ms"],
        ["frame, 1,000 birds drawn, 1x (95th percentile)", f"{p95:.2f} ms"],
    ]
    print(table(["measure", "value"], rows))
    print("targets: start-up < 1.5 s; frame < 10 ms with 1,000 birds")


if __name__ == "__main__":
    main()
