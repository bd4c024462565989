"""A figure in the window: its runs play one after the other, a tick at a time, and its
curves draw themselves: the mean of the runs done so far, and the run under way.

This is the arena surface the App drives (scene, metrics, tick, hud, charts...); the
scene drawn is the run's own (the maze the learners walk, the carts of a batch of
trials). S, closing the window and the last run's end write the figure's PNG.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from game import colours
from game.arena import Budget, ChartSpec
from game.figures.base import Figure, FigureRun, counted
from game.figures.plot import PlotError, save_png
from game.metrics import Metrics, Series

LIVE_EVERY = 30  # ticks between redraws of the run under way


def replace_series(metrics: Metrics, key: str, x: list[float], y: list[float]) -> None:
    """Put a whole curve in `metrics` under `key`, in place of what was there."""
    capacity = max(2, len(x) + len(x) % 2)
    series = Series(capacity=capacity + 2)  # never full, so never merged
    for xi, yi in zip(x, y, strict=False):
        series.append(xi, yi)
    metrics.series[key] = series
    metrics.version += 1


class FigureArena:
    saves = "the plot"  # what S writes (App's key line and messages)

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.metrics = Metrics()
        self.title = f"{figure.title} ({counted(figure.runs, self.unit)})"
        self.keys: tuple[tuple[str, str], ...] = ()
        self._batches = figure.batches()
        self._index = 0
        self._ticks = 0
        self.run: FigureRun = figure.start(self._batches[0])

    @property
    def unit(self) -> str:
        return self.figure.unit

    @property
    def done(self) -> bool:
        return self._index >= len(self._batches)

    @property
    def scene(self) -> Any:
        return self.run.scene

    @property
    def brain(self) -> Any:
        return self.run.brain

    can_save = True

    def tick(self) -> None:
        if self.done:
            return
        self._ticks += 1
        finished = self.run.step()
        if finished or self._ticks % LIVE_EVERY == 0:
            self._publish_live()
        if not finished:
            return
        self.figure.add(self.run.result(), len(self._batches[self._index]))
        self.metrics.episodes = self.figure.trials_done
        self.metrics.env_steps += self.run.env_steps
        self._publish_mean()
        self._index += 1
        if not self.done:
            self.run = self.figure.start(self._batches[self._index])

    def _publish_mean(self, partial: dict[str, list[float]] | None = None) -> None:
        series, x = self.figure.series(partial), self.figure.x()
        for i, label in enumerate(self.figure.labels):
            if label in series:
                replace_series(self.metrics, f"mean{i}", x, series[label])

    def _publish_live(self) -> None:
        if self.figure.histogram:  # its trials count as they end, batch or no batch
            self._publish_mean(self.run.result())
            return
        x = self.figure.x()
        for i, (label, values) in enumerate(self.run.result().items()):
            if label in self.figure.labels:
                replace_series(self.metrics, f"live{i}", x[: len(values)], values)

    # -- what the App asks ---------------------------------------------------------------

    def finished(self, budget: Budget) -> bool:
        return self.done

    def finish_message(self) -> str:
        return f"All {counted(self.figure.runs, self.unit)} done"

    def has_learned(self) -> bool:
        return bool(self.figure.results)

    def progress_tag(self) -> str:
        return f"{self.figure.trials_done}{self.unit}"

    def save_best(self, root: Path) -> Path:
        """The figure as it stands, as a PNG: what S, the last run and closing write."""
        path = Path(root) / f"figure-{self.figure.name}.png"
        try:
            return save_png(self.figure, path)
        except PlotError as error:  # what the window catches of a save that failed
            raise OSError(str(error)) from None

    def hud(self) -> list[tuple[str, str]]:
        total = self.figure.runs
        seeds = f"{self.figure.seed}" + (f"-{self.figure.seed + total - 1}" if total > 1 else "")
        return [
            ("Figure", self.figure.name),
            (f"{self.unit.capitalize()}s done", f"{self.figure.trials_done:,}/{total:,}"),
            ("Seed" if total == 1 else "Seeds", seeds),
            self.run.progress() if not self.done else ("Done", "all " + counted(total, self.unit)),
        ]

    def charts(self) -> list[ChartSpec]:
        figure = self.figure
        live = tuple((f"live{i}", label, colours.nth(i)) for i, label in enumerate(figure.labels))
        if figure.runs == 1 and not figure.histogram:  # the run is the figure: one chart
            return [ChartSpec(figure.y_label.capitalize(), figure.x_label, live)]
        lines = tuple((f"mean{i}", label, colours.nth(i)) for i, label in enumerate(figure.labels))
        title = figure.y_label.capitalize()
        charts = [
            ChartSpec(
                title if figure.histogram else f"{title} (mean of the runs done)",
                figure.x_label,
                lines,
                waiting=f"waiting for the first {'batch of trials' if figure.histogram else 'run'}",
            )
        ]
        if not figure.histogram:
            charts.append(ChartSpec(f"This run: {figure.y_label}", figure.x_label, live))
        return charts

    def highlight(self) -> int | None:
        alive = getattr(self.scene, "alive", None)
        return 0 if alive is not None and len(alive) and alive[0] else None
