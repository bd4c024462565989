"""`python main.py sweep`: every trial of a study (brain x setting x seed) as a Ray task,
on all local cores or on a Ray cluster, into one folder that a killed sweep resumes.

    DIR/results.jsonl   one JSON line per finished trial, train's line (brain and seed name it)
    DIR/failures.jsonl  one line per trial that raised, with its error (retried on --resume)
    DIR/runs/           each trial's saved brain and run logs, as `train --out` writes them

Every write of the two .jsonl files replaces the file whole (a temporary file, then a
rename), so a sweep killed at any moment leaves every finished trial recorded once and no
torn line. Ray is imported only here, and only when a sweep runs.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from game.trial import Trial

RESULTS_FILE = "results.jsonl"
FAILURES_FILE = "failures.jsonl"
RUNS_FOLDER = "runs"
MAX_SEEDS = 100_000
REPO_ROOT = Path(__file__).resolve().parent.parent
# What a cluster's nodes are not sent of this folder: environments, history, results.
SHIP_EXCLUDES = [".venv/", ".git/", "runs/", "test-artifacts/", "bench/.*-venv/", "*.pyc"]


class SweepError(Exception):
    """A sweep that cannot start (bad seeds, grid, folder or cluster); one line."""


# -- what to run ------------------------------------------------------------------------


def parse_seeds(text: str) -> list[int]:
    """ "0-99" -> 0..99; "0,3,7" -> those; "5" -> [5]; ranges and lists mix ("0-4,10")."""
    seeds: list[int] = []
    for part in text.split(","):
        low, dash, high = part.strip().partition("-")
        try:
            first = int(low, 10)
            last = int(high, 10) if dash else first
        except ValueError:
            raise SweepError(
                f"--seeds {text!r}: {part.strip()!r} is not a seed or a range like 0-99"
            ) from None
        if first < 0 or last < first:
            raise SweepError(
                f"--seeds {text!r}: {part.strip()!r} is not a range of seeds 0 or more"
            )
        if last - first >= MAX_SEEDS or len(seeds) + last - first >= MAX_SEEDS:
            raise SweepError(f"--seeds {text!r}: at most {MAX_SEEDS:,} seeds")
        seeds.extend(range(first, last + 1))
    if len(set(seeds)) != len(seeds):
        raise SweepError(f"--seeds {text!r}: a seed is named twice")
    return seeds


def parse_grid(texts: Iterable[str]) -> dict[str, list[dict[str, str]]]:
    """["dqn:lr=0.001/0.003,gamma=0.9/0.99"] -> {"dqn": [4 combinations of lr and gamma]}:
    every combination of the values given for a brain, each a dict of settings."""
    grid: dict[str, list[dict[str, str]]] = {}
    for text in texts:
        name, colon, rest = text.partition(":")
        if not colon or not name or not rest:
            raise SweepError(f"--grid {text!r}: write BRAIN:KEY=V1/V2,..., e.g. dqn:lr=0.001/0.003")
        if name in grid:
            raise SweepError(f"--grid {text!r}: brain {name} has a grid already; join them")
        axes: dict[str, list[str]] = {}
        for item in rest.split(","):
            key, equals, values = item.partition("=")
            options = values.split("/")
            if not equals or not key or any(not v for v in options):
                raise SweepError(f"--grid {text!r}: {item!r} is not KEY=V1/V2/...")
            if key in axes:
                raise SweepError(f"--grid {text!r}: {key} is given twice")
            axes[key] = options
        grid[name] = [
            dict(zip(axes, combo, strict=True)) for combo in itertools.product(*axes.values())
        ]
    return grid


def with_settings(brain: str, settings: dict[str, str]) -> str:
    """ "dqn:gamma=0.9" with {"lr": "0.001"} -> "dqn:gamma=0.9,lr=0.001" (the grid wins)."""
    name, _, rest = brain.partition(":")
    given = dict(item.split("=", 1) for item in rest.split(",") if "=" in item)
    merged = {**given, **settings}
    return name + (":" + ",".join(f"{k}={v}" for k, v in merged.items()) if merged else "")


def plan_trials(
    template: Trial, brains: list[str], grid: dict[str, list[dict[str, str]]], seeds: list[int]
) -> list[Trial]:
    """Every trial: each brain at each of its grid's settings (or as given), each seed."""
    names = {brain.partition(":")[0] for brain in brains}
    for name in grid:
        if name not in names:
            raise SweepError(f"--grid {name}: {name} is not one of --brains {','.join(brains)}")
    texts = [
        with_settings(brain, settings)
        for brain in brains
        for settings in grid.get(brain.partition(":")[0], [{}])
    ]
    if len(set(texts)) != len(texts):
        raise SweepError("--brains: a brain (with its settings) is named twice")
    return [replace(template, brain=text, seed=seed) for text in texts for seed in seeds]


# -- the results folder ------------------------------------------------------------------


def write_lines(path: Path, lines: list[dict]) -> None:
    """`lines` as the whole of `path`, one JSON object a line, replaced in one rename."""
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "w", encoding="utf-8") as file:
        file.writelines(json.dumps(line) + "\n" for line in lines)
        file.flush()
        os.fsync(file.fileno())
    os.replace(partial, path)


