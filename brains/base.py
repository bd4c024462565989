"""The Brain interfaces. Every brain acts the same way; they differ in how they learn.

Brains know a scene only through its spec (sizes and names), never through game/: the
same brain trains on our scenes, on gymnasium environments, or on arrays in a test.

- Evolvers (genetic algorithm, NEAT, random search, hill climbing) learn between
  episodes: `ask()` returns a population policy, row i of the observations being agent i;
  `tell(fitness)` scores that population once every agent's episode has ended.
- Learners (tabular Q-learning, DQN) learn every tick: `act()` explores, `observe()`
  takes the batch of transitions the step produced, `end_episodes()` hears how many
  episodes just ended (exploration schedules count them).
- Planners look ahead in a model: the scene's own tables (dynamic programming) or a copy
  of its simulator (tree search). The arena hands the model over with `attach()`.
"""

from __future__ import annotations

import json
import math
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

import numpy as np


class Policy(Protocol):
    """Anything that maps observations[N, obs_dim] to integer actions[N]."""

    def act(self, observations: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class BrainShape:
    """The sizes a brain is built for, taken from a scene's spec."""

    obs_dim: int
    n_actions: int
    scene: str = ""
    obs_low: tuple[float, ...] | None = None  # bounds of each observation, where known
    obs_high: tuple[float, ...] | None = None
    one_hot: bool = False  # observations are one-hot over discrete states (tabular brains)
    # The scene's mirror symmetry, if it has one (SceneSpec): observations multiplied by
    # these signs, action a played as mirror_actions[a], behave exactly as the originals.
    mirror_signs: tuple[float, ...] | None = None
    mirror_actions: tuple[int, ...] | None = None
    reward_range: tuple[float, float] | None = None  # the least and most one step pays
    # Settings the scene fixes for the brains that play it, as text, (("gamma", "1"), ...): a
    # book's map gives its book's discount or step size. make_brain applies those a brain
    # has; they are not saved as such (the brain's settings, which hold them, are).
    brain_settings: tuple[tuple[str, str], ...] = ()
    # The scene can be copied, so a planner can look ahead in it (not a gymnasium env's).
    copyable: bool = True

    @property
    def family(self) -> str:
        """The scene's family, what defaults are keyed on: "cartpole" for "cartpole" and
        "cartpole:float32", "gridworld" for "gridworld:cliff"."""
        return self.scene.partition(":")[0]


class Brain(ABC):
    """A brain with a name, settings, and a directory it saves to and loads from."""

    name: ClassVar[str]
    kind: ClassVar[str]  # "evolver", "learner" or "planner"

    @abstractmethod
    def champion(self) -> Policy:
        """The best policy found so far, acting greedily for any number of agents."""

    @abstractmethod
    def save(self, directory: Path) -> None:
        """Write settings (JSON) and weights (.npz) into an existing, empty directory."""

    def describe(self) -> str:
        """A short label for the window, e.g. "GA (hidden 8)"."""
        return self.name

    @classmethod
    def supports(cls, shape: BrainShape) -> str | None:
        """Why this brain cannot play a scene of this shape, or None if it can."""
        return None

    @classmethod
    def bytes_per_agent(cls, shape: BrainShape, settings: Any) -> int:
        """An upper estimate of the memory each agent it plays costs: the rows of
        observations, actions and values it is handed and keeps. make_brain refuses a
        population whose total would not fit in the memory that is free."""
        return 16 * 8 * (shape.obs_dim + shape.n_actions)


class Evolver(Brain):
    kind = "evolver"

    @abstractmethod
    def ask(self) -> Policy:
        """The population to evaluate next; it acts for as many agents as its size."""

    @abstractmethod
    def tell(self, fitness: np.ndarray) -> None:
        """Fitness of every member of the last population asked for, then breed the next."""

    @property
    @abstractmethod
    def population_size(self) -> int: ...

    @property
    @abstractmethod
    def generation(self) -> int:
        """Generations told so far."""

    def checked(self, score: float) -> None:
        """The champion, as it is now, scored `score` on a check of fresh episodes. An
        evolver that judges its champion by one lucky episode may take this better
        measure instead; by default the check changes nothing."""


def epsilon_greedy(
    rng: np.random.Generator, greedy: np.ndarray, epsilon: float, n_actions: int
) -> np.ndarray:
    """`greedy` with each action replaced, with probability epsilon, by a random one."""
    actions = greedy.copy()
    explore = rng.random(len(actions)) < epsilon
    actions[explore] = rng.integers(0, n_actions, int(explore.sum()))
    return actions


class GreedyPolicy:
    """A learner's greedy policy, live: it improves as the learner does."""

    def __init__(self, learner: Learner) -> None:
        self.learner = learner

    def act(self, observations: np.ndarray) -> np.ndarray:
        return self.learner.greedy(observations)


@dataclass(frozen=True)
class Transitions:
    """One tick of experience from the agents that were playing: row i is one agent's
    (o, a, r, o', terminated, truncated). A truncated episode was cut by a time limit,
    so its value still bootstraps from o'; a terminated one ended for real. `agents`
    says which agent each row is (None: row i is agent i), so a learner can follow each
    agent's episode across ticks."""

    observations: np.ndarray
    actions: np.ndarray
    rewards: np.ndarray
    next_observations: np.ndarray
    terminated: np.ndarray
    truncated: np.ndarray
    agents: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.actions)


