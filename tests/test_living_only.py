"""Only the living are observed and run through their networks (EvolutionArena), and only
they move (FlappyScene): the same runs as computing every agent, to the last bit."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from brains.registry import make_brain
from game.arena import Budget, EvolutionArena, brain_shape


def whole_run(scene: str, brain: str, population: int, generations: int, living_only: bool):
    arena = EvolutionArena(scene, make_brain(brain, brain_shape(scene), population, 3), 3)
    arena.LIVING_ONLY = living_only
    fitness: list[np.ndarray] = []
    tell = arena.brain.tell
    arena.brain.tell = lambda f: (fitness.append(f.copy()), tell(f))[1]  # type: ignore[method-assign]
    arena.run(Budget(max_generations=generations))
    m = arena.metrics
    counts = (m.generations, m.episodes, m.env_steps, m.best_score, m.eval_score, m.solved)
    return fitness, counts


@pytest.mark.parametrize(
    ("scene", "brain", "population", "generations"),
    [
        ("flappy", "ga", 300, 12),
        ("flappy", "neat", 150, 6),
        ("cartpole", "random-search", 50, 6),
        ("cartpole", "hill-climb", 4, 20),
        ("cartpole", "ga", 60, 5),
        ("gridworld:dyna-maze", "ga", 40, 4),
    ],
)
def test_running_only_the_living_changes_nothing(scene, brain, population, generations):
    every, counts_every = whole_run(scene, brain, population, generations, living_only=False)
    living, counts_living = whole_run(scene, brain, population, generations, living_only=True)
    assert counts_living == counts_every
    assert len(living) == len(every) == generations
    for mine, theirs in zip(living, every, strict=True):
        assert np.array_equal(mine, theirs)  # every fitness, bit for bit


# The fitness of every generation of these runs, hashed, as computed before only the
# living were run (every agent observed, networked and moved each tick). A change that
# means to change these runs changes the hashes; one that only means to be faster must not.
BEFORE = {
    ("flappy", "ga", 300, 12): ("38f1dd448e17e47e", 329_938),
    ("flappy", "neat", 150, 6): ("82f7b64f970a69ff", 147_683),
}


@pytest.mark.parametrize("case", list(BEFORE))
def test_flappy_runs_are_the_runs_of_before(case):
    fitness, counts = whole_run(*case, living_only=True)
    digest = hashlib.sha256(np.concatenate(fitness).tobytes()).hexdigest()[:16]
    assert (digest, counts[2]) == BEFORE[case]
