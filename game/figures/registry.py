"""Every figure by name (game/figures/__init__.py lists the names without importing them)."""

from __future__ import annotations

from game.figures import FIGURE_NAMES
from game.figures.base import Figure
from game.figures.blog import HillClimbFigure, RandomSearchFigure
from game.figures.sutton import Figure4_1, Figure6_4, Figure8_2, Figure8_4, Figure8_5

FIGURES: dict[str, type[Figure]] = {
    cls.name: cls
    for cls in (
        Figure4_1,
        Figure6_4,
        Figure8_2,
        Figure8_4,
        Figure8_5,
        RandomSearchFigure,
        HillClimbFigure,
    )
}
assert tuple(FIGURES) == FIGURE_NAMES, "game/figures/__init__.py must list every figure"
