"""Colours and fonts shared by the window's panels.

Fonts are pygame's built-in default font (shipped inside pygame-ce), so the app needs no
font files and looks the same on every machine.
"""

from __future__ import annotations

from functools import cache

import pygame

BACKGROUND = (24, 26, 34)
PANEL = (34, 37, 48)
PANEL_EDGE = (56, 60, 76)
GRID = (52, 56, 70)
TEXT = (232, 234, 240)
TEXT_DIM = (150, 156, 176)
ACCENT = (255, 196, 0)
GOOD = (120, 220, 120)
WARN = (255, 120, 100)
HIGHLIGHT = (255, 80, 80)
KEYCAP = (64, 70, 90)


@cache
def font(size: int, bold: bool = False) -> pygame.font.Font:
    if not pygame.font.get_init():
        pygame.font.init()
    f = pygame.font.Font(None, size)
    f.set_bold(bold)
    return f
