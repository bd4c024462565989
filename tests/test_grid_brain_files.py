"""Gridworld brains keep their map: a brain trained on a map file is watched from any
folder, and a brain file never makes the app open a path it names."""

from __future__ import annotations

import json

from test_cli import main_py

MAZE = "title: a test maze\nmap:\nS..#\n.#..\n...G\n"


def train_on(map_arg: str, cwd, out) -> str:
    result = main_py(
        "train", "--scene", "gridworld", "--map", map_arg, "--brain", "value-iteration",
        "--max-episodes", "1", "--quiet", "--out", str(out), cwd=cwd,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["saved_to"]


def test_a_brain_trained_on_a_relative_map_path_is_watched_from_another_folder(tmp_path):
    (tmp_path / "here").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "here" / "maze.txt").write_text(MAZE)
    saved = tmp_path / "here" / train_on("maze.txt", tmp_path / "here", "runs")
    assert json.loads((saved / "brain.json").read_text())["map_text"] == MAZE
    watched = main_py("watch", str(saved), "--frames", "20", "--speed", "max",
                      cwd=tmp_path / "elsewhere")  # fmt: skip
    assert watched.returncode == 0, watched.stderr


def test_a_shipped_map_brain_is_kept_by_name(tmp_path):
    saved = tmp_path / train_on("sutton-4x4", tmp_path, "runs")
    meta = json.loads((saved / "brain.json").read_text())
    assert meta["scene"] == "gridworld:sutton-4x4" and "map_text" not in meta
    watched = main_py("watch", str(saved), "--frames", "20", "--speed", "max")
    assert watched.returncode == 0, watched.stderr


def test_a_brain_file_never_opens_a_path_it_names(tmp_path):
    (tmp_path / "maze.txt").write_text(MAZE)
    saved = tmp_path / train_on(str(tmp_path / "maze.txt"), tmp_path, "runs")
    meta = json.loads((saved / "brain.json").read_text())
    hostile = {k: v for k, v in meta.items() if k != "map_text"}
    (saved / "brain.json").write_text(json.dumps(hostile | {"scene": "gridworld:/etc/passwd"}))
    watched = main_py("watch", str(saved), "--frames", "5")
    assert watched.returncode == 2 and "Traceback" not in watched.stderr
    line = watched.stderr.strip()
    assert (
        "\n" not in line and "brain.json" in line and "'/etc/passwd' is not a shipped map" in line
    )
    (saved / "brain.json").write_text(json.dumps(meta | {"map_text": "map:\nS.Q\n..G\n"}))
    watched = main_py("watch", str(saved), "--frames", "5")
    assert watched.returncode == 2 and "Traceback" not in watched.stderr
    assert "brain.json (map_text):2:3: unknown cell 'Q'" in watched.stderr.strip()


def test_a_learner_trained_on_a_map_file_goes_on_training_from_another_folder(tmp_path):
    (tmp_path / "here").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "here" / "maze.txt").write_text(MAZE)
    first = main_py(
        "train", "--map", "maze.txt", "--brain", "q-learning", "--max-episodes", "2",
        "--quiet", "--out", "runs", cwd=tmp_path / "here",
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    saved = tmp_path / "here" / json.loads(first.stdout)["saved_to"]
    more = main_py("train", "--from", str(saved), "--max-episodes", "2", "--quiet",
                   "--out", "runs", cwd=tmp_path / "elsewhere")  # fmt: skip
    assert more.returncode == 0, more.stderr
    again = tmp_path / "elsewhere" / json.loads(more.stdout)["saved_to"]
    assert again.name.startswith("gridworld-maze-q-learning-")  # named after the map, no colon
    meta = json.loads((again / "brain.json").read_text())
    assert meta["map_text"] == MAZE and meta["episodes"] == 4
