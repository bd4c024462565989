"""Racing brains: the brain list, the window's lanes and chart, the headless table."""

from __future__ import annotations

import json

import numpy as np
import pygame
import pytest
from test_cli import main_py

from brains.base import BrainShape
from brains.registry import make_brain
from brains.settings import SettingsError
from game.app import App
from game.arena import Budget, brain_shape
from game.compare import CompareArena, lane_colour, split_brain_list
from game.views import make_view


def test_brain_lists_keep_each_brains_settings_together():
    assert split_brain_list("random-search,hill-climb,q-table,ga") == [
        "random-search",
        "hill-climb",
        "q-table",
        "ga",
    ]
    assert split_brain_list("ga:hidden=4,mutation=0.2,q-table:alpha=0.2,ga") == [
        "ga:hidden=4,mutation=0.2",
        "q-table:alpha=0.2",
        "ga",
    ]


def race(names: str, seed: int = 0, max_steps: int = 30_000) -> CompareArena:
    shape = brain_shape("cartpole")
    brains = [(text, make_brain(text, shape, None, seed)) for text in split_brain_list(names)]
    return CompareArena("cartpole", brains, seed, Budget(max_steps=max_steps, until_solved=True))


def test_compare_mode_draws_one_panel_per_brain_and_one_line_per_brain(tmp_path, artifacts):
    arena = race("random-search,hill-climb,q-table,ga")
    app = App(arena, make_view("cartpole"), fps=0, speed=None)
    for _ in range(300):
        app.frame()
    pygame.image.save(app.screen, artifacts / "compare.png")
    pixels = pygame.surfarray.array3d(app._game).astype(int)
    for i in range(4):  # each lane's label carries its colour swatch
        assert np.all(np.abs(pixels - lane_colour(i)) <= 3, axis=-1).any(), f"no panel for lane {i}"
    (returns, checks) = arena.charts()
    assert [line[1] for line in returns.lines] == ["random-search", "hill-climb", "q-table", "ga"]
    for i in range(4):
        assert len(arena.metrics.series[f"lane{i}"]) > 0, f"no line for lane {i}"
    assert any(lane.arena.metrics.solved for lane in arena.lanes)
    app.close()


def test_a_race_ends_with_a_results_table_and_lanes_keep_playing():
    arena = race("hill-climb,ga", max_steps=20_000)
    while not arena.all_done:
        arena.tick()
    rows = arena.results()
    assert [row[0] for row in rows] == ["hill-climb", "ga"]
    assert rows[1][1] == "yes" and rows[1][2] != "-"
    shown = arena.lanes[1].shown
    tick = shown.metrics.env_steps
    arena.tick()
    assert shown.metrics.env_steps == tick + 1  # the champion plays on, outside the race
    assert arena.lanes[1].arena.metrics.env_steps == int(rows[1][2].replace(",", ""))


def test_headless_compare_prints_a_json_line_per_brain_and_seed_and_a_table(tmp_path):
    result = main_py(
        "compare",
        "--out",
        str(tmp_path),
        "--scene",
        "cartpole",
        "--brains",
        "hill-climb,ga",
        "--headless",
        "--seeds",
        "2",
        "--max-steps",
        "30000",
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [(line["brain"], line["seed"]) for line in lines] == [
        ("hill-climb", 0),
        ("ga", 0),
        ("hill-climb", 1),
        ("ga", 1),
    ]
    assert all(line["saved_to"] is None for line in lines)
    assert "env steps to solve" in result.stderr and "ga" in result.stderr.splitlines()[-1]


def test_full_budget_races_every_brain_to_its_last_step_solved_or_not(tmp_path):
    options = ("compare", "--scene", "cartpole", "--brains", "ga", "--headless")
    options += ("--out", str(tmp_path))
    options += ("--max-steps", "40000")
    first = json.loads(main_py(*options).stdout)
    assert first["solved"] and first["env_steps"] < 40_000  # it stops at its solve...
    whole = json.loads(main_py(*options, "--full-budget").stdout)
    assert whole["solved"] and whole["env_steps"] >= 40_000  # ...unless told to go on


@pytest.mark.parametrize(
    ("brains", "says"),
    [
        (
            "hill-climb,skynet",
            "unknown brain 'skynet'; brains: a2c, dqn, dyna-q, dyna-q-plus, ga, hill-climb",
        ),
        ("ga:hiden=2", "no setting 'hiden'"),
    ],
)
def test_bad_brains_in_a_race_are_one_line_errors(brains, says):
    result = main_py("compare", "--brains", brains, "--headless")
    assert result.returncode == 2 and says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_brain_that_cannot_play_a_scene_says_so_and_lists_those_that_can():
    unbounded = BrainShape(3, 2, "mystery", (-np.inf,) * 3, (np.inf,) * 3)
    with pytest.raises(SettingsError) as error:
        make_brain("q-table", unbounded, None, 0)
    message = str(error.value)
    assert "does not support scene mystery" in message and "no finite bounds" in message
    assert "brains for it: a2c, dqn, ga, hill-climb, mcts, neat, ppo, random-search" in message
