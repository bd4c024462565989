"""A figure without the window: every run as fast as it goes, a progress bar, a table."""

from __future__ import annotations

import sys

from tqdm import tqdm

from game.compare import format_table
from game.figures.base import Figure, FigureData, counted


def run_figure(figure: Figure, progress: bool = True) -> FigureData:
    """Play every run of `figure` (Ctrl-C propagates; the runs done so far are kept in
    the figure)."""
    with tqdm(
        total=figure.runs,
        unit=figure.unit,
        desc=figure.name,
        file=sys.stderr,
        disable=not progress,
        dynamic_ncols=True,
    ) as bar:
        for seeds in figure.batches():
            run = figure.start(seeds)
            while not run.step():
                pass
            figure.add(run.result(), len(seeds))
            bar.update(len(seeds))
    return figure.data()


def measures_table(figure: Figure) -> str:
    """What the book reports beside what the runs gave, one row per number."""
    data = figure.data()
    rows = [[m.what, m.book, m.ours(data)] for m in figure.measures()]
    ours = f"ours ({counted(data.runs, figure.unit)})"
    return format_table(["measure", figure.book_column, ours], rows)
