"""Scenes by name. Each entry builds a scene of n agents.

A scene is named by a key: "flappy", "cartpole", or "gridworld:MAP" where MAP is a
shipped map's name or a path to a map file ("gridworld" alone is the Dyna Maze). The key
travels everywhere a scene name does (arenas, checks, saved brains), so a brain trained on
a maze is watched on that maze.

`capped` asks for the episode limit used in training, so a population that has mastered
a course still ends its generation and keeps learning. `independent` asks for agents
whose episodes share nothing (each Flappy bird on its own course), for evaluation; a
gridworld check also starts a changing maze in its changed form and covers every start.
`changed` asks for the changed form alone: a champion is watched on the maze it was checked on.
"""

from __future__ import annotations

from collections.abc import Callable

from game.scenes.base import Scene, SceneSpec, SolveRule
from game.scenes.cartpole import CartPoleScene
from game.scenes.flappy import FlappyScene
from game.scenes.gridmap import MapError, load_map

DEFAULT_MAP = "dyna-maze"


def _flappy(n: int, capped: bool, independent: bool) -> Scene:
    cap = int(FlappyScene.solve_rule.threshold) if capped else None
    return FlappyScene(n, max_score=cap, courses=n if independent else 1)


def _cartpole(n: int, capped: bool, independent: bool) -> Scene:
    # Carts are always independent, and CartPole-v1's 500-step limit always applies.
    return CartPoleScene(n)


SCENES: dict[str, Callable[[int, bool, bool], Scene] | None] = {
    "flappy": _flappy,
    "cartpole": _cartpole,
    "gridworld": None,  # built from its map, see make_scene
}
SPECS: dict[str, SceneSpec] = {"flappy": FlappyScene.spec, "cartpole": CartPoleScene.spec}


def split_scene_key(key: str) -> tuple[str, str | None]:
    """ "gridworld:cliff" -> ("gridworld", "cliff"); "cartpole" -> ("cartpole", None)."""
    name, colon, rest = key.partition(":")
    if name == "gridworld":
        return name, rest if colon and rest else DEFAULT_MAP
    if colon:
        raise KeyError(f"scene {name!r} takes no map (only gridworld does), got {key!r}")
    return name, None


def gridworld_key(map_name: str) -> str:
    return f"gridworld:{map_name}"


def make_scene(
    key: str, n: int, capped: bool = True, independent: bool = False, changed: bool = False
) -> Scene:
    """The scene a key names; raises KeyError (unknown scene) or MapError (bad map)."""
    name, map_name = split_scene_key(key)
    if name not in SCENES:
        raise KeyError(f"unknown scene {name!r}; scenes: {', '.join(sorted(SCENES))}")
    if name == "gridworld":
        from game.scenes.gridworld import GridWorldScene

        return GridWorldScene(load_map(map_name), n, final_layout=independent, changed=changed)
    return SCENES[name](n, capped, independent)  # type: ignore[misc]


def scene_spec(key: str) -> SceneSpec:
    name, map_name = split_scene_key(key)
    if name == "gridworld":
        from game.scenes.gridworld import make_spec

        return make_spec(load_map(map_name))
    return SPECS[name]


__all__ = [
    "SCENES",
    "SPECS",
    "MapError",
    "Scene",
    "SceneSpec",
    "SolveRule",
    "make_scene",
    "scene_spec",
    "split_scene_key",
]
