"""Draws a GridWorldScene: walls, starts, goals, pits, lettered cells and the agents, with
what the brain knows laid over it, each layer switched by a key:

    H  state values as a heat map (gold above zero, red below)
    A  the greedy policy as arrows (every tied best action gets one)
    Q  action values as four triangles per cell, one per move
    V  visit counts (how often agents entered each cell since the start)

Values come from the brain's `tables()` ({"values": [S], "q": [S, A]}), when it has them.
The grid is painted as a small image, one pixel per cell, and scaled up, so a 100x100
maze costs one blit; arrows, triangles and numbers are drawn only where cells are big
enough to read (visits then show as a teal heat), which keeps a frame within a few ms.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pygame

from game import colours
from game.scenes.gridmap import GOAL, PIT, START, WALL
from game.scenes.gridworld import GridWorldScene
from game.ui import theme

CELL = 48  # world units per cell, for the layout's aspect ratio
LEGEND = 28  # the strip below the grid that says which layers are on
FLOOR = (58, 62, 78)
WALL_COLOUR = (22, 23, 30)
START_COLOUR = (70, 96, 140)
GOAL_COLOUR = (60, 170, 90)
PIT_COLOUR = (96, 36, 120)  # violet: red is for negative values
LETTER_COLOUR = (110, 86, 60)
POSITIVE = (255, 196, 0)
NEGATIVE = (230, 70, 70)
ARROW = (240, 240, 250)
GRID_LINE = (40, 43, 56)
MIN_DETAIL = 14  # pixels per cell below which arrows, triangles and numbers are left out
NUMBERS = 64  # pixels per cell from which each value is written in its cell
FINE = 24  # pixels per cell from which Q triangles and visit numbers are drawn (else a heat)

LAYERS = (
    ("h", "H", "values"),
    ("a", "A", "arrows"),
    ("q", "Q", "Q triangles"),
    ("v", "V", "visits"),
)


def blend(base: np.ndarray, colour: tuple[int, int, int], amount: np.ndarray) -> np.ndarray:
    """base [..., 3] moved toward `colour` by amount [...] in 0..1."""
    return base + (np.array(colour, dtype=float) - base) * amount[..., None]


def value_colours(values: np.ndarray, shown: np.ndarray) -> np.ndarray:
    """A heat colour per value: gold for positive, red for negative, floor for zero. The
    shade is half the value's place in the range of the `shown` values of its sign and
    half its rank among them: the range keeps magnitudes honest on a small grid, the rank
    keeps a long discounted corridor (values from 1 down to 1e-6) from looking flat."""
    base = np.broadcast_to(np.array(FLOOR, dtype=float), (*values.shape, 3))
    magnitude = np.abs(values)
    amount = np.zeros(values.shape)
    for sign in (values > 0, values < 0):
        pool = np.sort(magnitude[sign & shown])
        if not len(pool):
            continue
        low, high = float(pool[0]), float(pool[-1])
        spread = (magnitude - low) / (high - low) if high > low else np.ones(values.shape)
        rank = np.searchsorted(pool, magnitude, side="right") / len(pool)
        shade = 0.5 * np.clip(spread, 0.0, 1.0) + 0.5 * rank
        amount = np.where(sign, 0.25 + 0.75 * shade, amount)
    positive = blend(base, POSITIVE, amount)
    negative = blend(base, NEGATIVE, amount)
    return np.where((values >= 0)[..., None], positive, negative)


class GridWorldView:
    wants_brain = True  # App passes the brain whose tables are drawn

    def __init__(self, scene: GridWorldScene | None = None) -> None:
        rows, cols = (scene.rows, scene.cols) if scene is not None else (6, 9)
        self.world_size = (cols * CELL, rows * CELL + LEGEND)
        self.layers = {"h": True, "a": True, "q": False, "v": False}
        self.keys = tuple((cap, name) for _, cap, name in LAYERS)

    def handle_key(self, key: str) -> bool:
        if key in self.layers:
            self.layers[key] = not self.layers[key]
            return True
        return False

    def draw(
        self,
        surface: pygame.Surface,
        rect: pygame.Rect,
        scene: GridWorldScene,
        highlight: int | None,
        brain: Any = None,
        colour: tuple[int, int, int] | None = None,
        path: list[int] | None = None,
        note: str | None = None,
    ) -> None:
        """In a race you play (game/play/maze_race.py): `colour` paints the agent as its
        side, `path` is the agent's planned route (cells) drawn as a line, and `note`
        stands in for the legend of layers."""
        canvas = surface.subsurface(rect)
        canvas.fill(theme.BACKGROUND)
        rows, cols = scene.rows, scene.cols
        cell = max(1, min(rect.width // cols, (rect.height - LEGEND) // rows))
        grid = pygame.Rect(0, 0, cols * cell, rows * cell)
        grid.midtop = (rect.width // 2, max(0, (rect.height - LEGEND - grid.height) // 2))
        tables = brain.tables() if brain is not None and hasattr(brain, "tables") else {}
        values, q = tables.get("values"), tables.get("q")
        layout = scene.layout
        kinds = scene.map.layouts[scene.layout_index].ravel()
        open_cells = ~layout.wall & ~layout.goal & ~layout.pit
        colours_ = self._base_colours(kinds, rows, cols)
        if self.layers["h"] and values is not None:
            heat = value_colours(values, open_cells)
            colours_[open_cells] = heat[open_cells]
        if self.layers["v"] and cell < FINE:  # too small for numbers: a heat of visits
            visits = np.log1p(scene.visits.astype(float))
            amount = visits / max(visits.max(), 1.0)
            colours_[open_cells] = blend(colours_, colours.TEAL, amount * 0.8)[open_cells]
        image = pygame.surfarray.make_surface(
            colours_.reshape(rows, cols, 3).transpose(1, 0, 2).astype(np.uint8)
        )
        canvas.blit(pygame.transform.scale(image, grid.size), grid)
        detail = cell >= MIN_DETAIL
        if detail:
            if cell >= FINE:
                self._grid_lines(canvas, grid, rows, cols, cell)
            self._letters(canvas, grid, kinds, cols, cell)
            if self.layers["q"] and q is not None and cell >= FINE:
                self._triangles(canvas, grid, q, open_cells, cols, cell)
            if self.layers["a"] and q is not None:
                self._arrows(canvas, grid, q, open_cells, cols, cell)
            if self.layers["v"] and cell >= FINE:
                self._visits(canvas, grid, scene.visits, open_cells, cols, cell)
            if self.layers["h"] and values is not None and cell >= NUMBERS:
                self._numbers(canvas, grid, values, open_cells, cols, cell)
        if path:
            self._path(canvas, grid, path, scene.cols, cell, colour or theme.ACCENT)
        self._agents(canvas, grid, scene, highlight, cell, colour)
        if note is not None:
            text = theme.font(18).render(note, True, theme.TEXT_DIM)
            y = min(rect.height - LEGEND // 2, grid.bottom + LEGEND // 2)
            canvas.blit(text, text.get_rect(midleft=(grid.left + 4, y)))
        else:
            self._legend(canvas, rect, grid, brain, values is not None, detail, cell)

    @staticmethod
    def _base_colours(kinds: np.ndarray, rows: int, cols: int) -> np.ndarray:
        out = np.empty((rows * cols, 3), dtype=float)
        out[:] = FLOOR
        for char, colour in (
            (WALL, WALL_COLOUR),
            (START, START_COLOUR),
            (GOAL, GOAL_COLOUR),
            (PIT, PIT_COLOUR),
        ):
            out[kinds == char] = colour
        out[np.char.islower(kinds)] = LETTER_COLOUR
        return out

    @staticmethod
    def _centre(grid: pygame.Rect, s: int, cols: int, cell: int) -> tuple[float, float]:
        r, c = divmod(s, cols)
        return grid.left + (c + 0.5) * cell, grid.top + (r + 0.5) * cell

    def _grid_lines(self, canvas, grid: pygame.Rect, rows: int, cols: int, cell: int) -> None:
        for c in range(cols + 1):
            x = grid.left + c * cell
            pygame.draw.line(canvas, GRID_LINE, (x, grid.top), (x, grid.bottom))
        for r in range(rows + 1):
            y = grid.top + r * cell
            pygame.draw.line(canvas, GRID_LINE, (grid.left, y), (grid.right, y))

    def _letters(self, canvas, grid, kinds: np.ndarray, cols: int, cell: int) -> None:
        """G in the middle of a goal; S, X and letters small in a corner, out of the way."""
        big, small = theme.font(max(12, cell // 2), bold=True), theme.font(max(11, cell // 4))
        for s in np.flatnonzero(np.isin(kinds, [START, GOAL, PIT]) | np.char.islower(kinds)):
            cx, cy = self._centre(grid, int(s), cols, cell)
            if kinds[s] == GOAL:
                text = big.render(GOAL, True, theme.TEXT)
                canvas.blit(text, text.get_rect(center=(cx, cy)))
            else:
                text = small.render(str(kinds[s]), True, theme.TEXT)
                canvas.blit(text, (cx - cell / 2 + 3, cy - cell / 2 + 2))

    def _numbers(self, canvas, grid, values: np.ndarray, open_cells, cols: int, cell: int) -> None:
        font = theme.font(max(12, cell // 5))
        for s in np.flatnonzero(open_cells):
            cx, cy = self._centre(grid, int(s), cols, cell)
            text = font.render(f"{values[s]:.3g}", True, theme.TEXT)
            canvas.blit(text, text.get_rect(topright=(cx + cell / 2 - 3, cy - cell / 2 + 2)))

    def _triangles(self, canvas, grid, q: np.ndarray, open_cells, cols: int, cell: int) -> None:
        fills = value_colours(q, np.broadcast_to(open_cells[:, None], q.shape)).astype(int)
        best = q.max(axis=1, keepdims=True)
        tied = q >= best - 1e-9 * np.maximum(1.0, np.abs(best))
        half = cell / 2
        corners = {  # each action's triangle: centre and the two corners on its side
            0: ((-half, -half), (half, -half)),
            1: ((half, -half), (half, half)),
            2: ((half, half), (-half, half)),
            3: ((-half, half), (-half, -half)),
        }
        for s in np.flatnonzero(open_cells):
            cx, cy = self._centre(grid, int(s), cols, cell)
            for a, ((x1, y1), (x2, y2)) in corners.items():
                points = [(cx, cy), (cx + x1, cy + y1), (cx + x2, cy + y2)]
                pygame.draw.polygon(canvas, fills[s, a], points)
                pygame.draw.polygon(canvas, GRID_LINE, points, 1)
            if not tied[s].all():  # outline the best move(s), where there is a best
                for a in np.flatnonzero(tied[s]):
                    (x1, y1), (x2, y2) = corners[a]
                    points = [(cx, cy), (cx + x1, cy + y1), (cx + x2, cy + y2)]
                    pygame.draw.polygon(canvas, ARROW, points, max(1, cell // 30))

    def _arrows(self, canvas, grid, q: np.ndarray, open_cells, cols: int, cell: int) -> None:
        best = q.max(axis=1, keepdims=True)
        tied = q >= best - 1e-9 * np.maximum(1.0, np.abs(best))
        length, width = cell * 0.32, max(1, cell // 16)
        head = max(3, cell // 7)
        informative = open_cells & ~tied.all(axis=1)  # all four equal says nothing
        cells = np.flatnonzero(informative)
        r, c = np.divmod(cells, cols)
        xs = (grid.left + (c + 0.5) * cell).tolist()
        ys = (grid.top + (r + 0.5) * cell).tolist()
        for cx, cy, row in zip(xs, ys, tied[cells].tolist(), strict=True):
            for a, (dx, dy) in enumerate(((0, -1), (1, 0), (0, 1), (-1, 0))):
                if not row[a]:
                    continue
                tip = (cx + dx * length, cy + dy * length)
                pygame.draw.line(canvas, ARROW, (cx, cy), tip, width)
                left = (tip[0] - dx * head - dy * head * 0.7, tip[1] - dy * head + dx * head * 0.7)
                right = (tip[0] - dx * head + dy * head * 0.7, tip[1] - dy * head - dx * head * 0.7)
                pygame.draw.polygon(canvas, ARROW, [tip, left, right])

    def _visits(self, canvas, grid, visits: np.ndarray, open_cells, cols: int, cell: int) -> None:
        font = theme.font(max(11, cell // 3))
        for s in np.flatnonzero(open_cells & (visits > 0)):
            cx, cy = self._centre(grid, int(s), cols, cell)
            count = int(visits[s])
            label = f"{count / 1000:.0f}k" if count >= 10_000 else str(count)
            text = font.render(label, True, colours.TEAL)
            canvas.blit(text, text.get_rect(midbottom=(cx, cy + cell / 2 - 1)))

    def _path(self, canvas, grid, path: list[int], cols: int, cell: int, colour) -> None:
        points = [self._centre(grid, s, cols, cell) for s in path]
        if len(points) >= 2:
            pygame.draw.lines(canvas, colour, False, points, max(2, cell // 8))
        for point in points[1:]:
            pygame.draw.circle(canvas, colour, point, max(2, cell // 7))

    def _agents(
        self, canvas, grid, scene: GridWorldScene, highlight, cell: int, shade=None
    ) -> None:
        radius = max(2, int(cell * 0.28))
        living = np.flatnonzero(scene.alive)
        for i in living:
            colour = colours.nth(int(i)) if scene.n <= len(colours.PALETTE) else theme.TEXT
            colour = shade or colour
            centre = self._centre(grid, int(scene.cell[i]), scene.cols, cell)
            pygame.draw.circle(canvas, colour, centre, radius)
            pygame.draw.circle(canvas, theme.BACKGROUND, centre, radius, max(1, radius // 5))
        if highlight is not None and scene.alive[highlight] and scene.n > len(colours.PALETTE):
            centre = self._centre(grid, int(scene.cell[highlight]), scene.cols, cell)
            pygame.draw.circle(canvas, theme.ACCENT, centre, radius)

    def _legend(self, canvas, rect, grid, brain, has_values: bool, detail: bool, cell: int) -> None:
        on = [name for key, _, name in LAYERS if self.layers[key]]
        words = "layers: " + (", ".join(on) if on else "none")
        if brain is None or not has_values:
            words += " (this brain has no table of values to show)"
        elif not detail:
            words += " (cells too small for arrows and numbers)"
        elif self.layers["q"] and cell < FINE:
            words += " (cells too small for Q triangles)"
        text = theme.font(18).render(words, True, theme.TEXT_DIM)
        y = min(rect.height - LEGEND // 2, grid.bottom + LEGEND // 2)
        canvas.blit(text, text.get_rect(midleft=(grid.left + 4, y)))
