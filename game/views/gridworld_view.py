"""Draws a GridWorldScene: walls, starts, goals, pits, lettered cells and the agents, with
what the brain knows laid over it.

What fills the cells is one choice at a time, so layers never pile up:

    H  state values as a heat map (gold above zero, red below); H again: plain floor
    Q  action values as four triangles per cell, one per move, the best outlined
    V  visit counts as a teal heat (how often agents entered each cell since the start)

Q and V pressed again go back to the values. Over the values, the floor or the visits,
A shows or hides the greedy policy as arrows (every tied best action gets one), drawn
small with a dark rim so they read over any fill; the Q triangles outline the best moves
themselves, so A over them goes back to the values with arrows. Each start cell is
outlined and tagged "S" at every size.

Values come from the brain's `tables()` ({"values": [S], "q": [S, A]}), when it has them.
The grid is painted as a small image, one pixel per cell, and scaled up, so a 100x100
maze costs one blit; arrows, triangles and numbers are drawn only where cells are big
enough to read, which keeps a frame within a few ms.
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
START_RING = (120, 190, 255)  # the outline and tag of a start cell
MIN_START = 22  # pixels: a start's outline is at least this big, over walls if need be
GOAL_COLOUR = (60, 170, 90)
PIT_COLOUR = (96, 36, 120)  # violet: red is for negative values
LETTER_COLOUR = (110, 86, 60)
POSITIVE = (255, 196, 0)
NEGATIVE = (230, 70, 70)
ARROW = (240, 240, 250)
ARROW_RIM = (16, 17, 24)
GRID_LINE = (40, 43, 56)
MIN_DETAIL = 14  # pixels per cell below which arrows, triangles and numbers are left out
NUMBERS = 64  # pixels per cell from which each value is written in its cell
FINE = 24  # pixels per cell from which Q triangles and visit numbers are drawn (else a heat)

FILLS = {"h": "values", "q": "q", "v": "visits"}  # key -> what fills the cells
FILL_NAMES = {
    "values": "values",
    "q": "Q triangles, best moves outlined",
    "visits": "visits",
    "plain": "plain floor",
}


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
        self.fill = "values"  # "values", "q", "visits" or "plain": one at a time
        self.arrows = True  # over any fill but the Q triangles
        self.keys = (("H", "values"), ("Q", "Q triangles"), ("V", "visits"), ("A", "arrows"))
        self._pictures: dict[tuple, tuple[tuple, pygame.Surface]] = {}  # by lane rect

    @property
    def layers(self) -> dict[str, bool]:
        """What is drawn, by key: at most one of h, q and v, and a only beside h, v or none."""
        return {
            "h": self.fill == "values",
            "a": self.arrows and self.fill != "q",
            "q": self.fill == "q",
            "v": self.fill == "visits",
        }

    def handle_key(self, key: str) -> bool:
        if key in FILLS:
            chosen = FILLS[key]
            if self.fill != chosen:
                self.fill = chosen
            else:  # pressed again: H turns the heat off, Q and V go back to the values
                self.fill = "plain" if chosen == "values" else "values"
            return True
        if key == "a":
            if self.fill == "q":  # the triangles already show the best moves
                self.fill, self.arrows = "values", True
            else:
                self.arrows = not self.arrows
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
        rows, cols = scene.rows, scene.cols
        # A new maze (a race's N key) lays the window out for its own shape from the next frame.
        self.world_size = (cols * CELL, rows * CELL + LEGEND)
        cell = max(1, min(rect.width // cols, (rect.height - LEGEND) // rows))
        grid = pygame.Rect(0, 0, cols * cell, rows * cell)
        grid.midtop = (rect.width // 2, max(0, (rect.height - LEGEND - grid.height) // 2))
        tables = brain.tables() if brain is not None and hasattr(brain, "tables") else {}
        values, q = tables.get("values"), tables.get("q")
        # The maze and what fills it change only when the tables (or, shown, the visits)
        # do: while an agent walks a converged plan each frame is a blit and the agents.
        shown = (values, q, scene.visits if self.fill == "visits" else None)
        key = (
            rect.size,
            id(scene.map),  # another maze in the same place is another picture
            self.fill,
            self.arrows,
            scene.layout_index,
            *(None if a is None else hash(a.tobytes()) for a in shown),
        )
        cached = self._pictures.get(tuple(rect))
        if cached is None or cached[0] != key:
            if len(self._pictures) > 16:  # lanes come and go with the window's size
                self._pictures.clear()
            picture = pygame.Surface(rect.size)
            self._paint(picture, grid, cell, scene, values, q)
            cached = self._pictures[tuple(rect)] = (key, picture)
        canvas.blit(cached[1], (0, 0))
        if path:
            self._path(canvas, grid, path, scene.cols, cell, colour or theme.ACCENT)
        self._agents(canvas, grid, scene, highlight, cell, colour)
        if note is not None:
            text = theme.font(18).render(note, True, theme.TEXT_DIM)
            y = min(rect.height - LEGEND // 2, grid.bottom + LEGEND // 2)
            canvas.blit(text, text.get_rect(midleft=(grid.left + 4, y)))
        else:
            self._legend(canvas, rect, grid, brain, values is not None, cell)

    def _paint(self, canvas, grid, cell: int, scene: GridWorldScene, values, q) -> None:
        """The maze with what fills its cells, the arrows, numbers and start marks."""
        canvas.fill(theme.BACKGROUND)
        rows, cols = scene.rows, scene.cols
        layout = scene.layout
        kinds = scene.map.layouts[scene.layout_index].ravel()
        open_cells = ~layout.wall & ~layout.goal & ~layout.pit
        colours_ = self._base_colours(kinds, rows, cols)
        fill, fine = self.fill, cell >= FINE
        heat = values
        if fill == "q" and not fine and q is not None:
            heat = q.max(axis=1)  # too small for triangles: the best action's value
        if fill in ("values", "q") and heat is not None:
            colours_[open_cells] = value_colours(heat, open_cells)[open_cells]
        if fill == "visits":
            visits = np.log1p(scene.visits.astype(float))
            amount = visits / max(visits.max(), 1.0)
            colours_[open_cells] = blend(colours_, colours.TEAL, amount * 0.8)[open_cells]
        image = pygame.surfarray.make_surface(
            colours_.reshape(rows, cols, 3).transpose(1, 0, 2).astype(np.uint8)
        )
        canvas.blit(pygame.transform.scale(image, grid.size), grid)
        if cell >= MIN_DETAIL:
            if fill == "q" and q is not None and fine:
                self._triangles(canvas, grid, q, open_cells, cols, cell)
            if fine:
                self._grid_lines(canvas, grid, rows, cols, cell)
            self._letters(canvas, grid, kinds, cols, cell)
            if self.layers["a"] and q is not None:
                self._arrows(canvas, grid, q, open_cells, cols, cell)
            if fill == "visits" and fine:
                self._visits(canvas, grid, scene.visits, open_cells, cols, cell)
            if fill == "values" and values is not None and cell >= NUMBERS:
                self._numbers(canvas, grid, values, open_cells, cols, cell)
        self._starts(canvas, grid, kinds, cols, cell)

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
        """G in the middle of a goal; X and letters small in a corner, out of the way."""
        big, small = theme.font(max(12, cell // 2), bold=True), theme.font(max(11, cell // 4))
        for s in np.flatnonzero(np.isin(kinds, [GOAL, PIT]) | np.char.islower(kinds)):
            cx, cy = self._centre(grid, int(s), cols, cell)
            if kinds[s] == GOAL:
                text = big.render(GOAL, True, theme.TEXT)
                canvas.blit(text, text.get_rect(center=(cx, cy)))
            else:
                text = small.render(str(kinds[s]), True, theme.TEXT)
                canvas.blit(text, (cx - cell / 2 + 3, cy - cell / 2 + 2))

    def _starts(self, canvas, grid, kinds: np.ndarray, cols: int, cell: int) -> None:
        """Each start cell outlined, with an "S" tag in its corner; a small cell's outline
        grows to MIN_START pixels and its tag sits above it, over the wall."""
        font = theme.font(max(20, round(cell * 0.42)), bold=True)
        letter = font.render(START, True, ARROW_RIM)
        for s in np.flatnonzero(kinds == START):
            cx, cy = self._centre(grid, int(s), cols, cell)
            ring = pygame.Rect(0, 0, max(cell, MIN_START), max(cell, MIN_START))
            ring.center = (round(cx), round(cy))
            pygame.draw.rect(canvas, START_RING, ring, max(3, cell // 14))
            tag = letter.get_rect().inflate(6, 0)
            if cell >= 3 * tag.height:
                tag.topleft = ring.topleft
            else:
                tag.bottomleft = ring.topleft
                tag.clamp_ip(canvas.get_rect())
            pygame.draw.rect(canvas, START_RING, tag)
            canvas.blit(letter, letter.get_rect(center=tag.center))

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
        cells = np.flatnonzero(open_cells)
        xs, ys = self._centres(grid, cells, cols, cell)
        half = cell / 2
        # Each action's triangle: the centre and the two corners on its side (up, right,
        # down, left), as offsets; all of them at once, [cells, action, corner, xy].
        shape = np.array(
            [
                [(0, 0), (-half, -half), (half, -half)],
                [(0, 0), (half, -half), (half, half)],
                [(0, 0), (half, half), (-half, half)],
                [(0, 0), (-half, half), (-half, -half)],
            ]
        )
        points = (np.stack([xs, ys], axis=-1)[:, None, None, :] + shape).tolist()
        polygon, line = pygame.draw.polygon, pygame.draw.line
        rim = max(1, cell // 30)
        for k, s in enumerate(cells.tolist()):
            for a in range(4):
                polygon(canvas, fills[s, a], points[k][a])
            _, (x1, y1), (x2, y2) = points[k][0]  # the diagonals part the four
            line(canvas, GRID_LINE, (x1, y1), (x2 - 1, y1 + cell - 1))
            line(canvas, GRID_LINE, (x2 - 1, y1), (x1, y1 + cell - 1))
            if not tied[s].all():  # outline the best move(s), where there is a best
                for a in np.flatnonzero(tied[s]).tolist():
                    polygon(canvas, ARROW, points[k][a], rim)

    @staticmethod
    def _centres(grid, cells: np.ndarray, cols: int, cell: int) -> tuple[np.ndarray, np.ndarray]:
        r, c = np.divmod(cells, cols)
        return grid.left + (c + 0.5) * cell, grid.top + (r + 0.5) * cell

    def _arrows(self, canvas, grid, q: np.ndarray, open_cells, cols: int, cell: int) -> None:
        """From the centre outwards, 0.3 of a cell long, with a dark rim where cells
        are big enough to spare one."""
        best = q.max(axis=1, keepdims=True)
        tied = q >= best - 1e-9 * np.maximum(1.0, np.abs(best))
        tied &= (open_cells & ~tied.all(axis=1))[:, None]  # all four equal says nothing
        cells, actions = np.nonzero(tied)
        length = cell * 0.3
        shaft, head, wide = max(1.0, cell / 32), max(3.0, cell / 8), max(2.5, cell / 10)
        # One arrow pointing right, as (along, across) offsets from the cell's centre,
        # turned to each action: up, right, down, left.
        neck = length - head
        along = np.array([0, neck, neck, length, neck, neck, 0])
        across = np.array([-shaft, -shaft, -wide, 0, wide, shaft, shaft])
        dx, dy = np.array([0, 1, 0, -1])[actions], np.array([-1, 0, 1, 0])[actions]
        xs, ys = self._centres(grid, cells, cols, cell)
        px = xs[:, None] + along * dx[:, None] - across * dy[:, None]
        py = ys[:, None] + along * dy[:, None] + across * dx[:, None]
        arrows = np.stack([px, py], axis=-1).tolist()
        polygon, rim = pygame.draw.polygon, cell >= FINE
        for points in arrows:
            polygon(canvas, ARROW, points)
            if rim:
                polygon(canvas, ARROW_RIM, points, 1)

    def _visits(self, canvas, grid, visits: np.ndarray, open_cells, cols: int, cell: int) -> None:
        """Counts in the corner where values are written, clear of the arrows."""
        font = theme.font(max(12, cell // 5))
        for s in np.flatnonzero(open_cells & (visits > 0)):
            cx, cy = self._centre(grid, int(s), cols, cell)
            count = int(visits[s])
            label = f"{count / 1000:.0f}k" if count >= 10_000 else str(count)
            text = font.render(label, True, theme.TEXT)
            canvas.blit(text, text.get_rect(topright=(cx + cell / 2 - 3, cy - cell / 2 + 2)))

    def _path(self, canvas, grid, path: list[int], cols: int, cell: int, colour) -> None:
        points = [self._centre(grid, s, cols, cell) for s in path]
        if len(points) >= 2:
            pygame.draw.lines(canvas, colour, False, points, max(2, cell // 8))
        for point in points[1:]:
            pygame.draw.circle(canvas, colour, point, max(2, cell // 7))

    def _agents(
        self, canvas, grid, scene: GridWorldScene, highlight, cell: int, shade=None
    ) -> None:
        radius = max(3, int(cell * (0.28 if cell >= FINE else 0.4)))  # small cells: big agents
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

    def _legend(self, canvas, rect, grid, brain, has_values: bool, cell: int) -> None:
        words = FILL_NAMES[self.fill]
        if self.layers["a"]:
            words += " + arrows"
        if self.fill != "visits" and (brain is None or not has_values):
            words += " (this brain has no table of values to show)"
        elif self.layers["a"] and cell < MIN_DETAIL:
            words += " (cells too small for arrows and numbers)"
        elif self.fill == "q" and cell < FINE:
            words = "best Q value (cells too small for Q triangles)"
        text = theme.font(18).render("showing: " + words, True, theme.TEXT_DIM)
        y = min(rect.height - LEGEND // 2, grid.bottom + LEGEND // 2)
        canvas.blit(text, text.get_rect(midleft=(grid.left + 4, y)))
