"""A line chart drawn with pygame into a cached surface.

The surface is redrawn only when the metrics change or the chart is resized, so a chart
costs one blit per frame. Series longer than the plot is wide are decimated to each pixel
column's minimum and maximum, which keeps every spike visible at any length.
"""

from __future__ import annotations

import math

import numpy as np
import pygame

from game.arena import ChartSpec
from game.metrics import Metrics
from game.ui import theme

MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 52, 16, 46, 40


def nice_ticks(low: float, high: float, count: int = 5, whole: bool = False) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten) spanning low..high; `whole`
    keeps them whole numbers, for axes that count things."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(1, count)
    if whole:
        raw = max(raw, 1.0)
    power = 10 ** math.floor(math.log10(raw))
    steps = [m * power for m in (0.5, 1, 2, 5, 10)]
    index = next(i for i, step in enumerate(steps) if step >= raw)
    ticks = _ticks(low, high, steps[index])
    # A short axis asks for few ticks; a step rounded up past the range would leave one
    # label and no scale, so a smaller step gives it two.
    if len(ticks) < 2 and not (whole and steps[index - 1] < 1):
        ticks = _ticks(low, high, steps[index - 1])
    return ticks


def _ticks(low: float, high: float, step: float) -> list[float]:
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]


def short_number(value: float) -> str:
    """1234 -> 1.2k, 3000000 -> 3M; small numbers keep what precision they need."""
    size = abs(value)
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}" if size >= 0.01 or value == 0 else f"{value:.1e}"


def decimate(px: np.ndarray, py: np.ndarray) -> list[tuple[float, float]]:
    """Points to draw: as given if few, else each pixel column's max then min."""
    if len(px) <= 2 * (int(px[-1] - px[0]) + 1):
        return list(zip(px.tolist(), py.tolist(), strict=True))
    columns = px.astype(int)
    starts = np.flatnonzero(np.r_[True, columns[1:] != columns[:-1]])
    tops = np.minimum.reduceat(py, starts)  # screen y grows downwards: min is the top
    bottoms = np.maximum.reduceat(py, starts)
    x = columns[starts].astype(float)
    return [p for c, t, b in zip(x, tops, bottoms, strict=True) for p in ((c, t), (c, b))]


def plot_rect(size: tuple[int, int], top: int = MARGIN_TOP) -> pygame.Rect | None:
    """Where a chart of this size plots, inside its margins; None if too small to plot."""
    plot = pygame.Rect(
        MARGIN_LEFT,
        top,
        size[0] - MARGIN_LEFT - MARGIN_RIGHT,
        size[1] - top - MARGIN_BOTTOM,
    )
    return plot if plot.width >= 20 and plot.height >= 20 else None


def draw_waiting(surface: pygame.Surface, plot: pygame.Rect) -> None:
    """The note a chart shows until its first results arrive."""
    note = theme.font(20).render("waiting for the first results...", True, theme.TEXT_DIM)
    surface.blit(note, note.get_rect(center=plot.center))


