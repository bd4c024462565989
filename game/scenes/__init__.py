"""Scenes by name. Each entry builds a scene of n agents.

`capped` asks for the episode limit used in training, so a population that has mastered
a course still ends its generation and keeps learning. `independent` asks for agents
whose episodes share nothing (each Flappy bird on its own course), for evaluation.
"""

from __future__ import annotations

from collections.abc import Callable

from game.scenes.base import Scene, SceneSpec, SolveRule
from game.scenes.cartpole import CartPoleScene
from game.scenes.flappy import FlappyScene


def _flappy(n: int, capped: bool, independent: bool) -> Scene:
    cap = int(FlappyScene.solve_rule.threshold) if capped else None
    return FlappyScene(n, max_score=cap, courses=n if independent else 1)


def _cartpole(n: int, capped: bool, independent: bool) -> Scene:
    # Carts are always independent, and CartPole-v1's 500-step limit always applies.
    return CartPoleScene(n)


SCENES: dict[str, Callable[[int, bool, bool], Scene]] = {"flappy": _flappy, "cartpole": _cartpole}
SPECS: dict[str, SceneSpec] = {"flappy": FlappyScene.spec, "cartpole": CartPoleScene.spec}


def make_scene(name: str, n: int, capped: bool = True, independent: bool = False) -> Scene:
    if name not in SCENES:
        raise KeyError(f"unknown scene {name!r}; scenes: {', '.join(sorted(SCENES))}")
    return SCENES[name](n, capped, independent)


__all__ = ["SCENES", "SPECS", "Scene", "SceneSpec", "SolveRule", "make_scene"]
