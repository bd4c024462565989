"""Colours with a meaning shared across the app (plain RGB data, no pygame): lines in
charts, lanes in a race, carts in a scene. Panels and text live in game/ui/theme.py."""

from __future__ import annotations

Colour = tuple[int, int, int]

GOLD: Colour = (255, 196, 0)
BLUE: Colour = (90, 170, 255)
GREEN: Colour = (120, 220, 120)
PINK: Colour = (240, 110, 160)
VIOLET: Colour = (180, 140, 255)
ORANGE: Colour = (255, 140, 60)
TEAL: Colour = (80, 220, 210)
SILVER: Colour = (230, 230, 230)

# Told apart at a glance, in this order: lane i of a race, cart i of a few.
PALETTE: tuple[Colour, ...] = (GOLD, BLUE, GREEN, PINK, VIOLET, ORANGE, TEAL, SILVER)


def nth(index: int) -> Colour:
    return PALETTE[index % len(PALETTE)]
