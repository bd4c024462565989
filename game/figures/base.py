"""What every figure shares: runs that advance a tick at a time, and their average.

A figure is a number of runs of one experiment, each on its own seed (seed, seed + 1, ...).
A run advances one tick per `step()`, so the window can draw it as it goes and a headless
run can loop it as fast as it can; once done, it hands over its series, one list per
label, all on the figure's x axis. The figure averages the runs done so far (a histogram
figure counts them instead), and that average is what the JSON line, the PNG and the
window's chart show.

Runs of learners are races (game/compare.py) that use their whole budget: a figure charts
a fixed number of episodes or steps for every method, not the time each took to solve.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import numpy as np

from brains.registry import make_brain
from game.arena import Arena, Budget, Callback, brain_shape
from game.compare import CompareArena


@dataclass(frozen=True)
class FigureData:
    """A figure as numbers: what the JSON line holds and the PNG plots."""

    figure: str
    runs: int
    x_label: str
    y_label: str
    x: list[float]
    series: dict[str, list[float]]

    def to_json(self) -> dict[str, Any]:
        return {
            "figure": self.figure,
            "runs": self.runs,
            "x_label": self.x_label,
            "y_label": self.y_label,
            "x": [_plain(v) for v in self.x],
            "series": {k: [_plain(v) for v in values] for k, values in self.series.items()},
        }


def _plain(value: float) -> float | int | None:
    """A JSON-friendly number: whole numbers as ints, 4 decimals otherwise (NaN: null)."""
    if not math.isfinite(value):
        return None
    return int(value) if float(value).is_integer() else round(float(value), 4)


def counted(count: int, unit: str) -> str:
    """ "1 run", "30 runs", "1,000 trials"."""
    return f"{count:,} {unit}{'' if count == 1 else 's'}"


class FigureRun(Protocol):
    """One run of a figure's experiment, advanced a tick at a time."""

    scene: Any  # what the window draws while the run goes on
    brain: Any  # the brain the view may draw tables of (a gridworld's values), or None

    def step(self) -> bool:
        """One tick; True once the run is done."""

    def result(self) -> dict[str, list[float]]:
        """The run's series so far, one list per label."""

    def progress(self) -> tuple[str, str]:
        """How far the run has got, for the window's top bar: ("Episodes", "120/500")."""

    @property
    def env_steps(self) -> int: ...


@dataclass(frozen=True)
class Measure:
    """One number the README and the table set beside the book's: what it is, the
    book's value (in words where the book gives a picture), and how to read ours."""

    what: str
    book: str
    ours: Any  # (FigureData) -> str


class Figure(ABC):
    """A figure of a book or blog the app teaches, reproduced by real runs."""

    name: ClassVar[str]
    title: ClassVar[str]
    source: ClassVar[str]  # where the figure is, and where its settings come from
    x_label: ClassVar[str]
    y_label: ClassVar[str]
    default_runs: ClassVar[int]
    scene_key: ClassVar[str]  # the scene its runs play, drawn in the window
    labels: ClassVar[tuple[str, ...]]
    trials_per_run: ClassVar[int] = 1  # a histogram plays many trials in one batched run
    book_column: ClassVar[str] = "the book"  # whose numbers the table sets beside ours
    histogram: ClassVar[bool] = False  # counts of trials per bin, not curves averaged
    grid: ClassVar[tuple[int, int] | None] = None  # values per cell of a map (rows, columns)
    y_limits: ClassVar[tuple[float, float] | None] = None  # the PNG's y range, as the book's
    window_speed: ClassVar[str] = "max"  # the window's starting speed: runs draw themselves

    def __init__(self, runs: int | None = None, seed: int = 0) -> None:
        self.runs = self.default_runs if runs is None else runs
        self.seed = seed
        self.results: list[dict[str, list[float]]] = []
        self.trials_done = 0

    @property
    def unit(self) -> str:
        """What a run of it is called: a trial of a histogram, a run of a curve."""
        return "trial" if self.histogram else "run"

    def batches(self) -> list[list[int]]:
        """The seeds of each run object: one seed each, or trials batched together."""
        seeds = list(range(self.seed, self.seed + self.runs))
        size = self.trials_per_run
        return [seeds[i : i + size] for i in range(0, len(seeds), size)]

    @abstractmethod
    def x(self) -> list[float]:
        """The x axis every run's series lie on."""

    @abstractmethod
    def start(self, seeds: list[int]) -> FigureRun:
        """A new run on these seeds (one, unless trials are batched)."""

    def add(self, result: dict[str, list[float]], trials: int) -> None:
        self.results.append(result)
        self.trials_done += trials

    def series(self, partial: dict[str, list[float]] | None = None) -> dict[str, list[float]]:
        """The mean over the runs done, point by point. (`partial`, the run under way, is
        counted only where a part of a run means something: a histogram's trials.)"""
        if not self.results:
            return {}
        return {
            label: list(np.mean([r[label] for r in self.results], axis=0)) for label in self.labels
        }

    def data(self) -> FigureData:
        return FigureData(
            self.name, self.trials_done, self.x_label, self.y_label, self.x(), self.series()
        )

    @abstractmethod
    def measures(self) -> list[Measure]:
        """The numbers to set beside the book's."""


