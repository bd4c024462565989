"""One trial: a new brain on a scene, from a seed, trained headless within a budget to
one result line. `train` runs one trial and `sweep` runs many, as Ray tasks, through the
same `run_trial`: one seed gives the same result in both."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def run_trial(trial: Trial, out: Path | None, progress: bool = False, **train_options: Any) -> dict:
    """Train the trial's brain until its budget, save it under `out`, and return the
    result line (the keys of game.training.RESULT_KEYS)."""
    from game.training import train

    return train(trial_arena(trial), trial.budget, out, progress=progress, **train_options)
