"""The command line as a user runs it: a subprocess, its JSON line, its one-line errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from game.training import RESULT_KEYS


def main_py(*args: str, cwd=ROOT, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_train_prints_one_json_line_with_the_shared_keys(tmp_path):
    out = tmp_path / "runs"
    result = main_py(
        "train", "--max-generations", "3", "--population", "30", "--seed", "4", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert tuple(line) == RESULT_KEYS
    assert line["scene"] == "flappy" and line["brain"] == "ga" and line["seed"] == 4
    assert line["generations"] == 3 and line["episodes"] == 90
    assert line["env_steps"] > 90 and line["wall_seconds"] > 0
    assert line["solved"] is False and line["best_score"] >= 0
    assert line["eval_score"] is not None  # the saved champion is always evaluated
    assert os.path.isdir(line["saved_to"]) and line["saved_to"].startswith(str(out))
    assert "gen" in result.stderr  # the progress bar


def test_a_flappy_check_says_which_course_failed_and_logs_its_worst(tmp_path):
    """A Flappy check stops at its first course below 100 pipes, the worst of its five:
    train's line says so, and the run log's eval_score is that course's pipes."""
    result = main_py("train", "--max-generations", "40", "--seed", "0", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    said = re.findall(r"champion after gen(\d+) on fresh courses: ([^\n\r]*)", result.stderr)
    assert ("39", "a course ended at 0 pipes, below 100 (not yet)") in said
    line = json.loads(result.stdout)
    rows = (Path(line["saved_to"]) / "progress.csv").read_text().splitlines()
    checks = [row.split(",")[-1] for row in rows[1:] if not row.endswith(",")]
    assert checks[0] == "0" and float(checks[-1]) == line["eval_score"]


@pytest.mark.parametrize("brain", ["hill-climb", "random-search", "ga"])
def test_train_cartpole_until_solved(tmp_path, brain):
    result = main_py(
        "train",
        "--scene",
        "cartpole",
        "--brain",
        brain,
        "--until-solved",
        "--quiet",
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["scene"] == "cartpole" and line["solved"] and line["eval_score"] >= 475


def test_a_learner_reports_no_generations_and_refuses_a_generation_budget(tmp_path):
    result = main_py(
        "train",
        "--scene",
        "cartpole",
        "--brain",
        "q-table",
        "--max-steps",
        "3000",
        "--quiet",
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["generations"] is None and line["env_steps"] == 3000 and line["episodes"] > 10
    refused = main_py(
        "train", "--scene", "cartpole", "--brain", "q-table", "--max-generations", "3"
    )
    assert (
        refused.returncode == 2 and "--max-generations does not apply to q-table" in refused.stderr
    )


def test_brain_settings_reach_the_brain_and_the_saved_file(tmp_path):
    result = main_py(
        "train",
        "--brain",
        "ga:hidden=5,mutation=0.2",
        "--max-generations",
        "1",
        "--population",
        "10",
        "--quiet",
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["brain"] == "ga:hidden=5,mutation=0.2"
    meta = json.loads((tmp_path / os.path.basename(line["saved_to"]) / "brain.json").read_text())
    assert meta["settings"]["hidden"] == 5 and meta["settings"]["mutation"] == 0.2


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["train", "--population", "-5"], "--population: must be 1 or more, got -5"),
        (["train", "--population", "lots"], "--population: must be a whole number"),
        (["train", "--scene", "mario"], "unknown scene 'mario'"),
        (["run", "--scene", "mario"], "unknown scene 'mario'"),
        (["train", "--scene", "cartpole:float64"], "takes a number type after ':'"),
        (["compare", "--scene", "flappy:float32", "--brains", "ga"], "takes nothing after ':'"),
        (["train", "--brain", "skynet"], "unknown brain 'skynet'"),
        (["train", "--brain", "ga:hiden=4"], "no setting 'hiden'"),
        (["train", "--brain", "ga:mutation=2"], "mutation must be between 0 and 1"),
        (["train", "--brain", "ga:hidden=x"], "must be a whole number"),
        (["train", "--population", "1"], "population of 2 or more"),
        (["train", "--max-steps", "0"], "--max-steps: must be 1 or more"),
        (["train", "--seed", "-1"], "--seed"),
        (["fly"], "invalid choice: 'fly'"),
        (["watch", "/no/such/brain"], "not a brain directory"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(args, says):
    result = main_py(*args)
    assert result.returncode == 2
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_help_explains_every_option():
    for command in ([], ["run"], ["train"], ["watch"]):
        result = main_py(*command, "--help")
        assert result.returncode == 0
    text = main_py("train", "--help").stdout
    for option in (
        "--seed",
        "--population",
        "--max-generations",
        "--max-episodes",
        "--max-steps",
        "--until-solved",
        "--out",
        "--brain",
        "--scene",
    ):
        assert option in text


def test_run_and_watch_open_the_window_and_close_cleanly(tmp_path):
    result = main_py(
        "run", "--population", "20", "--speed", "max", "--frames", "120", "--out", str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)  # closing the window reports the run, as train does
    assert tuple(line) == RESULT_KEYS and os.path.isdir(line["saved_to"])
    trained = main_py(
        "train", "--max-generations", "2", "--population", "20", "--quiet", "--out", str(tmp_path)
    )
    brain = json.loads(trained.stdout)["saved_to"]
    watched = main_py("watch", brain, "--frames", "60", "--speed", "max")
    assert watched.returncode == 0, watched.stderr
    assert watched.stderr == ""


def test_cartpole_float32_trains_and_its_brains_play_on_either_cartpole(tmp_path):
    trained = main_py(
        "train", "--scene", "cartpole:float32", "--brain", "random-search",
        "--max-generations", "2", "--quiet", "--out", str(tmp_path),
    )  # fmt: skip
    assert trained.returncode == 0, trained.stderr
    line = json.loads(trained.stdout)
    assert line["scene"] == "cartpole:float32" and "cartpole-float32" in line["saved_to"]
    brain = line["saved_to"]
    for scene in ([], ["--scene", "cartpole"], ["--scene", "cartpole:float32"]):
        watched = main_py("watch", brain, *scene, "--frames", "20", "--speed", "max")
        assert watched.returncode == 0, watched.stderr
    other = main_py("watch", brain, "--scene", "flappy", "--frames", "20")
    assert other.returncode == 2 and "plays cartpole" in other.stderr
    raced = main_py(
        "compare", "--scene", "cartpole:float32", "--brains", "random-search", "--headless",
        "--max-steps", "2000", "--out", str(tmp_path / "races"),
    )  # fmt: skip
    assert raced.returncode == 0, raced.stderr
    assert json.loads(raced.stdout)["scene"] == "cartpole:float32"


def test_a_saved_learner_goes_on_training_where_it_left_off(tmp_path):
    first = main_py(
        "train", "--scene", "cartpole", "--brain", "dqn", "--max-steps", "2000", "--quiet",
        "--out", str(tmp_path / "first"),
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    saved = json.loads(first.stdout)["saved_to"]
    before = Path(saved, "brain.json").read_text()
    more = main_py(
        "train", "--from", saved, "--max-steps", "2000", "--population", "2", "--quiet",
        "--out", str(tmp_path / "more"),
    )  # fmt: skip
    assert more.returncode == 0, more.stderr
    line = json.loads(more.stdout)
    assert line["scene"] == "cartpole" and line["brain"] == "dqn" and line["env_steps"] == 2000
    old, new = json.loads(before), json.loads(Path(line["saved_to"], "brain.json").read_text())
    assert old["env_steps"] == 2000 and new["env_steps"] == 4000  # the brain's own count
    assert new["updates"] > old["updates"]
    assert Path(saved, "brain.json").read_text() == before  # never written over
    window = main_py("run", "--from", saved, "--frames", "30", "--out", str(tmp_path / "w"))
    assert window.returncode == 0, window.stderr


def test_only_a_learner_goes_on_training_and_it_brings_its_own_settings(tmp_path):
    trained = main_py(
        "train", "--scene", "cartpole", "--brain", "ga", "--max-generations", "1",
        "--population", "10", "--quiet", "--out", str(tmp_path),
    )  # fmt: skip
    ga = json.loads(trained.stdout)["saved_to"]
    for args, says in (
        (["--from", ga], "ga is not a learner and cannot go on training (--from takes a2c, dqn,"),
        (["--from", ga, "--brain", "dqn"], "--brain cannot go with --from"),
        (["--from", ga, "--map", "cliff"], "--map cannot go with --from"),
        (["--from", str(tmp_path / "nothing")], "not a brain directory"),
    ):
        result = main_py("train", *args)
        assert result.returncode == 2 and says in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_ctrl_c_stops_training_and_still_saves(tmp_path):
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy"}
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "train",
            "--population",
            "50",
            "--out",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    # Wait until training is under way (the progress bar shows a generation), then stop it.
    # Any count will do: under load the bar's first refresh may already show "12gen".
    buffer = ""
    while not re.search(r"[1-9]\d*gen", buffer.replace(" ", "")):
        chunk = process.stderr.read(1)
        if not chunk:
            break
        buffer += chunk
    process.send_signal(__import__("signal").SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    line = json.loads(stdout)
    assert line["generations"] >= 1 and os.path.isdir(line["saved_to"])
    assert "Interrupted" in stderr


def test_a_window_stopped_by_ctrl_c_or_kill_saves_and_exits_without_a_traceback(
    tmp_path, monkeypatch, capsys
):
    import signal

    import main as cli
    from game.app import App

    frame = App.frame

    def stopped_at_frame_200(app: App) -> None:
        frame(app)
        if app.frames == 200:
            raise KeyboardInterrupt  # what Ctrl-C, or a kill turned into it, raises

    monkeypatch.setattr(App, "frame", stopped_at_frame_200)
    terminate = signal.getsignal(signal.SIGTERM)
    try:
        code = cli.main(["run", "--population", "20", "--speed", "max", "--out", str(tmp_path)])
    finally:
        signal.signal(signal.SIGTERM, terminate)
    out, err = capsys.readouterr()
    assert code == 130 and err.endswith("Stopped.\n")
    assert "Saved best brain to" in err and len(list(tmp_path.iterdir())) == 1
    line = json.loads(out)  # the run is reported as train reports it, even stopped
    assert tuple(line) == RESULT_KEYS and line["saved_to"] == str(next(tmp_path.iterdir()))
