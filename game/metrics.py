"""What a run has done so far: counters, and bounded series for the charts and the log.

A series keeps at most `capacity` points: when it fills, neighbouring points merge in
pairs and later points arrive already merged, so a week-long run keeps constant memory
while its chart still spans the whole run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np


class Series:
    """(x, y) points, downsampled by merging neighbours with `reduce` ("mean" or "max")."""

    def __init__(self, capacity: int = 1024, reduce: str = "mean") -> None:
        if capacity < 2 or capacity % 2:
            raise ValueError("capacity must be an even number of at least 2")
        self.capacity = capacity
        if reduce not in ("mean", "max"):
            raise ValueError(f"reduce must be mean or max, got {reduce!r}")
        self._max = reduce == "max"
        self._x: list[float] = []
        self._y: list[float] = []
        self._stride = 1  # raw points per stored point
        self._pending: list[tuple[float, float]] = []
        self.last: float | None = None  # the latest raw value, never merged

    def __len__(self) -> int:
        return len(self._x)

    def append(self, x: float, y: float) -> None:
        self.last = y
        self._pending.append((x, y))
        if len(self._pending) < self._stride:
            return
        xs, ys = zip(*self._pending, strict=True)
        merged = max(ys) if self._max else sum(ys) / len(ys)
        self._pending.clear()
        self._x.append(xs[-1])
        self._y.append(merged)
        if len(self._x) == self.capacity:
            x, y = np.array(self._x), np.array(self._y)
            self._x = list(x[1::2])
            self._y = list(np.maximum(y[0::2], y[1::2]) if self._max else (y[0::2] + y[1::2]) / 2)
            self._stride *= 2

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return np.array(self._x, dtype=np.float64), np.array(self._y, dtype=np.float64)


class Stacks:
    """Rows of (x, {member: size}) for a stacked chart, e.g. species sizes per generation.
    At `capacity` rows every other row is dropped, so memory stays bounded."""

    def __init__(self, capacity: int = 512) -> None:
        self.capacity = capacity
        self.rows: list[tuple[float, dict[int, int]]] = []

    def __len__(self) -> int:
        return len(self.rows)

    def append(self, x: float, sizes: dict[int, int]) -> None:
        self.rows.append((x, dict(sizes)))
        if len(self.rows) >= self.capacity:
            self.rows = self.rows[1::2]


@dataclass
class Metrics:
    """Counters every run reports, plus named series. `version` ticks on every change a
    chart would show, so charts redraw only when there is something new."""

    generations: int = 0
    episodes: int = 0
    env_steps: int = 0
    best_score: float | None = None  # best single episode
    eval_score: float | None = None  # mean score of the last greedy evaluation
    solved: bool = False
    solved_at: dict | None = None  # generation, env_steps and seconds when first solved
    series: dict[str, Series] = field(default_factory=dict)
    stacks: dict[str, Stacks] = field(default_factory=dict)
    version: int = 0
    started: float = field(default_factory=time.perf_counter)
    busy: float = 0.0  # seconds spent in this run's own ticks (fair when runs share a CPU)
    checking: float = 0.0  # the part of `busy` spent checking the champion, not training

    def seconds(self) -> float:
        """Wall seconds since the run started."""
        return time.perf_counter() - self.started

    def record(self, name: str, x: float, y: float, reduce: str = "mean") -> None:
        if name not in self.series:
            self.series[name] = Series(reduce=reduce)
        self.series[name].append(x, y)
        self.version += 1

    def record_stack(self, name: str, x: float, sizes: dict[int, int]) -> None:
        self.stacks.setdefault(name, Stacks()).append(x, sizes)
        self.version += 1

    def episode_scores(self, scores: np.ndarray) -> None:
        """Count finished episodes and keep the best score."""
        if len(scores):
            self.episodes += len(scores)
            top = float(np.max(scores))
            if self.best_score is None or top > self.best_score:
                self.best_score = top
