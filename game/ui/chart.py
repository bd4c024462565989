"""A line chart drawn with pygame into a cached surface.

The surface is redrawn only when the metrics change or the chart is resized, so a chart
costs one blit per frame; the hover readout is drawn over that blit, never into it. Series
longer than the plot is wide are decimated to each pixel column's minimum and maximum,
which keeps every spike visible at any length.

What a reader sees first: a noisy raw series (return per episode) is drawn thin and faint
behind the smooth ones (its moving mean), lines in other units go on a right axis, a flat
line gets a span around its value rather than one repeated tick label, a lone point is a
dot with its value, and a chart with nothing yet says what it waits for.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pygame

from game.arena import ChartSpec
from game.colours import Colour
from game.metrics import Metrics
from game.ui import theme

# The plot's margins in a roomy chart, kept for callers that place things by them.
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 52, 16, 46, 40
PAD = 12  # panel edge to text
MIN_PLOT = 24  # the least plot height worth drawing
DANGLING = {"a", "and", "at", "by", "for", "in", "of", "on", "or", "per", "the", "to", "vs"}
HOVER_NEAR = 6  # pixels: a series' nearest point further than this has its x shown


# -- scales and labels: pure functions ----------------------------------------------------


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
    # Whole multiples of the step, so zero is exactly 0 and not 1e-17.
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    return [k * step for k in range(first, last + 1)]


def y_range(low: float, high: float) -> tuple[float, float]:
    """The span a value axis shows for data in low..high: a little room above and below,
    zero included when the data nearly reaches it, and a flat or nearly flat series
    centred in a span a tenth of its size (a line at 494 gets about 470..520), so its
    ticks are distinct round numbers rather than 494/494/494."""
    magnitude = max(abs(low), abs(high))
    least = 0.1 * magnitude if magnitude > 0 else 1.0
    if high - low < least:
        middle = (low + high) / 2
        return middle - least / 2, middle + least / 2
    if low >= 0 and low < 0.3 * high:
        low = 0.0  # start at zero when the data nearly does: heights then compare
    elif high <= 0 and high > 0.3 * low:
        high = 0.0
    pad = (high - low) * 0.08
    return low - (pad if low != 0 else 0), high + (pad if high != 0 else 0)


def short_number(value: float, digits: int = 3) -> str:
    """1234 -> 1.23k, 3000000 -> 3M; small numbers keep what precision they need."""
    size = abs(value)
    if value == 0:
        return "0"
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            return f"{value / limit:.{digits}g}{suffix}"
    return f"{value:.{digits}g}"


def tick_labels(values: list[float]) -> list[str]:
    """Labels for tick values, with as many digits as it takes for no two to read alike."""
    labels = [short_number(v) for v in values]
    for digits in range(4, 10):
        if len(set(labels)) == len(labels):
            break
        labels = [short_number(v, digits) for v in values]
    return labels


def exact_number(value: float) -> str:
    """A value as the hover readout shows it: 12,345 or 0.1235."""
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def value_at(series_x: np.ndarray, series_y: np.ndarray, x: float) -> tuple[float, float] | None:
    """The point of a series nearest to x along the x axis, or None for no points."""
    if len(series_x) == 0:
        return None
    i = int(np.argmin(np.abs(np.asarray(series_x, dtype=np.float64) - x)))
    return float(series_x[i]), float(series_y[i])


def roughness(y: np.ndarray) -> float:
    """How much a series jumps about: its average step as a share of its whole range."""
    span = float(y.max() - y.min()) if len(y) > 1 else 0.0
    return float(np.mean(np.abs(np.diff(y)))) / span if span > 0 else 0.0


def raw_lines(ys: list[np.ndarray]) -> set[int]:
    """Which series are raw data with a smoothed companion (returns per episode beside
    their moving mean): ones that jump about, in a chart with a line at least three times
    smoother. Those are drawn thin and faint behind the rest; a noisy line with no
    smooth companion (best fitness beside mean fitness) keeps its full strength."""
    rough = {i: roughness(y) for i, y in enumerate(ys) if len(y) >= 30}
    return {
        i
        for i, r in rough.items()
        if r >= 0.03 and any(other <= r / 3 for j, other in rough.items() if j != i)
    }


def faint(colour: Colour, share: float = 0.5) -> Colour:
    """A colour taken `share` of the way to the panel's, for lines drawn behind others."""
    r, g, b = (round(c + (p - c) * share) for c, p in zip(colour, theme.PANEL, strict=True))
    return (r, g, b)


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


