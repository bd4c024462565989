"""LearningArcade/Gridworld-v0: one agent of game/scenes/gridworld.py as a gymnasium.Env.

`map=` names a shipped map (game.scenes.gridmap.map_names(): "dyna-maze", the default,
"cliff", "four-rooms", ...) or a path to a map file (docs/gridworlds.md). Observation:
the agent's cell, one-hot over every cell of the grid (rows x cols, float32), as our own
brains see it; `argmax` gives the cell index r * cols + c. Actions: 0 up, 1 right,
2 down, 3 left. Rewards, slips, pits and the time limit are the map's: an episode
terminates in a goal (or a pit that ends it) and is truncated at the map's time limit.

`reset(seed=s)` starts the world afresh; `reset()` starts a new episode in the same
world, so a changing maze (the Blocking and Shortcut mazes) changes after `change_at`
steps counted across episodes, as in Sutton and Barto's experiments.
"""

from __future__ import annotations

from typing import Any

import gymnasium
import numpy as np
from gymnasium import spaces

from game.envs.common import (
    RENDER_MODES,
    OneAgentEnv,
    SceneRenderer,
    check_render_mode,
    episode_seed,
    observation_box,
)
from game.scenes import DEFAULT_MAP
from game.scenes.gridmap import GridMap, MapError, load_map
from game.scenes.gridworld import GridWorldScene

FRAMES_PER_SECOND = 8  # slow enough to follow one agent's moves
MAX_FRAME = 640  # pixels: big mazes get smaller cells, not huge frames


class InvalidMap(MapError, gymnasium.error.Error):
    """A `map=` that names no shipped map or readable map file, or a file that is not a
    valid map; one line naming the map, the file, line and column where it is wrong."""


def load_env_map(map_name: str, env_id: str) -> GridMap:
    try:
        return load_map(map_name)
    except MapError as error:
        raise InvalidMap(f"{env_id}: {error}") from None


class GridworldEnv(OneAgentEnv):
    action_words = "0 (up), 1 (right), 2 (down) or 3 (left)"
    metadata = {"render_modes": list(RENDER_MODES), "render_fps": FRAMES_PER_SECOND}

    def __init__(self, render_mode: str | None = None, map: str = DEFAULT_MAP) -> None:
        check_render_mode(render_mode)
        self.render_mode = render_mode
        self.map_name = map
        self.scene = GridWorldScene(load_env_map(map, "LearningArcade/Gridworld-v0"), 1)
        self.observation_space = observation_box(self.scene.spec)
        self.action_space = spaces.Discrete(self.scene.spec.n_actions)
        self._started = False
        self._renderer: SceneRenderer | None = None

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        super().reset(seed=seed)
        if seed is not None or not self._started:
            self.scene.reset(episode_seed(self.np_random))
            self._started = True
        else:
            self.scene.reset_agents(np.ones(1, dtype=bool))
        if self.render_mode == "human":
            self.render()
        return self.scene.observe()[0], self._info()

    def _info(self) -> dict[str, Any]:
        # score: 100 x shortest path / steps taken once the goal is reached, else 0.
        return {"cell": int(self.scene.cell[0]), "score": int(self.scene.scores[0])}

    def _renderer_for(self) -> SceneRenderer:
        title = self.scene.map.title or self.map_name
        return SceneRenderer(self._make_view, FRAMES_PER_SECOND, title)

    def _draw_options(self) -> dict[str, Any]:
        return {"note": f"step {int(self.scene.steps[0])}   return {self.scene.returns[0]:g}"}

    def _make_view(self) -> tuple[Any, tuple[int, int]]:
        from game.views.gridworld_view import CELL, LEGEND, GridWorldView

        view = GridWorldView(self.scene)
        view.fill, view.arrows = "plain", False  # no brain's tables to show
        rows, cols = self.scene.rows, self.scene.cols
        cell = max(8, min(CELL, MAX_FRAME // max(rows, cols)))
        return view, (cols * cell, rows * cell + LEGEND)
