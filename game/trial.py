"""One trial: a new brain on a scene, from a seed, trained headless within a budget to
one result line. `train` runs one trial and `sweep` runs many, as Ray tasks, through the
same `run_trial`: one seed gives the same result in both."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from brains.base import Brain
from game.arena import Arena, Budget, brain_shape


@dataclass(frozen=True)
class Trial:
    """What a trial is: the scene key, the brain's text (`NAME[:KEY=VALUE,...]`), the
    seed, the budget, and the population and settings given on the command line."""

    scene: str
    brain: str
    seed: int
    budget: Budget
    population: int | None = None
    overrides: tuple[tuple[str, str], ...] = field(default=())  # e.g. --neat-config

    @property
    def key(self) -> str:
        """The trial's name in a sweep's results: its brain text and seed."""
        return f"{self.brain} seed {self.seed}"


def new_brain(trial: Trial) -> Brain:
    """The trial's brain, new; raises SettingsError or ValueError with one line."""
    from brains.registry import make_brain

    shape = brain_shape(trial.scene)
    return make_brain(trial.brain, shape, trial.population, trial.seed, dict(trial.overrides))


def trial_arena(trial: Trial, brain: Brain | None = None) -> Arena:
    """The arena that trains the trial's brain (`brain`, if already built)."""
    from game.experiment import make_arena

    brain = new_brain(trial) if brain is None else brain
    return make_arena(trial.scene, brain, trial.seed, brain_text=trial.brain)


class RunFolderError(Exception):
    """A run folder or its logs that cannot be made; the message is one line."""


def train_logged(
    arena: Arena,
    budget: Budget,
    out: Path,
    progress: bool = False,
    tensorboard: Path | None = None,
    announce: bool = False,
) -> dict:
    """Train `arena` into a new run folder under `out`: its logs as it goes (and
    TensorBoard's under `tensorboard`, if given), its brain at the end. Raises
    RunFolderError before training if the folder or its logs cannot be made."""
    from game.run_log import RunLog, new_run_folder
    from game.training import train

    try:
        folder = new_run_folder(arena, out)
    except OSError as error:
        raise RunFolderError(
            f"--out {out}: cannot make the run's folder ({error.strerror or error})"
        ) from None
    try:
        logs = RunLog(arena, folder, None if tensorboard is None else tensorboard / folder.name)
    except OSError as error:
        raise RunFolderError(
            f"cannot write the run's logs into {folder}: {error.strerror or error}"
        ) from None
    if announce:
        print(f"Logs: {folder}", file=sys.stderr)
    return train(arena, budget, out, progress=progress, logs=logs)


def run_trial(
    trial: Trial, out: Path | None, progress: bool = False, tensorboard: Path | None = None
) -> dict:
    """Train the trial's brain until its budget and return the result line (the keys of
    game.training.RESULT_KEYS); with `out`, in a run folder of its own there, with its
    logs and its saved brain, as `train` does."""
    from game.training import train

    arena = trial_arena(trial)
    if out is None:
        return train(arena, trial.budget, None, progress=progress)
    return train_logged(arena, trial.budget, out, progress, tensorboard)
