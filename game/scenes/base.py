"""The Scene interface: N agents in NumPy arrays, advanced together in one call.

Scenes are pure simulations. They never import pygame, so they run headless at full
speed and can be copied (snapshot/restore) by planners that look ahead.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

import numpy as np


class SceneError(ValueError):
    """A scene key that names no scene that can be built (a bad map, an unknown
    environment); the message is one line that says what and where."""


@dataclass(frozen=True)
class SceneSpec:
    """What a brain needs to know about a scene to act in it."""

    name: str
    obs_names: tuple[str, ...]
    obs_low: tuple[float, ...]
    obs_high: tuple[float, ...]
    action_meanings: tuple[str, ...]
    reward_range: tuple[float, float] | None  # the least and most one step pays, if known
    score_name: str  # what one point of score means, e.g. "pipes"
    episode_name: str = "episode"  # what one episode is called, e.g. "course"
    one_hot: bool = False  # observations are one-hot over discrete states (a gridworld)
    # A mirror symmetry, if the scene has one: the world behaves the same when every
    # observation is multiplied by its sign here and action a becomes mirror_actions[a]
    # (CartPole seen in a mirror: every quantity changes sign, left and right swap).
    mirror_signs: tuple[float, ...] | None = None
    mirror_actions: tuple[int, ...] | None = None
    # Settings the scene fixes for the brains that play it, as text: (("gamma", "1"), ...)
    # (a book's map gives its book's discount, step size, exploration).
    brain_settings: tuple[tuple[str, str], ...] = ()
    # The scene can be copied (snapshot, make_lanes), so a planner can look ahead in it.
    copyable: bool = True

    @property
    def obs_dim(self) -> int:
        return len(self.obs_names)

    @property
    def n_actions(self) -> int:
        return len(self.action_meanings)


@dataclass(frozen=True)
class SolveRule:
    """ "Solved": the greedy policy scores at least `threshold` on `episodes` fresh episodes.

    With `every_episode` each episode must reach the threshold; otherwise their mean must.
    """

    episodes: int
    threshold: float
    every_episode: bool

    def judge(self, scores: np.ndarray) -> bool:
        if self.every_episode:
            return bool(np.all(scores >= self.threshold))
        return bool(np.mean(scores) >= self.threshold)

    def describe(self) -> str:
        how = "on each of" if self.every_episode else "on average over"
        return f"score >= {self.threshold:g} {how} {self.episodes} fresh episodes"


class Scene(ABC):
    """N agents stepped together. Agents that are done stay done until `reset`."""

    spec: SceneSpec
    solve_rule: SolveRule
    # True where the agents still playing always share one score and scores never fall
    # (Flappy's birds pass the same pipes at the same tick, on any course). The first
    # episode to end then has the lowest score of all, so a check under an every-episode
    # rule knows its verdict and its worst episode at its first failure, and stops there.
    scores_rise_together = False

    def __init__(self, n: int) -> None:
        if n < 1:
            raise ValueError(f"a scene needs at least one agent, got {n}")
        self.n = n
        self.alive = np.zeros(n, dtype=bool)
        self.returns = np.zeros(n, dtype=np.float64)  # sum of rewards this episode
        self.scores = np.zeros(n, dtype=np.int64)  # the game's own score this episode
        self.steps = np.zeros(n, dtype=np.int64)  # steps survived this episode

    @abstractmethod
    def reset(self, seed: int | None = None) -> None:
        """Start a new episode for every agent."""

    @abstractmethod
    def step(self, actions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Advance every living agent one tick: (rewards, terminated, truncated), each [N].

        terminated/truncated are True only on the tick an agent's episode ends.
        """

    def living(self) -> np.ndarray:
        """Indices of the agents whose episodes go on."""
        return np.flatnonzero(self.alive)

    @abstractmethod
    def observe(self, agents: np.ndarray | None = None) -> np.ndarray:
        """float32[N, obs_dim], a fresh array; rows of agents that are done mean nothing.
        Given `agents` (indices), the rows of those agents alone: a population with few
        birds left alive is observed at the cost of the few."""

    @abstractmethod
    def snapshot(self) -> Any:
        """A copy of the whole state, independent of later steps."""

    @abstractmethod
    def restore(self, snapshot: Any) -> None:
        """Go back to a state returned by `snapshot`."""

    def make_lanes(self, n: int) -> Scene:
        """A new scene of the same kind and settings with `n` agents, for a planner's
        private rollouts; fill it with `load_lanes`. It has no time limit: a limit cuts
        an episode short but is not the game ending, and a planner that sees it stops
        caring how the agent fares just past it. Scenes that cannot say no."""
        raise NotImplementedError(f"{type(self).__name__} cannot make lanes")

    def load_lanes(self, snapshot: Any, agents: np.ndarray) -> None:
        """Agent i of this scene takes the state of agent `agents[i]` in `snapshot`, a
        snapshot of a scene of the same kind and any size; `len(agents)` must be `n`.
        One agent loaded into many lanes is how a tree search runs its rollouts at once."""
        raise NotImplementedError(f"{type(self).__name__} cannot load lanes")

    @property
    def all_done(self) -> bool:
        return not np.count_nonzero(self.alive)  # a C call: ndarray.any() costs 4 times more
