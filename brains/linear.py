"""Linear policies, the search space of random search and hill climbing.

With two actions a policy is one weight per observation: act 1 when w . o > 0, as in
the classic CartPole write-ups. With more actions each action has its own weights and
the largest score wins. Candidates are evaluated side by side: candidate c acts for
`episodes` consecutive agents, so one batched step scores a whole population of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from brains.base import BrainShape, Evolver, shape_from_meta, write_brain


def weight_shape(shape: BrainShape) -> tuple[int, int]:
    """(obs_dim, columns): one column for two actions, one per action otherwise."""
    return shape.obs_dim, 1 if shape.n_actions == 2 else shape.n_actions


class LinearPolicy:
    """weights[C, obs_dim, k]; row i of the observations is played by candidate i // repeat."""

    def __init__(self, weights: np.ndarray, repeat: int = 1, shared: bool | None = None) -> None:
        self.weights = weights
        self.repeat = repeat
        self.shared = len(weights) == 1 if shared is None else shared

    def act(self, observations: np.ndarray) -> np.ndarray:
        if self.shared:
            scores = observations @ self.weights[0]
        else:
            per_row = self.weights
            if self.repeat > 1:
                per_row = np.repeat(per_row, self.repeat, axis=0)
            scores = np.matmul(observations[:, None, :], per_row)[:, 0, :]
        if scores.shape[1] == 1:
            return (scores[:, 0] > 0).astype(np.int64)
        return scores.argmax(axis=1)

    def subset(self, agents: np.ndarray) -> LinearPolicy:
        """The policy of these agents alone (row i acts for agent agents[i]), computed as
        the whole computes it, so its actions are the same to the last bit."""
        if self.shared:
            return self
        return LinearPolicy(self.weights[agents // self.repeat], shared=False)


def mean_per_candidate(fitness: np.ndarray, candidates: int, repeat: int) -> np.ndarray:
    """Average the `repeat` episodes each candidate played."""
    fitness = np.asarray(fitness, dtype=np.float64)
    if fitness.shape != (candidates * repeat,):
        raise ValueError(f"expected {candidates * repeat} fitness values, got {fitness.shape}")
    return fitness.reshape(candidates, repeat).mean(axis=1)


class LinearSearch(Evolver):
    """A search over linear policies: each generation proposes candidates, plays each on
    `episodes` agents at once, and keeps what it likes. Subclasses say how to propose
    and what to keep; saving, the champion and the bookkeeping live here."""

    Settings: ClassVar[type]
    default_population: ClassVar[int]

    def __init__(self, shape: BrainShape, population: int, seed: int, settings: Any = None) -> None:
        self.settings = settings or self.Settings()
        episodes = self.settings.episodes
        if population < episodes:
            raise ValueError(
                f"brain {self.name} plays each candidate on {episodes} agents, so it needs a "
                f"population of at least {episodes}, got {population}"
            )
        self.shape = shape
        self.candidates = population // episodes
        self.rng = np.random.default_rng(seed)
        self.best = self.rng.uniform(-1.0, 1.0, weight_shape(shape))
        self.best_score = -np.inf
        self._proposals = self.best[None].copy()
        self._generation = 0

    @property
    def population_size(self) -> int:
        return self.candidates * self.settings.episodes

    @property
    def generation(self) -> int:
        return self._generation

    def ask(self) -> LinearPolicy:
        self._proposals = self.propose(self.candidates)
        return LinearPolicy(self._proposals, repeat=self.settings.episodes)

    def tell(self, fitness: np.ndarray) -> None:
        scores = mean_per_candidate(fitness, self.candidates, self.settings.episodes)
        self.judge(scores, self._proposals)
        self._generation += 1

    def champion(self) -> LinearPolicy:
        return LinearPolicy(self.best[None])

    def propose(self, count: int) -> np.ndarray:
        """Candidate weights[count, obs_dim, k] to evaluate next."""
        raise NotImplementedError

    def judge(self, scores: np.ndarray, proposals: np.ndarray) -> None:
        """Learn from each candidate's mean score; the base keeps the best ever seen."""
        top = int(scores.argmax())
        if scores[top] > self.best_score:
            self.best, self.best_score = proposals[top].copy(), float(scores[top])

    def save(self, directory: Path) -> None:
        extra = {
            "policy": "linear: action 1 when w . o > 0 (two actions), else argmax of o @ W",
            "generation": self._generation,
            "fitness": self.best_score if np.isfinite(self.best_score) else None,
        }
        write_brain(directory, self, extra, {"w": self.best})

    @classmethod
    def from_saved(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray], settings: Any):
        shape = shape_from_meta(meta)
        expected = weight_shape(shape)
        if "w" not in arrays:
            raise ValueError("weights.npz has no array 'w'")
        if arrays["w"].shape != expected:
            raise ValueError(
                f"weights.npz array 'w' has shape {arrays['w'].shape}, expected {expected}"
            )
        brain = cls(shape, population=settings.episodes, seed=0, settings=settings)
        brain.best = arrays["w"].astype(np.float64)
        fitness = meta.get("fitness")
        brain.best_score = float(fitness) if isinstance(fitness, int | float) else -np.inf
        generation = meta.get("generation")
        brain._generation = generation if isinstance(generation, int) else 0
        return brain
