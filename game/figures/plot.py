"""A figure's PNG, drawn with matplotlib (imported only here, only when a PNG is asked for)
and written whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from game.figures.base import Figure, FigureData, counted


class PlotError(Exception):
    """The PNG could not be drawn or written; the message is one line."""


def pyplot() -> Any:
    """matplotlib.pyplot, drawing to files only; PlotError if matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only: no screen is needed or wanted
        import matplotlib.pyplot as plt
    except ImportError:
        raise PlotError(
            "matplotlib is not installed, so no PNG can be drawn: `make run` installs it"
        ) from None
    return plt


def write_png(plt: Any, drawing: Any, path: Path) -> Path:
    """Write a matplotlib figure to `path` (its folder is made) through a temporary file
    renamed into place, so an interrupted write never leaves half a PNG; then close it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.stem}.partial.png")
        try:
            drawing.savefig(partial, format="png")
            os.replace(partial, path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise PlotError(f"cannot write {path}: {error.strerror or error}") from None
    except OSError as error:  # the folder could not be made
        raise PlotError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        plt.close(drawing)
    return path


def save_png(figure: Figure, path: Path) -> Path:
    """Plot the figure as it stands into `path`, written whole or not at all."""
    plt = pyplot()
    data = figure.data()
    title = f"{figure.title}\n({counted(data.runs, figure.unit)})"
    if figure.grid is not None:
        drawing = _grids(plt, data, figure.grid, title)
    else:
        drawing = _curves(plt, data, figure.histogram, title)
        if figure.y_limits is not None:
            drawing.axes[0].set_ylim(*figure.y_limits)
    return write_png(plt, drawing, path)


def _curves(plt: Any, data: FigureData, histogram: bool, title: str) -> Any:
    drawing, axes = plt.subplots(figsize=(7.5, 4.5), dpi=100)
    width = (data.x[1] - data.x[0]) if len(data.x) > 1 else 1.0
    for label, values in data.series.items():
        if histogram:  # overlapping bars stay readable half transparent
            axes.bar(data.x, values, width=width * 0.9, alpha=0.55, label=label)
        else:
            axes.plot(data.x, values, label=label, linewidth=1.6)
    axes.set_title(title, fontsize=11)
    axes.set_xlabel(data.x_label)
    axes.set_ylabel(data.y_label)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=9)
    drawing.tight_layout()
    return drawing


def _grids(plt: Any, data: FigureData, shape: tuple[int, int], title: str) -> Any:
    """One table of values per series, each cell printed as the book prints it."""
    count = len(data.series)
    drawing, axes = plt.subplots(1, count, figsize=(2.1 * count, 2.9), dpi=100)
    for ax, (label, values) in zip(axes, data.series.items(), strict=True):
        rows, cols = shape
        ax.imshow([values[r * cols : (r + 1) * cols] for r in range(rows)], cmap="Blues_r")
        for r in range(rows):
            for c in range(cols):
                value = values[r * cols + c]
                text = f"{value:.0f}" if label.endswith("inf") else f"{value:.1f}"
                ax.text(
                    c,
                    r,
                    text,
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="black",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
                )
        ax.set_title(label.replace("inf", "\u221e"), fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    drawing.suptitle(title, fontsize=11)
    drawing.tight_layout()
    return drawing