# -- runs built from races ------------------------------------------------------------


class EpisodeLog(Callback):
    """Every episode of a one-agent arena: its length, its return, and the running sum of
    returns at the step it ended (what cumulative-reward figures plot)."""

    def __init__(self, arena: Arena) -> None:
        self.arena = arena
        self.lengths: list[int] = []
        self.returns: list[float] = []
        self.ends: list[int] = []  # environment steps when each episode ended
        self.total = 0.0

    def on_episodes_end(self, arena: Arena, count: int) -> None:
        # Called before the scene starts the agent again, so its counters still hold the
        # episode; the figures' arenas play one agent.
        self.lengths.append(int(arena.scene.steps[0]))
        self.returns.append(float(arena.scene.returns[0]))
        self.ends.append(arena.metrics.env_steps)

    @property
    def env_steps(self) -> int:
        """The lane's steps so far: a cumulative curve reaches this far."""
        return self.arena.metrics.env_steps


class RaceRun:
    """One run of a learning figure: brains racing on one seed for their whole budget
    (no stop at the first solve, no champion checks: a figure charts training), each
    lane's episodes logged; `series` makes the run's curves of the logs."""

    def __init__(
        self,
        scene_key: str,
        brains: tuple[str, ...],
        seed: int,
        budget: Budget,
        series: Callable[[RaceRun], dict[str, list[float]]],
    ) -> None:
        self.series = series
        shape = brain_shape(scene_key)
        race = CompareArena(
            scene_key,
            [(text, make_brain(text, shape, None, seed)) for text in brains],
            seed,
            budget,
            showcase=False,
            checks=False,
        )
        self.race = race
        self.labels = brains
        self.logs = [EpisodeLog(lane.arena) for lane in race.lanes]
        for lane, log in zip(race.lanes, self.logs, strict=True):
            lane.arena.callbacks.append(log)

    @property
    def scene(self) -> Any:
        return self.race.lanes[0].arena.scene

    @property
    def brain(self) -> Any:
        return self.race.lanes[0].arena.brain

    @property
    def env_steps(self) -> int:
        return sum(lane.arena.metrics.env_steps for lane in self.race.lanes)

    def step(self) -> bool:
        self.race.tick()
        return self.race.all_done

    def progress(self) -> tuple[str, str]:
        budget, m = self.race.budget, self.race.lanes[0].arena.metrics
        if budget.max_episodes is not None:
            return "Episodes", f"{m.episodes:,}/{budget.max_episodes:,}"
        return "Steps", f"{m.env_steps:,}/{budget.max_steps or 0:,}"

    def logged(self) -> dict[str, EpisodeLog]:
        return dict(zip(self.labels, self.logs, strict=True))

    def result(self) -> dict[str, list[float]]:
        return self.series(self)


def first_at_most(values: list[float], limit: float) -> int | None:
    """1-based index of the first value at or below `limit`, or None."""
    for i, value in enumerate(values):
        if value <= limit:
            return i + 1
    return None
