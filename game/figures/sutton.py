"""Figures of Sutton and Barto, Reinforcement Learning: An Introduction (2nd edition, 2018).

Each runs the app's own brains on the app's own maps (assets/maps/), which carry the
book's settings where the book gives them (the discount, step size and exploration of
each example); where the book names none, the figure says what it chose and why.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from brains.registry import make_brain
from game.arena import Budget, brain_shape
from game.figures.base import Figure, FigureRun, Measure, RaceRun, first_at_most
from game.scenes import make_scene

BOOK = "Sutton and Barto (2018)"


# -- Figure 4.1: iterative policy evaluation ----------------------------------------------

SWEEPS_SHOWN = {0: "k=0", 1: "k=1", 2: "k=2", 3: "k=3", 10: "k=10"}


class PolicyEvaluationRun:
    """Synchronous sweeps of the random policy's values, one a tick, until they settle;
    the values are kept after the sweeps the book shows."""

    def __init__(self, scene_key: str) -> None:
        self.scene = make_scene(scene_key, 1)
        self.scene.reset(0)
        self.brain = make_brain("policy-evaluation", brain_shape(scene_key), None, 0)
        self.brain.attach(self.scene.tabular_model())
        self.kept: dict[str, list[float]] = {"k=0": list(self.brain.values)}

    @property
    def env_steps(self) -> int:
        return 0

    def progress(self) -> tuple[str, str]:
        return "Sweeps", str(self.brain.sweeps)

    def step(self) -> bool:
        if not self.brain.think(0.0):  # one sweep
            label = SWEEPS_SHOWN.get(self.brain.sweeps)
            if label:
                self.kept[label] = list(self.brain.values)
            return False
        self.kept["k=inf"] = list(self.brain.values)
        return True

    def result(self) -> dict[str, list[float]]:
        return dict(self.kept)


class Figure4_1(Figure):
    name = "sutton-4.1"
    title = "Figure 4.1: the random policy's values, sweep by sweep"
    source = (
        f"{BOOK}, Figure 4.1 (Example 4.1: the 4x4 gridworld, undiscounted, every move "
        "costs 1): iterative policy evaluation of the equiprobable random policy"
    )
    x_label = "state (cells row by row; 0 and 15 are terminal)"
    y_label = "value v_k(s) of the random policy"
    default_runs = 1  # deterministic: one run is the figure
    grid = (4, 4)  # the PNG shows a table of values per k, as the book does
    window_speed = "1"  # a sweep a tick: the values spread at a pace the eye follows
    scene_key = "gridworld:sutton-4x4"
    labels = ("k=0", "k=1", "k=2", "k=3", "k=10", "k=inf")

    def x(self) -> list[float]:
        return [float(s) for s in range(16)]

    def start(self, seeds: list[int]) -> FigureRun:
        return PolicyEvaluationRun(self.scene_key)

    def series(self, partial: dict[str, list[float]] | None = None) -> dict[str, list[float]]:
        return dict(self.results[-1]) if self.results else {}

    def measures(self) -> list[Measure]:
        return [
            Measure(
                "v_k of the cell beside a corner (state 1), k = 1, 2, 3, 10",
                "-1.0, -1.7, -2.4, -6.1",
                lambda d: ", ".join(f"{d.series[k][1]:.3f}" for k in ("k=1", "k=2", "k=3", "k=10")),
            ),
            Measure(
                "v_inf, states 1, 2, 3, 5, 6",
                "-14, -20, -22, -18, -20",
                lambda d: ", ".join(f"{d.series['k=inf'][s]:.2f}" for s in (1, 2, 3, 5, 6)),
            ),
        ]


# -- Figures 6.4, 8.2, 8.4 and 8.5: learners racing on a maze ------------------------------


class RaceFigure(Figure):
    """A figure whose run is a race of brains on one map for a fixed budget."""

    brains: tuple[str, ...]
    budget: Budget

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if hasattr(cls, "brains"):
            cls.labels = cls.brains  # each brain, as written, labels its curve

    def start(self, seeds: list[int]) -> FigureRun:
        return RaceRun(self.scene_key, self.brains, seeds[0], self.budget, self.run_series)

    def run_series(self, run: RaceRun) -> dict[str, list[float]]:
        raise NotImplementedError


class Figure6_4(RaceFigure):
    name = "sutton-6.4"
    title = "Figure 6.4: Cliff Walking, SARSA against Q-learning"
    source = (
        f"{BOOK}, Figure 6.4 (Example 6.6): epsilon-greedy, epsilon 0.1, undiscounted; "
        "step size 0.5 and 50 runs of S. Zhang's code for the figure (the text names neither)"
    )
    x_label = "episode"
    y_label = "sum of rewards during episode"
    default_runs = 50
    scene_key = "gridworld:cliff"
    brains = ("sarsa", "q-learning")
    y_limits = (-100.0, -15.0)  # the book's: the first episodes' -1,000s would flatten the rest
    episodes = 500
    budget = Budget(max_episodes=500)

    def x(self) -> list[float]:
        return [float(e) for e in range(1, self.episodes + 1)]

    def run_series(self, run: RaceRun) -> dict[str, list[float]]:
        return {label: log.returns[: self.episodes] for label, log in run.logged().items()}

    def measures(self) -> list[Measure]:
        def late(label: str) -> Any:
            return lambda d: f"{np.mean(d.series[label][-100:]):.1f}"

        return [
            Measure("SARSA, mean of episodes 401-500", "about -25", late("sarsa")),
            Measure("Q-learning, mean of episodes 401-500", "about -50", late("q-learning")),
        ]


class Figure8_2(RaceFigure):
    name = "sutton-8.2"
    title = "Figure 8.2: Dyna-Q on the Dyna Maze, 0, 5 and 50 planning steps"
    source = (
        f"{BOOK}, Figure 8.2 (Example 8.1): gamma 0.95, step size 0.1, epsilon 0.1, "
        "values starting at 0, 50 episodes averaged over 30 repetitions"
    )
    x_label = "episode"
    y_label = "steps per episode"
    default_runs = 30
    scene_key = "gridworld:dyna-maze"
    brains = ("dyna-q:n=0", "dyna-q:n=5", "dyna-q:n=50")
    y_limits = (0.0, 800.0)  # the book's
    budget = Budget(max_episodes=50)
    FIRST_SHOWN = 2  # the book starts its x axis at episode 2: the first is ~1,700 steps for all
    NEAR_BEST = 25  # the shortest path is 14 steps; epsilon-greedy play and detours add some

    def x(self) -> list[float]:
        return [float(e) for e in range(self.FIRST_SHOWN, 51)]

    def run_series(self, run: RaceRun) -> dict[str, list[float]]:
        return {
            label: [float(n) for n in log.lengths[self.FIRST_SHOWN - 1 : 50]]
            for label, log in run.logged().items()
        }

    def measures(self) -> list[Measure]:
        def first(label: str) -> Any:
            def read(d: Any) -> str:
                at = first_at_most(d.series[label], self.NEAR_BEST)
                return "-" if at is None else str(at + self.FIRST_SHOWN - 1)

            return read

        return [
            Measure(
                f"n=0: first episode of {self.NEAR_BEST} steps or fewer (mean)",
                "about 25",
                first("dyna-q:n=0"),
            ),
            Measure("n=5: the same", "about 5", first("dyna-q:n=5")),
            Measure("n=50: the same", "about 3", first("dyna-q:n=50")),
        ]


class CumulativeRewardFigure(RaceFigure):
    """Dyna-Q against Dyna-Q+ on a maze that changes: cumulative reward against time steps."""

    x_label = "time steps"
    y_label = "cumulative reward"
    steps: int
    change_at: int
    EVERY = 10  # time steps between points of the curves

    def x(self) -> list[float]:
        return [float(t) for t in range(0, self.steps + 1, self.EVERY)]

    def run_series(self, run: RaceRun) -> dict[str, list[float]]:
        series = {}
        for label, log in run.logged().items():
            grid = np.arange(0, min(self.steps, log.env_steps) + 1, self.EVERY)
            # Reward comes only at the goal: the sum so far steps up at each episode's end.
            totals = np.cumsum(log.returns)
            count = np.searchsorted(np.array(log.ends), grid, side="right")
            series[label] = [float(totals[c - 1]) if c else 0.0 for c in count]
        return series

    def measures(self) -> list[Measure]:
        at_change = self.change_at // self.EVERY

        def gain(label: str) -> Any:
            return lambda d: f"{d.series[label][-1] - d.series[label][at_change]:.0f}"

        def total(label: str) -> Any:
            return lambda d: f"{d.series[label][-1]:.0f}"

        q, plus = self.brains
        return [
            Measure(
                f"Dyna-Q, reward after the change (steps {self.change_at}-{self.steps})",
                "below Dyna-Q+",
                gain(q),
            ),
            Measure("Dyna-Q+, the same", "above Dyna-Q", gain(plus)),
            Measure(f"Dyna-Q, cumulative reward at {self.steps}", "below Dyna-Q+", total(q)),
            Measure(f"Dyna-Q+, cumulative reward at {self.steps}", "above Dyna-Q", total(plus)),
        ]


# The book names no planning steps, step size or kappa for Figures 8.4 and 8.5; these are
# those of S. Zhang's code for the two figures. Moves there are sure, so a step size of 1
# learns a move from one try; both agents get the same n and step size, so the curiosity
# bonus is the only difference between them.


class Figure8_4(CumulativeRewardFigure):
    name = "sutton-8.4"
    title = "Figure 8.4: the Blocking Maze, Dyna-Q against Dyna-Q+"
    source = (
        f"{BOOK}, Figure 8.4 (Example 8.2): the short way is blocked after 1,000 steps. The "
        "book names no settings; S. Zhang's code for the figure: 10 planning steps, step "
        "size 1, kappa 0.0001, 20 runs"
    )
    default_runs = 20
    scene_key = "gridworld:blocking-maze"
    brains = ("dyna-q:n=10,alpha=1", "dyna-q-plus:n=10,alpha=1,kappa=0.0001")
    steps, change_at = 3000, 1000
    budget = Budget(max_steps=3000)


class Figure8_5(CumulativeRewardFigure):
    name = "sutton-8.5"
    title = "Figure 8.5: the Shortcut Maze, Dyna-Q against Dyna-Q+"
    source = (
        f"{BOOK}, Figure 8.5 (Example 8.3): a shortcut opens after 3,000 steps. The book "
        "names no settings; S. Zhang's code for the figure: 50 planning steps, step size 1, "
        "kappa 0.001 (and 5 runs, where 20 are taken here for a smoother curve)"
    )
    default_runs = 20
    scene_key = "gridworld:shortcut-maze"
    brains = ("dyna-q:n=50,alpha=1", "dyna-q-plus:n=50,alpha=1,kappa=0.001")
    steps, change_at = 6000, 3000
    budget = Budget(max_steps=6000)
