"""Draws a FlappyScene into a rectangle of a pygame Surface.

The population's birds are drawn faded, in one batched blit; the highlighted bird (the
reigning champion's line) is drawn opaque, on top, with a ring so it can be followed. In
play, your bird (`player`, a scene of its own on the same course) is drawn last, red and
labelled, and the big number is your score.
"""

from __future__ import annotations

import numpy as np
import pygame

from game.scenes import flappy as world
from game.scenes.flappy import FlappyScene
from game.ui import theme
from game.views import flappy_art as art

# The more birds alive, the fainter each is drawn, so that a crowd reads as a cloud
# rather than a black smear: (most birds alive, alpha).
CROWD_ALPHA = ((10, 210), (30, 160), (100, 120), (300, 85), (1_000, 55), (None, 35))


def crowd_alpha(alive: int) -> int:
    return next(alpha for limit, alpha in CROWD_ALPHA if limit is None or alive <= limit)


class FlappyView:
    world_size = (world.WIDTH, world.HEIGHT)

    def __init__(self) -> None:
        self._scale = 0.0

    def _prepare(self, scale: float) -> None:
        self._scale = scale
        self.sky = art.sky(scale)
        self.ground = art.ground(scale)
        self.body = art.pipe_body(scale, world.GROUND_Y)
        self.cap = art.pipe_cap(scale)
        self.faded: dict[int, list[pygame.Surface]] = {}  # by alpha, made when first needed
        self.opaque = art.bird_frames(scale, art.ANGLES, 255)
        self.player_frames = art.bird_frames(scale, art.ANGLES, 255, player=True)
        # Rotated frames differ in size: blit each so the bird's centre stays put.
        self.half = np.array([(f.get_width() / 2, f.get_height() / 2) for f in self.opaque])

    def draw(
        self,
        surface: pygame.Surface,
        rect: pygame.Rect,
        scene: FlappyScene,
        highlight: int | None,
        player: FlappyScene | None = None,
    ) -> None:
        scale = rect.height / world.HEIGHT
        if abs(scale - self._scale) > 1e-6:
            self._prepare(scale)
        canvas = surface.subsurface(rect)
        canvas.blit(self.sky, (0, 0))
        self._draw_pipes(canvas, scene, scale)
        offset = (scene.tick * world.PIPE_SPEED) % art.STRIPE_PERIOD
        canvas.blit(self.ground, (-round(offset * scale), round(world.GROUND_Y * scale)))
        if scene is not player:
            self._draw_birds(canvas, scene, scale, highlight)
        if player is not None:
            self._draw_player(canvas, player, scale)
        self._draw_score(canvas, player if player is not None else scene)

    def _draw_pipes(self, canvas: pygame.Surface, scene: FlappyScene, scale: float) -> None:
        cap_w, cap_h = self.cap.get_size()
        for x, gap_top in scene.visible_pipes():
            left = round((x - world.PIPE_WIDTH / 2) * scale)
            cap_left = left - (cap_w - self.body.get_width()) // 2
            top = round(gap_top * scale)
            bottom = round((gap_top + world.GAP_SIZE) * scale)
            canvas.blit(self.body, (left, 0), pygame.Rect(0, 0, self.body.get_width(), top))
            canvas.blit(self.cap, (cap_left, top - cap_h))
            canvas.blit(self.body, (left, bottom))
            canvas.blit(self.cap, (cap_left, bottom))

    def _draw_birds(
        self, canvas: pygame.Surface, scene: FlappyScene, scale: float, highlight: int | None
    ) -> None:
        living = np.flatnonzero(scene.alive)
        if highlight is not None:
            living = living[living != highlight]
        frames = art.angle_index(scene.vy[living])
        x = world.BIRD_X * scale - self.half[frames, 0]
        y = scene.y[living] * scale - self.half[frames, 1]
        alpha = crowd_alpha(len(living))
        if alpha not in self.faded:
            self.faded[alpha] = art.bird_frames(scale, art.ANGLES, alpha)
        faded = self.faded[alpha]
        canvas.fblits(
            [
                (faded[f], (px, py))
                for f, px, py in zip(frames.tolist(), x.tolist(), y.tolist(), strict=True)
            ]
        )
        if highlight is not None and scene.alive[highlight]:
            frame = int(art.angle_index(scene.vy[highlight : highlight + 1])[0])
            centre = (round(world.BIRD_X * scale), round(scene.y[highlight] * scale))
            pygame.draw.circle(
                canvas, theme.HIGHLIGHT, centre, round(22 * scale), max(2, round(2 * scale))
            )
            sprite = self.opaque[frame]
            canvas.blit(sprite, sprite.get_rect(center=centre))

    def _draw_player(self, canvas: pygame.Surface, player: FlappyScene, scale: float) -> None:
        if not player.alive[0]:
            return
        frame = int(art.angle_index(player.vy[:1])[0])
        centre = (round(world.BIRD_X * scale), round(player.y[0] * scale))
        sprite = self.player_frames[frame]
        canvas.blit(sprite, sprite.get_rect(center=centre))
        tag = theme.font(max(14, round(22 * scale)), bold=True).render("you", True, art.OUTLINE)
        canvas.blit(tag, tag.get_rect(midbottom=(centre[0], centre[1] - round(16 * scale))))

    def _draw_score(self, canvas: pygame.Surface, scene: FlappyScene) -> None:
        living = scene.alive
        score = int(scene.scores[living].max()) if living.any() else int(scene.scores.max())
        font = theme.font(max(24, canvas.get_height() // 9), bold=True)
        text = str(score)
        shadow = font.render(text, True, art.OUTLINE)
        face = font.render(text, True, (255, 255, 255))
        centre = (canvas.get_width() // 2, canvas.get_height() // 9)
        for dx, dy in ((-2, 0), (2, 0), (0, -2), (0, 3)):
            canvas.blit(shadow, shadow.get_rect(center=(centre[0] + dx, centre[1] + dy)))
        canvas.blit(face, face.get_rect(center=centre))