def line_axis(line: tuple) -> str:
    """A ChartSpec line's axis: "right" if its 4th element says so, else "left"."""
    return "right" if len(line) > 3 and line[3] == "right" else "left"


def waiting_text(spec: ChartSpec) -> str:
    """What a chart with no points yet waits for, from what it plots: its x axis (the
    first generation, round, race...), its title (return per episode) or its series
    (the greedy checks), unless the spec says."""
    if spec.waiting:
        return spec.waiting
    names = [line[0] for line in spec.lines]
    if "check" in spec.title.lower() or all("check" in n or n == "eval_score" for n in names):
        return "waiting for the first check"
    unit = spec.x_label.lower()
    if "step" in unit:  # every step counts, so it waits for what the title counts per
        per = list(dict.fromkeys(re.findall(r"per (\w+)", spec.title.lower())))
        if not per:
            return "waiting for training to start"
        return f"waiting for the first {' or '.join(per)} to end"
    return f"waiting for the first {unit} to end"


def fit_text(font: pygame.font.Font, text: str, width: int) -> str:
    """Text cut to fit a width: whole words dropped from the end (back to the last comma
    if that fits, never leaving a bracket open or a "per" hanging) while a word is left,
    then letters, with an ellipsis when letters go."""
    if font.size(text)[0] <= width:
        return text
    words = text.split()
    fits: list[tuple[bool, str]] = []  # (ends a clause, shortened text)
    while len(words) > 1:
        words.pop()
        while len(words) > 1 and words[-1].lower() in DANGLING:
            words.pop()
        shorter = " ".join(words)
        clause = shorter.endswith(",")
        shorter = shorter.rstrip(",;:(-")
        if shorter.count("(") > shorter.count(")"):
            shorter = shorter[: shorter.rindex("(")].rstrip()
        if shorter and font.size(shorter)[0] <= width:
            fits.append((clause, shorter))
    if fits:
        return next((s for clause, s in fits if clause), fits[0][1])
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text + "…" if text else ""


def plot_rect(size: tuple[int, int], top: int = MARGIN_TOP) -> pygame.Rect | None:
    """Where a roomy chart of this size plots, inside the fixed margins; None if too small."""
    plot = pygame.Rect(
        MARGIN_LEFT,
        top,
        size[0] - MARGIN_LEFT - MARGIN_RIGHT,
        size[1] - top - MARGIN_BOTTOM,
    )
    return plot if plot.width >= 20 and plot.height >= 20 else None


# -- layout: where the title, the legend and the plot go ----------------------------------


@dataclass
class LegendItem:
    label: str
    colour: Colour | None  # None: a note with no swatch
    at: tuple[int, int]  # the item's top left
    width: int = 2


@dataclass
class ChartLayout:
    """The rectangles a chart's last draw used, in the chart's own coordinates."""

    title: pygame.Rect
    legend: pygame.Rect  # zero-sized when there is no legend
    plot: pygame.Rect | None
    title_text: str = ""
    title_size: int = 24
    legend_size: int = 19
    items: tuple[LegendItem, ...] = ()
    tick_size: int = 18
    x_name: bool = True  # room for the x axis's name under its ticks
    ticks: dict[str, list[str]] | None = None  # the tick labels drawn: "left", "right", "x"


def _swatch(size: int) -> int:
    return 14 if size >= 19 else 10


def _item_width(font: pygame.font.Font, label: str, has_swatch: bool, size: int) -> int:
    return font.size(label)[0] + (_swatch(size) + 5 if has_swatch else 0)


def _flow(
    entries: list[tuple[str, Colour | None]], size: int, width: int, rows: int
) -> list[list[tuple[str, Colour | None, int]]] | None:
    """Legend entries wrapped into at most `rows` rows of `width`, or None if they do not fit."""
    font, gap = theme.font(size), 14 if size >= 19 else 10
    lines: list[list[tuple[str, Colour | None, int]]] = [[]]
    used = 0
    for label, colour in entries:
        w = _item_width(font, label, colour is not None, size)
        if lines[-1] and used + gap + w > width:
            lines.append([])
            used = 0
        if w > width:
            return None
        used += (gap if lines[-1] else 0) + w
        lines[-1].append((label, colour, w))
    return lines if len(lines) <= rows else None


