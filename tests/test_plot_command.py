"""`python main.py plot RUN_DIR...`: learning curves from run logs, seeds grouped by brain."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from test_cli import main_py

from brains.registry import make_brain
from game.arena import Budget, brain_shape
from game.experiment import make_arena
from game.run_log import RunLog
from game.run_plot import Group, Run, curve
from game.training import train

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def tiny_run(folder: Path, brain: str, seed: int) -> Path:
    arena = make_arena("cartpole", make_brain(brain, brain_shape("cartpole"), 20, seed), seed)
    train(arena, Budget(max_generations=3), None, progress=False, logs=RunLog(arena, folder))
    return folder


@pytest.fixture
def race(tmp_path) -> Path:
    """A folder of three tiny runs, as compare leaves them: two seeds of one brain."""
    folder = tmp_path / "race"
    tiny_run(folder / "ga-seed0", "ga", 0)
    tiny_run(folder / "ga-seed1", "ga", 1)
    tiny_run(folder / "random-search-seed0", "random-search", 0)
    return folder


def test_plot_draws_a_curve_per_brain_with_its_seeds_into_a_png(race, tmp_path):
    out = tmp_path / "curves.png"
    result = main_py("plot", str(race), "--y", "return", "--out", str(out))
    assert result.returncode == 0, result.stderr
    drawn = json.loads(result.stdout)
    assert drawn["png"] == str(out) and out.read_bytes().startswith(PNG_MAGIC)
    groups = {
        group["label"]: [Path(run).name for run in group["runs"]] for group in drawn["groups"]
    }
    assert groups == {"ga": ["ga-seed0", "ga-seed1"], "random-search": ["random-search-seed0"]}
    assert not list(tmp_path.glob(".*partial*"))  # written whole, through a temporary file


def test_run_folders_can_be_named_one_by_one_and_the_png_goes_beside_one(race):
    result = main_py("plot", str(race / "ga-seed1"), "--x", "episodes", "--y", "return")
    assert result.returncode == 0, result.stderr
    assert Path(json.loads(result.stdout)["png"]) == race / "ga-seed1" / "curves-return.png"
    assert (race / "ga-seed1" / "curves-return.png").read_bytes().startswith(PNG_MAGIC)


def run_of(points: list[tuple[float, float]], seed: int) -> Run:
    rows = [
        {"env_steps": x, "wall_seconds": x / 10, "episodes": x, "mean_return": y, "eval_score": y}
        for x, y in points
    ]
    return Run(Path(f"seed{seed}"), {"scene": "cartpole", "brain": "ga", "seed": seed}, rows)


def test_seeds_are_averaged_at_each_point_and_a_finished_seed_keeps_its_last_value():
    group = Group("ga", [run_of([(0, 0), (10, 10)], 0), run_of([(0, 20), (5, 30)], 1)])
    grid, mean, low, high = curve(group, "env_steps", "eval_score", "minmax")
    at = {x: i for i, x in enumerate(grid)}
    # Each seed's latest row at or before x: at 0 both start, from 5 on seed 1 holds 30.
    assert grid[0] == 0 and grid[-1] == 10
    assert (mean[at[0]], low[at[0]], high[at[0]]) == (10, 0, 20)
    assert (mean[-1], low[-1], high[-1]) == (20, 10, 30)
    _, mean, low, high = curve(group, "env_steps", "eval_score", "std")
    assert (low[0], high[0]) == (0, 20) and np.allclose(mean, (low + high) / 2)


def test_a_seed_is_left_out_before_its_first_row():
    group = Group("ga", [run_of([(0, 4), (10, 4)], 0), run_of([(6, 100)], 1)])
    grid, mean, _, _ = curve(group, "env_steps", "eval_score", "minmax")
    assert mean[0] == 4 and mean[-1] == 52


def test_a_run_still_writing_its_last_row_plots(race, tmp_path):
    with (race / "ga-seed0" / "progress.csv").open("a") as log:
        log.write("99999,1.2,")  # a row the writer has not finished
    result = main_py("plot", str(race), "--y", "return", "--out", str(tmp_path / "p.png"))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda race: race / "nope", "nope: no such folder"),
        (lambda race: race / "ga-seed0" / "run.json", "run.json: not a folder"),
        (lambda race: race.parent / "empty", "empty: no run logs here (progress.csv in it"),
    ],
)
def test_folders_without_logs_are_one_line(race, make, says):
    (race.parent / "empty").mkdir()
    result = main_py("plot", str(make(race)))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and says in result.stderr


def test_an_unreadable_row_names_its_file_and_line(race):
    log = race / "ga-seed1" / "progress.csv"
    lines = log.read_text().splitlines()
    lines[2] = lines[2].replace(",", ";", 1)
    log.write_text("\n".join(lines) + "\n")
    result = main_py("plot", str(race))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert f"{log}, line 3: 4 values where there are 5 columns" in result.stderr


def test_bad_options_and_nothing_to_plot_are_one_line(race, tmp_path):
    for argv, says in (
        (["--out", str(tmp_path / "p.jpg")], "the plot is a PNG"),
        (["--x", "generations"], "argument --x: invalid choice: 'generations'"),
        (["--out", str(race / "ga-seed0" / "run.json" / "p.png")], "cannot write"),
    ):
        result = main_py("plot", str(race), *argv)
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert says in result.stderr
    (race / "empty-run").mkdir()
    (race / "empty-run" / "progress.csv").write_text(
        "env_steps,wall_seconds,episodes,mean_return,eval_score\n"
    )
    (race / "empty-run" / "run.json").write_text('{"scene": "cartpole", "brain": "x", "seed": 0}')
    result = main_py("plot", str(race / "empty-run"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "no run has any eval_score to plot yet; --y return plots" in result.stderr
