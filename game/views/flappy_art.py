"""Flappy Bird's art, drawn by code: bird, pipes, ground and sky, in the game's world units.

Everything is painted at SUPERSAMPLE times the needed size and smooth-scaled down, which
gives clean anti-aliased edges with nothing but pygame.draw. Sprites are made once per
on-screen scale and cached by the view.
"""

from __future__ import annotations

import numpy as np
import pygame

from game.scenes import flappy as world

SUPERSAMPLE = 4

SKY_TOP = (78, 192, 202)
SKY_BOTTOM = (196, 236, 224)
CLOUD = (236, 248, 246)
CITY = (150, 214, 196)
CITY_WINDOWS = (176, 226, 212)
BUSH = (96, 196, 84)
BUSH_DARK = (72, 168, 64)
PIPE_LIGHT = (140, 214, 74)
PIPE_MID = (96, 182, 48)
PIPE_DARK = (58, 128, 30)
PIPE_EDGE = (40, 64, 24)
GROUND = (222, 216, 148)
GROUND_STRIPE = (204, 196, 120)
GRASS = (110, 200, 70)
GRASS_DARK = (82, 160, 52)
BIRD_BODY = (250, 200, 50)
BIRD_BELLY = (252, 236, 160)
BIRD_WING = (240, 240, 230)
BIRD_BEAK = (240, 110, 40)
PLAYER_BODY = (232, 72, 64)  # your bird is red, as the original's second bird
PLAYER_BELLY = (250, 176, 150)
OUTLINE = (48, 40, 48)

STRIPE_PERIOD = 24  # world px between ground stripes; the ground scrolls by this period


def _scaled(surface: pygame.Surface, size: tuple[int, int]) -> pygame.Surface:
    return pygame.transform.smoothscale(surface, (max(1, size[0]), max(1, size[1])))


def bird(
    scale: float, body_colour: tuple[int, int, int] = BIRD_BODY, belly_colour=BIRD_BELLY
) -> pygame.Surface:
    """The bird facing right, 34x24 world px."""
    k = SUPERSAMPLE * scale
    w, h = round(34 * k), round(24 * k)
    s = pygame.Surface((w, h), pygame.SRCALPHA)
    line = max(1, round(1.6 * k))
    body = pygame.Rect(round(1 * k), round(2 * k), round(30 * k), round(21 * k))
    pygame.draw.ellipse(s, body_colour, body)
    belly = pygame.Rect(round(6 * k), round(12 * k), round(20 * k), round(10 * k))
    pygame.draw.ellipse(s, belly_colour, belly)
    pygame.draw.ellipse(s, OUTLINE, body, line)
    wing = pygame.Rect(round(0 * k), round(9 * k), round(14 * k), round(9 * k))
    pygame.draw.ellipse(s, BIRD_WING, wing)
    pygame.draw.ellipse(s, OUTLINE, wing, line)
    eye = (round(23 * k), round(8 * k))
    pygame.draw.circle(s, (255, 255, 255), eye, round(6 * k))
    pygame.draw.circle(s, OUTLINE, eye, round(6 * k), line)
    pygame.draw.circle(s, OUTLINE, (round(25 * k), round(8 * k)), round(2.2 * k))
    beak = pygame.Rect(round(20 * k), round(13 * k), round(14 * k), round(7 * k))
    pygame.draw.ellipse(s, BIRD_BEAK, beak)
    pygame.draw.ellipse(s, OUTLINE, beak, line)
    pygame.draw.line(
        s, OUTLINE, (beak.left + line, beak.centery), (beak.right - line, beak.centery), line
    )
    return _scaled(s, (round(34 * scale), round(24 * scale)))


def bird_frames(
    scale: float, angles: list[float], alpha: int, player: bool = False
) -> list[pygame.Surface]:
    """The bird rotated to each angle (degrees, positive = nose up), faded to `alpha`;
    `player` paints your bird's colours."""
    base = bird(scale, PLAYER_BODY, PLAYER_BELLY) if player else bird(scale)
    if alpha < 255:
        base.fill((255, 255, 255, alpha), special_flags=pygame.BLEND_RGBA_MULT)
    return [pygame.transform.rotozoom(base, angle, 1.0) for angle in angles]


