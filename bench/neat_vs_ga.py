"""NEAT against the GA on Flappy Bird: `python -m bench.neat_vs_ga`.

1. Solving: each brain at its default population (NEAT 150, GA 200), seeds 0-4, trained
   headless until solved by the foundation's rule (the champion passes 100 pipes on each
   of 5 courses it never trained on), timed as bench/flappy_solve.py times the GA.
2. Bird-steps per second at populations 150 and 1,000, on one core:
   - tick: scene step + observe + the population's networks, every bird alive (a
     scripted pilot flies, the networks' choice is computed), as bench/flappy_throughput;
     NEAT's networks here are a first generation's (one layer); evolved ones have a few
     layers, and each layer costs one more gather-multiply-bincount per tick;
   - neat-python tick: the same with neat-python's FeedForwardNetwork.activate called
     once per bird, the cost our batched networks avoid;
   - training: real generations (deaths, breeding, speciation included), with the share
     of time spent breeding (tell) and building the population's networks (ask).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import bench.common  # noqa: F401  (one core, repo on sys.path)
from bench.common import table
from bench.flappy_solve import solve_ours
from bench.flappy_throughput import pilot
from brains.registry import make_brain
from game.arena import Budget, EvolutionArena, brain_shape
from game.scenes.flappy import FlappyScene

POPULATIONS = (150, 1_000)


def tick_rate(brain_name: str, n: int, seconds: float, neat_python: bool = False) -> float:
    brain = make_brain(brain_name, brain_shape("flappy"), n, seed=0)
    policy = brain.ask()
    act = policy.act
    if neat_python:
        import neat

        nets = [neat.nn.FeedForwardNetwork.create(g, brain.config) for g in brain._asked]

        def act(obs: np.ndarray) -> np.ndarray:
            rows = obs.tolist()
            return np.array(
                [int(np.argmax(net.activate(r))) for net, r in zip(nets, rows, strict=True)]
            )

    scene = FlappyScene(n)
    scene.reset(0)
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(20):
            obs = scene.observe()
            act(obs)
            steps += int(np.count_nonzero(scene.alive))
            scene.step(pilot(obs))
            if scene.all_done:
                scene.reset(steps)
    return steps / (time.perf_counter() - start)


def training_rate(brain_name: str, n: int, generations: int) -> tuple[float, float, float]:
    """(bird-steps/s, share of time in tell, share in ask) over real generations."""
    brain = make_brain(brain_name, brain_shape("flappy"), n, seed=0)
    spent = {"ask": 0.0, "tell": 0.0}
    for name in spent:
        method = getattr(brain, name)

        def timed(*args, _method=method, _name=name):
            start = time.perf_counter()
            try:
                return _method(*args)
            finally:
                spent[_name] += time.perf_counter() - start

        setattr(brain, name, timed)
    arena = EvolutionArena("flappy", brain, seed=0)
    start = time.perf_counter()
    arena.run(Budget(max_generations=generations))
    total = time.perf_counter() - start
    return arena.metrics.env_steps / total, spent["tell"] / total, spent["ask"] / total


def window_frames(n: int = 150, frames: int = 900) -> tuple[float, float, float, float]:
    """Median, 95th percentile and worst ms of a window frame at 1x (one tick + drawing,
    network view shown), NEAT training from scratch: generation ends (breeding, new
    networks) happen inside some of these frames. Also the mean ms of a generation end."""
    import os

    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    from game.app import App
    from game.views import make_view

    brain = make_brain("neat", brain_shape("flappy"), n, seed=0)
    arena = EvolutionArena("flappy", brain, seed=0)
    app = App(arena, make_view("flappy"), fps=0)
    times, ends = [], []
    for _ in range(frames):
        generation = arena.metrics.generations
        start = time.perf_counter()
        arena.tick()
        app.draw()
        times.append((time.perf_counter() - start) * 1000)
        if arena.metrics.generations != generation:
            ends.append(times[-1])
    app.arena.can_save = False
    app.close()
    times.sort()
    mean_end = statistics.mean(ends) if ends else float("nan")
    return statistics.median(times), times[int(0.95 * len(times))], times[-1], mean_end


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--max-generations", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=2.0, help="per tick measurement")
    parser.add_argument("--generations", type=int, default=10, help="per training measurement")
    parser.add_argument("--no-solve", action="store_true", help="only the throughput table")
    args = parser.parse_args()
    if not args.no_solve:
        brains = (("neat", 150), ("ga", 200))
        runs: dict[str, list[dict]] = {brain: [] for brain, _ in brains}
        for seed in range(args.seeds):  # seeds interleaved, so a busy machine hits both
            for brain, population in brains:
                r = solve_ours(seed, brain, population, args.max_generations)
                runs[brain].append(r)
                print(
                    f"{brain} seed {seed}: solved={r['solved']} gens={r['generations']} "
                    f"{r['wall_seconds']:.1f}s ({r['checking']:.0%} checking the champion)",
                    flush=True,
                )
        rows = []
        for brain, population in brains:
            solved = [r for r in runs[brain] if r["solved"]]

            def median(key: str, fmt: str = "{:.1f}", runs: list = solved) -> str:
                return fmt.format(statistics.median(r[key] for r in runs)) if runs else "-"

            rows.append(
                [
                    f"{brain}, population {population}",
                    f"{len(solved)}/{len(runs[brain])}",
                    median("generations", "{:.0f}"),
                    median("wall_seconds"),
                    f"{max(r['wall_seconds'] for r in solved):.1f}" if solved else "-",
                    median("env_steps", "{:,.0f}"),
                    median("checking", "{:.0%}"),
                ]
            )
        headers = [
            "brain",
            "solved",
            "median gens",
            "median s",
            "worst s",
            "median bird-steps",
            "checking",
        ]
        print(table(headers, rows), flush=True)
    rows = []
    for n in POPULATIONS:
        for brain in ("neat", "ga"):
            tick = tick_rate(brain, n, args.seconds)
            reference = (
                f"{tick_rate(brain, n, args.seconds, neat_python=True):,.0f}"
                if brain == "neat"
                else "-"
            )
            generations = args.generations if n < 1000 else max(2, args.generations // 3)
            train, tell, ask = training_rate(brain, n, generations)
            rows.append(
                [
                    brain,
                    f"{n:,}",
                    f"{tick:,.0f}",
                    reference,
                    f"{train:,.0f}",
                    f"{tell:.0%}",
                    f"{ask:.0%}",
                ]
            )
            print(f"{brain} {n}: done", flush=True)
    headers = [
        "brain",
        "population",
        "tick bird-steps/s",
        "neat-python tick",
        "training bird-steps/s",
        "in tell",
        "in ask",
    ]
    print(table(headers, rows))
    median, p95, worst, end = window_frames()
    print(
        f"window, NEAT 150 at 1x with the network view: frame median {median:.2f} ms, "
        f"95th percentile {p95:.2f} ms, worst {worst:.2f} ms; frames that end a generation "
        f"{end:.2f} ms on average (60 fps needs under 16.7 ms)"
    )


if __name__ == "__main__":
    main()
