"""A run's logs, written while it runs: a callback on the arena's events, in the spirit of
Stable-Baselines3's Monitor (a row per episode) and logger (a row per check).

The files and their columns are in game/run_files.py and docs/run-logs.md. What makes a
row of progress.csv, a "check", depends on how the brain learns:

- learners and planners: each greedy check of the champion (a learner every 2,000
  environment steps, on a gridworld after every episode); mean_return is over the
  training episodes that ended since the row before.
- evolvers: each generation; mean_return is over its episodes (its mean fitness), and
  eval_score is the check of the champion that followed it, empty when there was none (an
  evolver's champion is checked once a generation's best reaches the solve threshold).
  The row is written once that is known: at the check, or when the next generation ends.
- when the log closes, a last row for the episodes since the last check (no eval_score).

Rows are written whole, each batch of lines with one os.write on a file opened for
appending, so the logs can be read while the run goes on and a killed run keeps every row
written before. Episode rows wait in memory until the next check or until a thousand have
gathered. A write that fails (a full disk) stops that file with one warning; the run goes
on. A crash in the middle of a write can leave a last line cut short, which readers leave
out (game/run_files.py).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from brains.storage import unique_directory
from game.arena import Arena, Callback
from game.evaluation import Evaluation
from game.run_files import (
    EPISODE_COLUMNS,
    EPISODES_FILE,
    PROGRESS_COLUMNS,
    PROGRESS_FILE,
    RUN_FILE,
)
from game.saving import write_text_atomic

# What TensorBoard shows, under Stable-Baselines3's names where there is one.
TENSORBOARD_TAGS = {
    "mean_return": "rollout/ep_rew_mean",
    "eval_score": "eval/score",
    "episodes": "time/episodes",
}


def tensorboard_missing() -> str | None:
    """Why --tensorboard cannot work here, in one line; None if it can."""
    if importlib.util.find_spec("tensorboard") is None:
        return (
            "--tensorboard needs the tensorboard package, which is not installed: "
            "pip install tensorboard (into the environment that runs main.py)"
        )
    return None


def new_run_folder(arena: Arena, root: Path) -> Path:
    """A new folder for a run under `root`: scene, brain, seed and the time it started."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder = unique_directory(Path(root), f"{arena.run_stem()}-{stamp}")
    folder.mkdir(parents=True)
    return folder


def new_race_folder(root: Path) -> Path:
    """A new folder for a headless race (compare) under `root`, named by its start."""
    folder = unique_directory(Path(root), f"compare-{time.strftime('%Y%m%d-%H%M%S')}")
    folder.mkdir(parents=True)
    return folder


def folder_name(label: str) -> str:
    """A brain as the user wrote it ("ga:hidden=8,mutation=0.1") as a folder name that
    every file system takes ("ga-hidden=8-mutation=0.1")."""
    return re.sub(r"[^A-Za-z0-9._=+-]+", "-", label).strip("-.")[:80] or "brain"