class Chart:
    def __init__(self, spec: ChartSpec) -> None:
        self.spec = spec
        self._cache: pygame.Surface | None = None
        self._key: tuple | None = None

    def draw(self, target: pygame.Surface, rect: pygame.Rect, metrics: Metrics) -> None:
        key = (rect.size, metrics.version)
        if key != self._key or self._cache is None:
            self._cache = self._render(rect.size, metrics)
            self._key = key
        target.blit(self._cache, rect.topleft)

    def _panel(self, size: tuple[int, int]) -> tuple[pygame.Surface, pygame.Surface]:
        """The chart's framed panel with its title drawn, and the title's surface."""
        surface = pygame.Surface(size)
        surface.fill(theme.PANEL)
        pygame.draw.rect(surface, theme.PANEL_EDGE, surface.get_rect(), 1, border_radius=6)
        title = theme.font(24, bold=True).render(self.spec.title, True, theme.TEXT)
        surface.blit(title, (12, 10))
        return surface, title

    def _render(self, size: tuple[int, int], metrics: Metrics) -> pygame.Surface:
        surface, title = self._panel(size)
        # The legend sits beside the title, or on its own row when the chart is narrow.
        legend_width = self._legend_width()
        own_row = title.get_width() + legend_width + 40 > size[0]
        self._draw_legend(surface, y=36 if own_row else 14)
        plot = plot_rect(size, MARGIN_TOP + (22 if own_row else 0))
        if plot is None:
            return surface
        lines = [
            (metrics.series[name].arrays(), colour)
            for name, _, colour in self.spec.lines
            if name in metrics.series and len(metrics.series[name])
        ]
        if not lines:
            draw_waiting(surface, plot)
            return surface
        xs = np.concatenate([x for (x, _), _ in lines])
        ys = np.concatenate([y for (_, y), _ in lines])
        x_low, x_high = float(xs.min()), float(max(xs.max(), xs.min() + 1))
        y_low, y_high = float(ys.min()), float(ys.max())
        if y_low >= 0 and y_low < 0.3 * y_high:
            y_low = 0.0  # start at zero when the data nearly does: heights then compare
        pad = (y_high - y_low) * 0.08 or 1.0
        y_low, y_high = y_low - (pad if y_low != 0 else 0), y_high + pad
        self._draw_axes(surface, plot, (x_low, x_high), (y_low, y_high))
        clip = surface.get_clip()
        surface.set_clip(plot.inflate(2, 2))
        for (x, y), colour in lines:
            px = plot.left + (x - x_low) / (x_high - x_low) * plot.width
            py = plot.bottom - (y - y_low) / (y_high - y_low) * plot.height
            points = decimate(px, py)
            if len(points) == 1:
                pygame.draw.circle(surface, colour, points[0], 3)
            else:
                pygame.draw.aalines(surface, colour, False, points)
                pygame.draw.lines(surface, colour, False, points, 2)
        surface.set_clip(clip)
        return surface

    def _legend_width(self) -> int:
        font = theme.font(19)
        return sum(font.size(label)[0] + 34 for _, label, _ in self.spec.lines)

    def _draw_legend(self, surface: pygame.Surface, y: int) -> None:
        font = theme.font(19)
        x = surface.get_width() - 12
        for _, label, colour in reversed(self.spec.lines):
            text = font.render(label, True, theme.TEXT_DIM)
            x -= text.get_width()
            surface.blit(text, (x, y))
            x -= 20
            pygame.draw.line(surface, colour, (x, y + 7), (x + 14, y + 7), 4)
            x -= 14

    def _draw_axes(self, surface: pygame.Surface, plot: pygame.Rect, xr: tuple, yr: tuple) -> None:
        font = theme.font(18)
        for value in nice_ticks(*yr, count=max(2, min(5, plot.height // 28))):
            y = plot.bottom - (value - yr[0]) / (yr[1] - yr[0]) * plot.height
            pygame.draw.line(surface, theme.GRID, (plot.left, y), (plot.right, y))
            label = font.render(short_number(value), True, theme.TEXT_DIM)
            surface.blit(label, label.get_rect(midright=(plot.left - 6, y)))
        for value in nice_ticks(*xr, count=6, whole=True):
            x = plot.left + (value - xr[0]) / (xr[1] - xr[0]) * plot.width
            pygame.draw.line(surface, theme.GRID, (x, plot.top), (x, plot.bottom))
            label = font.render(short_number(value), True, theme.TEXT_DIM)
            surface.blit(label, label.get_rect(midtop=(x, plot.bottom + 4)))
        pygame.draw.rect(surface, theme.PANEL_EDGE, plot, 1)
        name = font.render(self.spec.x_label, True, theme.TEXT_DIM)
        surface.blit(name, name.get_rect(midbottom=(plot.centerx, surface.get_height() - 3)))
