"""Brains by name, as the command line and brain files spell them."""

from __future__ import annotations

from typing import Any

from brains.a2c import A2C
from brains.base import Brain, BrainShape
from brains.dqn import DQN
from brains.dyna import DynaQ, DynaQPlus
from brains.dynamic_programming import PolicyEvaluation, PolicyIteration, ValueIteration
from brains.ga import GeneticAlgorithm
from brains.hill_climb import HillClimb
from brains.mcts import MCTS
from brains.neat_brain import NEAT
from brains.ppo import PPO
from brains.q_table import QTable
from brains.random_search import RandomSearch
from brains.reinforce import Reinforce
from brains.settings import SettingsError, build_settings, split_brain_arg
from brains.tabular import QLearning, Sarsa
from brains.trpo import TRPO

BRAINS: dict[str, Any] = {
    cls.name: cls
    for cls in (
        GeneticAlgorithm,
        NEAT,
        RandomSearch,
        HillClimb,
        QTable,
        DQN,
        Reinforce,
        A2C,
        PPO,
        TRPO,
        MCTS,
        PolicyEvaluation,
        PolicyIteration,
        ValueIteration,
        QLearning,
        Sarsa,
        DynaQ,
        DynaQPlus,
    )
}


def brain_class(name: str) -> Any:
    if name not in BRAINS:
        raise KeyError(f"unknown brain {name!r}; brains: {', '.join(sorted(BRAINS))}")
    return BRAINS[name]


def make_brain(
    text: str,
    shape: BrainShape,
    population: int | None,
    seed: int,
    overrides: dict[str, str] | None = None,
) -> Brain:
    """Build a brain from `name[:key=value,...]`; raises SettingsError with one line.
    With no population given, the brain uses its own default. A brain's `scene_defaults`
    (settings tuned for one scene) come first, then `overrides`, settings from options of
    their own (--neat-config) given to brains that have them, then the text's own."""
    name, values = split_brain_arg(text)
    try:
        cls = brain_class(name)
    except KeyError as error:
        raise SettingsError(error.args[0]) from None
    reason = cls.supports(shape)
    if reason:
        fitting = sorted(n for n, c in BRAINS.items() if c.supports(shape) is None)
        raise SettingsError(
            f"brain {name} does not support scene {shape.scene or '?'} ({reason}); "
            f"brains for it: {', '.join(fitting)}"
        )
    fields = cls.Settings.__dataclass_fields__
    tuned = getattr(cls, "scene_defaults", {}).get(shape.scene.partition(":")[0], {})
    given = {k: v for k, v in (overrides or {}).items() if k in fields}
    values = {**tuned, **given, **values}
    settings = build_settings(cls.Settings, values, name)
    population = cls.default_population if population is None else population
    return cls(shape, population=population, seed=seed, settings=settings)
