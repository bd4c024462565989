"""NEAT in the window (dummy driver): the champion's network and the species chart render,
N toggles the network, and its key is on screen."""

from __future__ import annotations

import numpy as np
import pygame

from brains.registry import make_brain
from game.app import App
from game.arena import Budget, EvolutionArena, brain_shape
from game.metrics import Metrics
from game.ui import network_view, theme
from game.ui.stacked_chart import StackedChart, stack_bands
from game.views import make_view


def share(pixels: np.ndarray, colour: tuple[int, int, int], tolerance: int = 10) -> float:
    return float(np.all(np.abs(pixels.astype(int) - colour) <= tolerance, axis=-1).mean())


def neat_app(tmp_path, generations: int = 4) -> App:
    brain = make_brain("neat", brain_shape("flappy"), 40, seed=0)
    arena = EvolutionArena("flappy", brain, seed=0)
    arena.run(Budget(max_generations=generations))
    return App(arena, make_view("flappy"), save_root=tmp_path / "runs", fps=0)


def test_network_view_and_species_chart_render_and_n_toggles(tmp_path, artifacts):
    app = neat_app(tmp_path)
    app.frame()
    pygame.image.save(app.screen, artifacts / "neat_frame.png")
    assert app.has_network and app.show_network
    game = app._game.get_rect(topleft=(0, 0))
    shown = pygame.surfarray.array3d(app.screen)
    # Output nodes are gold, inputs blue: both show in a panel of their own beside the game,
    # and the game (its sky, where birds fly) shows none of them.
    beside = shown[game.width + 20 :, : shown.shape[1] // 2]
    assert share(beside, network_view.NODE["output"]) > 0.0005
    assert share(beside, network_view.NODE["input"]) > 0.0005
    assert share(pygame.surfarray.array3d(app._game), network_view.NODE["input"]) == 0
    species = app.charts[-1]
    assert isinstance(species, StackedChart)
    assert app.arena.metrics.stacks["species_sizes"].rows
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_n, mod=0, unicode="n"))
    app.frame()
    assert not app.show_network
    hidden = pygame.surfarray.array3d(app.screen)[game.width + 20 :, : shown.shape[1] // 2]
    assert share(hidden, network_view.NODE["output"]) < share(beside, network_view.NODE["output"])
    app.running = False
    app.close()


def test_the_key_line_names_the_network_key(tmp_path, monkeypatch):
    app = neat_app(tmp_path, generations=1)
    shown = []
    monkeypatch.setattr(
        "game.app.draw_key_line", lambda surface, rect, keys: shown.extend(keys) or []
    )
    app.draw()
    assert ("N", "hide network") in shown
    app.close()


def test_species_bands_stack_in_birth_order():
    xs, ids, tops = stack_bands([(1, {1: 10}), (2, {1: 6, 3: 4}), (3, {3: 7, 4: 3})])
    assert xs.tolist() == [1, 2, 3] and ids == [1, 3, 4]
    assert tops[:, 1].tolist() == [6, 10, 10] and tops[-1].tolist() == [10, 10, 10]


def test_species_chart_draws_one_colour_per_species():
    pygame.display.init()
    metrics = Metrics()
    for g in range(1, 30):
        metrics.record_stack("species_sizes", g, {1: 30 - g, 2: g} if g > 5 else {1: 30})
    chart = StackedChart(make_spec())
    surface = pygame.Surface((500, 260))
    chart.draw(surface, surface.get_rect(), metrics)
    pixels = pygame.surfarray.array3d(surface)
    from game import colours

    assert share(pixels, colours.nth(1), 3) > 0.05 and share(pixels, colours.nth(2), 3) > 0.05


def test_network_layout_puts_hidden_nodes_between_inputs_and_outputs():
    record = {
        "inputs": [-1, -2],
        "outputs": [0],
        "nodes": [{"key": k} for k in (0, 5, 6)],
        "connections": [
            {"in": -1, "out": 5, "weight": 1.0, "enabled": True},
            {"in": 5, "out": 6, "weight": 1.0, "enabled": True},
            {"in": 6, "out": 0, "weight": -1.0, "enabled": True},
            {"in": -2, "out": 0, "weight": 1.0, "enabled": False},
        ],
    }
    assert network_view.node_depths(record) == {-1: 0, -2: 0, 5: 1, 6: 2, 0: 3}


def make_spec():
    from game.arena import ChartSpec
    from game.colours import GOLD

    return ChartSpec("Species", "generation", (("species_sizes", "", GOLD),), kind="stacked")


def test_watching_a_saved_neat_brain_shows_its_network(tmp_path):
    from brains.storage import load_brain, save_brain
    from game.showcase import ShowcaseArena

    brain = make_brain("neat", brain_shape("cartpole"), 20, seed=0)
    EvolutionArena("cartpole", brain, seed=0).run(Budget(max_generations=1))
    loaded = load_brain(save_brain(brain, tmp_path / "b"))
    app = App(ShowcaseArena("cartpole", loaded, 0), make_view("cartpole"), fps=0)
    app.frame()
    assert app.has_network and app.arena.network()[1] == brain.best_record
    pixels = pygame.surfarray.array3d(app.screen)
    assert share(pixels, network_view.NODE["output"]) > 0.0002
    app.close()


def test_both_charts_wait_the_same_way_from_one_plot_helper():
    from game.arena import ChartSpec
    from game.colours import GOLD
    from game.ui.chart import Chart, plot_rect

    pygame.display.init()
    size = (500, 260)
    plot = plot_rect(size)
    assert plot is not None and plot_rect((60, 60)) is None
    drawn = []
    for chart in (
        Chart(ChartSpec("", "generation", (("best", "", GOLD),))),
        StackedChart(make_spec()),
    ):
        surface = pygame.Surface(size)
        chart.draw(surface, surface.get_rect(), Metrics())
        drawn.append(pygame.surfarray.array3d(surface.subsurface(plot)))
    assert share(drawn[0], theme.TEXT_DIM, 40) > 0.001  # the "waiting" note
    assert np.array_equal(drawn[0], drawn[1])
