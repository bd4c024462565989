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
PORTRAIT = 1.1  # a body this much taller than wide puts the charts below the game
PORTRAIT_GAME_SHARE = 0.55  # of a tall body's height, at most, for the game
MIN_CHART_HEIGHT = 150  # below this, charts under a game go two to a row


@dataclass(frozen=True)
class Layout:
    top: pygame.Rect
    keys: pygame.Rect
    game: pygame.Rect
    charts: list[pygame.Rect]


def layout(
    window: tuple[int, int],
    world: tuple[int, int],
    charts: int,
    top_bar: int = TOP_BAR,
    key_line: int = KEY_LINE,
) -> Layout:
    """The game keeps its aspect ratio on the left; charts stack on the right. The top bar
    and the key line are as tall as their rows need (hud.plan_top_bar, plan_key_line)."""
    width, height = window
    top = pygame.Rect(0, 0, width, top_bar)
    keys = pygame.Rect(0, height - key_line, width, key_line)
    body = pygame.Rect(
        PAD, top_bar + PAD, width - 2 * PAD, max(1, height - top_bar - key_line - 2 * PAD)
    )
    if charts and body.height > body.width * PORTRAIT:
        return Layout(top, keys, *_portrait(body, world, charts))
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
        column = pygame.Rect(left, body.top, body.right - left, body.height)
        chart_rects = _stack(column, charts)
    return Layout(top, keys, game, chart_rects)


def _stack(area: pygame.Rect, charts: int) -> list[pygame.Rect]:
    """Charts one above another; with three or more the first (the one about learning)
    gets a double share."""
    weights = [2] + [1] * (charts - 1) if charts >= 3 else [1] * charts
    room_h = area.height - PAD * (charts - 1)
    rects, y = [], area.top
    for weight in weights:
        height = room_h * weight // sum(weights)
        rects.append(pygame.Rect(area.left, y, area.width, height))
        y += height + PAD
    return rects


def _portrait(
    body: pygame.Rect, world: tuple[int, int], charts: int
) -> tuple[pygame.Rect, list[pygame.Rect]]:
    """A tall window: the game across the top, the charts below it."""
    game_w = body.width
    game_h = round(game_w * world[1] / world[0])
    if game_h > body.height * PORTRAIT_GAME_SHARE:
        game_h = round(body.height * PORTRAIT_GAME_SHARE)
        game_w = round(game_h * world[0] / world[1])
    game = pygame.Rect(body.left + (body.width - game_w) // 2, body.top, game_w, game_h)
    below = pygame.Rect(body.left, game.bottom + PAD, body.width, body.bottom - game.bottom - PAD)
    if charts <= 2 or below.height >= charts * MIN_CHART_HEIGHT:
        return game, _stack(below, charts)
    half = (below.width - PAD) // 2  # two columns of charts
    left = pygame.Rect(below.left, below.top, half, below.height)
    right = pygame.Rect(below.left + half + PAD, below.top, below.width - half - PAD, below.height)
    first = (charts + 1) // 2
    return game, _stack(left, first) + _stack(right, charts - first)