def chart_layout(
    size: tuple[int, int], title: str, entries: list[tuple[str, Colour | None]]
) -> ChartLayout:
    """Title top left, legend beside it if it fits, else under it, wrapped or shortened, in
    the first form that leaves the plot room: the legend shrinks before the plot does, and
    goes only when even its shortest form would leave no plot."""
    w, h = size
    small = h < 170 or w < 300
    title_size = 20 if small else 24
    title_font = theme.font(title_size, bold=True)
    title_text = fit_text(title_font, title, w - 2 * PAD)
    tw, th = title_font.size(title_text)
    title_rect = pygame.Rect(PAD, 8 if small else 10, tw, th)
    tick_size = 15 if h < 150 else 18
    tick_h = theme.font(tick_size).get_height()
    x_name = h >= 150
    bottom = h - (6 + tick_h * (2 if x_name else 1) + (4 if x_name else 0))
    want = max(MIN_PLOT, int(0.4 * h))
    gap_below = 6 if small else 10  # title or legend to plot

    def plan(size_: int, beside: bool, rows: int, labels: list[tuple[str, Colour | None]]):
        font = theme.font(size_)
        row_h = font.get_height() + 3
        if beside:
            room = w - 2 * PAD - tw - 20
            flow = _flow(labels, size_, room, 1)
            top = title_rect.top + (th - font.get_height()) // 2
        else:
            flow = _flow(labels, size_, w - 2 * PAD, rows)
            top = title_rect.bottom + 5
        if flow is None:
            return None
        gap = 14 if size_ >= 19 else 10
        items = []
        for r, row in enumerate(flow):
            x = w - PAD - sum(iw for _, _, iw in row) - gap * (len(row) - 1)
            for label, colour, iw in row:
                items.append(LegendItem(label, colour, (x, top + r * row_h), iw))
                x += iw + gap
        boxes = [pygame.Rect(i.at, (i.width, font.get_height())) for i in items]
        legend = boxes[0].unionall(boxes[1:])
        plot_top = max(title_rect.bottom, legend.bottom) + gap_below
        return plot_top, legend, size_, tuple(items)

    options = []
    if entries:  # beside the title, else one row under it, else two; smaller type first
        options += [(19, True, 1, entries), (16, True, 1, entries)]
        options += [(19, False, 1, entries), (16, False, 1, entries), (14, True, 1, entries)]
        options += [(14, False, 1, entries), (16, False, 2, entries), (14, False, 2, entries)]
        room = (w - 2 * PAD) // len(entries) - 20
        short = [(fit_text(theme.font(14), label, room), colour) for label, colour in entries]
        options += [(14, True, 1, short), (14, False, 1, short)]
    chosen = None
    for option in options:
        planned = plan(*option)
        if planned is not None and bottom - planned[0] >= want:
            chosen = planned
            break
    if chosen is None and entries:  # nothing roomy: the shortest legend, if a plot is left
        planned = plan(*options[-1])
        if planned is not None and bottom - planned[0] >= MIN_PLOT:
            chosen = planned
    if chosen is None:
        empty = pygame.Rect(title_rect.right, title_rect.top, 0, 0)
        plot_top, legend, legend_size, items = title_rect.bottom + gap_below, empty, 19, ()
    else:
        plot_top, legend, legend_size, items = chosen
    plot = pygame.Rect(MARGIN_LEFT, plot_top, w - MARGIN_LEFT - MARGIN_RIGHT, bottom - plot_top)
    usable = plot.height >= 20 and plot.width >= 20
    return ChartLayout(
        title_rect,
        legend,
        plot if usable else None,
        title_text,
        title_size,
        legend_size,
        items,
        tick_size,
        x_name,
    )


def draw_waiting(surface: pygame.Surface, plot: pygame.Rect, text: str = "") -> None:
    """The note a chart shows until its first results arrive, in one or two lines that fit."""
    text = text or "waiting for the first results..."
    for size in (20, 17, 15):
        font = theme.font(size)
        if font.size(text)[0] <= plot.width - 8:
            lines = [text]
            break
        words = text.split()
        half = (len(words) + 1) // 2
        lines = [" ".join(words[:half]), " ".join(words[half:])]
        if max(font.size(line)[0] for line in lines) <= plot.width - 8:
            break
    height = font.get_linesize()
    top = plot.centery - height * len(lines) / 2
    for i, line in enumerate(lines):
        note = font.render(fit_text(font, line, plot.width - 4), True, theme.TEXT_DIM)
        surface.blit(note, note.get_rect(midtop=(plot.centerx, top + i * height)))


# -- the chart ----------------------------------------------------------------------------