def pipe_body(scale: float, height: float) -> pygame.Surface:
    """A pipe's shaft: shaded like a cylinder, lit from the left."""
    w, h = max(1, round(world.PIPE_WIDTH * scale)), max(1, round(height * scale))
    s = pygame.Surface((w, h))
    for x in range(w):
        t = x / max(1, w - 1)
        light = 1.0 - abs(t - 0.3) * 1.6
        colour = PIPE_DARK if light < 0.2 else PIPE_MID if light < 0.75 else PIPE_LIGHT
        pygame.draw.line(s, colour, (x, 0), (x, h))
    pygame.draw.rect(s, PIPE_EDGE, s.get_rect(), max(1, round(1.5 * scale)))
    return s


def pipe_cap(scale: float) -> pygame.Surface:
    """The wider lip at a pipe's open end."""
    body = pipe_body(scale * 1.0, 24)
    return _scaled(body, (round((world.PIPE_WIDTH + 6) * scale), round(24 * scale)))


def sky(scale: float) -> pygame.Surface:
    """Sky with clouds, a far-off city and bushes: the static backdrop above the ground."""
    w, h = round(world.WIDTH * scale), round(world.GROUND_Y * scale)
    s = pygame.Surface((w, h))
    for y in range(h):
        t = y / max(1, h - 1)
        colour = [round(a + (b - a) * t) for a, b in zip(SKY_TOP, SKY_BOTTOM, strict=True)]
        pygame.draw.line(s, colour, (0, y), (w, y))
    for cx, cy, r in ((60, 70, 22), (230, 110, 16), (360, 60, 26), (150, 40, 12)):
        for dx, dr in ((-1.2, 0.7), (0, 1.0), (1.1, 0.8)):
            pygame.draw.circle(
                s, CLOUD, (round((cx + dx * r) * scale), round(cy * scale)), round(r * dr * scale)
            )
    base = h
    for i, (bw, bh) in enumerate(((40, 70), (28, 100), (50, 60), (34, 120), (44, 80), (30, 95))):
        for repeat in range(3):
            x = round((i * 60 + repeat * 170 + (i % 2) * 13) * scale)
            rect = pygame.Rect(
                x, base - round((bh + 10) * scale), round(bw * scale), round(bh * scale)
            )
            pygame.draw.rect(s, CITY, rect)
            for wy in range(
                rect.top + round(8 * scale),
                rect.bottom - round(6 * scale),
                max(2, round(12 * scale)),
            ):
                for wx in range(
                    rect.left + round(6 * scale),
                    rect.right - round(6 * scale),
                    max(2, round(10 * scale)),
                ):
                    pygame.draw.rect(
                        s,
                        CITY_WINDOWS,
                        (wx, wy, max(1, round(4 * scale)), max(1, round(5 * scale))),
                    )
    for i in range(0, world.WIDTH + 40, 26):
        r = 16 + (i * 7) % 9
        pygame.draw.circle(s, BUSH_DARK, (round(i * scale), base), round((r + 3) * scale))
        pygame.draw.circle(s, BUSH, (round(i * scale), base + round(2 * scale)), round(r * scale))
    return s


def ground(scale: float) -> pygame.Surface:
    """One screen of ground plus one stripe period, so it can scroll by blitting offset."""
    w = round((world.WIDTH + STRIPE_PERIOD) * scale)
    h = max(1, round((world.HEIGHT - world.GROUND_Y) * scale))
    s = pygame.Surface((w, h))
    s.fill(GROUND)
    grass = max(2, round(10 * scale))
    pygame.draw.rect(s, GRASS, (0, 0, w, grass))
    for x in range(0, world.WIDTH + 2 * STRIPE_PERIOD, STRIPE_PERIOD):
        points = [(x, 0), (x + 12, 0), (x + 6, 10), (x - 6, 10)]
        pygame.draw.polygon(
            s, GRASS_DARK, [(round(px * scale), round(py * scale)) for px, py in points]
        )
    pygame.draw.line(s, PIPE_EDGE, (0, 0), (w, 0), max(1, round(1.5 * scale)))
    pygame.draw.line(s, GROUND_STRIPE, (0, grass), (w, grass), max(1, round(3 * scale)))
    return s


# The bird tilts nose-up while rising and dives when falling fast, as in the original:
# twelve pre-rotated frames, picked by vertical speed.
ANGLES = [25.0 - 115.0 * (i / 11) for i in range(12)]


def angle_index(vertical_speed: np.ndarray) -> np.ndarray:
    """Index into ANGLES for each vertical speed."""
    span = world.MAX_FALL_SPEED - world.FLAP_VELOCITY
    t = np.clip((vertical_speed - world.FLAP_VELOCITY) / span, 0.0, 1.0) ** 1.5
    return np.minimum((t * len(ANGLES)).astype(int), len(ANGLES) - 1)
