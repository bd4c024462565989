"""A run's log files, as `train` and `compare` write them and `plot` reads them.

    run.json       what ran: scene, brain (as written, and its settings), seed, kind
    progress.csv   one row per check: env_steps, wall_seconds, episodes, mean_return, eval_score
    episodes.csv   one row per training episode: lane, episode, env_steps, length, return

and a headless race (compare) keeps a folder of such run folders, one per brain and seed,
beside results.jsonl: the JSON line of each run as compare printed it, and its folder.

The CSV files grow a few whole lines at a time while the run goes on (game/run_log.py),
so a reader may meet a last line the writer has not finished, or one a crash cut short:
a last line with no newline is left out, never read as a row. Any other row that does not
parse is an error naming the file and the line. See docs/run-logs.md.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

RUN_FILE = "run.json"
PROGRESS_FILE = "progress.csv"
EPISODES_FILE = "episodes.csv"
RESULTS_FILE = "results.jsonl"  # a race's folder: the JSON line of each run, as printed
PROGRESS_COLUMNS = ("env_steps", "wall_seconds", "episodes", "mean_return", "eval_score")
EPISODE_COLUMNS = ("lane", "episode", "env_steps", "length", "return")
# Columns a row may leave empty: no episode ended since the last check, no check made.
OPTIONAL = {"mean_return", "eval_score"}
# What `plot` can draw: columns of progress.csv along x (with the axis's name), and up y.
X_AXES = {
    "env_steps": "environment steps",
    "wall_seconds": "wall-clock seconds",
    "episodes": "episodes",
}
Y_AXES = {"eval": "eval_score", "return": "mean_return"}
BANDS = ("minmax", "std")
MAX_RUN_FILE = 1_000_000  # run.json is a few hundred bytes; a huge one is not ours


class RunFileError(ValueError):
    """A run folder whose logs cannot be read; the message is one line naming the file."""


def is_run_folder(folder: Path) -> bool:
    return (folder / PROGRESS_FILE).is_file()


def read_run(folder: Path) -> dict[str, Any]:
    """run.json of a run folder, checked: scene, brain and seed at least."""
    path = folder / RUN_FILE
    try:
        if path.stat().st_size > MAX_RUN_FILE:
            raise RunFileError(f"{path}: more than {MAX_RUN_FILE:,} bytes, not a run's")
        run = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunFileError(f"{folder}: no {RUN_FILE}, so not a run folder") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise RunFileError(f"{path}: not valid JSON ({error})") from None
    except OSError as error:
        raise RunFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    if not isinstance(run, dict):
        raise RunFileError(f"{path}: not a JSON object")
    for key, kind in (("scene", str), ("brain", str), ("seed", int)):
        if not isinstance(run.get(key), kind) or isinstance(run.get(key), bool):
            raise RunFileError(f"{path}: {key} must be a {kind.__name__}, got {run.get(key)!r:.60}")
    return run


def read_rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, float | None]]:
    """The complete rows of one of the CSV files: numbers, None where a column allowed
    to be empty is."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RunFileError(f"{path.parent}: no {path.name}, so no logs to read") from None
    except UnicodeDecodeError:
        raise RunFileError(f"{path}: not text (not a CSV this app wrote)") from None
    except OSError as error:
        raise RunFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    lines = text.split("\n")
    lines.pop()  # after the last newline: "" if the file is whole, else a row being written
    if not lines:
        raise RunFileError(f"{path}: empty, not even a header")
    if tuple(lines[0].split(",")) != columns:
        raise RunFileError(f"{path}: the header must be {','.join(columns)}")
    return [_parse(path, number, line, columns) for number, line in enumerate(lines[1:], 2)]


def _parse(path: Path, number: int, line: str, columns: tuple[str, ...]) -> dict:
    cells = line.rstrip("\r").split(",")
    if len(cells) != len(columns):
        raise RunFileError(
            f"{path}, line {number}: {len(cells)} values where there are {len(columns)} columns"
        )
    row: dict[str, float | None] = {}
    for column, cell in zip(columns, cells, strict=True):
        if cell == "" and column in OPTIONAL:
            row[column] = None
            continue
        try:
            value = float(cell)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise RunFileError(f"{path}, line {number}: {column} is not a number: {cell!r:.40}")
        row[column] = value
    return row


def read_progress(folder: Path) -> list[dict[str, float | None]]:
    return read_rows(folder / PROGRESS_FILE, PROGRESS_COLUMNS)


def read_episodes(folder: Path) -> list[dict[str, float | None]]:
    return read_rows(folder / EPISODES_FILE, EPISODE_COLUMNS)
