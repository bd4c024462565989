"""Dyna-Q and Dyna-Q+ (Sutton and Barto 2018, section 8.2 and Example 8.3).

Every real step teaches twice: a Q-learning update from the real transition, and an
update of the model, which remembers what the last try of each (state, action) gave. Then
`n` planning updates replay remembered transitions picked at random, each one a
Q-learning update on imagined experience. With n = 0 it is plain Q-learning; the book's
Figure 8.2 shows n = 5 and n = 50 finding the Dyna Maze's shortest path in far fewer
episodes.

The model is deterministic, as the book's is: on a slippery map it remembers only the
latest outcome of each try. A saved brain keeps it, so a loaded one plans from all it
has seen.

Dyna-Q+ adds curiosity for a world that changes (the Blocking and Shortcut mazes): in
planning, a transition last tried tau steps ago pays r + kappa sqrt(tau), and actions never
tried from a visited state may be planned too, as a move that stays put and pays 0.
Long-untried moves so look worth trying again, which is how it finds a shortcut that
opens after it has settled on a path.

Planning updates are done one after another, exactly as the book's algorithm, so a
value found in one update is used by the next: that is what carries the goal's value
back along a path within a single step's planning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from brains.base import BrainShape, Transitions
from brains.tabular import QLearning, TabularSettings

N_LADDER = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500)  # the values [ and ] step through
MAX_N = 10_000  # planning updates per real step: more would stall every tick for seconds


@dataclass
class DynaSettings(TabularSettings):
    n: int = 5  # planning updates per real step (changeable live with [ and ])

    def check(self) -> str | None:
        if not 0 <= self.n <= MAX_N:
            return f"n must be between 0 and {MAX_N:,}, got {self.n}"
        return super().check()


@dataclass
class DynaPlusSettings(DynaSettings):
    # Step size 1, as in the book's changing-maze experiments (moves there are sure): with
    # 0.1 the goal's value spreads so slowly that the growing bonus outbids it, and the
    # agent wanders after untried moves instead of reaching the goal.
    alpha: float = 1.0
    kappa: float = 1e-3  # the exploration bonus: kappa sqrt(steps since last tried)

    def check(self) -> str | None:
        if self.kappa < 0:
            return f"kappa must be 0 or more, got {self.kappa}"
        return super().check()


class DynaQ(QLearning):
    """Q-learning from each real step (QLearning.observe), then the model and planning."""

    name = "dyna-q"
    label = "Dyna-Q"
    Settings = DynaSettings
    plus = False  # Dyna-Q+ sets it

    def __init__(self, shape: BrainShape, population: int, seed: int, settings: Any = None) -> None:
        super().__init__(shape, population, seed, settings)
        cells = shape.obs_dim * shape.n_actions
        self.model_next = np.full(cells, -1, dtype=np.int64)  # per flat (s, a): next state
        self.model_reward = np.zeros(cells)
        self.model_end = np.zeros(cells, dtype=bool)
        self.last_tried = np.zeros(cells, dtype=np.int64)  # real step of the last try
        self._pairs = np.zeros(cells, dtype=np.int64)  # the (s, a) planning may pick
        self._known = 0  # how many of _pairs are filled
        self.time = 0  # real steps so far
        self.planning_updates = 0
        self.keys = (("[ / ]", "planning steps n"),)

    def describe(self) -> str:
        return f"{self.label}, n={self.settings.n}"

    def observe(self, batch: Transitions) -> None:
        if not len(batch):
            return
        super().observe(batch)
        s, s_next = self.states(batch.observations), self.states(batch.next_observations)
        for row in range(len(batch)):
            self.time += 1
            self._remember(
                int(s[row]),
                int(batch.actions[row]),
                float(batch.rewards[row]),
                int(s_next[row]),
                bool(batch.terminated[row]),
            )
            self.plan(self.settings.n)

    def _remember(self, s: int, a: int, r: float, s_next: int, end: bool) -> None:
        n_actions = self.shape.n_actions
        pair = s * n_actions + a
        if self.plus and not self._state_known(s):
            # First visit to s: every action enters the model, untried ones as a stay
            # that pays nothing, last tried at time 0 (the book's Dyna-Q+).
            first = np.arange(s * n_actions, (s + 1) * n_actions)
            self.model_next[first] = s
            self._add_pairs(first)
        elif self.model_next[pair] < 0:
            self._add_pairs(np.array([pair]))
        self.model_next[pair] = s_next
        self.model_reward[pair] = r
        self.model_end[pair] = end
        self.last_tried[pair] = self.time

    def _state_known(self, s: int) -> bool:
        n_actions = self.shape.n_actions
        return bool((self.model_next[s * n_actions : (s + 1) * n_actions] >= 0).any())

    def _add_pairs(self, pairs: np.ndarray) -> None:
        self._pairs[self._known : self._known + len(pairs)] = pairs
        self._known += len(pairs)

    def plan(self, steps: int) -> None:
        """`steps` Q-learning updates on remembered transitions picked at random."""
        if steps <= 0 or not self._known:
            return
        n_actions = self.shape.n_actions
        alpha, gamma = self.settings.alpha, self.settings.gamma
        kappa = getattr(self.settings, "kappa", 0.0) if self.plus else 0.0
        q = self.q.reshape(-1)  # a view: updates land in self.q
        picks = self._pairs[self.rng.integers(0, self._known, steps)]
        rewards = self.model_reward[picks]
        if kappa:
            rewards = rewards + kappa * np.sqrt(self.time - self.last_tried[picks])
        firsts = np.where(self.model_end[picks], -1, self.model_next[picks] * n_actions)
        for pair, reward, first in zip(
            picks.tolist(), rewards.tolist(), firsts.tolist(), strict=True
        ):
            if first < 0:  # a real end: nothing to bootstrap from
                target = reward
            else:
                target = reward + gamma * max(q[first : first + n_actions].tolist())
            q[pair] += alpha * (target - q[pair])
        self.planning_updates += steps

    def handle_key(self, key: str) -> bool:
        """[ and ] step the number of planning steps n down and up, while it runs."""
        if key not in ("[", "]"):
            return False
        n = self.settings.n
        if key == "]":
            self.settings.n = next((v for v in N_LADDER if v > n), n)
        else:
            self.settings.n = next((v for v in reversed(N_LADDER) if v < n), 0)
        return True

    def status(self) -> list[tuple[str, str]]:
        return [
            ("Planning n", str(self.settings.n)),
            ("Epsilon", f"{self.epsilon:.2f}"),
            ("Model", f"{self._known} pairs"),
        ]

    def diagnostics(self) -> dict[str, float]:
        return {"n": float(self.settings.n)}

    def diagnostic_charts(self) -> list[tuple[str, list[tuple[str, str]]]]:
        return []

    # -- saving: the value table and the model, so planning goes on where it stopped ------

    def meta_to_save(self) -> dict[str, Any]:
        return {**super().meta_to_save(), "time": self.time}

    def arrays_to_save(self) -> dict[str, np.ndarray]:
        """The model's known pairs in the order planning picks them, and what each gave.
        The table is the best check's; the model is the latest, since a model only learns
        more of the maze (on a changing maze, the newest layout)."""
        known = self._pairs[: self._known]
        return {
            **super().arrays_to_save(),
            "model_pairs": known,
            "model_next": self.model_next[known],
            "model_reward": self.model_reward[known],
            "model_end": self.model_end[known].astype(np.uint8),  # weights.npz is numeric
            "model_last_tried": self.last_tried[known],
        }

    @classmethod
    def from_saved(
        cls, meta: dict[str, Any], arrays: dict[str, np.ndarray], settings: Any
    ) -> DynaQ:
        brain = super().from_saved(meta, arrays, settings)
        assert isinstance(brain, DynaQ)
        if any(key.startswith("model_") for key in arrays):  # older brains have no model
            brain._restore_model(meta, arrays)
        return brain

    def _restore_model(self, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        """ValueError naming the first array that does not describe a model of this maze."""
        time = meta.get("time")
        if not isinstance(time, int) or isinstance(time, bool) or not 0 <= time < 2**62:
            raise ValueError(f"brain.json 'time' must be a whole number of steps, got {time!r}")
        names = ("model_pairs", "model_next", "model_reward", "model_end", "model_last_tried")
        missing = [name for name in names if name not in arrays]
        if missing:
            raise ValueError(f"weights.npz has a model without {', '.join(missing)}")
        pairs, nexts, rewards, ends, tried = (arrays[name] for name in names)
        if pairs.ndim != 1:
            raise ValueError("weights.npz array 'model_pairs' must be a list of pairs")
        cells = len(self.model_next)
        count = len(pairs)
        for name in names:
            if arrays[name].shape != (count,):
                raise ValueError(f"weights.npz array {name!r} should hold {count} values")
        for name, array, low, high in (
            ("model_pairs", pairs, 0, cells - 1),
            ("model_next", nexts, 0, self.shape.obs_dim - 1),
            ("model_end", ends, 0, 1),
            ("model_last_tried", tried, 0, time),
        ):
            if array.dtype.kind not in "iu" or (
                count and not low <= array.min() <= array.max() <= high
            ):
                raise ValueError(f"weights.npz array {name!r} must be whole numbers {low}-{high}")
        if len(np.unique(pairs)) != count:
            raise ValueError("weights.npz array 'model_pairs' repeats a state and action")
        self._add_pairs(pairs.astype(np.int64))
        self.model_next[pairs] = nexts
        self.model_reward[pairs] = rewards
        self.model_end[pairs] = ends.astype(bool)
        self.last_tried[pairs] = tried
        self.time = time


class DynaQPlus(DynaQ):
    name = "dyna-q-plus"
    label = "Dyna-Q+"
    Settings = DynaPlusSettings
    plus = True

    def describe(self) -> str:
        return f"{self.label}, n={self.settings.n}, kappa={self.settings.kappa:g}"
