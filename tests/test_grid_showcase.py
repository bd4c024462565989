"""Watching a gridworld: a champion plays the maze its checks used; a person plays it as
it changes."""

from __future__ import annotations

import numpy as np

from brains.registry import make_brain
from game.arena import brain_shape
from game.scenes import make_scene
from game.showcase import ShowcaseArena


def test_a_champion_of_a_changing_maze_is_watched_on_the_changed_maze():
    key = "gridworld:blocking-maze"
    check = make_scene(key, 1, independent=True)
    check.reset(0)
    brain = make_brain("value-iteration", brain_shape(key), None, 0)
    brain.attach(check.tabular_model())  # planned on the changed maze, as the checks judge it
    while not brain.think(1.0):
        pass
    watched = ShowcaseArena(key, brain, 0)
    for _ in range(300):
        watched.tick()
        if watched.metrics.episodes >= 3:
            break
    assert watched.scene.layout_index == 1
    assert watched.metrics.episodes >= 3 and watched.metrics.best_score == 100


def test_a_person_plays_a_changing_maze_from_its_first_form():
    played = ShowcaseArena("gridworld:blocking-maze", None, 0, policy=_Still(), player="you")
    played.tick()
    assert played.scene.layout_index == 0


class _Still:
    def act(self, observations: np.ndarray) -> np.ndarray:
        return np.full(len(observations), -1)
