"""The histograms of K. Frans, "Simple reinforcement learning methods to learn CartPole"
(2016): over many independent trials, the episodes a search needs until one episode
balances the pole for 200 steps (CartPole-v0's limit).

The blog's script runs 1,000 trials of each: random search (a new linear policy, weights
uniform in [-1, 1], every episode, for at most 10,000 episodes) and hill climbing (the
best weights plus noise uniform in [-0.1, 0.1], kept when it scores better, for at most
2,000 episodes; a trial that never gets there counts the cap). Our `random-search` with one
candidate at a time is the blog's; `hill-climb:noise=0.1,adaptive=false,reevaluate=false,
uniform=true` with one candidate is the blog's climber, drawn beside our default climber.

Trials are independent, so a run plays a batch of them side by side: each round, every
unfinished trial's next candidates play at once in one batched CartPole scene, through
the brains' own ask and tell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from brains.base import BrainShape, Evolver
from brains.linear import LinearPolicy
from brains.registry import make_brain
from game.evaluation import TRAINING, episode_seed
from game.figures.base import Figure, FigureRun, Measure
from game.scenes.cartpole import CartPoleScene

BLOG = 'K. Frans, "Simple reinforcement learning methods to learn CartPole" (2016)'
TARGET = 200  # CartPole-v0's time limit: the blog's "reach 200"
SHAPE = BrainShape(4, 2, "cartpole")


class FirstSuccessTrials:
    """Trials of a search, side by side, until each plays an episode of `target` steps
    or has played `cap` episodes. `found[i]` is the episodes trial i needed, the
    successful one included (`cap` for a trial that never got there)."""

    def __init__(
        self,
        make: Callable[[int], Evolver],
        seeds: list[int],
        target: int,
        cap: int,
        time_limit: int | None = None,
    ) -> None:
        self.brains = [make(seed) for seed in seeds]
        self.target, self.cap = target, cap
        self.time_limit = time_limit or target
        self.course = seeds[0]  # the seed stream of the rounds' starting states
        self.played = np.zeros(len(seeds), dtype=np.int64)
        self.found = np.zeros(len(seeds), dtype=np.int64)  # 0: still searching
        self.round = 0
        self._steps = 0
        self.scene: CartPoleScene = CartPoleScene(1, self.time_limit)
        self._new_round()

    @property
    def done(self) -> bool:
        return bool(np.all(self.found > 0))

    @property
    def env_steps(self) -> int:
        return int(self._steps)

    def _new_round(self) -> None:
        self._active = np.flatnonzero(self.found == 0)
        if not len(self._active):
            return
        policies = [self.brains[i].ask() for i in self._active]
        self._sizes = [self.brains[i].population_size for i in self._active]
        self._policy = LinearPolicy(np.concatenate([p.weights for p in policies]))
        if self.scene.n != sum(self._sizes):
            self.scene = CartPoleScene(sum(self._sizes), self.time_limit)
        self.scene.reset(episode_seed(self.course, TRAINING, self.round))
        self.round += 1

    def step(self) -> bool:
        """One tick of the round's episodes; at its end, the brains learn and the next
        round starts. True once every trial is over."""
        if self.done:
            return True
        scene = self.scene
        self._steps += int(np.count_nonzero(scene.alive))
        scene.step(self._policy.act(scene.observe()))
        if scene.all_done:
            self._end_round()
        return self.done

    def _end_round(self) -> None:
        lengths = np.split(self.scene.steps.astype(float), np.cumsum(self._sizes)[:-1])
        for trial, fitness in zip(self._active, lengths, strict=True):
            hits = np.flatnonzero(fitness >= self.target)
            if len(hits):
                self.found[trial] = self.played[trial] + hits[0] + 1
                continue
            self.played[trial] += len(fitness)
            if self.played[trial] >= self.cap:
                self.found[trial] = self.cap
                continue
            self.brains[trial].tell(fitness)
        self._new_round()


def searcher(text: str, population: int | None) -> Callable[[int], Evolver]:
    """Builds the brain `text` names for a trial's seed (None: its own population)."""
    return lambda seed: make_brain(text, SHAPE, population, seed)  # type: ignore[return-value]


