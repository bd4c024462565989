"""LearningArcade/FlappyBird-v0: one bird of game/scenes/flappy.py as a gymnasium.Env.

Observation: the scene's seven numbers (height, vertical speed, distance to the next pipe,
the next two gaps' edges seen from the bird), float32, bounded by the scene's spec.
Actions: 0 glide, 1 flap. Reward: 0.1 for each tick alive, 1 more for each pipe passed,
-1 for crashing. An episode terminates when the bird crashes (into a pipe, the ground or
the ceiling) and is truncated when it has passed `max_pipes` pipes (100 by default, our
solve rule's mark; None flies on forever). Each episode is a fresh course drawn from the
environment's generator, so `reset(seed=s)` replays the same course.
"""

from __future__ import annotations

from typing import Any

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
from game.scenes.flappy import HEIGHT, SPEC, WIDTH, FlappyScene

TICKS_PER_SECOND = 60  # the scene's own clock (see game/scenes/flappy.py)


class FlappyBirdEnv(OneAgentEnv):
    action_words = "0 (glide) or 1 (flap)"
    metadata = {"render_modes": list(RENDER_MODES), "render_fps": TICKS_PER_SECOND}

    def __init__(
        self,
        render_mode: str | None = None,
        max_pipes: int | None = int(FlappyScene.solve_rule.threshold),
    ) -> None:
        check_render_mode(render_mode)
        if max_pipes is not None and max_pipes < 1:
            raise ValueError(f"max_pipes must be 1 or more (or None), got {max_pipes}")
        self.render_mode = render_mode
        self.max_pipes = max_pipes
        self.scene = FlappyScene(1, max_score=max_pipes)
        self.observation_space = observation_box(SPEC)
        self.action_space = spaces.Discrete(SPEC.n_actions)
        self._renderer: SceneRenderer | None = None

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        super().reset(seed=seed)
        self.scene.reset(episode_seed(self.np_random))
        if self.render_mode == "human":
            self.render()
        return self.scene.observe()[0], self._info()

    def _info(self) -> dict[str, Any]:
        return {"score": int(self.scene.scores[0])}  # pipes passed this episode

    def _renderer_for(self) -> SceneRenderer:
        return SceneRenderer(_flappy_view, TICKS_PER_SECOND, "Flappy Bird")


def _flappy_view() -> tuple[Any, tuple[int, int]]:
    from game.views import make_view

    return make_view("flappy"), (WIDTH, HEIGHT)
