"""Brains by name, as the command line and brain files spell them."""

from __future__ import annotations

import os
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


# What each brain calls a setting a scene fixes, where its name differs: a map's `gamma`
# is MCTS's `discount`.
SCENE_SETTING_NAMES: dict[str, tuple[str, ...]] = {"gamma": ("gamma", "discount")}


def scene_settings(cls: Any, shape: BrainShape) -> dict[str, str]:
    """The settings `shape`'s scene fixes (a book's map: its discount, step size...) that
    brain class `cls` has, under the names it gives them; the rest are not for it."""
    fields = cls.Settings.__dataclass_fields__
    found: dict[str, str] = {}
    for key, value in shape.brain_settings:
        names = [name for name in SCENE_SETTING_NAMES.get(key, (key,)) if name in fields]
        if names:
            found[names[0]] = value
    return found


def make_brain(
    text: str,
    shape: BrainShape,
    population: int | None,
    seed: int,
    overrides: dict[str, str] | None = None,
) -> Brain:
    """Build a brain from `name[:key=value,...]`; raises SettingsError with one line.
    With no population given, the brain uses its own default. A brain's `scene_defaults`
    (settings tuned for one scene) come first, then the settings the scene fixes (a book's
    map: the book's discount, step size, exploration), then `overrides`, settings from
    options of their own (--neat-config) given to brains that have them, then the text's
    own."""
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
    tuned = getattr(cls, "scene_defaults", {}).get(shape.family, {})
    fixed = scene_settings(cls, shape)
    given = {k: v for k, v in (overrides or {}).items() if k in fields}
    try:
        settings = build_settings(cls.Settings, {**tuned, **fixed, **given, **values}, name)
    except SettingsError as error:
        # A setting given with the brain may not go with one the scene fixes (dqn's
        # bounded=true with a map's gamma 1): say which, and how to change it.
        kept = {k: v for k, v in fixed.items() if k not in given and k not in values}
        if not kept:
            raise
        try:
            build_settings(cls.Settings, {**tuned, **given, **values}, name)
        except SettingsError:
            raise error from None
        named = ", ".join(f"{k}={v}" for k, v in kept.items())
        raise SettingsError(
            f"{error}; scene {shape.scene} sets {named} (settings given with the brain win)"
        ) from None
    population = cls.default_population if population is None else population
    check_memory(name, population, cls.bytes_per_agent(shape, settings))
    return cls(shape, population=population, seed=seed, settings=settings)


def free_memory() -> int | None:
    """Bytes of memory free for a new process's arrays (Linux's MemAvailable), or None
    where it cannot be read."""
    try:
        with open("/proc/meminfo") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        return None


def check_memory(name: str, population: int, per_agent: int) -> None:
    """Refuse, in one line, a population whose agents would not fit in free memory:
    a typo of a few zeros must not take the machine down."""
    need, free = population * per_agent, free_memory()
    if free is not None and need > free:
        raise SettingsError(
            f"brain {name}: a population of {population:,} would need about "
            f"{need / 2**30:,.1f} GB, and {free / 2**30:,.1f} GB of memory is free; "
            "give a smaller --population"
        )
