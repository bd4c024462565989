"""The genetic algorithm's operators and its generation step."""

from __future__ import annotations

import numpy as np
import pytest

from brains.base import BrainShape
from brains.ga import (
    GASettings,
    GeneticAlgorithm,
    mutate,
    roulette_select,
    tournament_select,
    uniform_crossover,
)
from brains.network import MLPShape, NetworkPolicy, forward

SHAPE = BrainShape(obs_dim=7, n_actions=2, scene="flappy")


def test_uniform_crossover_takes_each_weight_from_one_parent_and_mixes_both():
    rng = np.random.default_rng(0)
    a, b = np.zeros((50, 100)), np.ones((50, 100))
    child = uniform_crossover(rng, a, b)
    assert set(np.unique(child)) == {0.0, 1.0}
    share = child.mean()
    assert 0.4 < share < 0.6
    assert np.all((child.min(axis=1) == 0) & (child.max(axis=1) == 1))  # every child mixes


@pytest.mark.parametrize("rate", [0.0, 0.05, 0.3, 1.0])
def test_mutation_changes_weights_at_the_requested_rate(rate):
    rng = np.random.default_rng(1)
    genomes = np.zeros((200, 500))
    changed = (mutate(rng, genomes, rate, 0.5) != 0).mean()
    assert changed == pytest.approx(rate, abs=0.01)


def test_mutation_scale_sets_the_size_of_the_steps():
    rng = np.random.default_rng(2)
    steps = mutate(rng, np.zeros((100, 1000)), 1.0, 0.25)
    assert steps.std() == pytest.approx(0.25, rel=0.05)


def test_tournaments_favour_the_fit():
    rng = np.random.default_rng(3)
    fitness = np.arange(100, dtype=float)
    winners = tournament_select(rng, fitness, size=3, count=10_000)
    assert fitness[winners].mean() > 70  # expected 74.25 for a 3-way tournament
    assert winners.min() >= 0 and winners.max() < 100


def test_roulette_picks_in_proportion_to_shifted_fitness():
    rng = np.random.default_rng(4)
    fitness = np.array([-5.0, -5.0, 5.0])  # shifted: 0, 0, 10
    picks = roulette_select(rng, fitness, 1000)
    assert (picks == 2).mean() > 0.99


def test_elitism_keeps_the_best_genome_unchanged():
    ga = GeneticAlgorithm(SHAPE, population=30, seed=5, settings=GASettings(mutation=1.0))
    before = ga.genomes.copy()
    fitness = np.random.default_rng(6).random(30)
    best = int(fitness.argmax())
    ga.tell(fitness)
    assert np.array_equal(ga.genomes[0], before[best])
    assert np.array_equal(ga.best_genome, before[best])
    assert ga.best_fitness == fitness[best]
    assert ga.generation == 1


def test_a_generation_is_elites_then_children_then_newcomers():
    settings = GASettings(elites=3, newcomers=0.1, mutation=0.0, crossover=0.0)
    ga = GeneticAlgorithm(SHAPE, population=20, seed=7, settings=settings)
    before = ga.genomes.copy()
    ga.tell(np.arange(20, dtype=float))
    ranked = before[::-1]
    assert np.array_equal(ga.genomes[:3], ranked[:3])
    # Without crossover or mutation a child is a copy of a parent from the population.
    for child in ga.genomes[3:18]:
        assert any(np.array_equal(child, parent) for parent in before)
    # Newcomers are fresh random genomes.
    for newcomer in ga.genomes[18:]:
        assert not any(np.array_equal(newcomer, parent) for parent in before)


def test_the_same_seed_breeds_the_same_generations():
    def run(seed: int) -> np.ndarray:
        ga = GeneticAlgorithm(SHAPE, population=16, seed=seed)
        for g in range(3):
            ga.tell(np.random.default_rng(g).random(16))
        return ga.genomes

    assert np.array_equal(run(8), run(8))
    assert not np.array_equal(run(8), run(9))


def test_batched_forward_equals_each_network_on_its_own():
    shape = MLPShape((7, 5, 2))
    rng = np.random.default_rng(10)
    genomes = shape.init(rng, 12)
    obs = rng.normal(size=(12, 7)).astype(np.float32)
    batched = forward(shape, genomes, obs)
    for p in range(12):
        (w1, b1), (w2, b2) = shape.layers(genomes[p : p + 1])
        alone = np.tanh(obs[p] @ w1[0] + b1[0]) @ w2[0] + b2[0]
        assert np.allclose(batched[p], alone)


def test_a_single_genome_acts_for_every_agent():
    shape = MLPShape((7, 4, 2))
    genome = shape.init(np.random.default_rng(11), 1)
    obs = np.random.default_rng(12).normal(size=(9, 7))
    shared = NetworkPolicy(shape, genome).act(obs)
    copies = NetworkPolicy(shape, np.repeat(genome, 9, axis=0)).act(obs)
    assert np.array_equal(shared, copies)


def test_hidden_zero_makes_a_linear_network():
    ga = GeneticAlgorithm(SHAPE, population=4, seed=0, settings=GASettings(hidden=0))
    assert ga.net.sizes == (7, 2)
    assert ga.ask().act(np.zeros((4, 7))).shape == (4,)


def test_tell_rejects_the_wrong_number_of_fitness_values():
    ga = GeneticAlgorithm(SHAPE, population=4, seed=0)
    with pytest.raises(ValueError, match="expected 4 fitness values"):
        ga.tell(np.zeros(3))