class TrialsRun:
    """A batch of trials for each of a figure's searches, one after the other."""

    brain = None

    def __init__(self, figure: HistogramFigure, seeds: list[int]) -> None:
        self.trials = [
            FirstSuccessTrials(searcher(text, 1 if one else None), seeds, TARGET, cap)
            for text, one, cap in figure.searches
        ]
        self.labels = figure.labels
        self._current = 0

    @property
    def scene(self) -> CartPoleScene:
        return self.trials[min(self._current, len(self.trials) - 1)].scene

    @property
    def env_steps(self) -> int:
        return sum(t.env_steps for t in self.trials)

    def step(self) -> bool:
        if self._current < len(self.trials) and self.trials[self._current].step():
            self._current += 1
        return self._current == len(self.trials)

    def progress(self) -> tuple[str, str]:
        label = self.labels[min(self._current, len(self.labels) - 1)]
        trials = self.trials[min(self._current, len(self.trials) - 1)]
        found = int((trials.found > 0).sum())
        return label, f"{found}/{len(trials.found)} of this batch, round {trials.round}"

    def result(self) -> dict[str, list[float]]:
        return {
            label: [float(n) for n in t.found if n > 0]
            for label, t in zip(self.labels, self.trials, strict=True)
        }


class HistogramFigure(Figure):
    """The share of trials in each bin of "episodes needed"."""

    x_label = "episodes required to reach 200"
    y_label = "fraction of trials"
    default_runs = 1000  # the blog's trials
    trials_per_run = 100  # played side by side
    scene_key = "cartpole"
    book_column = "the blog"
    histogram = True
    searches: tuple[tuple[str, bool, int], ...]  # (brain, one candidate at a time, cap)
    bin_width: int
    last_edge: int  # the last bin holds everything from here on

    def edges(self) -> np.ndarray:
        return np.arange(0, self.last_edge + self.bin_width, self.bin_width)

    def x(self) -> list[float]:
        edges = self.edges()
        return [float(e) + self.bin_width / 2 for e in edges[:-1]]

    def start(self, seeds: list[int]) -> FigureRun:
        return TrialsRun(self, seeds)

    def needed(self, label: str, partial: dict[str, list[float]] | None = None) -> np.ndarray:
        runs = self.results + ([partial] if partial else [])
        return np.concatenate([r[label] for r in runs]) if runs else np.zeros(0)

    def series(self, partial: dict[str, list[float]] | None = None) -> dict[str, list[float]]:
        if not self.results and not partial:
            return {}
        edges = self.edges().astype(float)
        edges[-1] = np.inf  # the last bin takes the long tail and the trials that got stuck
        series = {}
        for label in self.labels:
            counts, _ = np.histogram(self.needed(label, partial), edges)
            series[label] = list(counts / max(1, counts.sum()))
        return series

    def measures(self) -> list[Measure]:
        rows = []
        for label, (_, _, cap) in zip(self.labels, self.searches, strict=True):
            rows += [
                Measure(
                    f"{label}: mean episodes (median)",
                    self.blog_says.get(label, "-"),
                    self._mean_median(label),
                ),
                Measure(
                    f"{label}: trials stuck at the cap of {cap:,}",
                    self.blog_stuck.get(label, "-"),
                    self._stuck(label, cap),
                ),
            ]
        return rows

    blog_says: dict[str, str] = {}
    blog_stuck: dict[str, str] = {}

    def _mean_median(self, label: str) -> Any:
        return lambda d: f"{self.needed(label).mean():.1f} ({np.median(self.needed(label)):.0f})"

    def _stuck(self, label: str, cap: int) -> Any:
        return lambda d: f"{np.mean(self.needed(label) >= cap):.1%}"


class RandomSearchFigure(HistogramFigure):
    name = "random-search"
    title = "Random search: episodes until one lasts 200 steps"
    source = f"{BLOG}: the histogram of random search, 1,000 trials"
    labels = ("random-search",)
    searches = (("random-search", True, 10_000),)
    bin_width, last_edge = 2, 100
    blog_says = {"random-search": "a histogram (no number quoted)"}
    blog_stuck = {"random-search": "-"}


BLOG_CLIMBER = "hill-climb:noise=0.1,adaptive=false,reevaluate=false,uniform=true"


class HillClimbFigure(HistogramFigure):
    name = "hill-climb"
    title = "Hill climbing: episodes until one lasts 200 steps"
    source = (
        f"{BLOG}: the histogram of hill climbing (noise 0.1, at most 2,000 episodes), "
        "1,000 trials; our default climber beside it"
    )
    labels = ("the blog's climber", "hill-climb (ours)")
    searches = ((BLOG_CLIMBER, True, 2_000), ("hill-climb", False, 2_000))
    bin_width, last_edge = 40, 2_000
    blog_says = {"the blog's climber": "a histogram (no number quoted)"}
    blog_stuck = {"the blog's climber": "trials at the cap"}
