"""Watching a gridworld: a champion plays the maze its checks used; a person plays it as
it changes."""

from __future__ import annotations

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


def test_in_a_race_both_sides_walk_a_changing_maze_in_its_changed_form():
    from game.play.maze_race import MazeRace

    brain = make_brain("value-iteration", brain_shape("gridworld:blocking-maze"), None, 0)
    race = MazeRace("gridworld:blocking-maze", 0, brain)
    race.handle_key("up")
    race.tick()
    assert race.you.scene.layout_index == race.bot.scene.layout_index == 1
    assert race.you.scene.steps[0] == 1
