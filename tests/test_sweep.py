"""`python main.py sweep`: trials as Ray tasks, recorded once each, resumable after a
kill, the same result as `train` for the same seed, on a local Ray or a cluster."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from test_cli import main_py

from game.arena import Budget
from game.sweep import SweepError, SweepFolder, parse_grid, parse_seeds, plan_trials, run_sweep
from game.training import RESULT_KEYS
from game.trial import Trial, run_trial

CARTPOLE = Trial("cartpole", "", 0, Budget(max_steps=60_000, until_solved=True))
SWEEP = ["sweep", "--scene", "cartpole", "--max-steps", "60000", "--quiet"]


def results(folder: Path) -> list[dict]:
    path = folder / "results.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_seeds_and_grids_are_read_as_written():
    assert parse_seeds("0-3,10") == [0, 1, 2, 3, 10]
    grid = parse_grid(["dqn:lr=0.001/0.003,gamma=0.9/0.99"])
    assert len(grid["dqn"]) == 4 and {"lr": "0.003", "gamma": "0.9"} in grid["dqn"]
    trials = plan_trials(CARTPOLE, ["dqn:hidden=32", "hill-climb"], grid, [0, 1])
    assert len(trials) == 2 * (4 + 1)
    assert trials[0].brain == "dqn:hidden=32,lr=0.001,gamma=0.9" and trials[0].seed == 0
    for bad in ("3-1", "a", "0-", "1,1"):
        with pytest.raises(SweepError, match="--seeds"):
            parse_seeds(bad)
    with pytest.raises(SweepError, match="KEY=V1/V2"):
        parse_grid(["dqn:lr"])


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--brains", "hill-climb", "--seeds", "5-2"], "--seeds"),
        (["--brains", "hill-climb", "--seeds", "0", "--grid", "dqn:lr=0.1"], "not one of --brains"),
        (["--brains", "no-such", "--seeds", "0"], "no-such"),
        (["--brains", "hill-climb:noise=-1", "--seeds", "0"], "noise"),
    ],
)
def test_bad_sweeps_are_one_line_before_ray_starts(tmp_path, args, says):
    result = main_py(*SWEEP, *args, "--out", str(tmp_path / "sweep"))
    assert result.returncode == 2 and says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_sweep_records_each_trial_as_train_would_and_tabulates(tmp_path):
    out = tmp_path / "sweep"
    swept = main_py(*SWEEP, "--brains", "random-search,hill-climb", "--seeds", "0-1",
                    "--out", str(out))  # fmt: skip
    assert swept.returncode == 0, swept.stderr
    lines = results(out)
    assert sorted((r["brain"], r["seed"]) for r in lines) == [
        ("hill-climb", 0), ("hill-climb", 1), ("random-search", 0), ("random-search", 1)
    ]  # fmt: skip
    assert all(tuple(line) == RESULT_KEYS for line in lines)
    assert [json.loads(text) for text in swept.stdout.splitlines()] == lines
    assert "95% CI" in swept.stderr and "random-search" in swept.stderr
    assert all(Path(line["saved_to"]).parent == out / "runs" for line in lines)
    # The same trial through train's code gives the same run.
    alone = run_trial(Trial("cartpole", "hill-climb", 1, CARTPOLE.budget), None)
    swept_one = next(r for r in lines if r["brain"] == "hill-climb" and r["seed"] == 1)
    for key in ("solved", "generations", "episodes", "env_steps", "best_score", "eval_score"):
        assert alone[key] == swept_one[key], key
    again = main_py(*SWEEP, "--brains", "hill-climb", "--seeds", "0", "--out", str(out))
    assert again.returncode == 2 and "--resume" in again.stderr  # never mixed by accident
    elsewhere = main_py(
        "sweep", "--scene", "flappy", "--brains", "hill-climb", "--seeds", "0-1", "--resume",
        "--out", str(out),
    )  # fmt: skip
    assert elsewhere.returncode == 2 and "holds trials on cartpole" in elsewhere.stderr


def test_a_failed_trial_is_reported_and_the_others_finish(tmp_path):
    trials = [
        Trial("cartpole", "random-search", 0, CARTPOLE.budget),
        Trial("cartpole", "hill-climb:noise=-5", 0, CARTPOLE.budget),  # refused in the worker
        Trial("cartpole", "random-search", 1, CARTPOLE.budget),
    ]
    folder = SweepFolder(tmp_path, resume=False)
    finished, failed = run_sweep(trials, folder, workers=2, progress=False)
    assert (finished, failed) == (2, 1)
    assert {(r["brain"], r["seed"]) for r in results(tmp_path)} == {
        ("random-search", 0), ("random-search", 1)
    }  # fmt: skip
    failure = json.loads((tmp_path / "failures.jsonl").read_text())
    assert failure["brain"] == "hill-climb:noise=-5" and "noise" in failure["error"]


def test_a_killed_sweep_resumes_without_losing_or_repeating_a_trial(tmp_path):
    out = tmp_path / "sweep"
    args = [*SWEEP, "--brains", "hill-climb", "--seeds", "0-7", "--workers", "1", "--out", str(out)]
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while len(results(out)) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the driver and its Ray, mid-sweep
    process.wait()
    before = results(out)
    assert 2 <= len(before) < 8
    resumed = main_py(*args, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    after = results(out)
    assert sorted(r["seed"] for r in after) == list(range(8))  # each trial once
    assert after[: len(before)] == before  # finished trials were kept, not run again
    assert f"{len(before)} of 8 trials done already" in resumed.stderr


def test_a_sweep_runs_on_a_cluster_given_its_address(tmp_path, monkeypatch):
    """A local two-node cluster (`ray start`), as a real cluster is started. Token
    authentication is off here: a real cluster shares its token (docs/sweeps.md)."""
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    ray = str(Path(sys.executable).parent / "ray")
    port = "6391"
    env = {**os.environ, "RAY_ADDRESS": ""}
    start = [ray, "start", "--num-cpus", "1", "--disable-usage-stats"]
    try:
        subprocess.run([*start, "--head", "--port", port], check=True, capture_output=True, env=env,
                       timeout=120)  # fmt: skip
        subprocess.run([*start, "--address", f"127.0.0.1:{port}"], check=True,
                       capture_output=True, env=env, timeout=120)  # fmt: skip
        out = tmp_path / "sweep"
        swept = main_py(*SWEEP, "--brains", "random-search", "--seeds", "0-3",
                        "--address", f"127.0.0.1:{port}", "--out", str(out))  # fmt: skip
        assert swept.returncode == 0, swept.stderr
        assert sorted(r["seed"] for r in results(out)) == [0, 1, 2, 3]
    finally:
        subprocess.run([ray, "stop", "--force"], capture_output=True, timeout=120)
