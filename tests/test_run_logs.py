"""Run logs: progress.csv (a row per check) and episodes.csv (a row per episode) in the
run's folder, written as the run goes, whole rows only; the same scalars for TensorBoard."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from test_cli import ROOT, main_py

from brains.registry import make_brain
from brains.storage import load_brain
from game import run_log
from game.arena import Budget, brain_shape
from game.experiment import make_arena
from game.run_files import (
    EPISODE_COLUMNS,
    PROGRESS_COLUMNS,
    RunFileError,
    read_episodes,
    read_progress,
    read_rows,
    read_run,
)
from game.run_log import RunLog
from game.training import train


def logged_run(tmp_path: Path, brain: str, budget: Budget, population: int | None = None):
    arena = make_arena("cartpole", make_brain(brain, brain_shape("cartpole"), population, 0), 0)
    folder = tmp_path / brain
    result = train(arena, budget, None, progress=False, logs=RunLog(arena, folder))
    return arena, result, read_progress(folder), read_episodes(folder)


def test_train_keeps_its_logs_beside_the_brain_and_they_add_up(tmp_path):
    result = main_py("train", "--scene", "cartpole", "--population", "20", "--max-generations",
                     "4", "--seed", "3", "--quiet", "--out", str(tmp_path))  # fmt: skip
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    folder = Path(line["saved_to"])
    assert folder.parent == tmp_path and f"Logs: {folder}" in result.stderr
    load_brain(folder)  # the brain joined its run's folder, whole
    run = read_run(folder)
    assert [run[key] for key in ("scene", "brain", "seed", "kind")] == [
        "cartpole",
        "ga",
        3,
        "evolver",
    ]
    for name, columns in (("progress.csv", PROGRESS_COLUMNS), ("episodes.csv", EPISODE_COLUMNS)):
        assert (folder / name).read_text().splitlines()[0] == ",".join(columns)
    progress, episodes = read_progress(folder), read_episodes(folder)
    # An evolver: a row per generation, and every episode of a generation ends within it.
    assert len(progress) == 4 and len(episodes) == line["episodes"] == 4 * 20
    assert sum(row["length"] for row in episodes) == line["env_steps"] == progress[-1]["env_steps"]
    assert [row["episode"] for row in episodes] == list(range(1, 81))
    for generation, row in enumerate(progress):
        own = episodes[20 * generation : 20 * (generation + 1)]
        assert sorted(e["lane"] for e in own) == list(range(20))
        assert row["mean_return"] == pytest.approx(np.mean([e["return"] for e in own]))
        assert row["episodes"] == 20 * (generation + 1)
        assert row["env_steps"] == max(e["env_steps"] for e in own)
        assert row["env_steps"] == sum(e["length"] for e in episodes[: 20 * (generation + 1)])
    assert progress[-1]["eval_score"] == line["eval_score"]  # the check of the champion saved


def test_a_learners_rows_are_its_checks_and_its_episodes_add_up(tmp_path):
    arena, result, progress, episodes = logged_run(tmp_path, "q-table", Budget(max_steps=6_000))
    # A check every 2,000 environment steps; each row's mean is of the episodes since the last.
    assert [row["env_steps"] for row in progress] == [2_000, 4_000, 6_000]
    assert all(row["eval_score"] is not None for row in progress)
    assert result["eval_score"] in [row["eval_score"] for row in progress]  # the one it kept
    previous = 0
    for row in progress:
        since = [e["return"] for e in episodes if previous < e["env_steps"] <= row["env_steps"]]
        assert row["mean_return"] == pytest.approx(np.mean(since))
        assert row["episodes"] == sum(e["env_steps"] <= row["env_steps"] for e in episodes)
        previous = row["env_steps"]
    # Carts start again at once: the steps not in a finished episode are in those under way.
    finished = sum(row["length"] for row in episodes)
    assert finished + int(arena.scene.steps.sum()) == result["env_steps"]
    ends = [row["env_steps"] for row in episodes]
    assert ends == sorted(ends) and len(episodes) == result["episodes"]


def test_a_race_keeps_each_brains_logs_per_seed_and_its_results(tmp_path):
    result = main_py("compare", "--scene", "cartpole", "--brains", "hill-climb,ga:hidden=4",
                     "--headless", "--seeds", "2", "--max-steps", "3000", "--full-budget",
                     "--out", str(tmp_path))  # fmt: skip
    assert result.returncode == 0, result.stderr
    (race,) = tmp_path.iterdir()
    assert race.name.startswith("compare-")
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    kept = [json.loads(line) for line in (race / "results.jsonl").read_text().splitlines()]
    assert [{k: v for k, v in line.items() if k != "logs"} for line in kept] == printed
    folders = sorted(p.name for p in race.iterdir() if p.is_dir())
    assert folders == ["ga-hidden=4-seed0", "ga-hidden=4-seed1", "hill-climb-seed0",
                       "hill-climb-seed1"]  # fmt: skip
    for line in kept:
        folder = race / line["logs"]
        run = read_run(folder)
        assert (run["brain"], run["seed"]) == (line["brain"], line["seed"])
        progress, episodes = read_progress(folder), read_episodes(folder)
        assert progress and progress[-1]["episodes"] == len(episodes) == line["episodes"]
        assert sum(row["length"] for row in episodes) <= line["env_steps"]


def test_a_killed_run_keeps_every_row_it_wrote(tmp_path):
    argv = [sys.executable, "main.py", "train", "--scene", "cartpole", "--brain", "q-table",
            "--max-steps", "100000000", "--quiet", "--out", str(tmp_path)]  # fmt: skip
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # until three checks are in
        written = list(tmp_path.glob("*/progress.csv"))
        if written and written[0].read_text().count("\n") >= 4:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    (folder,) = [path.parent for path in tmp_path.glob("*/progress.csv")]
    progress, episodes = read_progress(folder), read_episodes(folder)
    assert len(progress) >= 3, "the run never got three checks in"
    assert [row["env_steps"] for row in progress[:3]] == [2_000, 4_000, 6_000]
    # The episodes behind every row written are on disk before it.
    assert (
        sum(e["env_steps"] <= progress[-1]["env_steps"] for e in episodes)
        == progress[-1]["episodes"]
    )


def test_a_row_cut_short_at_the_end_is_left_out_and_a_bad_row_is_one_line(tmp_path):
    path = tmp_path / "progress.csv"
    path.write_text("env_steps,wall_seconds,episodes,mean_return,eval_score\n"
                    "2000,0.5,40,21.5,100\n4000,1.0,70,,\n6000,1.4,9")  # fmt: skip
    rows = read_rows(path, PROGRESS_COLUMNS)
    assert rows == [
        {"env_steps": 2000, "wall_seconds": 0.5, "episodes": 40, "mean_return": 21.5,
         "eval_score": 100},
        {"env_steps": 4000, "wall_seconds": 1.0, "episodes": 70, "mean_return": None,
         "eval_score": None},
    ]  # fmt: skip
    path.write_text(path.read_text().replace("4000,1.0,70", "4000,soon,70") + "\n")
    with pytest.raises(RunFileError, match=r"progress.csv, line 3: wall_seconds is not a number"):
        read_rows(path, PROGRESS_COLUMNS)
    path.write_text("lane,episode\n")
    with pytest.raises(RunFileError, match="the header must be env_steps,wall_seconds"):
        read_rows(path, PROGRESS_COLUMNS)


def test_a_log_that_cannot_be_written_warns_once_and_training_goes_on(tmp_path, capsys):
    arena = make_arena("cartpole", make_brain("ga", brain_shape("cartpole"), 20, 0), 0)
    logs = RunLog(arena, tmp_path / "run")
    for file in (logs.progress, logs.episodes):  # the disk fills up once the headers are in
        os.close(file._fd)
        file._fd = os.open("/dev/full", os.O_WRONLY)
    result = train(arena, Budget(max_generations=3), None, progress=False, logs=logs)
    assert result["generations"] == 3
    warnings = capsys.readouterr().err.strip().splitlines()
    assert len(warnings) == 2 and all("No space left on device" in w for w in warnings)
    assert {Path(w.split("cannot write ")[1].split(" (")[0]).name for w in warnings} == {
        "progress.csv",
        "episodes.csv",
    }
    assert read_progress(tmp_path / "run") == []  # the header, written before the disk filled


def test_tensorboard_gets_the_same_scalars_as_progress_csv(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    result = main_py("train", "--scene", "cartpole", "--brain", "q-table", "--max-steps", "4000",
                     "--quiet", "--out", str(tmp_path / "runs"), "--tensorboard",
                     str(tmp_path / "tb"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    folder = Path(json.loads(result.stdout)["saved_to"])
    events = EventAccumulator(str(tmp_path / "tb" / folder.name))
    events.Reload()
    progress = read_progress(folder)
    for column, tag in run_log.TENSORBOARD_TAGS.items():
        logged = [(e.step, e.value) for e in events.Scalars(tag)]
        expected = [(r["env_steps"], r[column]) for r in progress if r[column] is not None]
        assert [step for step, _ in logged] == [step for step, _ in expected]
        assert [value for _, value in logged] == pytest.approx([v for _, v in expected])


def test_tensorboard_missing_is_one_line_before_any_work(tmp_path, monkeypatch, capsys):
    import main

    monkeypatch.setattr(run_log.importlib.util, "find_spec", lambda name: None)
    for command in (["train"], ["compare", "--brains", "ga", "--headless"]):
        with pytest.raises(SystemExit) as stop:
            main.main([*command, "--out", str(tmp_path / "runs"), "--tensorboard",
                       str(tmp_path / "tb")])  # fmt: skip
        assert stop.value.code == 2
        said = capsys.readouterr().err.strip().splitlines()
        assert said == [
            "main.py: error: --tensorboard needs the tensorboard package, which is not "
            "installed: pip install tensorboard (into the environment that runs main.py)"
        ]
        assert list((tmp_path / "runs").iterdir()) == []
