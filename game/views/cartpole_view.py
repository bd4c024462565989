"""Draws a CartPoleScene: the track, its limits, and every cart with its pole.

A few carts (a race, a human beside a bot) each get their own colour; a population is
drawn as one translucent crowd with the highlighted cart opaque on top.
"""

from __future__ import annotations

import math

import numpy as np
import pygame

from game import colours
from game.scenes import cartpole as world
from game.scenes.cartpole import CartPoleScene
from game.ui import theme

METRES_WIDE = 2 * world.POSITION_LIMIT + 1.2  # the track plus a margin beyond each limit
METRES_HIGH = 3.0
TRACK_Y = 0.72  # the track's height, as a fraction of the view from the top
CART_W, CART_H = 0.5, 0.28  # metres
POLE_W = 0.09
POLE_LENGTH = 2 * world.HALF_POLE_LENGTH

SKY_TOP, SKY_BOTTOM = (30, 36, 58), (58, 66, 96)
GROUND = (44, 48, 62)
TRACK = (180, 186, 200)
LIMIT = (235, 90, 80)
POLE = (236, 200, 140)
CROWD_ALPHA = 70
FEW = len(colours.PALETTE)  # up to this many carts get a colour each


def cart_colour(index: int) -> tuple[int, int, int]:
    return colours.nth(index)


class CartPoleView:
    world_size = (round(METRES_WIDE * 100), round(METRES_HIGH * 100))

    def __init__(self) -> None:
        self._backdrop: pygame.Surface | None = None

    def _prepare(self, size: tuple[int, int]) -> None:
        w, h = size
        backdrop = pygame.Surface(size)
        track_y = round(h * TRACK_Y)
        for y in range(track_y):
            t = y / max(1, track_y - 1)
            colour = [round(a + (b - a) * t) for a, b in zip(SKY_TOP, SKY_BOTTOM, strict=True)]
            pygame.draw.line(backdrop, colour, (0, y), (w, y))
        pygame.draw.rect(backdrop, GROUND, (0, track_y, w, h - track_y))
        pygame.draw.line(backdrop, TRACK, (0, track_y), (w, track_y), max(2, h // 150))
        scale = w / METRES_WIDE
        for side in (-1, 1):
            x = round(w / 2 + side * world.POSITION_LIMIT * scale)
            pygame.draw.line(
                backdrop, LIMIT, (x, track_y - round(0.5 * scale)), (x, track_y + 6), 3
            )
        label = theme.font(max(14, h // 28)).render("track limits +-2.4 m", True, theme.TEXT_DIM)
        backdrop.blit(label, label.get_rect(midtop=(w // 2, track_y + 10)))
        self._backdrop = backdrop

    def draw(
        self,
        surface: pygame.Surface,
        rect: pygame.Rect,
        scene: CartPoleScene,
        highlight: int | None,
        colour: tuple[int, int, int] | None = None,
        clock: bool = False,
    ) -> None:
        """`colour` paints every cart in one colour (whose cart it is, in a match), and
        `clock` shows the time balanced beside the steps."""
        canvas = surface.subsurface(rect)
        if self._backdrop is None or self._backdrop.get_size() != rect.size:
            self._prepare(rect.size)
        canvas.blit(self._backdrop, (0, 0))
        scale = rect.width / METRES_WIDE
        origin = (rect.width / 2, rect.height * TRACK_Y)
        living = np.flatnonzero(scene.alive)
        states = scene.cart_states()
        if scene.n <= FEW:
            for i in living:
                shade = colour or cart_colour(int(i))
                self._draw_cart(canvas, states[i], origin, scale, shade)
        else:
            crowd = pygame.Surface(rect.size, pygame.SRCALPHA)
            for i in living:
                if i != highlight:
                    self._draw_cart(crowd, states[i], origin, scale, (*theme.TEXT, CROWD_ALPHA))
            canvas.blit(crowd, (0, 0))
            if highlight is not None and scene.alive[highlight]:
                self._draw_cart(canvas, states[highlight], origin, scale, theme.ACCENT)
        self._draw_score(canvas, scene, highlight, clock)

    @staticmethod
    def _draw_cart(canvas: pygame.Surface, state: np.ndarray, origin, scale: float, colour) -> None:
        x, _, theta, _ = state
        cx = origin[0] + x * scale
        body = pygame.Rect(0, 0, round(CART_W * scale), round(CART_H * scale))
        body.midbottom = (round(cx), round(origin[1] - 0.04 * scale))
        pygame.draw.rect(canvas, colour, body, border_radius=max(2, body.height // 5))
        pivot = (cx, body.top + 0.05 * scale)
        # Positive theta leans the pole towards positive x (to the right on screen).
        tip = (
            pivot[0] + POLE_LENGTH * scale * math.sin(theta),
            pivot[1] - POLE_LENGTH * scale * math.cos(theta),
        )
        width = max(2, round(POLE_W * scale))
        pole_colour = colour if len(colour) == 4 else POLE
        pygame.draw.line(canvas, pole_colour, pivot, tip, width)
        pygame.draw.circle(canvas, pole_colour, (round(tip[0]), round(tip[1])), width // 2)
        pygame.draw.circle(
            canvas,
            theme.BACKGROUND if len(colour) == 3 else colour,
            (round(pivot[0]), round(pivot[1])),
            max(2, width // 2),
        )

    @staticmethod
    def _draw_score(
        canvas: pygame.Surface, scene: CartPoleScene, highlight: int | None, clock: bool = False
    ) -> None:
        living = scene.alive
        if highlight is not None and living[highlight]:
            steps = int(scene.steps[highlight])
        else:
            steps = int(scene.steps[living].max()) if living.any() else int(scene.steps.max())
        font = theme.font(max(24, canvas.get_height() // 9), bold=True)
        text = font.render(f"{steps}", True, theme.TEXT)
        canvas.blit(
            text, text.get_rect(midtop=(canvas.get_width() // 2, canvas.get_height() // 20))
        )
        words = f"steps balanced (of {world.TIME_LIMIT})"
        if clock:  # CartPole's clock: TAU seconds a step
            limit = world.TIME_LIMIT * world.TAU
            words = f"steps balanced: {steps * world.TAU:.2f} s of {limit:g} s"
        note = theme.font(max(14, canvas.get_height() // 30)).render(words, True, theme.TEXT_DIM)
        canvas.blit(
            note,
            note.get_rect(
                midtop=(canvas.get_width() // 2, canvas.get_height() // 20 + text.get_height())
            ),
        )
