"""The benchmark's peer: neat-python evolving birds for flappy-bird-gymnasium's FlappyBird-v0.

Runs inside bench/.peer-venv (see bench/peer_venv.py), never in the app's venv: the
environment needs plain pygame. Imports only neat, gymnasium, flappy_bird_gymnasium, numpy
and the standard library.

Judged by the app's own rule: the generation's best genome, whenever it passed 100 pipes
in training, flies 5 courses it never trained on; solved when it passes 100 pipes on each.

    python bench/peer_neat_flappy.py --seeds 0,1,2,3,4 --max-generations 300

prints one JSON line per seed on stdout (progress goes to stderr):
    {"seed", "solved", "generations", "wall_seconds", "env_steps", "best_score", ...}

FlappyBird-v0 facts this relies on (flappy_bird_gymnasium 0.4.0, envs/flappy_bird_env.py):
  * use_lidar=False gives 12 floats in [-1, 1]: the three nearest pipes' x, top and bottom,
    then the bird's y, vertical speed and rotation;
  * actions: 0 idle, 1 flap;
  * reward per step: +0.1 alive, +1 passing a pipe, -0.5 above the top of the screen,
    -1 dying (which terminates);
  * `info["score"]` counts the pipes passed; the course is drawn from the generator that
    `reset(seed=...)` seeds, so one seed is one course.
"""

from __future__ import annotations

import os

# Keep pygame's banner off stdout, which carries only JSON. Must precede the env import.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import argparse  # noqa: E402
import configparser  # noqa: E402
import copy  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import flappy_bird_gymnasium  # noqa: E402, F401  (registers FlappyBird-v0)
import gymnasium  # noqa: E402
import neat  # noqa: E402
import numpy as np  # noqa: E402

ENV_ID = "FlappyBird-v0"
PIPES_TO_SOLVE = 100  # the solve threshold, and the cap on every episode
EVAL_COURSES = 5
FLAP_ABOVE = 0.5
DEFAULT_CONFIG = Path(__file__).resolve().with_name("peer_neat_config.txt")

# Seed streams, as in the app's game/evaluation.py: training courses and evaluation
# courses come from separate streams of the run seed, so no evaluation course is ever
# trained on.
TRAINING, EVALUATION = 0, 1


def episode_seed(run_seed: int, stream: int, index: int) -> int:
    """The seed of course `index` in `stream` (same derivation as the app's)."""
    sequence = np.random.SeedSequence(entropy=run_seed, spawn_key=(stream, index))
    return int(sequence.generate_state(1, dtype=np.uint64)[0] >> 1)


def load_config(path: Path, population: int) -> neat.Config:
    config = neat.Config(
        neat.DefaultGenome,
        neat.DefaultReproduction,
        neat.DefaultSpeciesSet,
        neat.DefaultStagnation,
        str(path),
    )
    _reject_unknown_genome_keys(path, config)
    # Stepped one generation at a time from our loop, so neat must never stop on fitness.
    if not config.no_fitness_termination:
        raise SystemExit(f"{path}: no_fitness_termination must be True")
    if config.genome_config.initial_connection != "full_direct":
        raise SystemExit(f"{path}: expected initial_connection = full_direct")
    config.pop_size = population
    return config


def _reject_unknown_genome_keys(path: Path, config: neat.Config) -> None:
    """neat checks the other sections for unknown keys, but not [DefaultGenome], where a
    misspelt key would silently fall back to a default."""
    parser = configparser.ConfigParser()
    parser.read(path)
    known = {p.name for p in config.genome_config._params}
    unknown = sorted(set(parser["DefaultGenome"]) - known)
    if unknown:
        raise SystemExit(f"{path}: unknown [DefaultGenome] keys: {', '.join(unknown)}")


def make_env() -> gymnasium.Env:
    # score_limit makes the env itself truncate at the cap; play() checks it too.
    return gymnasium.make(ENV_ID, use_lidar=False, score_limit=PIPES_TO_SOLVE)


def play(env: gymnasium.Env, net: neat.nn.FeedForwardNetwork, seed: int) -> tuple[float, int, int]:
    """One episode on course `seed`, stopped at PIPES_TO_SOLVE pipes.
    Returns (total reward, pipes passed, steps)."""
    obs, info = env.reset(seed=seed)
    total, steps = 0.0, 0
    while True:
        # tolist(): neat's pure-Python network is faster on floats than on numpy scalars.
        action = 1 if net.activate(obs.tolist())[0] > FLAP_ABOVE else 0
        obs, reward, terminated, truncated, info = env.step(action)
        total += float(reward)
        steps += 1
        if terminated or truncated or info["score"] >= PIPES_TO_SOLVE:
            return total, int(info["score"]), steps


