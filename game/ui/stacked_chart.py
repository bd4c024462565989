"""A stacked area chart: how a population splits into species, generation by generation.

Each species is one band, its height the number of members; bands stack in order of
birth, so the oldest species lie at the bottom and a new species appears on top. Like the
line chart, it is drawn into a cached surface only when the metrics change, with the same
layout, waiting note and hover readout.
"""

from __future__ import annotations

import numpy as np
import pygame

from game import colours
from game.metrics import Metrics
from game.ui import theme
from game.ui.chart import Chart, Drawn, draw_waiting, waiting_text


def stack_bands(rows: list[tuple[float, dict[int, int]]]) -> tuple[np.ndarray, list, np.ndarray]:
    """(x[T], member ids in birth order, cumulative tops[len(ids), T]) of stacked sizes."""
    xs = np.array([x for x, _ in rows], dtype=np.float64)
    ids = sorted({key for _, sizes in rows for key in sizes})
    sizes = np.array([[row.get(key, 0) for _, row in rows] for key in ids], dtype=np.float64)
    return xs, ids, np.cumsum(sizes, axis=0) if len(ids) else sizes


class StackedChart(Chart):
    def _render(self, size: tuple[int, int], metrics: Metrics) -> pygame.Surface:
        name = self.spec.lines[0][0]
        stack = metrics.stacks.get(name)
        rows = stack.rows if stack is not None else []
        entries: list = []
        if rows:
            seen = len({k for _, r in rows for k in r})
            entries = [(f"{len(rows[-1][1])} species now, {seen} so far", None)]
        surface, layout = self._frame(size, entries)
        self._drawn = []
        if layout.plot is None:
            return surface
        if not rows:
            draw_waiting(surface, layout.plot, waiting_text(self.spec))
            return surface
        xs, ids, tops = stack_bands(rows)
        x_low, x_high = float(xs[0]), float(max(xs[-1], xs[0] + 1))
        y_high = float(tops[-1].max()) if len(ids) and tops[-1].max() > 0 else 1.0
        plot = self._draw_axes(surface, layout, (x_low, x_high), {"left": (0.0, y_high)}, False)
        px = plot.left + (xs - x_low) / (x_high - x_low) * plot.width

        def screen_y(values: np.ndarray) -> np.ndarray:
            return plot.bottom - values / y_high * plot.height

        bottom = np.zeros_like(xs)
        for key, top in zip(ids, tops, strict=True):
            colour = colours.nth(key)
            if len(xs) == 1:  # one generation: a bar, not an area
                rect = pygame.Rect(plot.left, screen_y(top)[0], 8, 0)
                rect.height = int(screen_y(bottom)[0] - rect.top)
                pygame.draw.rect(surface, colour, rect)
            else:
                upper = list(zip(px.tolist(), screen_y(top).tolist(), strict=True))
                lower = list(zip(px.tolist(), screen_y(bottom).tolist(), strict=True))
                pygame.draw.polygon(surface, colour, upper + lower[::-1])
                # A thin dark edge keeps two species of the same palette colour apart.
                pygame.draw.lines(surface, theme.PANEL, False, upper, 1)
            bottom = top
        pygame.draw.rect(surface, theme.PANEL_EDGE, plot, 1)
        # The hover readout: how many species, and the whole population, per generation.
        counts = np.array([len(r) for _, r in rows], dtype=np.float64)
        self._drawn = [
            Drawn("species", theme.TEXT, xs, counts, (0.0, y_high), marker=False),
            Drawn(
                "members", colours.nth(ids[-1]) if ids else theme.TEXT, xs, tops[-1], (0.0, y_high)
            ),
        ]
        self._x_range = (x_low, x_high)
        return surface