def run_record(arena: Arena) -> dict[str, Any]:
    """run.json: what ran. `plot` groups runs of one brain with one set of settings as
    seeds of one curve."""
    settings = getattr(arena.brain, "settings", None)
    return {
        "scene": arena.scene_name,
        "brain": arena.brain_text,
        "brain_name": arena.brain.name,
        "kind": arena.brain.kind,
        "settings": dataclasses.asdict(settings) if dataclasses.is_dataclass(settings) else {},
        "seed": arena.seed,
        "agents": arena.scene.n,
        "score_name": arena.scene.spec.score_name,  # what eval_score counts: pipes, steps
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def cell(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(value, ".10g")
    return str(value)


class LineFile:
    """A new file that grows by whole lines (a CSV's rows, JSON lines): lines wait in
    `pending` until `flush`, which writes them all with one os.write on a file opened for
    appending."""

    def __init__(self, path: Path, first: str | None = None) -> None:
        self.path = path
        self.pending: list[str] = []
        self._fd: int | None = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o666
        )
        if first is not None:
            self.add(first)
            self.flush()

    def add(self, line: str) -> None:
        self.pending.append(line + "\n")

    def flush(self) -> None:
        data = "".join(self.pending).encode()
        self.pending.clear()
        if self._fd is None or not data:
            return
        try:
            while data:  # a regular file takes it all at once, short of a full disk
                data = data[os.write(self._fd, data) :]
        except OSError as error:
            print(
                f"main.py: warning: cannot write {self.path} ({error.strerror or error}); "
                "training goes on, this log stops here",
                file=sys.stderr,
            )
            self.close()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class TensorBoardLog:
    """The rows of progress.csv as TensorBoard scalars, against environment steps."""

    def __init__(self, folder: Path) -> None:
        from torch.utils.tensorboard import SummaryWriter  # torch and tensorboard: only here

        self.writer = SummaryWriter(log_dir=str(folder), flush_secs=10)

    def write(self, row: dict[str, Any]) -> None:
        for column, tag in TENSORBOARD_TAGS.items():
            if row[column] is not None:
                self.writer.add_scalar(tag, row[column], global_step=row["env_steps"])

    def close(self) -> None:
        self.writer.close()


class RunLog(Callback):
    """Writes a run's run.json, progress.csv and episodes.csv into `folder` (made if it
    is not there) as the arena's events arrive; with `tensorboard`, the progress rows also
    go there as TensorBoard scalars. `close()` writes what is left."""

    EPISODES_WAITING = 1_000  # episode rows held before they are written anyway

    def __init__(self, arena: Arena, folder: Path, tensorboard: Path | None = None) -> None:
        self.arena, self.folder = arena, Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        write_text_atomic(self.folder / RUN_FILE, json.dumps(run_record(arena), indent=2) + "\n")
        self.progress = LineFile(self.folder / PROGRESS_FILE, ",".join(PROGRESS_COLUMNS))
        self.episodes = LineFile(self.folder / EPISODES_FILE, ",".join(EPISODE_COLUMNS))
        self.board = TensorBoardLog(tensorboard) if tensorboard is not None else None
        self._episode = 0
        # Episodes as they ended, (lanes, env_steps, lengths, returns), formatted only when
        # written: the tick an episode ends pays for two small copies, not for text.
        self._ended: list[tuple[np.ndarray, int, np.ndarray, np.ndarray]] = []
        self._waiting = 0  # episodes in _ended
        self._since: list[np.ndarray] = []  # returns of the episodes since the last row
        self._generation_row: dict[str, Any] | None = None  # waiting for its check, if any

    def on_agents_done(self, arena: Arena, agents: np.ndarray) -> None:
        scene = arena.scene
        returns = scene.returns[agents]
        self._ended.append((agents, arena.metrics.env_steps, scene.steps[agents], returns))
        self._since.append(returns)
        self._waiting += len(agents)
        if self._waiting >= self.EPISODES_WAITING:
            self._write_episodes()

    def on_generation_end(self, arena: Arena) -> None:
        self._write_generation_row()  # the one before had no check
        self._generation_row = self._row()

    def on_evaluation_end(self, arena: Arena, evaluation: Evaluation) -> None:
        row = self._generation_row or self._row()
        self._generation_row = None
        row["eval_score"] = evaluation.score
        self._write(row)

    def close(self) -> None:
        """Write what is left: a generation's row, a row for the episodes since the last."""
        self._write_generation_row()
        if self._since:
            self._write(self._row())
        self._write_episodes()
        self.progress.close()
        self.episodes.close()
        if self.board is not None:
            self.board.close()

    def _row(self) -> dict[str, Any]:
        m = self.arena.metrics
        mean = float(np.concatenate(self._since).mean()) if self._since else None
        self._since = []
        return {
            "env_steps": m.env_steps,
            "wall_seconds": round(m.seconds(), 3),
            "episodes": m.episodes,
            "mean_return": mean,
            "eval_score": None,
        }

    def _write_generation_row(self) -> None:
        if self._generation_row is not None:
            self._write(self._generation_row)
            self._generation_row = None

    def _write_episodes(self) -> None:
        for lanes, steps, lengths, returns in self._ended:
            for lane, length, value in zip(
                lanes.tolist(), lengths.tolist(), returns.tolist(), strict=True
            ):
                self._episode += 1
                self.episodes.add(f"{lane},{self._episode},{steps},{length},{cell(value)}")
        self._ended, self._waiting = [], 0
        self.episodes.flush()

    def _write(self, row: dict[str, Any]) -> None:
        self._write_episodes()  # the episodes a row sums up are on disk before it
        self.progress.add(",".join(cell(row[column]) for column in PROGRESS_COLUMNS))
        self.progress.flush()
        if self.board is not None:
            self.board.write(row)