@dataclass
class Run:
    """What one seed's evolution reports."""

    seed: int
    solved: bool = False
    generations: int = 0
    wall_seconds: float = 0.0
    env_steps: int = 0  # bird-steps in training episodes
    eval_env_steps: int = 0  # bird-steps spent checking champions on unseen courses
    best_score: int = 0  # most pipes any genome passed in training
    checks: int = 0  # champion checks made
    eval_scores: list[int] = field(default_factory=list)  # the last check's pipes per course
    stop_reason: str = "max_generations"

    def as_json(self) -> str:
        record = dict(self.__dict__)
        record["wall_seconds"] = round(self.wall_seconds, 3)
        return json.dumps(record)


def check_champion(
    env: gymnasium.Env, genome: neat.DefaultGenome, config: neat.Config, run: Run
) -> bool:
    """Fly the champion on EVAL_COURSES fresh courses; True if it reaches the cap on each.
    Stops at the first course it fails: the verdict is the same, and the time is not."""
    net = neat.nn.FeedForwardNetwork.create(genome, config)
    run.eval_scores = []
    for course in range(EVAL_COURSES):
        seed = episode_seed(run.seed, EVALUATION, run.checks * EVAL_COURSES + course)
        _, score, steps = play(env, net, seed)
        run.eval_env_steps += steps
        run.eval_scores.append(score)
        if score < PIPES_TO_SOLVE:
            break
    run.checks += 1
    return len(run.eval_scores) == EVAL_COURSES and min(run.eval_scores) >= PIPES_TO_SOLVE


def evolve(seed: int, config: neat.Config, max_generations: int, time_limit: float) -> Run:
    run = Run(seed=seed)
    train_env, eval_env = make_env(), make_env()
    start = time.perf_counter()
    deadline = start + time_limit
    population = neat.Population(config, seed=seed)  # also reseeds Python's `random`

    for generation in range(max_generations):
        # Every genome of a generation flies the same course; a new course each generation,
        # so what survives is what generalises.
        course = episode_seed(seed, TRAINING, generation)
        best: neat.DefaultGenome | None = None
        best_score = 0
        scores = []
        for genome in population.population.values():
            if time.perf_counter() > deadline:
                run.stop_reason = "time_limit"
                break
            net = neat.nn.FeedForwardNetwork.create(genome, config)
            genome.fitness, score, steps = play(train_env, net, course)
            run.env_steps += steps
            scores.append(score)
            if best is None or genome.fitness > best.fitness:
                best, best_score = genome, score
        if run.stop_reason == "time_limit":
            break  # an unfinished generation does not count
        assert best is not None
        run.generations = generation + 1
        run.best_score = max(run.best_score, max(scores))
        # neat may overwrite best_genome and reuses elite objects: keep our own copy.
        champion = copy.deepcopy(best)

        elapsed = time.perf_counter() - start
        print(
            f"seed {seed} gen {run.generations:4d}  best fitness {best.fitness:8.1f}"
            f"  best pipes {best_score:3d}  mean pipes {np.mean(scores):6.2f}"
            f"  species {len(population.species.species):2d}  {elapsed:7.1f}s"
            f"  {(run.env_steps + run.eval_env_steps) / elapsed:7.0f} steps/s",
            file=sys.stderr,
        )

        if best_score >= PIPES_TO_SOLVE:
            run.solved = check_champion(eval_env, champion, config, run)
            print(f"seed {seed}   champion on unseen courses: {run.eval_scores}", file=sys.stderr)
            if run.solved:
                run.stop_reason = "solved"
                break

        # The fitnesses are set already, so neat's evaluation is a no-op: this call only
        # reproduces and speciates into the next generation.
        population.run(lambda genomes, config: None, 1)

    run.wall_seconds = time.perf_counter() - start
    train_env.close()
    eval_env.close()
    return run


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="0", help="comma-separated run seeds, e.g. 0,1,2,3,4")
    parser.add_argument("--max-generations", type=int, default=300)
    parser.add_argument("--population", type=int, default=100)
    parser.add_argument(
        "--time-limit",
        type=float,
        default=float("inf"),
        help="wall seconds per seed; checked between genomes, so it may overrun by one episode",
    )
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    for seed in (int(s) for s in args.seeds.split(",") if s.strip()):
        # A fresh config per seed: neat keeps counters in it (node ids, innovations), and a
        # seed must run the same alone or after others.
        config = load_config(args.config, args.population)
        run = evolve(seed, config, args.max_generations, args.time_limit)
        print(run.as_json(), flush=True)


if __name__ == "__main__":
    main()
