"""Scenes by name. Each entry builds a scene of n agents.

A scene is named by a key: "flappy", "cartpole", "cartpole:float32" (the same carts in
float32, faster, not bit for bit gymnasium's), "gridworld:MAP" where MAP is a shipped
map's name or a path to a map file ("gridworld" alone is the Dyna Maze), or
"gym:ENV_ID", any gymnasium environment with discrete actions (game/scenes/gym_scene.py).
The key travels everywhere a scene name does (arenas, checks, saved brains), so a brain
trained on a maze is watched on that maze. What is the same for every key of a family
(brains' defaults, views, controls) is looked up by the family, `split_scene_key(key)[0]`.

`capped` asks for the episode limit used in training, so a population that has mastered
a course still ends its generation and keeps learning. `independent` asks for agents
whose episodes share nothing (each Flappy bird on its own course), for evaluation; a
gridworld check also starts a changing maze in its changed form and covers every start.
`changed` asks for the changed form alone: a champion is watched on the maze it was checked on.
"""

from __future__ import annotations

from collections.abc import Callable

from game.scenes.base import Scene, SceneError, SceneSpec, SolveRule
from game.scenes.cartpole import CartPoleScene
from game.scenes.cartpole_float32 import CartPoleFloat32Scene
from game.scenes.flappy import FlappyScene
from game.scenes.gridmap import (
    MapError,
    is_shipped,
    load_map,
    register_saved_map,
    saved_map_text,
)

DEFAULT_MAP = "dyna-maze"


def _flappy(n: int, capped: bool, independent: bool, arg: str | None) -> Scene:
    cap = int(FlappyScene.solve_rule.threshold) if capped else None
    return FlappyScene(n, max_score=cap, courses=n if independent else 1)


def _cartpole(n: int, capped: bool, independent: bool, number_type: str | None) -> Scene:
    # Carts are always independent, and CartPole-v1's 500-step limit always applies.
    return CartPoleFloat32Scene(n) if number_type == "float32" else CartPoleScene(n)


# Each builds a scene from (n, capped, independent, the key's ARG or None).
SCENES: dict[str, Callable[[int, bool, bool, str | None], Scene] | None] = {
    "flappy": _flappy,
    "cartpole": _cartpole,
    "gridworld": None,  # built from its map, see make_scene
    "gym": None,  # built from its environment id, see make_scene
}
SPECS: dict[str, SceneSpec] = {"flappy": FlappyScene.spec, "cartpole": CartPoleScene.spec}
# The families whose key takes ":ARG": what ARG is, and the values it may take (None: any,
# checked where it is used, as a map is when loaded).
KEY_ARGS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "gridworld": ("a map", None),
    "cartpole": ("a number type", ("float32",)),
    "gym": ("a gymnasium environment id", None),
}


def split_scene_key(key: str) -> tuple[str, str | None]:
    """ "gridworld:cliff" -> ("gridworld", "cliff"); "cartpole" -> ("cartpole", None);
    "cartpole:float32" -> ("cartpole", "float32"); "gym:Acrobot-v1" -> ("gym",
    "Acrobot-v1"). Raises KeyError for an ARG the family does not take."""
    name, colon, arg = key.partition(":")
    if name == "gridworld" and not arg:
        return name, DEFAULT_MAP
    if name == "gym" and not arg:
        raise KeyError("scene gym needs an environment id, e.g. gym:Acrobot-v1")
    if not colon:
        return name, None
    if name not in KEY_ARGS:
        takes = "; ".join(f"{family} takes {what}" for family, (what, _) in KEY_ARGS.items())
        raise KeyError(f"scene {name!r} takes nothing after ':' ({takes}), got {key!r}")
    what, allowed = KEY_ARGS[name]
    if allowed is not None and arg not in allowed:
        raise KeyError(
            f"scene {name!r} takes {what} after ':', one of: {', '.join(allowed)}; got {key!r}"
        )
    return name, arg


def gridworld_key(map_name: str) -> str:
    return f"gridworld:{map_name}"


def make_scene(
    key: str, n: int, capped: bool = True, independent: bool = False, changed: bool = False
) -> Scene:
    """The scene a key names; raises KeyError (unknown scene) or SceneError (a bad map,
    an environment that cannot be a scene)."""
    name, arg = split_scene_key(key)
    if name not in SCENES:
        raise KeyError(f"unknown scene {name!r}; scenes: {', '.join(sorted(SCENES))}")
    if name == "gridworld":
        from game.scenes.gridworld import GridWorldScene

        return GridWorldScene(load_map(arg), n, final_layout=independent, changed=changed)
    if name == "gym":
        from game.scenes.gym_scene import GymScene

        return GymScene(arg, n)  # type: ignore[arg-type]
    return SCENES[name](n, capped, independent, arg)  # type: ignore[misc]


def saved_scene_meta(key: str) -> dict[str, str]:
    """What a saved brain keeps beside the key so it can be watched from any folder: a
    gridworld's map text, unless the map is shipped (then its name says it all)."""
    name, map_name = split_scene_key(key)
    text = saved_map_text(map_name) if name == "gridworld" and map_name else None
    return {} if text is None else {"map_text": text}


def scene_from_brain(key: str, map_text: str | None, source: str) -> str:
    """The scene key to watch a saved brain on. A brain file may come from a stranger, so a
    path in it is never opened: a gridworld plays a shipped map by name or the map text
    the file holds (errors name `source`, the brain file). Raises MapError or KeyError."""
    name, map_name = split_scene_key(key)
    if name != "gridworld" or map_name is None:
        return key
    if map_text is not None:
        stem = map_name.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".txt") or "map"
        return gridworld_key(register_saved_map(map_text, f"{source} (map_text)", stem))
    if not is_shipped(map_name):
        raise MapError(
            f"{source}: map {map_name!r} is not a shipped map and the file, saved by an older "
            "version, holds no map_text: it cannot go on training, and `watch --map FILE` plays it"
        )
    return key


def scene_spec(key: str) -> SceneSpec:
    name, map_name = split_scene_key(key)
    if name == "gridworld":
        from game.scenes.gridworld import make_spec

        return make_spec(load_map(map_name))
    if name == "gym":
        from game.scenes.gym_scene import gym_spec

        return gym_spec(map_name)[0]  # type: ignore[arg-type]
    return SPECS[name]


__all__ = [
    "SCENES",
    "SPECS",
    "MapError",
    "SceneError",
    "Scene",
    "SceneSpec",
    "SolveRule",
    "make_scene",
    "saved_scene_meta",
    "scene_from_brain",
    "scene_spec",
    "split_scene_key",
]
