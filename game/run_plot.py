"""Learning curves of finished (or running) runs from their logs: `python main.py plot`.

Runs of one brain with the same settings on the same scene are seeds of one curve: the
mean over them, and a band from the lowest to the highest (or one standard deviation
either side). Each run is read at the same points of the x axis, where its value is that
of its latest row at or before the point (a check's score holds until the next check);
before its first row a run is left out, after its last it keeps its last value (a run
that stopped because it was solved stays solved).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from game.figures.base import counted
from game.figures.plot import pyplot, write_png
from game.run_files import (
    PROGRESS_FILE,
    X_AXES,
    Y_AXES,
    RunFileError,
    is_run_folder,
    read_progress,
    read_run,
)

POINTS = 400  # where each run is read along the x axis


@dataclass
class Run:
    folder: Path
    run: dict[str, Any]
    rows: list[dict[str, float | None]]


@dataclass
class Group:
    """Seeds of one brain with one set of settings on one scene."""

    label: str
    runs: list[Run] = field(default_factory=list)


def run_folders(paths: list[Path]) -> list[Path]:
    """The run folders the paths name: a run folder itself, or a folder of them (a race's
    compare-TIME/, or runs/ itself). One-line RunFileError for anything else."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise RunFileError(f"{path}: no such folder")
        if not path.is_dir():
            raise RunFileError(f"{path}: not a folder (give a run's folder, or a folder of runs)")
        inside = runs_inside(path)
        if not inside:
            raise RunFileError(
                f"{path}: no run logs here ({PROGRESS_FILE} in it or in its folders); "
                "train and compare --headless write them"
            )
        found.extend(inside)
    return list(dict.fromkeys(path.resolve() for path in found))


def runs_inside(folder: Path, depth: int = 3) -> list[Path]:
    """`folder` if it is a run's, else the runs in its folders (a race's folder within
    runs/ too), down to `depth` levels; hidden folders are skipped."""
    if is_run_folder(folder):
        return [folder]
    if depth == 0:
        return []
    try:
        children = sorted(child for child in folder.iterdir() if child.is_dir())
    except OSError as error:
        raise RunFileError(f"{folder}: cannot be read ({error.strerror or error})") from None
    return [
        run
        for child in children
        if not child.name.startswith(".")
        for run in runs_inside(child, depth - 1)
    ]


def read_runs(paths: list[Path]) -> list[Run]:
    return [Run(folder, read_run(folder), read_progress(folder)) for folder in run_folders(paths)]


def group_runs(runs: list[Run]) -> list[Group]:
    """Runs of the same scene, brain, settings and number of agents, in order of first
    appearance, each labelled with the brain as its first run wrote it."""
    groups: dict[str, Group] = {}
    for run in runs:
        r = run.run
        key = json.dumps(
            [r["scene"], r.get("brain_name", r["brain"]), r.get("settings"), r.get("agents")],
            sort_keys=True,
        )
        groups.setdefault(key, Group(r["brain"])).runs.append(run)
    labels = [group.label for group in groups.values()]
    for group in groups.values():
        if labels.count(group.label) > 1:  # same text, other settings (e.g. --population)
            group.label += f" ({group.runs[0].run.get('agents')} agents)"
    return list(groups.values())


def points(run: Run, x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
    rows = [row for row in run.rows if row[y] is not None]
    xs = np.array([row[x] for row in rows], dtype=np.float64)
    ys = np.array([row[y] for row in rows], dtype=np.float64)
    order = np.argsort(xs, kind="stable")
    return xs[order], ys[order]


def curve(group: Group, x: str, y: str, band: str) -> tuple[np.ndarray, ...] | None:
    """(grid, mean, low, high) of a group, or None if none of its runs has a point."""
    series = [points(run, x, y) for run in group.runs]
    series = [(xs, ys) for xs, ys in series if len(xs)]
    if not series:
        return None
    start = min(xs[0] for xs, _ in series)
    end = max(xs[-1] for xs, _ in series)
    grid = np.linspace(start, end, POINTS) if end > start else np.array([start])
    values = np.full((len(series), len(grid)), np.nan)
    for i, (xs, ys) in enumerate(series):
        latest = np.searchsorted(xs, grid, side="right") - 1  # the row at or before
        values[i] = np.where(latest >= 0, ys[np.maximum(latest, 0)], np.nan)
    mean = np.nanmean(values, axis=0)
    if band == "std":
        spread = np.nanstd(values, axis=0)
        return grid, mean, mean - spread, mean + spread
    return grid, mean, np.nanmin(values, axis=0), np.nanmax(values, axis=0)


def plot_runs(
    paths: list[Path], out: Path, x: str = "env_steps", y: str = "eval", band: str = "minmax"
) -> dict[str, Any]:
    """Draw the learning curves of the runs under `paths` into the PNG `out`; what was
    drawn, as a dict. RunFileError or PlotError (one line) if it cannot be."""
    column = Y_AXES[y]
    groups = group_runs(read_runs(paths))
    drawn = [(group, curve(group, x, column, band)) for group in groups]
    curves = [(group, lines) for group, lines in drawn if lines is not None]
    if not curves:
        hint = "; --y return plots the training return" if y == "eval" else ""
        raise RunFileError(f"no run has any {column} to plot yet{hint}")
    for group, lines in drawn:
        if lines is None:
            print(f"{group.label}: no {column} in its logs yet; left out", file=sys.stderr)
    plt = pyplot()
    drawing, axes = plt.subplots(figsize=(8, 4.8), dpi=100)
    for group, (grid, mean, low, high) in curves:
        seeds = len(group.runs)
        label = f"{group.label} ({counted(seeds, 'seed')})"
        # A lone point (one check) would be a line of no length: it gets a marker.
        marker = "o" if len(grid) == 1 else None
        (line,) = axes.plot(
            grid, mean, linewidth=1.8, label=label, drawstyle="steps-post", marker=marker
        )
        if seeds > 1:
            axes.fill_between(
                grid, low, high, color=line.get_color(), alpha=0.2, linewidth=0, step="post"
            )
    runs = [run.run for group, _ in curves for run in group.runs]
    scenes = ", ".join(dict.fromkeys(run["scene"] for run in runs))
    names = sorted({run.get("score_name", "score") for run in runs} - {"score"})
    units = f" ({', '.join(names)})" if names else ""
    y_label = f"check on fresh episodes{units}" if y == "eval" else "mean training return"
    spread = "min to max" if band == "minmax" else "one standard deviation"
    axes.set_title(f"{scenes}: {y_label}\n(mean over seeds; band: {spread})", fontsize=11)
    axes.set_xlabel(X_AXES[x])
    axes.set_ylabel(y_label)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=9)
    drawing.tight_layout()
    write_png(plt, drawing, out)
    return {
        "png": str(out),
        "x": x,
        "y": column,
        "groups": [
            {"label": group.label, "runs": [str(run.folder) for run in group.runs]}
            for group, _ in curves
        ],
    }
