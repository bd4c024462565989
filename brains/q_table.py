"""Tabular Q-learning on binned observations, with epsilon-greedy exploration.

Each observation variable is cut into equal bins between a low and a high bound (values
outside land in the edge bins); the bins together index a table of action values,
updated by Watkins' rule Q(s,a) += alpha (r + gamma max_a' Q(s',a') - Q(s,a)), with no
bootstrap past a true end and bootstrapping through a time limit. Epsilon decays by a
factor each episode.

CartPole's defaults are those of the classic write-up: 8 bins for each cart variable,
10 for each pole variable, over +-2.4 m, +-3 m/s, +-0.21 rad and +-3.5 rad/s. Other
scenes get 6 bins per variable over their observation bounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from brains.base import (
    BrainShape,
    Learner,
    Transitions,
    counter_from_meta,
    epsilon_greedy,
    fraction_from_meta,
    shape_from_meta,
    write_brain,
)
from brains.settings import per_observation
from brains.tabular import KeepsBestTable, decayed_epsilon, td_update

MAX_CELLS = 20_000_000  # states x actions; beyond this a table is a mistake, not a brain

SCENE_DEFAULTS: dict[str, tuple[tuple[int, ...], tuple[float, ...], tuple[float, ...]]] = {
    "cartpole": ((8, 8, 10, 10), (-2.4, -3.0, -0.21, -3.5), (2.4, 3.0, 0.21, 3.5)),
}
OTHER_BINS = 6


@dataclass
class QTableSettings:
    # Lists are written with "/" (commas already separate settings on the command line):
    bins: str = ""  # bins per observation variable, e.g. "8/8/10/10"; empty: the scene's default
    low: str = ""  # lower bound per variable, e.g. "-2.4/-3/-0.21/-3.5"; empty: the default
    high: str = ""  # upper bound per variable; empty: the default
    alpha: float = 0.1  # learning rate
    gamma: float = 0.99  # discount
    epsilon: float = 1.0  # starting exploration rate
    epsilon_min: float = 0.01
    epsilon_decay: float = 0.995  # multiplies epsilon after every episode

    def check(self) -> str | None:
        if not 0 < self.alpha <= 1:
            return f"alpha must be in (0, 1], got {self.alpha}"
        if not 0 <= self.gamma <= 1:
            return f"gamma must be between 0 and 1, got {self.gamma}"
        for key in ("epsilon", "epsilon_min", "epsilon_decay"):
            if not 0 <= getattr(self, key) <= 1:
                return f"{key} must be between 0 and 1, got {getattr(self, key)}"
        return None


def binning(shape: BrainShape, settings: QTableSettings):
    """(bins, low, high) from the settings, else the scene's defaults."""
    n = shape.obs_dim
    if shape.scene in SCENE_DEFAULTS:
        bins, low, high = SCENE_DEFAULTS[shape.scene]
    else:
        bins = (OTHER_BINS,) * n
        low = shape.obs_low or (-1.0,) * n
        high = shape.obs_high or (1.0,) * n
    if settings.bins:
        bins = per_observation(settings.bins, int, "bins", n)
    if settings.low:
        low = per_observation(settings.low, float, "low", n)
    if settings.high:
        high = per_observation(settings.high, float, "high", n)
    bins_a, low_a, high_a = np.array(bins), np.array(low, dtype=float), np.array(high, dtype=float)
    if np.any(bins_a < 1):
        raise ValueError("every variable needs at least 1 bin")
    if not np.all(np.isfinite(low_a) & np.isfinite(high_a)) or np.any(high_a <= low_a):
        raise ValueError("low and high must be finite with high above low for every variable")
    cells = int(np.prod(bins_a, dtype=np.float64) * shape.n_actions)
    if cells > MAX_CELLS:
        raise ValueError(f"bins {tuple(bins)} make a table of {cells:,} values; use fewer bins")
    return bins_a, low_a, high_a


