"""The window, with SDL's dummy video driver: it runs, answers keys, draws birds and pipes."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from brains.registry import make_brain
from game.app import SPEEDS, App
from game.arena import Budget, EvolutionArena, brain_shape
from game.scenes import flappy as world
from game.views import flappy_art as art
from game.views import make_view


def new_app(tmp_path, seed: int = 0, population: int = 60, **kwargs) -> App:
    brain = make_brain("ga", brain_shape("flappy"), population, seed)
    arena = EvolutionArena("flappy", brain, seed)
    return App(arena, make_view("flappy"), save_root=tmp_path / "runs", fps=0, **kwargs)


def press(key: int) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))


def colour_share(pixels: np.ndarray, colour: tuple[int, int, int], tolerance: int = 12) -> float:
    return float(np.all(np.abs(pixels.astype(int) - colour) <= tolerance, axis=-1).mean())


def test_the_app_runs_300_frames_and_draws_birds_and_pipes(tmp_path, artifacts):
    app = new_app(tmp_path, population=200)
    press(pygame.K_PLUS)  # 2x: the first pipe comes on screen within a few hundred frames
    for _ in range(300):
        app.frame()
    assert app.frames == 300 and app.running
    assert app.arena.scene.tick > 0
    frame_path = artifacts / "app_frame.png"
    pygame.image.save(app.screen, frame_path)
    game = app._game
    pixels = pygame.surfarray.array3d(game)
    assert colour_share(pixels, art.PIPE_MID) > 0.005, "no pipes drawn"
    assert colour_share(pixels, art.GROUND) > 0.05, "no ground drawn"
    # Birds sit in the column at BIRD_X; their yellow shows there and nowhere else.
    scale = game.get_height() / world.HEIGHT
    column = pixels[int((world.BIRD_X - 12) * scale) : int((world.BIRD_X + 12) * scale)]
    assert colour_share(column, art.BIRD_BODY, tolerance=40) > 0.001, "no birds drawn"
    app.close()


def test_keys_pause_change_speed_fast_forward_save_and_quit(tmp_path):
    app = new_app(tmp_path)
    press(pygame.K_s)  # nothing to save before the first generation ends
    app.frame()
    assert not (tmp_path / "runs").exists()
    press(pygame.K_SPACE)
    app.frame()
    assert app.paused
    tick = app.arena.scene.tick
    for _ in range(5):
        app.frame()
    assert app.arena.scene.tick == tick, "paused, yet the simulation moved"
    press(pygame.K_SPACE)
    for _ in range(len(SPEEDS) + 2):
        press(pygame.K_PLUS)
    app.frame()
    assert not app.paused and app.speed is None  # "max" is the top speed
    press(pygame.K_MINUS)
    app.frame()
    assert app.speed == SPEEDS[-2]
    press(pygame.K_f)
    app.frame()
    assert app.fast_forward
    app.speed_index = len(SPEEDS) - 1
    while app.arena.metrics.generations < 1:
        app.frame()
    press(pygame.K_s)
    app.frame()
    saved = list((tmp_path / "runs").iterdir())
    assert len(saved) == 1 and (saved[0] / "brain.json").is_file()
    press(pygame.K_ESCAPE)
    app.frame()
    assert not app.running
    # Closing saves again only if a generation ended since S was pressed.
    expected = 1 if app.saved_at == app.arena.progress_tag() else 2
    app.close()
    assert len(list((tmp_path / "runs").iterdir())) == expected


def test_closing_the_window_saves_unsaved_progress(tmp_path):
    app = new_app(tmp_path, speed=None)
    while app.arena.metrics.generations < 2:
        app.frame()
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    app.run()
    saved = list((tmp_path / "runs").iterdir())
    assert len(saved) == 1 and f"gen{app.arena.metrics.generations}-" in saved[0].name


@pytest.mark.parametrize("speed", [64, None])
def test_the_frame_rate_does_not_change_what_is_learned(tmp_path, speed):
    headless = EvolutionArena("flappy", make_brain("ga", brain_shape("flappy"), 60, 5), 5)
    headless.run(Budget(max_generations=3))
    app = new_app(tmp_path, seed=5, speed=speed)
    while app.arena.metrics.generations < 3:
        app.frame()
    for name in ("best_fitness", "mean_fitness", "best_score"):
        expected = headless.metrics.series[name].arrays()[1]
        assert np.array_equal(app.arena.metrics.series[name].arrays()[1][:3], expected)
    app.running = False
    app.arena.can_save = False
    app.close()


def test_the_window_can_be_resized(tmp_path, artifacts):
    app = new_app(tmp_path)
    for size in ((800, 500), (1600, 900), (500, 400)):
        app.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
        app.frame()
        assert app._game.get_height() <= size[1]
    pygame.image.save(app.screen, artifacts / "app_small_window.png")
    app.arena.can_save = False
    app.close()


def test_reaching_the_budget_in_the_window_stops_training_and_saves(tmp_path):
    app = new_app(tmp_path, speed=None, budget=Budget(max_generations=2))
    for _ in range(2_000):
        app.frame()
        if app.finished:
            break
    assert app.finished and app.arena.metrics.generations == 2
    assert len(list((tmp_path / "runs").iterdir())) == 1
    app.close()


def test_cartpole_runs_in_the_window_with_its_carts_drawn(tmp_path, artifacts):
    from game.views import cartpole_view

    brain = make_brain("hill-climb", brain_shape("cartpole"), None, 0)
    arena = EvolutionArena("cartpole", brain, 0)
    app = App(arena, make_view("cartpole"), save_root=tmp_path / "runs", fps=0)
    for _ in range(120):
        app.frame()
    pygame.image.save(app.screen, artifacts / "app_cartpole.png")
    pixels = pygame.surfarray.array3d(app._game)
    shares = [
        colour_share(pixels, cartpole_view.cart_colour(i)) for i in range(brain.population_size)
    ]
    assert max(shares) > 0.001, "no cart drawn"
    assert colour_share(pixels, cartpole_view.LIMIT, tolerance=20) > 0.0001, "no track limits drawn"
    app.arena.can_save = False
    app.close()


def test_a_learner_runs_in_the_window_with_its_return_chart(tmp_path):
    from game.experiment import make_arena

    arena = make_arena("cartpole", make_brain("q-table", brain_shape("cartpole"), 8, 0), 0)
    app = App(arena, make_view("cartpole"), save_root=tmp_path / "runs", fps=0, speed=None)
    for _ in range(60):
        app.frame()
    assert arena.metrics.episodes > 0 and "return" in arena.metrics.series
    assert any(label == "Epsilon" for label, _ in arena.hud())
    app.running = False
    app.close()  # saves what was learned
    assert len(list((tmp_path / "runs").iterdir())) == 1


def test_axis_ticks_are_round_and_a_short_axis_still_gets_a_scale():
    from game.ui.chart import nice_ticks

    assert nice_ticks(0, 100, count=5) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(0, 5000, count=6, whole=True) == [0, 1000, 2000, 3000, 4000, 5000]
    # Two ticks asked of 0..45: a step of 50 would leave the lone 0; 20 gives a scale.
    assert nice_ticks(0, 45, count=2) == [0, 20, 40]
    assert nice_ticks(0, 3, count=6, whole=True) == [0, 1, 2, 3]  # counts stay whole
