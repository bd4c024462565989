"""Draws a GymScene: the environment's own rgb_array frames, a few agents side by side.

A gymnasium environment draws itself, so this view only chooses whose frames to show and
lays them out: the highlighted agent first, then the next living ones, up to MAX_SHOWN in
a grid, each scaled to fit its cell without stretching, with a caption of its return.
Frames cost a millisecond or more each to draw, so a population shows a few, not all.
"""

from __future__ import annotations

import numpy as np
import pygame

from game.scenes.gym_scene import GymScene, make_env
from game.ui import theme

MAX_SHOWN = 4
GAP = 4  # pixels between cells
DEFAULT_SIZE = (600, 400)  # until the first frame says how big the environment draws


def frame_size(env_id: str) -> tuple[int, int]:
    """(width, height) of the frames `env_id` draws, read off one frame of a new copy."""
    env = make_env(env_id)
    env.reset(seed=0)
    # Not closed: a classic-control environment that has drawn closes with pygame.quit(),
    # which would take the window's fonts with it. It is garbage like any other object.
    picture = env.render()
    if not isinstance(picture, np.ndarray) or picture.ndim != 3:
        return DEFAULT_SIZE
    return picture.shape[1], picture.shape[0]


class GymView:
    def __init__(self, scene: GymScene | None = None) -> None:
        self.world_size = DEFAULT_SIZE
        if scene is not None:  # a frame and its caption, so a lone agent fills the panel
            width, height = frame_size(scene.env_id)
            self.world_size = (width, height + theme.font(22).get_linesize() + 4)

    def shown(self, scene: GymScene, highlight: int | None) -> list[int]:
        """The agents whose frames are drawn: the highlighted one, then living ones."""
        living = [int(a) for a in np.flatnonzero(scene.alive)]
        first = [highlight] if highlight is not None and 0 <= highlight < scene.n else []
        chosen = first + [a for a in living if a not in first]
        return chosen[:MAX_SHOWN] or [0]

    def draw(
        self,
        surface: pygame.Surface,
        rect: pygame.Rect,
        scene: GymScene,
        highlight: int | None,
        colour: tuple[int, int, int] | None = None,
        name: str | None = None,
    ) -> None:
        """`colour` and `name` mark a race's lane (the lane's label says whose)."""
        canvas = surface.subsurface(rect)
        canvas.fill(theme.BACKGROUND)
        # A race's lane is small: its highlighted agent alone, drawn large enough to see.
        agents = self.shown(scene, highlight)[: 1 if name else MAX_SHOWN]
        columns = 1 if len(agents) == 1 else 2
        rows = -(-len(agents) // columns)
        cell_w = (rect.w - GAP * (columns - 1)) // columns
        cell_h = (rect.h - GAP * (rows - 1)) // rows
        caption_font = theme.font(max(14, min(cell_h // 14, 22)))
        for k, agent in enumerate(agents):
            cell = pygame.Rect(
                (k % columns) * (cell_w + GAP), (k // columns) * (cell_h + GAP), cell_w, cell_h
            )
            tint = colour or (theme.ACCENT if agent == highlight else theme.TEXT)
            self._draw_agent(canvas, cell, scene, agent, caption_font, tint)

    @staticmethod
    def caption(scene: GymScene, agent: int, width: int, font: pygame.font.Font) -> str:
        """The longest of a few captions, longest first, that fits `width` pixels."""
        ret, steps = f"{scene.returns[agent]:.0f}", int(scene.steps[agent])
        done = "" if scene.alive[agent] else ", episode over"
        words = [
            f"agent {agent + 1} of {scene.n}: return {ret} after {steps} steps{done}",
            f"agent {agent + 1}: return {ret} after {steps} steps",
            f"agent {agent + 1}: return {ret}",
            f"return {ret}",
        ]
        return next((w for w in words if font.size(w)[0] <= width), words[-1])

    def _draw_agent(self, canvas, cell, scene, agent, caption_font, tint) -> None:
        frame = scene.frame(agent)
        caption_h = caption_font.get_linesize() + 4
        area = pygame.Rect(cell.x, cell.y + caption_h, cell.w, max(1, cell.h - caption_h))
        if frame is not None:
            height, width = frame.shape[:2]
            picture = pygame.surfarray.make_surface(np.ascontiguousarray(frame.swapaxes(0, 1)))
            scale = min(area.w / width, area.h / height)
            size = (max(1, int(width * scale)), max(1, int(height * scale)))
            picture = pygame.transform.smoothscale(picture, size)
            canvas.blit(picture, picture.get_rect(center=area.center))
        else:
            words = "this environment draws no frames" if scene.started[agent] else "starting"
            text = caption_font.render(words, True, theme.TEXT_DIM)
            canvas.blit(text, text.get_rect(center=area.center))
        label = caption_font.render(
            self.caption(scene, agent, cell.w - 8, caption_font), True, tint
        )
        canvas.blit(label, (cell.x + 4, cell.y + 2))
