"""Mazes made by code: a depth-first "recursive backtracker" carved into a grid of walls.

Every open cell is reachable and there is exactly one path between any two (a perfect
maze), so the shortest path from start to goal is the only one: a good test of planners,
whose values must travel the whole corridor.
"""

from __future__ import annotations

import numpy as np


def make_maze(rows: int, cols: int, seed: int = 0, loops: float = 0.0) -> list[str]:
    """Map rows ('#', '.', 'S' top-left, 'G' bottom-right) of a perfect maze; `loops` knocks
    out that fraction of the remaining inner walls, so there is more than one way."""
    if rows < 3 or cols < 3:
        raise ValueError(f"a maze needs at least 3x3 cells, got {rows}x{cols}")
    rng = np.random.default_rng(seed)
    grid = np.full((rows, cols), "#")
    cells_r, cells_c = (rows - 1) // 2, (cols - 1) // 2
    seen = np.zeros((cells_r, cells_c), dtype=bool)
    stack = [(0, 0)]
    seen[0, 0] = True
    grid[1, 1] = "."
    while stack:
        r, c = stack[-1]
        options = [
            (r + dr, c + dc)
            for dr, dc in ((-1, 0), (0, 1), (1, 0), (0, -1))
            if 0 <= r + dr < cells_r and 0 <= c + dc < cells_c and not seen[r + dr, c + dc]
        ]
        if not options:
            stack.pop()
            continue
        nr, nc = options[rng.integers(len(options))]
        seen[nr, nc] = True
        grid[2 * nr + 1, 2 * nc + 1] = "."
        grid[r + nr + 1, c + nc + 1] = "."  # the wall between the two cells
        stack.append((nr, nc))
    if loops > 0:
        inner = np.argwhere(grid[1:-1, 1:-1] == "#") + 1
        for r, c in inner[rng.random(len(inner)) < loops]:
            if (grid[r - 1, c] == grid[r + 1, c] == ".") or (
                grid[r, c - 1] == grid[r, c + 1] == "."
            ):
                grid[r, c] = "."
    grid[1, 1] = "S"
    grid[2 * cells_r - 1, 2 * cells_c - 1] = "G"
    return ["".join(row) for row in grid]


def maze_text(rows: int, cols: int, seed: int = 0, loops: float = 0.0, title: str = "") -> str:
    """A whole map file: reward 1 for the goal, 0 elsewhere."""
    head = [f"title: {title or f'{rows}x{cols} maze (seed {seed})'}", "step_reward: 0"]
    head += ["goal_reward: 1", f"time_limit: {20 * rows * cols}", "map:"]
    return "\n".join(head + make_maze(rows, cols, seed, loops)) + "\n"