@dataclass
class Drawn:
    """One series as the last render drew it, kept for the hover readout."""

    label: str
    colour: Colour
    x: np.ndarray
    y: np.ndarray
    y_range: tuple[float, float]
    marker: bool = True  # ringed on the plot under the cursor (False: a count beside it)


class Chart:
    def __init__(self, spec: ChartSpec) -> None:
        self.spec = spec
        self._cache: pygame.Surface | None = None
        self._key: tuple | None = None
        self.last_layout: ChartLayout | None = None
        self._drawn: list[Drawn] = []
        self._x_range = (0.0, 1.0)
        self._hover_key: tuple | None = None
        self._hover_box: pygame.Surface | None = None
        self.hovered: list[tuple[str, float, float]] = []  # the last readout: (label, x, y)

    def draw(
        self,
        target: pygame.Surface,
        rect: pygame.Rect,
        metrics: Metrics,
        mouse: tuple[int, int] | None = None,
        may_wait: bool = False,
    ) -> bool:
        """Blit the chart into rect, rendering it again only if the metrics or the size
        changed; with `mouse` (in target's coordinates) over the plot, a guide line and
        the value of every series at that x are drawn on top. With `may_wait`, a chart
        whose size is unchanged shows its last rendering for one more frame rather than
        render now (the window renders one chart a frame when several changed at once).
        True if it rendered."""
        key = (rect.size, metrics.version)
        stale = key != self._key or self._cache is None
        waits = may_wait and self._key is not None and self._key[0] == rect.size
        if stale and not waits:
            self._cache = self._render(rect.size, metrics)
            self._key = key
        assert self._cache is not None
        target.blit(self._cache, rect.topleft)
        self.hovered = []
        if mouse is not None:
            self._draw_hover(target, rect, mouse)
        return stale and not waits

    # -- rendering into the cache ---------------------------------------------------------

    def _frame(self, size: tuple[int, int], entries: list) -> tuple[pygame.Surface, ChartLayout]:
        """The chart's framed panel with its title and legend drawn, and where they went."""
        surface = pygame.Surface(size)
        surface.fill(theme.PANEL)
        pygame.draw.rect(surface, theme.PANEL_EDGE, surface.get_rect(), 1, border_radius=6)
        layout = chart_layout(size, self.spec.title, entries)
        title = theme.font(layout.title_size, bold=True).render(layout.title_text, True, theme.TEXT)
        surface.blit(title, layout.title)
        font = theme.font(layout.legend_size)
        swatch = _swatch(layout.legend_size)
        for item in layout.items:
            x, y = item.at
            if item.colour is not None:
                middle = y + font.get_height() // 2
                pygame.draw.line(surface, item.colour, (x, middle), (x + swatch, middle), 4)
                x += swatch + 5
            surface.blit(font.render(item.label, True, theme.TEXT_DIM), (x, y))
        self.last_layout = layout
        return surface, layout

    def _render(self, size: tuple[int, int], metrics: Metrics) -> pygame.Surface:
        found = []
        for line in self.spec.lines:
            series = metrics.series.get(line[0])
            if series is not None and len(series):
                x, y = series.arrays()
                found.append((line, x, y))
        noisy = {id(found[i][0]) for i in raw_lines([y for _, _, y in found])}
        entries = [
            (line[1], faint(line[2]) if id(line) in noisy else line[2]) for line in self.spec.lines
        ]
        surface, layout = self._frame(size, entries)
        self._drawn = []
        plot = layout.plot
        if plot is None:
            return surface
        if not found:
            draw_waiting(surface, plot, waiting_text(self.spec))
            return surface
        xs = np.concatenate([x for _, x, _ in found])
        x_low, x_high = float(xs.min()), float(xs.max())
        if x_high - x_low < 1:  # one x so far: centre it
            half = max(1.0, abs(x_low) * 0.1)
            x_low, x_high = x_low - half, x_high + half
        elif any(len(x) == 1 for _, x, _ in found):  # a lone dot clear of the frame
            pad = 0.04 * (x_high - x_low)
            x_low, x_high = x_low - pad, x_high + pad
        axes: dict[str, tuple[float, float]] = {}
        for side in ("left", "right"):
            ys = [y for line, _, y in found if line_axis(line) == side]
            if ys:
                both = np.concatenate(ys)
                axes[side] = y_range(float(both.min()), float(both.max()))
        two = any(line_axis(line) == "right" for line in self.spec.lines)
        plot = self._draw_axes(surface, layout, (x_low, x_high), axes, two)
        clip = surface.get_clip()
        surface.set_clip(plot.inflate(8, 8).clip(surface.get_rect()))
        value_font = theme.font(layout.tick_size)
        order = sorted(found, key=lambda f: id(f[0]) not in noisy)  # raw behind, smooth in front
        for line, x, y in order:
            yr = axes[line_axis(line)]
            colour = line[2]
            self._drawn.append(Drawn(line[1] or line[0], colour, x, y, yr))
            px = plot.left + (x - x_low) / (x_high - x_low) * plot.width
            py = plot.bottom - (y - yr[0]) / (yr[1] - yr[0]) * plot.height
            if len(px) == 1:  # a lone point: a dot and its value
                centre = (float(px[0]), float(py[0]))
                pygame.draw.circle(surface, colour, centre, 4)
                label = value_font.render(short_number(float(y[0]), 4), True, colour)
                spot = label.get_rect(midbottom=(centre[0], centre[1] - 6))
                if spot.top < plot.top:
                    spot.top = int(centre[1]) + 6
                surface.blit(label, spot.clamp(plot))
                continue
            points = decimate(px, py)
            if id(line) in noisy:
                pygame.draw.aalines(surface, faint(colour), False, points)
                continue
            pygame.draw.aalines(surface, colour, False, points)
            pygame.draw.lines(surface, colour, False, points, 2)
            if len(px) <= 40 and len(px) * 12 <= plot.width:  # sparse (the checks): dots
                for point in points:
                    pygame.draw.circle(surface, colour, point, 3)
        surface.set_clip(clip)
        self._x_range = (x_low, x_high)
        return surface

    def _draw_axes(
        self,
        surface: pygame.Surface,
        layout: ChartLayout,
        xr: tuple[float, float],
        axes: dict[str, tuple[float, float]],
        two: bool,
    ) -> pygame.Rect:
        """Ticks and grid, with the plot's left and right edges set by its labels' widths;
        returns the plot, also stored in last_layout."""
        assert layout.plot is not None
        font = theme.font(layout.tick_size)
        plot = layout.plot.copy()
        count = max(2, min(5, plot.height // 26))
        ticks = {side: nice_ticks(*yr, count=count) for side, yr in axes.items()}
        labels = {side: tick_labels(values) for side, values in ticks.items()}
        named = two and plot.height >= 40
        y_names = self.spec.y_names
        names = {"left": y_names[0] if named else "", "right": y_names[1] if named else ""}
        width = {
            side: max((font.size(t)[0] for t in labels.get(side, [])), default=0)
            + (font.get_height() + 4 if names[side] else 0)
            for side in ("left", "right")
        }
        left = PAD + width["left"] + 6 if "left" in labels else PAD + 4
        right = PAD + width["right"] + 6 if two else MARGIN_RIGHT
        plot.update(left, plot.top, surface.get_width() - left - right, plot.height)
        layout.plot = plot
        layout.ticks = dict(labels)
        tint = self._axis_tints(two)
        for side, yr in axes.items():
            for value, text in zip(ticks[side], labels[side], strict=True):
                y = plot.bottom - (value - yr[0]) / (yr[1] - yr[0]) * plot.height
                label = font.render(text, True, tint[side])
                if side == "left" or "left" not in axes:
                    pygame.draw.line(surface, theme.GRID, (plot.left, y), (plot.right, y))
                if side == "left":
                    surface.blit(label, label.get_rect(midright=(plot.left - 6, y)))
                else:
                    pygame.draw.line(
                        surface, theme.PANEL_EDGE, (plot.right, y), (plot.right + 4, y)
                    )
                    surface.blit(label, label.get_rect(midleft=(plot.right + 6, y)))
        for side, name in names.items():
            if name and side in axes:
                text = font.render(fit_text(font, name, plot.height), True, tint[side])
                text = pygame.transform.rotate(text, 90 if side == "left" else -90)
                x = PAD - 4 if side == "left" else surface.get_width() - PAD + 4 - text.get_width()
                surface.blit(text, text.get_rect(left=x, centery=plot.centery))
        self._draw_x_axis(surface, layout, plot, xr, font)
        pygame.draw.rect(surface, theme.PANEL_EDGE, plot, 1)
        return plot

    def _draw_x_axis(
        self,
        surface: pygame.Surface,
        layout: ChartLayout,
        plot: pygame.Rect,
        xr: tuple[float, float],
        font: pygame.font.Font,
    ) -> None:
        values = nice_ticks(*xr, count=max(2, min(6, plot.width // 70)), whole=True)
        last_right = -1
        texts = tick_labels(values)
        if layout.ticks is not None:
            layout.ticks["x"] = texts
        for value, text in zip(values, texts, strict=True):
            x = plot.left + (value - xr[0]) / (xr[1] - xr[0]) * plot.width
            pygame.draw.line(surface, theme.GRID, (x, plot.top), (x, plot.bottom))
            label = font.render(text, True, theme.TEXT_DIM)
            spot = label.get_rect(midtop=(x, plot.bottom + 4))
            if spot.left > last_right + 4 and spot.right <= surface.get_width() - 3:
                surface.blit(label, spot)
                last_right = spot.right
        if layout.x_name:
            name = font.render(self.spec.x_label, True, theme.TEXT_DIM)
            surface.blit(name, name.get_rect(midbottom=(plot.centerx, surface.get_height() - 4)))

    def _axis_tints(self, two: bool) -> dict[str, Colour]:
        """On a chart with two axes, an axis with one line takes that line's colour, so its
        ticks say whose they are."""
        tint = {"left": theme.TEXT_DIM, "right": theme.TEXT_DIM}
        if two:
            for side in tint:
                colours = {line[2] for line in self.spec.lines if line_axis(line) == side}
                if len(colours) == 1:
                    tint[side] = faint(colours.pop(), 0.15)
        return tint

    # -- the hover readout, drawn over the cached chart -----------------------------------

    def _draw_hover(
        self, target: pygame.Surface, rect: pygame.Rect, mouse: tuple[int, int]
    ) -> None:
        layout = self.last_layout
        if layout is None or layout.plot is None or not self._drawn:
            return
        plot = layout.plot.move(rect.topleft)
        if not plot.collidepoint(mouse):
            return
        x_low, x_high = self._x_range
        data_x = x_low + (mouse[0] - plot.left) / plot.width * (x_high - x_low)
        rows: list[tuple[str, Colour, float, float]] = []
        for drawn in self._drawn:
            near = value_at(drawn.x, drawn.y, data_x)
            if near is None:
                continue
            rows.append((drawn.label, drawn.colour, *near))
            yr = drawn.y_range
            sx = plot.left + (near[0] - x_low) / (x_high - x_low) * plot.width
            sy = plot.bottom - (near[1] - yr[0]) / (yr[1] - yr[0]) * plot.height
            if drawn.marker and plot.collidepoint(sx, sy):
                pygame.draw.circle(target, drawn.colour, (sx, sy), 4, 1)
        self.hovered = [(label, x, y) for label, _, x, y in rows]
        pygame.draw.line(target, theme.TEXT_DIM, (mouse[0], plot.top), (mouse[0], plot.bottom - 1))
        key = (self._key, round(data_x, 6), plot.size)
        if key != self._hover_key or self._hover_box is None:
            self._hover_box = self._hover_surface(data_x, rows, plot.width)
            self._hover_key = key
        box = self._hover_box.get_rect(topleft=(mouse[0] + 10, plot.top + 4))
        if box.right > plot.right:
            box.right = mouse[0] - 10
        target.blit(self._hover_box, box.clamp(plot))

    def _hover_surface(
        self, data_x: float, rows: list[tuple[str, Colour, float, float]], room: int
    ) -> pygame.Surface:
        """The readout: the x under the cursor, then each series' nearest value."""
        size = 16
        font = theme.font(size)
        x_text = f"{self.spec.x_label}: {exact_number(round(data_x))}"
        texts = [(x_text, theme.TEXT, None)]
        scale = (self._x_range[1] - self._x_range[0]) / max(1, room)
        for label, colour, x, y in rows:
            where = f"  (at {exact_number(x)})" if abs(x - data_x) > HOVER_NEAR * scale else ""
            texts.append((f"{label}: {exact_number(y)}{where}", theme.TEXT, colour))
        width = max(font.size(t)[0] + (14 if c else 0) for t, _, c in texts) + 12
        line_h = font.get_linesize()
        box = pygame.Surface((width, line_h * len(texts) + 8), pygame.SRCALPHA)
        box.fill((*theme.BACKGROUND, 230))
        pygame.draw.rect(box, theme.PANEL_EDGE, box.get_rect(), 1, border_radius=4)
        for i, (text, colour, swatch) in enumerate(texts):
            x, y = 6, 4 + i * line_h
            if swatch is not None:
                pygame.draw.rect(box, swatch, (x, y + 3, 9, 7))
                x += 14
            box.blit(font.render(text, True, colour), (x, y))
        return box
