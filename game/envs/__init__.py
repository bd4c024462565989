"""Our games as gymnasium environments, so other libraries can train on them.

`import game.envs` registers two ids with gymnasium (entry points are strings: nothing is
built until an environment is made):

    LearningArcade/FlappyBird-v0   one bird (`max_pipes=100` truncates the episode)
    LearningArcade/Gridworld-v0    one agent on a map (`map=` a shipped name or a file)

CartPole is gymnasium's own CartPole-v1 (our scene has exactly its dynamics). Both ids
also have a vector entry point, so `gymnasium.make_vec(id, num_envs=8)` gives one
`gymnasium.vector.VectorEnv` that steps all lanes in one batched scene call. See
docs/gymnasium.md.
"""

from __future__ import annotations

from typing import Any

import gymnasium

FLAPPY_ID = "LearningArcade/FlappyBird-v0"
GRIDWORLD_ID = "LearningArcade/Gridworld-v0"

gymnasium.register(
    id=FLAPPY_ID,
    entry_point="game.envs.flappy_env:FlappyBirdEnv",
    vector_entry_point="game.envs.vector:FlappyBirdVectorEnv",
)
gymnasium.register(
    id=GRIDWORLD_ID,
    entry_point="game.envs.gridworld_env:GridworldEnv",
    vector_entry_point="game.envs.vector:GridworldVectorEnv",
)

# The classes, imported on first use so that registering stays cheap.
_HOMES = {
    "FlappyBirdEnv": "game.envs.flappy_env",
    "GridworldEnv": "game.envs.gridworld_env",
    "InvalidMap": "game.envs.gridworld_env",
    "FlappyBirdVectorEnv": "game.envs.vector",
    "GridworldVectorEnv": "game.envs.vector",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["FLAPPY_ID", "GRIDWORLD_ID", *_HOMES]