def read_lines(path: Path) -> list[dict]:
    """The JSON lines of a results file; a line that is not one is a one-line error
    naming the file and line."""
    if not path.exists():
        return []
    lines = []
    try:
        with open(path, encoding="utf-8") as file:
            for number, text in enumerate(file, 1):
                if not text.strip():
                    continue
                try:
                    line = json.loads(text)
                except json.JSONDecodeError as error:
                    raise SweepError(f"{path}:{number}: not a JSON line ({error.msg})") from None
                if not isinstance(line, dict) or not _names_a_trial(line):
                    raise SweepError(f'{path}:{number}: a result needs a "brain" and a "seed"')
                lines.append(line)
    except (OSError, UnicodeDecodeError) as error:
        raise SweepError(f"{path}: cannot be read: {error}") from None
    return lines


def _names_a_trial(line: dict) -> bool:
    seed = line.get("seed")
    return (
        isinstance(line.get("brain"), str) and isinstance(seed, int) and not isinstance(seed, bool)
    )


def trial_key(result: dict) -> str:
    """The name of the trial a result line is of (Trial.key)."""
    return f"{result['brain']} seed {result['seed']}"


class SweepFolder:
    """DIR: the results so far, and where each finished or failed trial is recorded."""

    def __init__(self, folder: Path, resume: bool) -> None:
        self.folder = folder
        self.results_path = folder / RESULTS_FILE
        self.failures_path = folder / FAILURES_FILE
        self.runs = folder / RUNS_FOLDER
        if self.results_path.exists() and not resume:
            raise SweepError(
                f"--out {folder}: it holds a sweep ({RESULTS_FILE}); add --resume to go on "
                "with it, or give a new folder"
            )
        try:
            self.runs.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise SweepError(f"--out {folder}: {error.strerror or error}") from None
        self.results = read_lines(self.results_path)
        self.failures: list[dict] = []

    def done(self) -> set[str]:
        return {trial_key(line) for line in self.results}

    def record(self, result: dict) -> None:
        self.results.append(result)
        write_lines(self.results_path, self.results)

    def record_failure(self, trial: Trial, error: str) -> None:
        self.failures.append(
            {"trial": trial.key, "brain": trial.brain, "seed": trial.seed, "error": error}
        )
        write_lines(self.failures_path, self.failures)


# -- running them ------------------------------------------------------------------------


def run_one(trial: Trial, runs: str) -> dict:
    """A trial inside a Ray worker: the same code as `train` (game.trial.run_trial)."""
    from game.trial import run_trial

    return run_trial(trial, Path(runs), progress=False)


def start_ray(address: str | None, workers: int | None) -> Any:
    """Ray, connected: to the cluster at `address` (or RAY_ADDRESS), else a local one on
    `workers` cores (all of them by default)."""
    try:
        import ray
    except ImportError:
        raise SweepError(
            "sweep needs Ray, which `make run` installs (the sweep extra): "
            "pip install 'ray==2.60.0'"
        ) from None
    address = address or os.environ.get("RAY_ADDRESS") or None
    options: dict[str, Any] = {
        "include_dashboard": False,
        "log_to_driver": False,
        "logging_level": logging.ERROR,  # stderr is for the bar and the table
    }
    if address is None:
        options["num_cpus"] = workers or os.cpu_count() or 1
    else:
        # Nodes of a cluster may not share this folder: ship the code with each task.
        options["runtime_env"] = {"working_dir": str(REPO_ROOT), "excludes": SHIP_EXCLUDES}
    try:  # "local" starts a Ray of our own, even where a `ray start` cluster runs here
        ray.init(address=address or "local", **options)
    except (ConnectionError, RuntimeError, ValueError) as error:
        where = f"the Ray cluster at {address}" if address else "a local Ray"
        raise SweepError(f"cannot start {where}: {str(error).splitlines()[0]}") from None
    return ray


def run_sweep(
    trials: list[Trial],
    folder: SweepFolder,
    address: str | None = None,
    workers: int | None = None,
    progress: bool = True,
    on_result: Callable[[Trial, dict], None] | None = None,
) -> tuple[int, int]:
    """Run the trials not yet in the folder's results, as Ray tasks, recording each as it
    finishes. Returns (finished, failed). Ctrl-C stops it; what finished is kept."""
    done = folder.done()
    pending = [trial for trial in trials if trial.key not in done]
    if not pending:
        return 0, 0
    ray = start_ray(address, workers)
    from tqdm import tqdm

    remote = ray.remote(num_cpus=1, max_retries=0)(run_one)
    tasks = {remote.remote(trial, str(folder.runs)): trial for trial in pending}
    finished = failed = 0
    bar = tqdm(
        total=len(trials),
        initial=len(trials) - len(pending),
        unit="trial",
        desc="sweep",
        file=sys.stderr,
        disable=not progress,
        dynamic_ncols=True,
    )
    try:
        while tasks:
            ready, _ = ray.wait(list(tasks), num_returns=1)
            trial = tasks.pop(ready[0])
            try:
                result = ray.get(ready[0])
            except Exception as error:  # noqa: BLE001 - any failure of a trial is reported
                failed += 1
                message = _error_line(error)
                folder.record_failure(trial, message)
                bar.write(f"trial {trial.key} failed: {message}", file=sys.stderr)
            else:
                finished += 1
                folder.record(result)
                if on_result is not None:
                    on_result(trial, result)
            bar.update(1)
    finally:
        bar.close()
        for task in tasks:  # Ctrl-C: the rest are not wanted
            ray.cancel(task, force=True)
        ray.shutdown()
    return finished, failed


def _error_line(error: BaseException) -> str:
    """A failed task's own error, in one line (Ray wraps it in RayTaskError)."""
    cause = getattr(error, "cause", None) or error
    lines = [line for line in str(cause).splitlines() if line.strip()]
    return f"{type(cause).__name__}: {lines[0] if lines else 'no message'}"