class QTable(KeepsBestTable, Learner):
    name = "q-table"
    Settings = QTableSettings
    default_population = 1  # carts played at once

    def __init__(
        self,
        shape: BrainShape,
        population: int,
        seed: int,
        settings: QTableSettings | None = None,
    ) -> None:
        self.settings = settings or QTableSettings()
        self.shape = shape
        self.envs = population
        self.bins, self.low, self.high = binning(shape, self.settings)
        self.q = np.zeros((int(np.prod(self.bins)), shape.n_actions))
        self.epsilon = self.settings.epsilon
        self.episodes = 0
        self.updates = 0
        self.seed_generators(seed)

    def seed_generators(self, seed: int) -> None:
        explore, ties = np.random.SeedSequence(seed).spawn(2)
        self.rng = np.random.default_rng(explore)
        # Greedy play (evaluations too) breaks ties with its own generator, so checking
        # the policy never changes what training sees.
        self._ties = np.random.default_rng(ties)

    def describe(self) -> str:
        bins = "x".join(str(b) for b in self.bins)
        return f"Q-table, {bins} bins"

    @classmethod
    def supports(cls, shape: BrainShape) -> str | None:
        if shape.one_hot:
            return "its states are already discrete: use q-learning, which needs no bins"
        if shape.scene in SCENE_DEFAULTS:
            return None
        bounds = (shape.obs_low or ()) + (shape.obs_high or ())
        if len(bounds) != 2 * shape.obs_dim or not np.all(np.isfinite(bounds)):
            return "its observations have no finite bounds to cut into bins"
        return None

    def states(self, observations: np.ndarray) -> np.ndarray:
        """Row of the table for each observation."""
        scaled = (observations - self.low) / (self.high - self.low) * self.bins
        cells = np.clip(scaled.astype(np.int64), 0, self.bins - 1)
        return np.ravel_multi_index(tuple(cells.T), tuple(self.bins))

    def greedy(self, observations: np.ndarray) -> np.ndarray:
        values = self.q[self.states(observations)]
        # Ties (an unvisited state is all zeros) are broken at random, not to action 0.
        return (values + self._ties.random(values.shape) * 1e-9).argmax(axis=1)

    def act(self, observations: np.ndarray) -> np.ndarray:
        return epsilon_greedy(
            self.rng, self.greedy(observations), self.epsilon, self.shape.n_actions
        )

    def observe(self, batch: Transitions) -> None:
        if not len(batch):
            return
        s = self.states(batch.observations)
        s_next = self.states(batch.next_observations)
        next_value = self.q[s_next].max(axis=1)
        alpha, gamma = self.settings.alpha, self.settings.gamma
        td_update(
            self.q, s, batch.actions, batch.rewards, batch.terminated, next_value, alpha, gamma
        )
        self.updates += len(batch)

    def end_episodes(self, count: int) -> None:
        s = self.settings
        self.episodes += count
        self.epsilon = decayed_epsilon(self.epsilon, s, count)

    def status(self) -> list[tuple[str, str]]:
        visited = np.count_nonzero(np.any(self.q != 0, axis=1))
        return [("Epsilon", f"{self.epsilon:.2f}"), ("States seen", f"{visited}/{len(self.q)}")]

    def diagnostics(self) -> dict[str, float]:
        return {"epsilon": self.epsilon}

    def diagnostic_charts(self) -> list[tuple[str, list[tuple[str, str]]]]:
        return [("Exploration", [("epsilon", "epsilon")])]

    def save(self, directory: Path) -> None:
        extra = {"episodes": self.episodes, "epsilon": self.epsilon, "checked": self.best_check}
        table = self.table_to_save()
        arrays = {"q": table, "bins": self.bins, "low": self.low, "high": self.high}
        write_brain(directory, self, extra, arrays)

    @classmethod
    def from_saved(
        cls, meta: dict[str, Any], arrays: dict[str, np.ndarray], settings: QTableSettings
    ):
        shape = shape_from_meta(meta)
        for key in ("q", "bins", "low", "high"):
            if key not in arrays:
                raise ValueError(f"weights.npz has no array {key!r}")
        bins = arrays["bins"].astype(np.int64)
        if bins.shape != (shape.obs_dim,) or arrays["low"].shape != bins.shape or np.any(bins < 1):
            raise ValueError("weights.npz bins/low/high do not match the observation size")
        expected = (int(np.prod(bins, dtype=np.float64)), shape.n_actions)
        if expected[0] * expected[1] > MAX_CELLS or arrays["q"].shape != expected:
            raise ValueError(
                f"weights.npz array 'q' has shape {arrays['q'].shape}, expected {expected}"
            )
        brain = cls(shape, population=1, seed=0, settings=settings)
        brain.bins, brain.low, brain.high = (
            bins,
            arrays["low"].astype(float),
            arrays["high"].astype(float),
        )
        brain.q = arrays["q"].astype(np.float64)
        brain.episodes = counter_from_meta(meta, "episodes")
        brain.epsilon = fraction_from_meta(meta, "epsilon", settings.epsilon_min)
        brain.keep_loaded_table(meta)
        return brain
