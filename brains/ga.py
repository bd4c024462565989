"""A genetic algorithm over fixed-topology networks, as in the classic neuroevolution demos.

Each generation: the `elites` best genomes survive unchanged (so the best is never lost),
a few random newcomers keep diversity up, and everyone else is a child of two parents
picked by fitness (tournament or roulette), mixed weight by weight (uniform crossover),
then mutated: each weight changes with probability `mutation` by a Gaussian step.

Population rows are kept in rank order after the first generation: row 0 is the last
generation's champion, so a viewer can follow it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from brains.base import BrainShape, Evolver, shape_from_meta, write_brain
from brains.network import MLPShape, NetworkPolicy


@dataclass
class GASettings:
    hidden: int = 8  # hidden units; 0 makes the network linear
    mutation: float = 0.1  # probability that each weight of a child mutates
    mutation_scale: float = 0.5  # standard deviation of a mutation's Gaussian step
    crossover: float = 0.9  # probability a child mixes two parents (else it copies one)
    selection: str = "tournament"  # "tournament" or "roulette"
    tournament: int = 3  # contestants per tournament
    elites: int = 4  # best genomes copied unchanged into the next generation
    newcomers: float = 0.05  # fraction of each generation drawn fresh at random

    def check(self) -> str | None:
        if self.hidden < 0:
            return f"hidden must be 0 or more, got {self.hidden}"
        for key in ("mutation", "crossover", "newcomers"):
            if not 0.0 <= getattr(self, key) <= 1.0:
                return f"{key} must be between 0 and 1, got {getattr(self, key)}"
        if self.mutation_scale < 0:
            return f"mutation_scale must be 0 or more, got {self.mutation_scale}"
        if self.selection not in ("tournament", "roulette"):
            return f"selection must be tournament or roulette, got {self.selection!r}"
        if self.tournament < 1:
            return f"tournament must be 1 or more, got {self.tournament}"
        if self.elites < 0:
            return f"elites must be 0 or more, got {self.elites}"
        return None


# -- operators (pure functions of an rng, so tests can pin them down) -------------


def tournament_select(rng: np.random.Generator, fitness: np.ndarray, size: int, count: int):
    """Indices of `count` winners, each the fittest of `size` members drawn at random."""
    contestants = rng.integers(0, len(fitness), (count, size))
    winners = fitness[contestants].argmax(axis=1)
    return contestants[np.arange(count), winners]


def roulette_select(rng: np.random.Generator, fitness: np.ndarray, count: int) -> np.ndarray:
    """Indices drawn with probability proportional to fitness shifted above zero."""
    weights = fitness - fitness.min() + 1e-9
    return rng.choice(len(fitness), size=count, p=weights / weights.sum())


def uniform_crossover(rng: np.random.Generator, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Children taking each weight from parent a or parent b with equal chance."""
    return np.where(rng.random(a.shape) < 0.5, a, b)


def mutate(rng: np.random.Generator, genomes: np.ndarray, rate: float, scale: float):
    """Copy of genomes where each weight, with probability `rate`, moves by N(0, scale)."""
    mask = rng.random(genomes.shape) < rate
    return genomes + mask * rng.normal(0.0, scale, genomes.shape)