class Learner(Brain):
    kind = "learner"
    envs: int  # agents played at once

    @property
    def population_size(self) -> int:
        return self.envs

    def go_on(self, agents: int, seed: int) -> None:
        """Ready a loaded learner to go on training with `agents` at once and generators
        drawn from `seed`: a learner saves what it learnt, not its agents or its dice.
        Nothing in a learner may be sized by its agents when it is built."""
        self.envs = agents
        self.seed_generators(seed)

    @abstractmethod
    def seed_generators(self, seed: int) -> None:
        """(Re)make every random generator training draws from, from `seed`."""

    @abstractmethod
    def act(self, observations: np.ndarray) -> np.ndarray:
        """Actions while training (exploring); `champion()` is the greedy policy."""

    @abstractmethod
    def greedy(self, observations: np.ndarray) -> np.ndarray:
        """The best actions by what has been learned so far, without exploring."""

    def champion(self) -> GreedyPolicy:
        return GreedyPolicy(self)

    @abstractmethod
    def observe(self, batch: Transitions) -> None:
        """Learn from one tick of transitions."""

    def end_episodes(self, count: int) -> None:
        """`count` episodes just ended."""

    def checked(self, score: float) -> None:
        """The greedy policy, as it is now, scored `score` on a check of fresh episodes. A
        learner may keep its best-checked version to save, as an evolver keeps its
        champion; then `saved_check` says that version's score."""

    def saved_check(self) -> float | None:
        """The check score of the version `save` writes, if that is not the live one."""
        return None

    def status(self) -> list[tuple[str, str]]:
        """Extra counters for the window's top bar, e.g. [("Epsilon", "0.31")]."""
        return []

    def diagnostics(self) -> dict[str, float]:
        """Numbers worth charting over training, e.g. {"loss": 0.02, "epsilon": 0.3}."""
        return {}

    def diagnostic_charts(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """How to chart the diagnostics: [(title, [(key, legend), ...]), ...]."""
        return []


class Planner(Brain):
    kind = "planner"

    @abstractmethod
    def attach(self, model: Any) -> None:
        """The model to plan in: for dynamic programming the scene's transition and reward
        tables, for tree search a scene that can `snapshot()` and `restore()`."""

    @abstractmethod
    def act(self, observations: np.ndarray) -> np.ndarray:
        """Actions for the agents in the state they are in now."""

    def think(self, seconds: float) -> bool:
        """Plan for at most `seconds` (the window slices long work to keep frames short);
        True once planning has nothing left to do."""
        return True


class KeepsBestCheck:
    """For learners that save themselves as they were at their best check: a check that
    ties or beats the best so far (the latest of equals) has `keep_best` copy what `save`
    will write, and is recorded with the counters it returns."""

    best_check: dict[str, Any] | None = None  # {"score": ..., and a counter}

    def checked(self, score: float) -> None:
        if self.best_check is None or score >= self.best_check["score"]:
            self.best_check = {"score": float(score), **self.keep_best()}

    def keep_best(self) -> dict[str, int]:
        """Copy the live version as the one to save; the counters to record with it."""
        raise NotImplementedError

    def saved_check(self) -> float | None:
        return None if self.best_check is None else self.best_check["score"]


def write_brain(
    directory: Path, brain: Any, extra: dict[str, Any], arrays: dict[str, np.ndarray] | None
) -> None:
    """brain.json (what every brain records, then `extra`) and, given arrays, weights.npz."""
    meta = {
        "brain": brain.name,
        "scene": brain.shape.scene,
        "obs_dim": brain.shape.obs_dim,
        "n_actions": brain.shape.n_actions,
        "one_hot": brain.shape.one_hot,
        "settings": asdict(brain.settings),
        **extra,
    }
    if brain.shape.mirror_signs is not None:
        meta["mirror"] = {
            "signs": list(brain.shape.mirror_signs),
            "actions": list(brain.shape.mirror_actions),
        }
    if brain.shape.reward_range is not None:
        meta["reward_range"] = list(brain.shape.reward_range)
    (directory / "brain.json").write_text(json.dumps(meta, indent=2) + "\n")
    if arrays is not None:
        np.savez(directory / "weights.npz", **arrays)


def check_from_meta(meta: dict[str, Any]) -> dict[str, Any] | None:
    """The check a saved learner's brain.json records for what it saved ("checked"), or
    None if it records none a number could come from."""
    checked = meta.get("checked")
    # "mean" in files saved before a check's number could be its worst episode
    score = checked.get("score", checked.get("mean")) if isinstance(checked, dict) else None
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
        return None
    assert isinstance(checked, dict)
    counters = {k: checked.get(k) for k in ("env_steps", "episodes")}
    kept = {k: v for k, v in counters.items() if isinstance(v, int) and v >= 0}
    return {"score": float(score), **kept}


def counter_from_meta(meta: dict[str, Any], key: str) -> int:
    """A count a learner saved (steps, updates, episodes): 0 where brain.json has none (an
    older save). Anything but a whole number of 0 or more is refused: a learner that goes
    on training schedules its exploration and its rate by these."""
    value = meta.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"brain.json: {key} must be a whole number, 0 or more; got {value!r}")
    return value


def fraction_from_meta(meta: dict[str, Any], key: str, default: float) -> float:
    """A rate a learner saved (its epsilon): `default` where brain.json has none, refused
    outside 0 to 1."""
    value = meta.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"brain.json: {key} must be a number from 0 to 1; got {value!r}")
    return float(value)


def shape_from_meta(meta: dict[str, Any]) -> BrainShape:
    """The shape recorded by write_brain (already checked by brains.storage); brains saved
    before it recorded `one_hot`, `mirror` or `reward_range` read as not one-hot, without a
    mirror and without a reward range."""
    one_hot = meta.get("one_hot") is True
    mirror = meta.get("mirror")
    signs = tuple(float(sign) for sign in mirror["signs"]) if mirror else None
    actions = tuple(mirror["actions"]) if mirror else None
    rewards = meta.get("reward_range")
    reward_range = (float(rewards[0]), float(rewards[1])) if rewards else None
    return BrainShape(
        meta["obs_dim"],
        meta["n_actions"],
        meta.get("scene", ""),
        one_hot=one_hot,
        mirror_signs=signs,
        mirror_actions=actions,
        reward_range=reward_range,
    )
