"""A person at the keyboard is a Policy like any brain."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from game.app import App
from game.showcase import ShowcaseArena
from game.ui.human import KEYS_SHOWN, HumanPolicy
from game.views import make_view


class Keyboard:
    """Stands in for pygame.key.get_pressed."""

    def __init__(self) -> None:
        self.down: set[int] = set()

    def __call__(self):
        return {key: key in self.down for key in (pygame.K_LEFT, pygame.K_RIGHT, pygame.K_UP)}


def test_arrow_keys_push_the_cart_and_hands_off_alternates():
    keys = Keyboard()
    human = HumanPolicy("cartpole", keys)
    obs = np.zeros((1, 4), dtype=np.float32)
    keys.down = {pygame.K_RIGHT}
    assert human.act(obs).tolist() == [1]
    keys.down = {pygame.K_LEFT}
    assert human.act(obs).tolist() == [0]
    keys.down = set()
    assert sorted(human.act(obs)[0] for _ in range(2)) == [0, 1]


def test_up_flaps_once_per_press():
    keys = Keyboard()
    human = HumanPolicy("flappy", keys)
    obs = np.zeros((1, 7), dtype=np.float32)
    keys.down = {pygame.K_UP}
    assert [int(human.act(obs)[0]) for _ in range(3)] == [1, 0, 0]
    keys.down = set()
    human.act(obs)
    keys.down = {pygame.K_UP}
    assert human.act(obs)[0] == 1


@pytest.mark.parametrize("scene", ["cartpole", "flappy"])
def test_play_mode_runs_in_the_window_with_its_keys_shown(scene):
    keys = Keyboard()
    arena = ShowcaseArena(scene, None, 0, policy=HumanPolicy(scene, keys), player="you")
    arena.keys = KEYS_SHOWN[scene]
    app = App(arena, make_view(scene), fps=0, speed=8)
    for _ in range(120):
        app.frame()
    assert arena.metrics.env_steps > 0 and arena.title.endswith(": you")
    app.close()
