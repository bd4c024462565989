"""Figures of the books and blogs the app teaches, reproduced by real runs of its brains.

`python main.py figure NAME` runs one, headless (a table on stderr, one JSON line on
stdout, a PNG) or in the window, where its curves draw themselves run by run.
"""

from __future__ import annotations

from game.figures.base import Figure, FigureData, FigureRun, Measure
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

__all__ = ["FIGURES", "Figure", "FigureData", "FigureRun", "Measure"]
