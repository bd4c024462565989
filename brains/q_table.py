"""Tabular Q-learning on binned observations, with epsilon-greedy exploration.

Each observation variable is cut into equal bins between a low and a high bound (values
outside land in the edge bins); the bins together index a table of action values,
updated by Watkins' rule Q(s,a) += alpha (r + gamma max_a' Q(s',a') - Q(s,a)), with no
bootstrap past a true end and bootstrapping through a time limit. The learning rate and
epsilon both follow the log schedule of the widely copied tabular CartPole recipes:
rate = min(start, 1 - log10((episodes + 1) / 25)), floored (alpha 1 -> 0.1 by episode
~200, epsilon 1 -> 0.01 by ~250). `schedule=exponential` gives the classic write-up's
instead: alpha constant, epsilon x epsilon_decay per episode.

CartPole's defaults ignore the cart (1 bin each for its position and velocity) and cut
the pole finely: 6 bins of its angle over +-0.21 rad (where it falls) and 12 of its
angular velocity over +-0.87 rad/s (50 degrees/s). Why: the classic write-up's table,
8/8/10/10 bins over +-2.4 m, +-3 m/s, +-0.21 rad and +-3.5 rad/s with alpha 0.1 and
epsilon x 0.995, reached a greedy mean of 195 over 100 fresh episodes on 1 of seeds 0-3
in 3,000 episodes (best means 59, 128, 195 and 70). Its 8 x 8 cart cells multiply the
table 64-fold while saying little about which way to push: every (angle, angular
velocity) cell is learnt again in each cart cell the cart passes through (the velocity's
sign alone flips cells all the time), and epsilon reaches 0.01 by episode ~900 with most
of the 6,400 cells barely tried. Its angular velocity bins (0.7 rad/s) are also too
coarse: balancing keeps it within about +-1 rad/s, so the pole's state was mostly just
its sign. Dropping the cart bins alone (1/1/10/10, the rest as it was) reached 195 on
4 of 4 seeds within 400 episodes; the log schedules alone (8/8/10/10) on 3 of 3 but only
after 400-1,000 episodes and barely; narrower angular velocity bins with the cart kept
(and the classic schedule) reached it on none. Together (these defaults) every seed 0-9
gets there, in a median of 100 episodes (bench/q_table_cartpole.py, docs/benchmarks.md).
The update was never the trouble. Other scenes get 6 bins per variable over their
observation bounds.
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
    "cartpole": ((1, 1, 6, 12), (-2.4, -3.0, -0.21, -0.87), (2.4, 3.0, 0.21, 0.87)),
}
OTHER_BINS = 6


SCHEDULES = ("log", "exponential")


@dataclass
class QTableSettings:
    # Lists are written with "/" (commas already separate settings on the command line):
    bins: str = ""  # bins per observation variable, e.g. "1/1/6/12"; empty: the scene's default
    low: str = ""  # lower bound per variable, e.g. "-2.4/-3/-0.21/-0.87"; empty: the default
    high: str = ""  # upper bound per variable; empty: the default
    alpha: float = 1.0  # learning rate at the start
    alpha_min: float = 0.1  # the learning rate's floor ("log" schedule)
    gamma: float = 0.99  # discount
    epsilon: float = 1.0  # exploration rate at the start
    epsilon_min: float = 0.01  # exploration's floor
    # "log": both rates are min(start, 1 - log10((episodes + 1) / decay_episodes)), floored;
    # "exponential": epsilon x epsilon_decay after every episode, alpha constant
    schedule: str = "log"
    decay_episodes: float = 25.0  # "log": the rates start falling after this many episodes
    epsilon_decay: float = 0.995  # "exponential": multiplies epsilon after every episode

    def check(self) -> str | None:
        if self.schedule not in SCHEDULES:
            return f"schedule must be one of {', '.join(SCHEDULES)}, got {self.schedule!r}"
        for key in ("alpha", "alpha_min"):
            if not 0 < getattr(self, key) <= 1:
                return f"{key} must be in (0, 1], got {getattr(self, key)}"
        if not 0 <= self.gamma <= 1:
            return f"gamma must be between 0 and 1, got {self.gamma}"
        for key in ("epsilon", "epsilon_min", "epsilon_decay"):
            if not 0 <= getattr(self, key) <= 1:
                return f"{key} must be between 0 and 1, got {getattr(self, key)}"
        if not self.decay_episodes > 0:
            return f"decay_episodes must be above 0, got {self.decay_episodes}"
        return None


def log_rate(start: float, floor: float, episodes: int, scale: float) -> float:
    """The rate after `episodes` episodes on the log schedule: `start` for the first
    `scale` or so episodes, then down by 1 for every tenfold more, never below `floor`."""
    return float(max(floor, min(start, 1.0 - np.log10((episodes + 1) / scale))))


def binning(shape: BrainShape, settings: QTableSettings):
    """(bins, low, high) from the settings, else the scene's defaults."""
    n = shape.obs_dim
    if shape.family in SCENE_DEFAULTS:
        bins, low, high = SCENE_DEFAULTS[shape.family]
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
        self._index: tuple[Any, ...] | None = None  # made by states()
        self.q = np.zeros((int(np.prod(self.bins)), shape.n_actions))
        self.epsilon = self.settings.epsilon
        self.alpha = self.settings.alpha  # the learning rate now (the log schedule lowers it)
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
        if shape.family in SCENE_DEFAULTS:
            return None
        bounds = (shape.obs_low or ()) + (shape.obs_high or ())
        if len(bounds) != 2 * shape.obs_dim or not np.all(np.isfinite(bounds)):
            return "its observations have no finite bounds to cut into bins"
        return None

    def states(self, observations: np.ndarray) -> np.ndarray:
        """Row of the table for each observation."""
        bins, low, high = self.bins, self.low, self.high
        cached = self._index
        if cached is None or cached[0] is not bins or cached[1] is not low or cached[2] is not high:
            # Cached per binning (loading replaces the arrays; the cache holds them, so a
            # new array can never pass for an old one): one cart plays a step at a time,
            # so this runs twice a step and small-array overheads are its cost.
            strides = np.cumprod((1, *bins[:0:-1]))[::-1]
            self._index = (bins, low, high, bins / (high - low), bins - 1, strides)
        _, _, _, scale, top, strides = self._index
        cells = ((observations - low) * scale).astype(np.int64)
        np.minimum(np.maximum(cells, 0, out=cells), top, out=cells)
        return cells @ strides

    def greedy(self, observations: np.ndarray) -> np.ndarray:
        values = self.q[self.states(observations)]
        # Ties (an unvisited state is all zeros) are broken at random, not to action 0.
        return (values + self._ties.random(values.shape) * 1e-9).argmax(axis=1)

    def act(self, observations: np.ndarray) -> np.ndarray:
        # Training breaks ties with the training generator: were it `greedy`'s, every
        # check of the policy would change what training does next.
        values = self.q[self.states(observations)]
        greedy = (values + self.rng.random(values.shape) * 1e-9).argmax(axis=1)
        return epsilon_greedy(self.rng, greedy, self.epsilon, self.shape.n_actions)

    def observe(self, batch: Transitions) -> None:
        if not len(batch):
            return
        s = self.states(batch.observations)
        s_next = self.states(batch.next_observations)
        next_value = self.q[s_next].max(axis=1)
        alpha, gamma = self.alpha, self.settings.gamma
        td_update(
            self.q, s, batch.actions, batch.rewards, batch.terminated, next_value, alpha, gamma
        )
        self.updates += len(batch)

    def end_episodes(self, count: int) -> None:
        self.episodes += count
        if self.settings.schedule == "exponential":
            self.epsilon = decayed_epsilon(self.epsilon, self.settings, count)
        else:
            self.epsilon, self.alpha = self.scheduled_rates()

    def scheduled_rates(self) -> tuple[float, float]:
        """(epsilon, alpha) on the log schedule after the episodes played so far."""
        s, done = self.settings, self.episodes
        return (
            log_rate(s.epsilon, s.epsilon_min, done, s.decay_episodes),
            log_rate(s.alpha, s.alpha_min, done, s.decay_episodes),
        )

    def status(self) -> list[tuple[str, str]]:
        visited = np.count_nonzero(np.any(self.q != 0, axis=1))
        return [("Epsilon", f"{self.epsilon:.2f}"), ("States seen", f"{visited}/{len(self.q)}")]

    def diagnostics(self) -> dict[str, float]:
        return {"epsilon": self.epsilon, "alpha": self.alpha}

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
        if settings.schedule == "log":
            brain.epsilon, brain.alpha = brain.scheduled_rates()
        brain.keep_loaded_table(meta)
        return brain
