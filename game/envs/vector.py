"""Our batched scenes as gymnasium.vector.VectorEnvs: N lanes, one scene call a step.

gymnasium's SyncVectorEnv steps N environments one Python call at a time; our scenes
already hold N agents in arrays, so here every step is one `scene.step` for all lanes.

Autoreset is gymnasium's default, NEXT_STEP (metadata["autoreset_mode"]): the step on
which a lane's episode ends returns its last observation; the lane's next step ignores
its action and returns the first observation of a new episode, with reward 0 and neither
flag set. So a lane behaves exactly as the same single environment would inside
`gymnasium.vector.SyncVectorEnv` (tests/test_envs.py compares them).

- FlappyBirdVectorEnv: each lane a bird on its own course and its own clock
  (game/scenes/flappy_lanes.py), so one bird starts a new course while the others fly
  on. `reset(seed=s)` seeds lane i with s + i, as SyncVectorEnv does: lane i then flies
  the courses FlappyBird-v0 flies after `reset(seed=s + i)` and `reset()`s.
- GridworldVectorEnv: N agents on one map, as our own gridworld brains train. The lanes
  share the world: one generator (starts, slips) and, on a changing maze, one clock.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium import spaces
from gymnasium.utils import seeding
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from game.envs.common import episode_seed, observation_box
from game.envs.gridworld_env import load_env_map
from game.scenes import DEFAULT_MAP
from game.scenes.base import Scene
from game.scenes.flappy import FlappyScene
from game.scenes.flappy_lanes import FlappyLanesScene
from game.scenes.gridworld import GridWorldScene


class LanesVectorEnv(VectorEnv):
    """NEXT_STEP autoreset over a scene whose lanes can start again on their own;
    subclasses say how lanes start (`_restart`)."""

    metadata: dict[str, Any] = {"autoreset_mode": AutoresetMode.NEXT_STEP, "render_modes": []}

    def __init__(self, scene: Scene, render_mode: str | None) -> None:
        if render_mode is not None:
            raise ValueError(
                f"vector envs do not render (render_mode={render_mode!r}): render a single env"
            )
        self.scene = scene
        self.num_envs = scene.n
        self.single_observation_space = observation_box(scene.spec)
        self.single_action_space = spaces.Discrete(scene.spec.n_actions)
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self._restart_next = np.zeros(self.num_envs, dtype=bool)  # lanes that ended last step

    def _restart(self, lanes: np.ndarray) -> None:
        """Start new episodes in `lanes` (a boolean mask), continuing their generators."""
        raise NotImplementedError

    def _reset_mask(self, options: dict[str, Any] | None) -> np.ndarray | None:
        """gymnasium's `options={"reset_mask": bool[num_envs]}`: reset only those lanes."""
        mask = (options or {}).get("reset_mask")
        if mask is None:
            return None
        mask = np.asarray(mask)
        if mask.shape != (self.num_envs,) or mask.dtype != np.bool_ or not mask.any():
            raise ValueError(
                f"options['reset_mask'] must be a bool array of shape ({self.num_envs},) "
                f"with at least one True, got {mask!r}"
            )
        return mask

    def step(
        self, actions: Any
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        actions = np.asarray(actions, dtype=np.int64)
        if actions.shape != (self.num_envs,):
            raise ValueError(f"expected {self.num_envs} actions, got shape {actions.shape}")
        if np.any((actions < 0) | (actions >= self.single_action_space.n)):
            raise ValueError(f"actions must be in 0..{self.single_action_space.n - 1}")
        # Lanes that ended last step are not alive in the scene, so the step leaves them be;
        # they start again after it, as SyncVectorEnv resets instead of stepping them.
        rewards, terminated, truncated = self.scene.step(actions)
        restart = self._restart_next
        if restart.any():
            self._restart(restart)
            rewards[restart] = 0.0
            terminated[restart] = False
            truncated[restart] = False
        self._restart_next = terminated | truncated
        return self.scene.observe(), rewards, terminated, truncated, self._infos()

    def _infos(self) -> dict[str, Any]:
        """gymnasium's vector convention: each key an array over lanes, "_key" which lanes
        have it (all do)."""
        return {"score": self.scene.scores.copy(), "_score": np.ones(self.num_envs, dtype=bool)}


class FlappyBirdVectorEnv(LanesVectorEnv):
    """`num_envs` birds of FlappyBird-v0, each on its own course and clock."""

    def __init__(
        self,
        num_envs: int,
        render_mode: str | None = None,
        max_pipes: int | None = int(FlappyScene.solve_rule.threshold),
    ) -> None:
        if max_pipes is not None and max_pipes < 1:
            raise ValueError(f"max_pipes must be 1 or more (or None), got {max_pipes}")
        super().__init__(FlappyLanesScene(num_envs, max_score=max_pipes), render_mode)
        self.scene: FlappyLanesScene
        # Each lane has its own generator, as each env of a SyncVectorEnv has its np_random.
        self.lane_rngs: list[np.random.Generator | None] = [None] * num_envs

    def _lane_rng(self, lane: int) -> np.random.Generator:
        if self.lane_rngs[lane] is None:
            self.lane_rngs[lane] = seeding.np_random()[0]
        return self.lane_rngs[lane]  # type: ignore[return-value]

    def reset(
        self,
        *,
        seed: int | list[int | None] | None = None,
        options: dict[str, Any] | None = None,
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """`seed`: None (each lane goes on with its generator), an int s (lane i seeded
        with s + i) or one seed (or None) per lane."""
        if seed is None or isinstance(seed, int | np.integer):
            seeds = [None if seed is None else int(seed) + i for i in range(self.num_envs)]
        else:
            seeds = list(seed)
            if len(seeds) != self.num_envs:
                raise ValueError(f"{len(seeds)} seeds for {self.num_envs} lanes")
        mask = self._reset_mask(options)
        lanes = np.arange(self.num_envs) if mask is None else np.flatnonzero(mask)
        for lane in lanes.tolist():
            if seeds[lane] is not None:
                self.lane_rngs[lane] = seeding.np_random(seeds[lane])[0]
        self.scene.reset_lanes(lanes, [episode_seed(self._lane_rng(i)) for i in lanes.tolist()])
        self._restart_next[lanes] = False
        return self.scene.observe(), self._infos()

    def _restart(self, lanes: np.ndarray) -> None:
        index = np.flatnonzero(lanes)
        self.scene.reset_lanes(index, [episode_seed(self._lane_rng(i)) for i in index.tolist()])


class GridworldVectorEnv(LanesVectorEnv):
    """`num_envs` agents of Gridworld-v0 on one map, sharing its generator and clock."""

    def __init__(
        self, num_envs: int, render_mode: str | None = None, map: str = DEFAULT_MAP
    ) -> None:
        gm = load_env_map(map, "LearningArcade/Gridworld-v0")
        super().__init__(GridWorldScene(gm, num_envs), render_mode)
        self.scene: GridWorldScene
        self.map_name = map

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """`seed` (an int; the lanes share one generator) starts the world afresh; with
        `options={"reset_mask": mask}` only those lanes start new episodes, and the world
        goes on."""
        if seed is not None and not isinstance(seed, int | np.integer):
            raise ValueError(
                "the lanes of a gridworld share one world and one generator: seed it with one int"
            )
        mask = self._reset_mask(options)
        if mask is not None:
            if seed is not None:
                raise ValueError("a reset_mask keeps the world going: it takes no seed")
            self.scene.reset_agents(mask)
            self._restart_next[mask] = False
            return self.scene.observe(), self._infos()
        if seed is not None:
            self._np_random, self._np_random_seed = seeding.np_random(int(seed))
        self.scene.reset(episode_seed(self.np_random))
        self._restart_next[:] = False
        return self.scene.observe(), self._infos()

    def _restart(self, lanes: np.ndarray) -> None:
        self.scene.reset_agents(lanes)
