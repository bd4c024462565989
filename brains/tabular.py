"""Tabular learners on discrete states: Q-learning and SARSA (Sutton and Barto 2018, chapter 6).

The state is the index of a one-hot observation (a gridworld cell), so the table has one
row per state and nothing is binned. That is the difference from `q-table`, which runs
the same Q-learning update on continuous observations cut into bins (CartPole): the two
share the update but not the state space, the defaults (the book's constant epsilon 0.1
here, a decaying one there) or what they can play, so they are two brains.

Exploration is epsilon-greedy with ties between equal actions broken at random (an agent
that always takes the first of equal actions walks into the same wall forever at the
start, when every value is 0). Updates never bootstrap past a real end and do through a
time limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from brains.base import (
    BrainShape,
    KeepsBestCheck,
    Learner,
    Transitions,
    check_from_meta,
    counter_from_meta,
    epsilon_greedy,
    fraction_from_meta,
    shape_from_meta,
    write_brain,
)
from brains.greedy import greedy_actions, states_of


def td_update(
    q: np.ndarray,
    s: np.ndarray,
    a: np.ndarray,
    r: np.ndarray,
    terminated: np.ndarray,
    next_value: np.ndarray,
    alpha: float,
    gamma: float,
) -> None:
    """Q(s,a) += alpha (r + gamma next_value - Q(s,a)), with no future past a real end;
    repeated (s, a) pairs in one batch each add their share."""
    future = np.where(terminated, 0.0, next_value)
    np.add.at(q, (s, a), alpha * (r + gamma * future - q[s, a]))


def decayed_epsilon(epsilon: float, settings: Any, episodes: int) -> float:
    """Epsilon after `episodes` more episodes of multiplicative decay, floored."""
    return max(settings.epsilon_min, epsilon * settings.epsilon_decay**episodes)


@dataclass
class TabularSettings:
    alpha: float = 0.1  # step size
    gamma: float = 0.95  # discount (the book's for the Dyna mazes)
    epsilon: float = 0.1  # exploration, constant as in the book unless it decays
    epsilon_decay: float = 1.0  # multiplies epsilon after every episode; 1 keeps it constant
    epsilon_min: float = 0.0
    initial: float = 0.0  # starting action value; above the real values it explores

    def check(self) -> str | None:
        if not 0 < self.alpha <= 1:
            return f"alpha must be in (0, 1], got {self.alpha}"
        for key in ("gamma", "epsilon", "epsilon_decay", "epsilon_min"):
            if not 0 <= getattr(self, key) <= 1:
                return f"{key} must be between 0 and 1, got {getattr(self, key)}"
        return None


class KeepsBestTable(KeepsBestCheck):
    """For learners whose table is all they save: the table of the best check so far is
    what `save` writes, so a run that unlearns still saves what it knew, as a DQN saves
    its best-checked network."""

    q: np.ndarray
    episodes: int
    _best_q: np.ndarray | None = None

    def keep_best(self) -> dict[str, int]:
        self._best_q = self.q.copy()
        return {"episodes": self.episodes}

    def table_to_save(self) -> np.ndarray:
        return self.q if self._best_q is None else self._best_q

    def keep_loaded_table(self, meta: dict[str, Any]) -> None:
        """After loading: the table loaded is the one that scored the check it records."""
        self.best_check = check_from_meta(meta)
        self._best_q = None if self.best_check is None else self.q.copy()


class TabularLearner(KeepsBestTable, Learner):
    """A table of action values, epsilon-greedy play, saving and loading."""

    Settings: ClassVar[type] = TabularSettings
    default_population = 1
    label: ClassVar[str] = ""

    def __init__(self, shape: BrainShape, population: int, seed: int, settings: Any = None) -> None:
        self.settings = settings or self.Settings()
        self.shape = shape
        self.envs = population
        self.q = np.full((shape.obs_dim, shape.n_actions), float(self.settings.initial))
        self.epsilon = self.settings.epsilon
        self.episodes = 0
        self.updates = 0
        self.seed_generators(seed)

    def seed_generators(self, seed: int) -> None:
        explore, ties = np.random.SeedSequence(seed).spawn(2)
        self.rng = np.random.default_rng(explore)
        self._ties = np.random.default_rng(ties)  # greedy checks never disturb training

    @classmethod
    def supports(cls, shape: BrainShape) -> str | None:
        if shape.one_hot:
            return None
        return "it needs discrete states (a gridworld); for CartPole use q-table"

    def describe(self) -> str:
        return self.label

    states = staticmethod(states_of)

    def greedy(self, observations: np.ndarray) -> np.ndarray:
        return greedy_actions(self.q[self.states(observations)], self._ties)

    def _explore(self, states: np.ndarray) -> np.ndarray:
        greedy = greedy_actions(self.q[states], self.rng)
        return epsilon_greedy(self.rng, greedy, self.epsilon, self.shape.n_actions)

    def act(self, observations: np.ndarray) -> np.ndarray:
        return self._explore(self.states(observations))

    def _q_update(self, s, a, r, s_next, terminated, next_value) -> None:
        td_update(self.q, s, a, r, terminated, next_value, self.settings.alpha, self.settings.gamma)
        self.updates += len(s)

    def end_episodes(self, count: int) -> None:
        s = self.settings
        self.episodes += count
        self.epsilon = decayed_epsilon(self.epsilon, s, count)

    def status(self) -> list[tuple[str, str]]:
        return [("Epsilon", f"{self.epsilon:.2f}")]

    def tables(self) -> dict[str, np.ndarray]:
        """What the gridworld view draws."""
        return {"values": self.q.max(axis=1), "q": self.q}

    def save(self, directory: Path) -> None:
        write_brain(directory, self, self.meta_to_save(), self.arrays_to_save())

    def meta_to_save(self) -> dict[str, Any]:
        """Counters for brain.json."""
        return {
            "episodes": self.episodes,
            "epsilon": self.epsilon,
            "updates": self.updates,
            "checked": self.best_check,
        }

    def arrays_to_save(self) -> dict[str, np.ndarray]:
        """What weights.npz holds."""
        return {"q": self.table_to_save()}

    @classmethod
    def from_saved(
        cls, meta: dict[str, Any], arrays: dict[str, np.ndarray], settings: Any
    ) -> TabularLearner:
        shape = shape_from_meta(meta)
        shape = BrainShape(shape.obs_dim, shape.n_actions, shape.scene, one_hot=True)
        expected = (shape.obs_dim, shape.n_actions)
        if "q" not in arrays or arrays["q"].shape != expected:
            got = arrays["q"].shape if "q" in arrays else "nothing"
            raise ValueError(f"weights.npz array 'q' should be {expected}, got {got}")
        brain = cls(shape, population=1, seed=0, settings=settings)
        brain.q = arrays["q"].astype(np.float64)
        brain.episodes = counter_from_meta(meta, "episodes")
        brain.updates = counter_from_meta(meta, "updates")
        brain.epsilon = fraction_from_meta(meta, "epsilon", brain.epsilon)
        brain.keep_loaded_table(meta)
        return brain


class QLearning(TabularLearner):
    """Watkins' Q-learning: off-policy, bootstraps from the best next action."""

    name = "q-learning"
    label = "Q-learning"

    def observe(self, batch: Transitions) -> None:
        if not len(batch):
            return
        s, s_next = self.states(batch.observations), self.states(batch.next_observations)
        self._q_update(
            s, batch.actions, batch.rewards, s_next, batch.terminated, self.q[s_next].max(axis=1)
        )


class Sarsa(TabularLearner):
    """SARSA: on-policy, bootstraps from the action it will really take next. That action
    is chosen here, from s', and handed out by the next act() for the agent still in s'."""

    name = "sarsa"
    label = "SARSA"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._next: tuple[np.ndarray, np.ndarray] | None = None  # (states, actions) per row

    def observe(self, batch: Transitions) -> None:
        if not len(batch):
            return
        s, s_next = self.states(batch.observations), self.states(batch.next_observations)
        a_next = self._explore(s_next)
        self._q_update(
            s, batch.actions, batch.rewards, s_next, batch.terminated, self.q[s_next, a_next]
        )
        self._next = (s_next, a_next)

    def act(self, observations: np.ndarray) -> np.ndarray:
        states = self.states(observations)
        actions = self._explore(states)
        if self._next is not None and len(self._next[0]) == len(states):
            # Agents that went on from s' take the a' their update was made with; agents
            # that started a new episode (another state) keep a fresh choice.
            same = self._next[0] == states
            actions[same] = self._next[1][same]
        self._next = None
        return actions