class GeneticAlgorithm(Evolver):
    name = "ga"
    Settings = GASettings
    default_population = 200

    def __init__(
        self, shape: BrainShape, population: int, seed: int, settings: GASettings | None = None
    ) -> None:
        self.settings = settings or GASettings()
        if population < 2:
            raise ValueError(f"brain ga needs a population of 2 or more, got {population}")
        self.shape = shape
        hidden = (self.settings.hidden,) if self.settings.hidden else ()
        self.net = MLPShape((shape.obs_dim, *hidden, shape.n_actions))
        self.rng = np.random.default_rng(seed)
        self.genomes = self.net.init(self.rng, population)
        self.best_genome = self.genomes[0].copy()
        self.best_fitness = float("-inf")  # of the last generation's champion
        self._generation = 0

    @classmethod
    def bytes_per_agent(cls, shape: BrainShape, settings: GASettings) -> int:
        # The genomes, and the copies breeding makes of them (parents, mixes, masks).
        hidden = (settings.hidden,) if settings.hidden else ()
        weights = MLPShape((shape.obs_dim, *hidden, shape.n_actions)).n_weights
        return 5 * 8 * weights + super().bytes_per_agent(shape, settings)

    @property
    def population_size(self) -> int:
        return len(self.genomes)

    @property
    def generation(self) -> int:
        return self._generation

    def describe(self) -> str:
        return f"GA, hidden {self.settings.hidden}, mutation {self.settings.mutation:g}"

    def ask(self) -> NetworkPolicy:
        return NetworkPolicy(self.net, self.genomes)

    def champion(self) -> NetworkPolicy:
        return NetworkPolicy(self.net, self.best_genome[None, :])

    def tell(self, fitness: np.ndarray) -> None:
        fitness = np.asarray(fitness, dtype=np.float64)
        if fitness.shape != (len(self.genomes),):
            raise ValueError(f"expected {len(self.genomes)} fitness values, got {fitness.shape}")
        # Stable sort keeps ties in population order, so the reigning champion wins ties.
        order = np.argsort(-fitness, kind="stable")
        self.genomes, fitness = self.genomes[order], fitness[order]
        self.best_genome = self.genomes[0].copy()
        self.best_fitness = float(fitness[0])
        self.genomes = self._breed(fitness)
        self._generation += 1

    def _breed(self, ranked_fitness: np.ndarray) -> np.ndarray:
        s, rng, size = self.settings, self.rng, len(self.genomes)
        elites = min(s.elites, size)
        newcomers = min(int(round(s.newcomers * size)), size - elites)
        children = size - elites - newcomers

        def pick(count: int) -> np.ndarray:
            if s.selection == "roulette":
                return roulette_select(rng, ranked_fitness, count)
            return tournament_select(rng, ranked_fitness, s.tournament, count)

        mothers, fathers = self.genomes[pick(children)], self.genomes[pick(children)]
        mixed = uniform_crossover(rng, mothers, fathers)
        crossed = rng.random(children) < s.crossover
        offspring = np.where(crossed[:, None], mixed, mothers)
        offspring = mutate(rng, offspring, s.mutation, s.mutation_scale)
        fresh = self.net.init(rng, newcomers)
        return np.concatenate([self.genomes[:elites], offspring, fresh])

    # -- saving ---------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        layers = self.net.layers(self.best_genome[None, :])
        arrays = {}
        for i, (weights, bias) in enumerate(layers):
            arrays[f"w{i}"], arrays[f"b{i}"] = weights[0], bias[0]
        extra = {
            "network": {"sizes": list(self.net.sizes), "hidden": "tanh", "output": "argmax"},
            "generation": self._generation,
            "fitness": self.best_fitness if np.isfinite(self.best_fitness) else None,
        }
        write_brain(directory, self, extra, arrays)

    @classmethod
    def from_saved(
        cls, meta: dict[str, Any], arrays: dict[str, np.ndarray], settings: GASettings
    ) -> GeneticAlgorithm:
        """Rebuild the saved champion from checked metadata and weights (brains.storage)."""
        shape = shape_from_meta(meta)
        brain = cls(shape, population=2, seed=0, settings=settings)
        expected = brain.net.layers(np.zeros((1, brain.net.n_weights)))
        genome = []
        for i, (weights, bias) in enumerate(expected):
            for key, like in ((f"w{i}", weights[0]), (f"b{i}", bias[0])):
                if key not in arrays:
                    raise ValueError(f"weights.npz has no array {key!r}")
                if arrays[key].shape != like.shape:
                    raise ValueError(
                        f"weights.npz array {key!r} has shape {arrays[key].shape}, "
                        f"the network needs {like.shape}"
                    )
                genome.append(arrays[key].reshape(-1))
        brain.best_genome = np.concatenate(genome).astype(np.float64)
        brain.genomes = np.stack([brain.best_genome, brain.best_genome])
        fitness = meta.get("fitness")
        brain.best_fitness = float(fitness) if isinstance(fitness, int | float) else float("-inf")
        generation = meta.get("generation")
        brain._generation = generation if isinstance(generation, int) else 0
        return brain
