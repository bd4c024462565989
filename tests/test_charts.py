"""The window's charts (dummy driver): distinct ticks on flat lines, lone points drawn, the
note that says what a chart waits for, small rects that keep a plot, a second axis for
other units, the hover readout over the cached chart, and a real run drawn at every size.
Pictures go to test-artifacts/charts-*.png."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from brains.registry import make_brain
from game.arena import ChartSpec, brain_shape
from game.colours import BLUE, GOLD, GREEN, PINK
from game.experiment import make_arena
from game.metrics import Metrics
from game.ui import theme
from game.ui.chart import (
    Chart,
    faint,
    nice_ticks,
    tick_labels,
    value_at,
    waiting_text,
    y_range,
)
from game.ui.stacked_chart import StackedChart

RETURNS = ChartSpec(
    "Return per episode",
    "environment steps",
    (
        ("return", "return", BLUE),
        ("return_average", "mean of last 100", GOLD),
        ("eval_score", "greedy check", PINK),
    ),
)


@pytest.fixture(autouse=True)
def display():
    pygame.display.init()
    pygame.font.init()
    yield


def share(pixels: np.ndarray, colour, tolerance: int = 12) -> float:
    close = np.all(np.abs(pixels.astype(int) - colour) <= tolerance, axis=-1)
    return float(close.mean())


def draw(chart: Chart, metrics: Metrics, size=(500, 260), mouse=None) -> pygame.Surface:
    surface = pygame.Surface(size)
    chart.draw(surface, surface.get_rect(), metrics, mouse)
    return surface


def plot_pixels(chart: Chart, surface: pygame.Surface) -> np.ndarray:
    assert chart.last_layout is not None and chart.last_layout.plot is not None
    return pygame.surfarray.array3d(surface.subsurface(chart.last_layout.plot))


def noisy_run(points: int = 400, seed: int = 0) -> Metrics:
    """Returns that jump about around a rising trend, their moving mean and a few checks."""
    rng = np.random.default_rng(seed)
    metrics, recent = Metrics(), []
    for i in range(points):
        step = (i + 1) * 60
        value = float(max(8, 20 + i * 0.3 + rng.normal(0, 30)))
        recent = (recent + [value])[-100:]
        metrics.record("return", step, value)
        metrics.record("return_average", step, float(np.mean(recent)))
        if i % 40 == 39:
            metrics.record("eval_score", step, float(40 + i * 0.2))
    return metrics


# -- ticks --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "low, high",
    [(494, 494), (494, 494.3), (500, 500), (0, 0), (0.05, 0.05), (-3.2, -3.2), (1e6, 1e6 + 1)],
)
def test_a_flat_or_nearly_flat_series_gets_distinct_tick_labels(low, high):
    span = y_range(low, high)
    assert span[0] < low <= high < span[1]
    for count in (2, 3, 5):
        labels = tick_labels(nice_ticks(*span, count=count))
        assert len(labels) >= 2 and len(set(labels)) == len(labels), labels


def test_tick_labels_take_the_digits_they_need_to_differ():
    assert tick_labels([0, 20, 40]) == ["0", "20", "40"]
    assert tick_labels([493, 493.5, 494]) == ["493", "493.5", "494"]
    assert len(set(tick_labels([12300, 12310, 12320]))) == 3  # 12.3k three times, unless
    assert tick_labels(nice_ticks(-0.4, 0.4, 4))[2] == "0"  # exactly zero, not 1e-17


def test_the_value_axis_starts_at_zero_when_the_data_nearly_does():
    assert y_range(5, 100)[0] == 0
    assert y_range(-12, -1)[1] == 0
    low, high = y_range(60, 100)
    assert 50 < low < 60 and 100 < high < 110


def test_a_flat_line_is_drawn_with_distinct_labels():
    metrics = Metrics()
    for i in range(50):
        metrics.record("eval_score", i * 1000, 494.0)
    chart = Chart(ChartSpec("Greedy check", "environment steps", (("eval_score", "check", PINK),)))
    surface = draw(chart, metrics)
    left = chart.last_layout.ticks["left"]
    assert len(left) >= 2 and len(set(left)) == len(left) and "494" not in left[1:-1] * 2
    assert share(plot_pixels(chart, surface), PINK) > 0.002


# -- few points, no points ----------------------------------------------------------------


def test_one_point_is_a_dot_with_its_value_and_two_points_a_line():
    spec = ChartSpec("Fitness per generation", "generation", (("best", "best", GOLD),))
    metrics = Metrics()
    metrics.record("best", 1, 37.5)
    chart = Chart(spec)
    one = share(plot_pixels(chart, draw(chart, metrics)), GOLD, 30)
    assert one > 0.0004, "the lone point is not drawn"
    assert chart.last_layout.ticks["x"] == ["0", "1", "2"]  # the point sits mid-axis
    metrics.record("best", 2, 60.0)
    two = share(plot_pixels(chart, draw(chart, metrics)), GOLD, 30)
    assert two > one


def test_the_waiting_note_says_what_is_awaited():
    def spec(title: str, x: str, *names: str) -> ChartSpec:
        return ChartSpec(title, x, tuple((n, n, GOLD) for n in names))

    assert waiting_text(spec("Fitness per generation", "generation", "best_fitness")) == (
        "waiting for the first generation to end"
    )
    assert "first episode to end" in waiting_text(RETURNS)
    race = spec("Return per episode, or best fitness per generation", "environment steps", "lane0")
    assert waiting_text(race) == "waiting for the first episode or generation to end"
    checks = spec("Greedy policy on fresh courses", "environment steps", "check0", "check1")
    assert waiting_text(checks) == "waiting for the first check"
    assert (
        waiting_text(spec("Pipes per round", "round", "you"))
        == "waiting for the first round to end"
    )
    assert "first race" in waiting_text(spec("Steps to the goal per race", "race", "you"))
    assert "training to start" in waiting_text(spec("Training loss", "environment steps", "loss"))


def test_a_waiting_chart_draws_its_note_even_when_small(artifacts):
    spec = ChartSpec("Return per episode, or best fitness per generation", "environment steps",
                     (("lane0", "ga", GOLD), ("lane1", "neat", BLUE)))  # fmt: skip
    sheet = pygame.Surface((520, 420))
    sheet.fill(theme.BACKGROUND)
    for rect in (pygame.Rect(0, 0, 520, 260), pygame.Rect(0, 270, 280, 140)):
        chart = Chart(spec)
        chart.draw(sheet, rect, Metrics())
        plot = chart.last_layout.plot.move(rect.topleft)
        assert share(pygame.surfarray.array3d(sheet.subsurface(plot)), theme.TEXT_DIM, 40) > 0.005
    pygame.image.save(sheet, artifacts / "charts-waiting.png")


# -- layout at small sizes ----------------------------------------------------------------

LONG_LEGEND = ChartSpec(
    "Score per generation",
    "generation",
    (("best_score", "best pipes", GREEN), ("eval_score", "champion, fresh courses", PINK)),
)


@pytest.mark.parametrize("size", [(620, 300), (360, 220), (320, 150), (280, 120), (200, 90)])
@pytest.mark.parametrize("spec", [RETURNS, LONG_LEGEND], ids=["returns", "long-legend"])
def test_a_small_chart_keeps_its_plot_and_nothing_overlaps(size, spec):
    metrics = noisy_run(200) if spec is RETURNS else generations(20)
    chart = Chart(spec)
    surface = draw(chart, metrics, size)
    layout = chart.last_layout
    assert layout.plot is not None and layout.plot.height >= 20 and layout.plot.width >= 60
    panel = surface.get_rect()
    assert panel.contains(layout.title) and panel.contains(layout.plot)
    if layout.items:
        assert panel.contains(layout.legend)
        assert not layout.legend.colliderect(layout.title), "legend over the title"
        assert not layout.legend.colliderect(layout.plot), "legend over the plot"
    assert not layout.title.colliderect(layout.plot)
    assert share(plot_pixels(chart, surface), spec.lines[1][2], 30) > 0.002


def generations(count: int) -> Metrics:
    metrics = Metrics()
    for g in range(1, count):
        metrics.record("best_score", g, float(g * 2 + g % 3))
        metrics.record("eval_score", g, g * 1.5)
    return metrics


def test_small_charts_look_right(artifacts):
    metrics, evolved = noisy_run(300), generations(20)
    sheet = pygame.Surface((640, 420))
    sheet.fill(theme.BACKGROUND)
    spots = [
        pygame.Rect(0, 0, 360, 220),
        pygame.Rect(370, 0, 270, 120),
        pygame.Rect(370, 130, 200, 90),
        pygame.Rect(0, 230, 320, 150),
        pygame.Rect(330, 230, 280, 120),
    ]
    specs = [RETURNS, RETURNS, RETURNS, LONG_LEGEND, LONG_LEGEND]
    for spec, rect in zip(specs, spots, strict=True):
        Chart(spec).draw(sheet, rect, metrics if spec is RETURNS else evolved)
    pygame.image.save(sheet, artifacts / "charts-small.png")


# -- the raw series and its mean ----------------------------------------------------------


def test_the_raw_series_is_drawn_faint_behind_its_mean():
    chart = Chart(RETURNS)
    pixels = plot_pixels(chart, draw(chart, noisy_run(), (620, 300)))
    assert share(pixels, faint(BLUE), 10) > 0.01, "the raw returns are not visible"
    assert share(pixels, BLUE, 10) < 0.002, "the raw returns are at full strength"
    assert share(pixels, GOLD, 30) > 0.004, "the mean is hidden"
    alone = Chart(ChartSpec("Steps per episode", "episode", (("return", "steps", BLUE),)))
    assert share(plot_pixels(alone, draw(alone, noisy_run())), BLUE, 10) > 0.005  # no mean: full


# -- two axes -----------------------------------------------------------------------------


def test_a_line_in_other_units_gets_a_right_axis_with_its_own_ticks(artifacts):
    spec = ChartSpec(
        "Greedy check (% of shortest path)",
        "environment steps",
        (("eval_score", "greedy check", PINK), ("return_average", "mean return", GREEN, "right")),
        y_names=("% of shortest path", "mean return"),
    )
    metrics = Metrics()
    for i in range(1, 60):
        metrics.record("eval_score", i * 100, min(100.0, i * 3.0))
        metrics.record("return_average", i * 100, -40 + i * 0.6)
    chart = Chart(spec)
    surface = draw(chart, metrics, (520, 260))
    layout = chart.last_layout
    assert len(layout.ticks["right"]) >= 2 and len(layout.ticks["left"]) >= 2
    assert any(t.startswith("-") for t in layout.ticks["right"])  # the returns' own scale
    assert "100" in layout.ticks["left"]
    right = pygame.surfarray.array3d(surface.subsurface((layout.plot.right + 1, 0, 40, 260)))
    assert share(right, faint(GREEN, 0.15), 40) > 0.003, "no right-axis labels"
    pygame.image.save(surface, artifacts / "charts-two-axes.png")


def test_a_race_of_evolvers_and_learners_puts_fitness_on_the_right():
    from game.arena import Budget
    from game.compare import CompareArena

    shape = brain_shape("cartpole")
    brains = [(t, make_brain(t, shape, None, 0)) for t in ("ga", "q-table")]
    race = CompareArena("cartpole", brains, 0, Budget(max_steps=2000))
    returns, checks = race.charts()
    assert [line[3] for line in returns.lines] == ["right", "left"]
    assert returns.y_names == ("mean return", "best fitness")
    assert all(len(line) == 3 or line[3] == "left" for line in checks.lines)
    evolvers = CompareArena("cartpole", brains[:1], 0, Budget(max_steps=2000)).charts()[0]
    assert all(line[3] == "left" for line in evolvers.lines) and evolvers.y_names == ("", "")
    assert waiting_text(evolvers) == "waiting for the first generation to end"


# -- hover --------------------------------------------------------------------------------


def test_value_at_picks_the_nearest_point():
    xs, ys = np.array([0.0, 10.0, 20.0]), np.array([1.0, 2.0, 3.0])
    assert value_at(xs, ys, 4) == (0.0, 1.0)
    assert value_at(xs, ys, 6) == (10.0, 2.0)
    assert value_at(xs, ys, 99) == (20.0, 3.0)
    assert value_at(np.array([]), np.array([]), 3) is None


def test_hover_reads_the_values_under_the_cursor_without_rendering_again(artifacts, monkeypatch):
    metrics = Metrics()
    for i in range(1, 101):
        metrics.record("return", i * 10, float(i % 7))
        metrics.record("return_average", i * 10, float(i))
    chart = Chart(RETURNS)
    plain = draw(chart, metrics, (620, 300))
    renders = []
    monkeypatch.setattr(chart, "_render", lambda *a: renders.append(a))
    plot = chart.last_layout.plot
    mouse = (plot.left + plot.width // 2, plot.centery)
    hovered = draw(chart, metrics, (620, 300), mouse)
    assert renders == [], "the hover rendered the chart again"
    values = {label: (x, y) for label, x, y in chart.hovered}
    x = values["mean of last 100"][0]
    assert abs(x - 505) <= 10 and values["mean of last 100"][1] == x / 10
    assert values["return"] == (x, float((x / 10) % 7))
    assert "greedy check" not in values  # no checks yet: nothing to read
    before = pygame.surfarray.array3d(plain)
    after = pygame.surfarray.array3d(hovered)
    assert (before != after).any(axis=-1).mean() > 0.01, "no readout drawn"
    pygame.image.save(hovered, artifacts / "charts-hover.png")
    draw(chart, metrics, (620, 300), (0, 0))  # outside the plot: no readout
    assert chart.hovered == []
    assert np.array_equal(pygame.surfarray.array3d(draw(chart, metrics, (620, 300))), before)


def test_hover_on_the_species_chart_reads_the_generation():
    metrics = Metrics()
    for g in range(1, 30):
        metrics.record_stack("species_sizes", g, {1: 30 - g, 2: g} if g > 5 else {1: 30})
    spec = ChartSpec("Species", "generation", (("species_sizes", "", GOLD),), kind="stacked")
    chart = StackedChart(spec)
    draw(chart, metrics)
    plot = chart.last_layout.plot
    draw(chart, metrics, mouse=(plot.right - 2, plot.centery))
    assert dict((label, y) for label, _, y in chart.hovered) == {"species": 2, "members": 30}


# -- a real run ---------------------------------------------------------------------------


@pytest.mark.parametrize("brain", ["q-table", "dqn"])
def test_a_real_cartpole_run_draws_readable_charts_at_every_size(brain, artifacts):
    arena = make_arena("cartpole", make_brain(brain, brain_shape("cartpole"), None, 0), 0)
    while arena.metrics.env_steps < 6000:
        arena.tick()
    charts = [Chart(spec) for spec in arena.charts()]
    sheet = pygame.Surface((1000, 330 * len(charts)))
    sheet.fill(theme.BACKGROUND)
    for row, chart in enumerate(charts):
        y = row * 330
        for rect in (
            pygame.Rect(0, y, 520, 320),
            pygame.Rect(530, y, 360, 210),
            pygame.Rect(530, y + 220, 280, 100),
        ):
            chart.draw(sheet, rect, arena.metrics)
            plot = chart.last_layout.plot
            assert plot is not None and plot.height >= 20, (chart.spec.title, rect.size)
            for side in ("left", "x"):
                labels = chart.last_layout.ticks[side]
                assert len(set(labels)) == len(labels), (chart.spec.title, labels)
        big = pygame.Rect(0, y, 520, 320)
        chart.draw(sheet, big, arena.metrics)
        plot = chart.last_layout.plot.move(big.topleft)
        chart.draw(sheet, big, arena.metrics, (plot.left + plot.width * 3 // 4, plot.centery))
        assert chart.hovered
    pygame.image.save(sheet, artifacts / f"charts-cartpole-{brain}.png")
    first = charts[0]
    first.draw(sheet, pygame.Rect(0, 0, 520, 320), arena.metrics)
    pixels = pygame.surfarray.array3d(sheet.subsurface(first.last_layout.plot))
    assert share(pixels, GOLD, 30) > 0.003  # the mean, in front of the raw returns
