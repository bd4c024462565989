"""Where each panel goes for a given window size: recomputed every frame, so resizing
the window just works."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

TOP_BAR = 44
KEY_LINE = 34
PAD = 10
MIN_CHART_WIDTH = 320
MAX_GAME_SHARE = 0.58  # a wide game (CartPole's track) leaves the charts the rest


@dataclass(frozen=True)
class Layout:
    top: pygame.Rect
    keys: pygame.Rect
    game: pygame.Rect
    charts: list[pygame.Rect]


def layout(window: tuple[int, int], world: tuple[int, int], charts: int) -> Layout:
    """The game keeps its aspect ratio on the left; charts stack on the right."""
    width, height = window
    top = pygame.Rect(0, 0, width, TOP_BAR)
    keys = pygame.Rect(0, height - KEY_LINE, width, KEY_LINE)
    body = pygame.Rect(
        PAD, TOP_BAR + PAD, width - 2 * PAD, max(1, height - TOP_BAR - KEY_LINE - 2 * PAD)
    )
    game_h = body.height
    game_w = round(game_h * world[0] / world[1])
    room = body.width - (MIN_CHART_WIDTH + PAD if charts else 0)
    if charts:
        room = min(room, round(body.width * MAX_GAME_SHARE))
    if game_w > room:  # a narrow window: shrink the game, keep the charts readable
        game_w = max(1, room)
        game_h = max(1, round(game_w * world[1] / world[0]))
    game = pygame.Rect(body.left, body.top + (body.height - game_h) // 2, game_w, game_h)
    chart_rects = []
    if charts:
        left = game.right + PAD
        # With three or more charts the first (the one about learning) gets a double share.
        weights = [2] + [1] * (charts - 1) if charts >= 3 else [1] * charts
        room_h = body.height - PAD * (charts - 1)
        y = body.top
        for weight in weights:
            height = room_h * weight // sum(weights)
            chart_rects.append(pygame.Rect(left, y, body.right - left, height))
            y += height + PAD
    return Layout(top, keys, game, chart_rects)
