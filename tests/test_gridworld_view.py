"""The gridworld in the window: the view draws walls, goal, agent and the planner's values,
its keys switch layers, and the planner's step keys work through the App."""

from __future__ import annotations

import numpy as np
import pygame
from test_app import colour_share, press

from brains.registry import make_brain
from game.app import App
from game.arena import brain_shape
from game.experiment import make_arena
from game.views import gridworld_view as gv
from game.views import make_view


def grid_app(
    key: str = "gridworld:dyna-maze", brain: str = "value-iteration", ticks: int = 0
) -> App:
    arena = make_arena(key, make_brain(brain, brain_shape(key), None, 0), 0)
    arena.can_save = False
    for _ in range(ticks):
        arena.tick()
    return App(arena, make_view("gridworld", arena.scene), fps=0, speed=None)


def test_the_view_draws_the_maze_the_values_and_the_agent(artifacts):
    app = grid_app()
    for _ in range(8 * app.arena.ANIMATE_EVERY):  # eight sweeps: values half way to the start
        app.arena.tick()
    app.paused = True
    app.frame()
    pygame.image.save(app.screen, artifacts / "gridworld_planning.png")
    pixels = pygame.surfarray.array3d(app._game)
    assert colour_share(pixels, gv.WALL_COLOUR, 2) > 0.02, "no walls drawn"
    assert colour_share(pixels, gv.GOAL_COLOUR, 2) > 0.005, "no goal drawn"
    assert colour_share(pixels, gv.ARROW, 2) > 0.001, "no arrows drawn"
    gold = np.all(np.abs(pixels.astype(int) - gv.POSITIVE) <= 60, axis=-1).mean()
    assert gold > 0.01, "no values drawn"
    assert colour_share(pixels, (255, 196, 0), 2) > 0.0005, "no agent drawn"  # lane colour 0
    app.close()


def test_keys_switch_layers_and_step_the_planner(artifacts):
    app = grid_app()
    press(pygame.K_c)  # step mode: no sweeps until N
    for _ in range(30):
        app.frame()
    assert app.arena.brain.sweeps == 0
    press(pygame.K_n)
    app.frame()
    assert app.arena.brain.sweeps == 1
    press(pygame.K_a)  # arrows off: the values alone
    app.frame()
    assert app.view.layers == {"h": True, "a": False, "q": False, "v": False}
    press(pygame.K_v)  # the visits replace the values
    app.frame()
    assert app.view.layers == {"h": False, "a": False, "q": False, "v": True}
    press(pygame.K_q)  # the triangles replace the visits
    app.frame()
    assert app.view.layers == {"h": False, "a": False, "q": True, "v": False}
    press(pygame.K_c)  # continuous again: it plans to the end and walks
    for _ in range(60):
        app.frame()
    assert app.arena.brain.converged and app.arena.metrics.env_steps > 0
    pygame.image.save(app.screen, artifacts / "gridworld_q_triangles.png")
    app.close()


def test_a_large_maze_draws_without_per_cell_details(artifacts):
    app = grid_app("gridworld:maze-41")
    for _ in range(20):
        app.frame()
    pygame.image.save(app.screen, artifacts / "gridworld_maze41.png")
    pixels = pygame.surfarray.array3d(app._game)
    assert colour_share(pixels, gv.WALL_COLOUR, 2) > 0.1
    app.close()
