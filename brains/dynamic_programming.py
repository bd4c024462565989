"""Dynamic programming in a known model: iterative policy evaluation, policy iteration and
value iteration (Sutton and Barto 2018, chapter 4).

Each planner works a sweep at a time, so the window can show values spreading from the
goal: `think(seconds)` runs one sweep, then more while `seconds` last, and returns True
once the largest value change of a sweep falls below `theta`. Sweeps are synchronous (the
new values are computed from the old ones, all states at once), as in the book's Figure
4.1. After planning, every agent acts greedily on the one-step look-ahead
Q(s, a) = sum p (r + gamma V(s')), breaking ties between equal actions at random: always
taking the first of equal actions pins an agent against a wall.

- `policy-evaluation` evaluates the equiprobable random policy, then acts greedily on its
  values (Figure 4.1's right-hand column: on the 4x4 gridworld that is already optimal).
- `policy-iteration` evaluates the current policy (starting from the random one) until
  converged, improves it greedily, and stops when an improvement changes nothing.
- `value-iteration` backs up the best action in every sweep.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from brains.base import BrainShape, Planner, shape_from_meta, write_brain
from brains.greedy import greedy_actions, near_best, states_of
from brains.tabular_model import TabularModel


@dataclass
class DPSettings:
    gamma: float = 0.95  # discount; the 4x4 gridworld of Example 4.1 is undiscounted (1)
    theta: float = 1e-6  # converged when no value changes by this much in a sweep
    max_sweeps: int = 100_000  # a safety stop (gamma 1 with a policy that never ends)

    def check(self) -> str | None:
        if not 0 <= self.gamma <= 1:
            return f"gamma must be between 0 and 1, got {self.gamma}"
        if self.theta <= 0:
            return f"theta must be above 0, got {self.theta}"
        if self.max_sweeps < 1:
            return f"max_sweeps must be 1 or more, got {self.max_sweeps}"
        return None


class TablePolicy:
    """Greedy play from a table of action values, ties broken at random."""

    def __init__(self, q: np.ndarray, seed: int) -> None:
        self.q = q
        self.rng = np.random.default_rng(seed)

    def act(self, observations: np.ndarray) -> np.ndarray:
        return greedy_actions(self.q[states_of(observations)], self.rng)


class DynamicProgramming(Planner):
    """What the three share: the model, the values, sweeps and their bookkeeping."""

    Settings = DPSettings
    default_population = 1
    wants_tables: ClassVar[bool] = True  # the arena attaches the scene's tabular model
    paced: ClassVar[bool] = True  # in the window, one sweep per animation step

    def __init__(
        self, shape: BrainShape, population: int, seed: int, settings: DPSettings | None = None
    ) -> None:
        self.settings = settings or DPSettings()
        self.shape = shape
        self.population_size = population
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.model: TabularModel | None = None
        self.values = np.zeros(shape.obs_dim)
        self.q = np.zeros((shape.obs_dim, shape.n_actions))
        self.sweeps = 0
        self.delta = float("inf")  # the largest value change of the last sweep
        self.converged = False

    @classmethod
    def supports(cls, shape: BrainShape) -> str | None:
        return None if shape.one_hot else "it plans in a gridworld's tables; this scene has none"

    def describe(self) -> str:
        return f"{self.short or self.label} (gamma {self.settings.gamma:g})"

    label: ClassVar[str] = ""
    short: ClassVar[str] = ""

    def attach(self, model: Any) -> None:
        """Plan in `model` (a TabularModel). Attached again after the maze changes, the
        values so far are kept as the starting point."""
        if not isinstance(model, TabularModel):
            raise TypeError(f"{self.name} plans in a TabularModel, got {type(model).__name__}")
        if model.n_states != len(self.values) or model.n_actions != self.q.shape[1]:
            raise ValueError(
                f"{self.name}: the model has {model.n_states} states and {model.n_actions} "
                f"actions, the brain was built for {len(self.values)} and {self.q.shape[1]}"
            )
        self.model = model
        self.converged = False
        self.delta = float("inf")
        self.restart()

    def restart(self) -> None:
        """Set up planning in a newly attached model."""

    def think(self, seconds: float) -> bool:
        if self.converged or self.model is None:
            return self.converged
        deadline = time.perf_counter() + seconds
        while True:
            self.sweep()
            self.sweeps += 1
            if self.sweeps >= self.settings.max_sweeps:
                self.converged = True
            if self.converged or time.perf_counter() >= deadline:
                return self.converged

    def sweep(self) -> None:
        raise NotImplementedError

    def _backup(self, new_values: np.ndarray) -> float:
        """Take the new values (walls and terminal states stay 0); the largest change."""
        assert self.model is not None
        new_values[self.model.terminal | ~self.model.valid] = 0.0
        delta = float(np.max(np.abs(new_values - self.values)))
        self.values = new_values
        self.delta = delta
        return delta

    def _lookahead(self) -> np.ndarray:
        assert self.model is not None
        return self.model.q_from_v(self.values, self.settings.gamma)

    def act(self, observations: np.ndarray) -> np.ndarray:
        return greedy_actions(self.q[states_of(observations)], self.rng)

    def champion(self) -> TablePolicy:
        return TablePolicy(self.q, self.seed)

    def status(self) -> list[tuple[str, str]]:
        change = "-" if self.delta == float("inf") else f"{self.delta:.3g}"
        return [("Sweeps", str(self.sweeps)), ("Largest change", change)]

    def tables(self) -> dict[str, np.ndarray]:
        """What the view draws: state values and action values."""
        return {"values": self.values, "q": self.q}

    def values_grid(self) -> list[list[float | None]] | None:
        """The state values, one list per map row, None for walls."""
        return None if self.model is None else self.model.grid(self.values)

    def save(self, directory: Path) -> None:
        extra = {"sweeps": self.sweeps, "converged": self.converged}
        write_brain(directory, self, extra, {"values": self.values, "q": self.q})

    @classmethod
    def from_saved(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray], settings: DPSettings):
        shape = shape_from_meta(meta)
        shape = BrainShape(shape.obs_dim, shape.n_actions, shape.scene, one_hot=True)
        expected = {"values": (shape.obs_dim,), "q": (shape.obs_dim, shape.n_actions)}
        for key, size in expected.items():
            if key not in arrays or arrays[key].shape != size:
                got = arrays[key].shape if key in arrays else "nothing"
                raise ValueError(f"weights.npz array {key!r} should be {size}, got {got}")
        brain = cls(shape, population=1, seed=0, settings=settings)
        brain.values = arrays["values"].astype(np.float64)
        brain.q = arrays["q"].astype(np.float64)
        sweeps = meta.get("sweeps")
        brain.sweeps = sweeps if isinstance(sweeps, int) and not isinstance(sweeps, bool) else 0
        brain.converged = True  # a saved planner has done its planning
        return brain


class ValueIteration(DynamicProgramming):
    name = "value-iteration"
    label = "Value iteration"

    def sweep(self) -> None:
        self.q = self._lookahead()  # of the values before this sweep: one look-ahead a sweep
        if self._backup(self.q.max(axis=1)) < self.settings.theta:
            self.converged = True
            self.q = self._lookahead()


class PolicyEvaluation(DynamicProgramming):
    """Evaluates the equiprobable random policy (Example 4.1), then acts greedily on it."""

    name = "policy-evaluation"
    label = "Policy evaluation (random policy)"
    short = "Policy evaluation"

    def sweep(self) -> None:
        self.q = self._lookahead()
        if self._backup(self.q.mean(axis=1)) < self.settings.theta:
            self.converged = True
            self.q = self._lookahead()


EXACT_AFTER = 500  # evaluation sweeps before an unsettled evaluation is solved exactly
EXACT_STATES = 2_500  # cells, at most, for the exact solve (a dense system of that size)


class PolicyIteration(DynamicProgramming):
    """Evaluation sweeps until the values settle, then one greedy improvement; done when
    an improvement leaves the policy as it was. A state's action changes only for a
    strictly better one, so equal actions cannot make it cycle forever.

    An evaluation that has not settled after EXACT_AFTER sweeps is finished exactly, by
    solving V = R_pi + gamma P_pi V (on maps of up to EXACT_STATES cells): undiscounted,
    the random policy it starts from on the cliff takes tens of thousands of steps to
    cross, and its values would creep toward theirs for longer than max_sweeps. The
    first sweeps still show the values spreading."""

    name = "policy-iteration"
    label = "Policy iteration"

    def restart(self) -> None:
        n, a = self.q.shape
        self.policy = np.full((n, a), 1.0 / a)  # start from the equiprobable random policy
        self.improvements = 0
        self.evaluating = 0  # sweeps of the evaluation under way

    def sweep(self) -> None:
        self.q = self._lookahead()
        values = (self.q * self.policy).sum(axis=1)
        self.evaluating += 1
        exact = self.evaluating >= EXACT_AFTER and self._exact_values()
        if exact is not False:
            values = exact
        if self._backup(values) < self.settings.theta or exact is not False:
            self.q = self._lookahead()
            self._improve()
            self.evaluating = 0

    def _exact_values(self) -> np.ndarray | bool:
        """The policy's values from a linear solve, or False where the map is too large
        or the policy never ends an episode from some state (the system is singular)."""
        model = self.model
        assert model is not None
        if model.n_states > EXACT_STATES:
            return False
        p, r = model.dense()
        live = model.valid & ~model.terminal
        p_pi = np.einsum("sa,sat->st", self.policy, p)[np.ix_(live, live)]
        r_pi = np.einsum("sa,sat,sat->s", self.policy, p, r)[live]
        try:
            solved = np.linalg.solve(np.eye(int(live.sum())) - self.settings.gamma * p_pi, r_pi)
        except np.linalg.LinAlgError:
            return False
        if not np.all(np.isfinite(solved)):
            return False
        values = np.zeros(model.n_states)
        values[live] = solved
        return values

    def _improve(self) -> None:
        q = self.q
        current = self.policy.argmax(axis=1)
        deterministic = bool(np.all(self.policy.max(axis=1) == 1.0))
        keep = deterministic & near_best(q[np.arange(len(q)), current], q.max(axis=1))
        chosen = np.where(keep, current, greedy_actions(q, self.rng))
        new_policy = np.zeros_like(self.policy)
        new_policy[np.arange(len(q)), chosen] = 1.0
        self.improvements += 1
        if np.array_equal(new_policy, self.policy):
            self.converged = True
        self.policy = new_policy

    def status(self) -> list[tuple[str, str]]:
        return [*super().status(), ("Improvements", str(getattr(self, "improvements", 0)))]
