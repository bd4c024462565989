"""A map fixes its book's settings for the brains that play it (discount, step size,
exploration): a default run reproduces the book, settings given with the brain win, a
bad setting is a one-line map error, brains without the setting are untouched, and a
saved brain keeps the settings it was saved with."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest
from test_cli import main_py

from brains.registry import make_brain
from brains.settings import SettingsError
from brains.storage import load_brain, save_brain
from game.arena import brain_shape
from game.scenes.gridmap import MapError, load_map, parse_map

# Example 4.1, Figure 4.1: the random policy's values on the 4x4 gridworld (k = infinity).
BOOK_4X4 = [[0, -14, -20, -22], [-14, -18, -20, -20], [-20, -20, -18, -14], [-22, -20, -14, 0]]
MAZE = "map:\nS..G\n"


def settings_of(text: str, key: str) -> dict:
    return asdict(make_brain(text, brain_shape(key), None, 0).settings)


def test_the_books_maps_carry_the_books_settings():
    assert dict(load_map("sutton-4x4").brain_settings) == {"gamma": "1"}
    assert dict(load_map("cliff").brain_settings) == {
        "gamma": "1",
        "epsilon": "0.1",
        "alpha": "0.5",
    }
    assert dict(load_map("dyna-maze").brain_settings) == {
        "gamma": "0.95",
        "alpha": "0.1",
        "epsilon": "0.1",
    }
    for name in ("blocking-maze", "shortcut-maze"):  # the book gives none for its figures
        assert load_map(name).brain_settings == ()
    shape = brain_shape("gridworld:cliff")
    assert dict(shape.brain_settings) == {"gamma": "1", "epsilon": "0.1", "alpha": "0.5"}


def test_a_default_run_of_policy_evaluation_gives_figure_4_1(tmp_path):
    result = main_py(
        "train", "--map", "sutton-4x4", "--brain", "policy-evaluation", "--max-episodes", "1",
        "--quiet", "--out", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    values = np.array(line["values"])
    # The book prints one decimal; theta 1e-6 leaves every value within 1e-4 of the limit.
    assert np.array_equal(np.round(values, 1), BOOK_4X4)
    assert np.allclose(values, BOOK_4X4, atol=1e-4)
    meta = json.loads((Path(line["saved_to"]) / "brain.json").read_text())
    assert meta["settings"]["gamma"] == 1


def test_settings_given_with_the_brain_win_over_the_map(tmp_path):
    result = main_py(
        "train", "--map", "sutton-4x4", "--brain", "policy-evaluation:gamma=0.9",
        "--max-episodes", "1", "--quiet", "--out", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    values = np.array(json.loads(result.stdout)["values"])
    assert values[0, 1] == pytest.approx(-5.27781, abs=1e-4)  # discounted: far from -14
    given = settings_of("q-learning:alpha=0.2,epsilon=0", "gridworld:cliff")
    assert given == settings_of("q-learning", "gridworld:cliff") | {"alpha": 0.2, "epsilon": 0.0}


def test_the_map_comes_between_a_brains_scene_defaults_and_its_own_settings():
    # MCTS's gridworld defaults discount by 0.95; the 4x4 map's gamma 1 is its discount.
    four = settings_of("mcts", "gridworld:sutton-4x4")
    assert four["discount"] == 1 and four["simulations"] == 2048  # the rest still tuned
    assert settings_of("mcts", "gridworld:blocking-maze")["discount"] == 0.95
    assert settings_of("mcts:discount=0.5", "gridworld:sutton-4x4")["discount"] == 0.5
    # Dyna-Q+'s own step size is 1; the Dyna Maze's book sets 0.1.
    assert settings_of("dyna-q-plus", "gridworld:dyna-maze")["alpha"] == 0.1
    assert settings_of("dyna-q-plus", "gridworld:blocking-maze")["alpha"] == 1.0


def test_a_brain_without_the_setting_is_unaffected():
    plain = asdict(
        make_brain("value-iteration", brain_shape("gridworld:four-rooms"), None, 0).settings
    )
    assert settings_of("value-iteration", "gridworld:cliff") == plain | {"gamma": 1.0}
    # dqn has a gamma but neither alpha nor epsilon (its exploration is a schedule).
    dqn = settings_of("dqn", "gridworld:cliff")
    assert dqn == settings_of("dqn", "gridworld:four-rooms") | {"gamma": 1.0}
    assert settings_of("ga", "cartpole") == settings_of("ga", "flappy")


def test_a_brain_setting_at_odds_with_the_map_says_where_the_other_comes_from():
    with pytest.raises(SettingsError) as error:
        make_brain("dqn:bounded=true", brain_shape("gridworld:sutton-4x4"), None, 0)
    assert "needs gamma below 1" in str(error.value)
    assert "scene gridworld:sutton-4x4 sets gamma=1" in str(error.value)
    make_brain("dqn:bounded=true,gamma=0.99", brain_shape("gridworld:sutton-4x4"), None, 0)
    with pytest.raises(SettingsError) as error:  # nothing to do with the map: no mention
        make_brain("dqn:hiddn=3", brain_shape("gridworld:sutton-4x4"), None, 0)
    assert "sets" not in str(error.value)


@pytest.mark.parametrize(
    "line, error",
    [
        ("gamma: 2", "test.txt:2:8: gamma must be between 0 and 1, got 2"),
        ("gamma: x", "test.txt:2:8: gamma must be a number, got 'x'"),
        ("gamma:   nan", "test.txt:2:10: gamma must be finite, got 'nan'"),
        ("alpha: 0", "test.txt:2:8: alpha must be above 0 and at most 1, got 0"),
        ("epsilon: -0.1  ; a note", "test.txt:2:10: epsilon must be between 0 and 1, got -0.1"),
        ("n: 1.5", "test.txt:2:4: n must be a whole number, got '1.5'"),
        ("n: 20000", "test.txt:2:4: n must be between 0 and 10000, got 20000"),
        ("kappa: -1", "test.txt:2:8: kappa must be 0 or more, got -1"),
        ("gama: 1", "test.txt:2:1: unknown key 'gama'; keys: "),
    ],
)
def test_a_bad_setting_is_a_one_line_error_naming_file_line_and_column(line, error):
    with pytest.raises(MapError) as raised:
        parse_map(f"; a map\n{line}\n{MAZE}", "test.txt")
    assert str(raised.value).startswith(error) and "\n" not in str(raised.value)


def test_a_bad_setting_in_a_map_file_stops_train_with_one_line(tmp_path):
    maze = tmp_path / "maze.txt"
    maze.write_text(f"title: mine\ngamma: 1.5\n{MAZE}")
    result = main_py("train", "--map", str(maze), "--max-episodes", "1", "--quiet")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().endswith(f"{maze}:2:8: gamma must be between 0 and 1, got 1.5")


def test_a_map_files_settings_reach_its_brains(tmp_path):
    maze = tmp_path / "maze.txt"
    maze.write_text(f"gamma: 0.5\nalpha: 0.25\nn: 3\nkappa: 0.01\n{MAZE}")
    key = f"gridworld:{maze}"
    fixed = {"gamma": 0.5, "alpha": 0.25, "n": 3, "kappa": 0.01}
    assert settings_of("dyna-q-plus", key) == settings_of("dyna-q-plus", "gridworld") | fixed


def test_a_saved_brain_keeps_its_own_settings_whatever_the_map_says_now(tmp_path):
    key = "gridworld:cliff"
    # Saved with settings of its own, not the map's alpha 0.5 and gamma 1.
    brain = make_brain("q-learning:alpha=0.3,gamma=0.9", brain_shape(key), None, 0)
    save_brain(brain, tmp_path / "old")
    loaded = load_brain(tmp_path / "old")
    assert (loaded.settings.alpha, loaded.settings.gamma) == (0.3, 0.9)
    # A brain.json without a setting (an older save) reads the brain's default, never
    # the map's.
    meta = json.loads((tmp_path / "old" / "brain.json").read_text())
    del meta["settings"]["alpha"]
    (tmp_path / "old" / "brain.json").write_text(json.dumps(meta))
    assert load_brain(tmp_path / "old").settings.alpha == 0.1  # TabularSettings' default
    # Going on training from it keeps them too.
    result = main_py(
        "train", "--from", str(tmp_path / "old"), "--max-episodes", "2", "--quiet",
        "--out", str(tmp_path / "runs"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    saved = json.loads((Path(json.loads(result.stdout)["saved_to"]) / "brain.json").read_text())
    assert (saved["settings"]["alpha"], saved["settings"]["gamma"]) == (0.1, 0.9)
