"""What the environments share: their spaces, episode seeds, and drawing frames.

pygame is imported only when a frame is asked for, so an environment made without a
render mode stays as cheap and headless as the scene it wraps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gymnasium
import numpy as np
from gymnasium import spaces

from game.scenes.base import SceneSpec

RENDER_MODES = ("human", "rgb_array")
NO_RENDER_MODE = (
    "render() without a render_mode: make the env with render_mode='rgb_array' or 'human'"
)


def observation_box(spec: SceneSpec) -> spaces.Box:
    """The scene's observation bounds as a float32 Box (a gridworld's one-hot cells too:
    it is what our own brains see, and argmax gives the cell)."""
    return spaces.Box(
        np.array(spec.obs_low, dtype=np.float32),
        np.array(spec.obs_high, dtype=np.float32),
        dtype=np.float32,
    )


def episode_seed(rng: np.random.Generator) -> int:
    """A scene seed drawn from an environment's generator: `reset(seed=s)` then always
    replays the same episodes, and `reset()` goes on to new ones."""
    return int(rng.integers(2**63 - 1))


def check_render_mode(render_mode: str | None) -> None:
    if render_mode is not None and render_mode not in RENDER_MODES:
        raise ValueError(
            f"render_mode must be one of {', '.join(RENDER_MODES)} or None, got {render_mode!r}"
        )


class SceneRenderer:
    """Draws a scene with its view from game/views: onto an offscreen Surface for
    "rgb_array" (an H x W x 3 uint8 array), or into a window at `fps` for "human".

    `make_view` returns (view, (width, height)); it is called on the first frame."""

    def __init__(
        self, make_view: Callable[[], tuple[Any, tuple[int, int]]], fps: int, caption: str
    ) -> None:
        self.make_view = make_view
        self.fps = fps
        self.caption = caption
        self.view: Any = None
        self.size = (0, 0)
        self.surface: Any = None  # the offscreen Surface, or the window's
        self.window: Any = None
        self.clock: Any = None

    def render(self, mode: str, scene: Any, **draw: Any) -> np.ndarray | None:
        import pygame

        if self.view is None:
            self.view, self.size = self.make_view()
        if mode == "human":
            if self.window is None:
                pygame.display.init()
                self.window = pygame.display.set_mode(self.size)
                pygame.display.set_caption(self.caption)
                self.clock = pygame.time.Clock()
            self.view.draw(self.window, self.window.get_rect(), scene, None, **draw)
            pygame.event.pump()  # else the desktop marks the window "not responding"
            pygame.display.flip()
            self.clock.tick(self.fps)
            return None
        if self.surface is None:
            self.surface = pygame.Surface(self.size)
        self.view.draw(self.surface, self.surface.get_rect(), scene, None, **draw)
        # surfarray indexes [x, y]; images are [row, column].
        return np.ascontiguousarray(pygame.surfarray.array3d(self.surface).transpose(1, 0, 2))

    def close(self) -> None:
        """Closes the window, if one is open. Only the display: pygame's fonts stay
        initialised, as the app's cached fonts need them."""
        if self.window is not None:
            import pygame

            pygame.display.quit()
            self.window = None


class OneAgentEnv(gymnasium.Env[np.ndarray, np.int64]):
    """One agent of a batched scene (`self.scene`, n = 1) as a gymnasium.Env: the step,
    the frames and closing they share. A subclass builds the scene and its spaces, and
    gives `reset`, `_info`, `action_words` ("0 (glide) or 1 (flap)") for a bad action's
    error, and `_renderer_for()`, the SceneRenderer that draws it."""

    action_words: str = ""
    render_mode: str | None
    scene: Any

    def step(self, action: Any) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        if not self.action_space.contains(action):
            raise ValueError(f"action must be {self.action_words}, got {action!r}")
        rewards, terminated, truncated = self.scene.step(np.array([action], dtype=np.int64))
        if self.render_mode == "human":
            self.render()
        return (
            self.scene.observe()[0],
            float(rewards[0]),
            bool(terminated[0]),
            bool(truncated[0]),
            self._info(),
        )

    def _info(self) -> dict[str, Any]:
        raise NotImplementedError

    def _renderer_for(self) -> SceneRenderer:
        raise NotImplementedError

    def _draw_options(self) -> dict[str, Any]:
        """What the view is told beyond the scene (a caption, say)."""
        return {}

    def render(self) -> np.ndarray | None:
        if self.render_mode is None:
            gymnasium.logger.warn(NO_RENDER_MODE)
            return None
        if getattr(self, "_renderer", None) is None:
            self._renderer = self._renderer_for()
        return self._renderer.render(self.render_mode, self.scene, **self._draw_options())

    def close(self) -> None:
        if getattr(self, "_renderer", None) is not None:
            self._renderer.close()
