"""Draws a CartPoleScene: every cart with its pole, on tracks laid out in a grid.

Carts do not meet (each has its own episode), so drawn on one track they pile up in the
middle. The view lays out several tracks and puts cart i on track i % tracks: a few carts
(up to FEW) get a track each, in the grid of columns and rows that draws them largest; a
population spreads over up to MAX_CROWD_TRACKS tracks, one above the other, as many as
stay at least CROWD_MIN_SCALE of the size of a single track.

Colours: without `colour` a few carts get a colour each (cart i is `cart_colour(i)`) and a
population is one translucent crowd, denser where many stand, with the highlighted cart
opaque on top. With `colour` (a lane of a race, a side of a match) every cart is that
colour: the others translucent, the highlighted cart opaque. The counter at the top is the
highlighted cart's (else the longest balancing one's) and says whose it is: `name` (the
brain, "you") and which cart.
"""

from __future__ import annotations

import numpy as np
import pygame

from game import colours
from game.scenes import cartpole as world
from game.scenes.cartpole import CartPoleScene
from game.ui import theme

METRES_WIDE = 2 * world.POSITION_LIMIT + 1.2  # the track plus a margin beyond each limit
ROW_METRES = 1.7  # a track's height: the cart and its 1 m pole, headroom, the ground below
GROUND_METRES = 0.14  # the strip of ground under each track
MAX_CROWD_TRACKS = 4
CROWD_MIN_SCALE = 0.55  # a population's tracks stay at least this share of a lone track
GAP = 3  # pixels between tracks side by side
CART_W, CART_H = 0.5, 0.28  # metres
POLE_W = 0.09
POLE_LENGTH = 2 * world.HALF_POLE_LENGTH

SKY_TOP, SKY_BOTTOM = (30, 36, 58), (58, 66, 96)
GROUND = (44, 48, 62)
TRACK = (180, 186, 200)
LIMIT = (235, 90, 80)
POLE = (236, 200, 140)
CROWD_ALPHA = 95  # a population's carts
CROWD_CAP = 210  # ... where many stand on one spot
CROWD_SPREAD = 12  # carts on one spot that take the crowd most of the way to its cap
SHARED_ALPHA = 150  # a few carts in one colour: the ones not highlighted
FEW = len(colours.PALETTE)  # up to this many carts get a colour each


def cart_colour(index: int) -> tuple[int, int, int]:
    return colours.nth(index)


def counter_words(
    n: int, shown: int, steps: int, name: str | None, clock: bool, limit: int = world.TIME_LIMIT
) -> list[str]:
    """The counter's caption, longest first: whose cart it is (`name`, and which of `n`
    carts) and what it has balanced of the episode's `limit`. A narrow lane drops the
    limit before it drops whose."""
    whose = ", ".join(filter(None, (name, f"cart {shown + 1} of {n}" if n > 1 else "")))
    words = [f"steps balanced (of {limit})", "steps"]
    if clock:  # CartPole's clock: TAU seconds a step
        seconds = f"{steps * world.TAU:.2f} s"
        words = [f"{seconds} of {limit * world.TAU:g} s balanced", seconds]
    return [f"{whose}: {w}" for w in words] if whose else words  # one nameless cart: no one


class Tracks:
    """Where the tracks go in a view of `size` for `n` carts, in pixels: the scale (pixels
    a metre), and for each track its cell (left, top, right, bottom), the screen x of the
    track's centre (x = 0) and the y of its rail."""

    def __init__(self, size: tuple[int, int], n: int) -> None:
        w, h = size
        self.number_font = theme.font(max(22, h // 10), bold=True)
        self.caption_font = theme.font(max(14, h // 30))
        self.header = round(h * 0.03) + self.number_font.get_linesize()
        self.header += self.caption_font.get_linesize()
        foot = self.caption_font.get_linesize() + 4  # the "track limits" line
        area = max(1, h - self.header - foot)
        columns, rows = self._grid(w, area, n)
        self.count = min(max(1, n), columns * rows)
        self.scale = self._scale(w, area, columns, rows)
        width, height = (w - GAP * (columns - 1)) / columns, area / rows
        ground = max(3, round(GROUND_METRES * self.scale))
        self.cells: list[tuple[int, int, int, int]] = []
        for t in range(self.count):
            c, r = t % columns, t // columns
            left, top = round(c * (width + GAP)), round(self.header + r * height)
            self.cells.append((left, top, round(left + width), round(top + height)))
        self.centres = [(left + right) / 2 for left, _, right, _ in self.cells]
        self.rails = [bottom - ground for _, _, _, bottom in self.cells]

    @staticmethod
    def _scale(w: float, area: float, columns: int, rows: int) -> float:
        return min((w - GAP * (columns - 1)) / columns / METRES_WIDE, area / rows / ROW_METRES)

    @classmethod
    def _grid(cls, w: float, area: float, n: int) -> tuple[int, int]:
        """(columns, rows): a track each for a few carts, drawn as large as they can be; for
        a population, the most tracks in one column that keep carts large."""
        if n <= FEW:
            shapes = [(c, -(-max(1, n) // c)) for c in range(1, max(1, n) + 1)]
            return max(shapes, key=lambda shape: (cls._scale(w, area, *shape), -shape[0]))
        lone = cls._scale(w, area, 1, 1)
        rows = MAX_CROWD_TRACKS
        while rows > 1 and cls._scale(w, area, 1, rows) < CROWD_MIN_SCALE * lone:
            rows -= 1
        return 1, rows


class CartPoleView:
    world_size = (round(METRES_WIDE * 100), 450)  # taller than a track: rows fill it

    def __init__(self) -> None:
        self._backdrop: pygame.Surface | None = None
        self._backdrop_key: tuple = ()
        self._layer: pygame.Surface | None = None

    def _prepare(self, size: tuple[int, int], tracks: Tracks) -> None:
        w, h = size
        backdrop = pygame.Surface(size)
        backdrop.fill(theme.BACKGROUND)  # shows in the gaps between tracks side by side
        pygame.draw.rect(backdrop, SKY_TOP, (0, 0, w, tracks.header))
        scale = tracks.scale
        line = max(2, round(0.025 * scale))
        for t, (left, top, right, bottom) in enumerate(tracks.cells):
            rail = tracks.rails[t]
            for y in range(top, rail):  # each track its own sky: tracks read as separate
                f = (y - top) / max(1, rail - top - 1)
                shade = [round(a + (b - a) * f) for a, b in zip(SKY_TOP, SKY_BOTTOM, strict=True)]
                pygame.draw.line(backdrop, shade, (left, y), (right - 1, y))
            pygame.draw.rect(backdrop, GROUND, (left, rail, right - left, bottom - rail))
            centre, half = tracks.centres[t], METRES_WIDE / 2 * scale
            ends = (round(max(left, centre - half)), round(min(right - 1, centre + half)))
            pygame.draw.line(backdrop, TRACK, (ends[0], rail), (ends[1], rail), line)
            for side in (-1, 1):
                x = round(centre + side * world.POSITION_LIMIT * scale)
                pygame.draw.line(
                    backdrop, LIMIT, (x, rail - round(0.45 * scale)), (x, rail + line), 3
                )
        floor = max(bottom for _, _, _, bottom in tracks.cells)
        pygame.draw.rect(backdrop, GROUND, (0, floor, w, h - floor))
        label = tracks.caption_font.render("track limits +-2.4 m", True, theme.TEXT_DIM)
        backdrop.blit(label, label.get_rect(midbottom=(w // 2, h - 2)))
        self._backdrop = backdrop
        self._backdrop_key = (size, tracks.cells)

    def draw(
        self,
        surface: pygame.Surface,
        rect: pygame.Rect,
        scene: CartPoleScene,
        highlight: int | None,
        colour: tuple[int, int, int] | None = None,
        clock: bool = False,
        name: str | None = None,
    ) -> None:
        """`colour` paints every cart in one colour (a race's lane, a side of a match),
        `name` says whose carts they are ("you", a brain's label) and `clock` shows the
        time balanced instead of the steps."""
        canvas = surface.subsurface(rect)
        tracks = Tracks(rect.size, scene.n)
        if self._backdrop_key != (rect.size, tracks.cells):
            self._prepare(rect.size, tracks)
        canvas.blit(self._backdrop, (0, 0))
        if highlight is not None and not scene.alive[highlight]:
            highlight = None
        living = np.flatnonzero(scene.alive)
        carts = self._geometry(scene.cart_states(), living, tracks)
        few = scene.n <= FEW
        if few and colour is None:  # a colour each, all opaque, the highlight on top
            order = sorted(range(len(living)), key=lambda k: living[k] == highlight)
            for k in order:
                self._draw_cart(canvas, carts[k], cart_colour(int(living[k])))
        else:
            others = living != (-1 if highlight is None else highlight)
            self._draw_crowd(canvas, tracks, carts, living % tracks.count, others, few, colour)
            if highlight is not None:
                k = int(np.searchsorted(living, highlight))
                self._draw_cart(canvas, carts[k], colour or theme.ACCENT)
        shown = self._counted(scene, highlight)
        if few and scene.n > 1:
            self._track_labels(canvas, scene, tracks, shown, colour)
        self._draw_score(canvas, scene, tracks, shown, colour, clock, name)

    def _draw_crowd(self, canvas, tracks: Tracks, carts, on, drawn, few: bool, colour) -> None:
        """The `drawn` carts (cart k on track `on[k]`), translucent, in one colour. Every
        pole is a line; the bodies on a track share their height, so they are counted per
        pixel column at once, and where many stand the crowd grows denser (to CROWD_CAP)."""
        size = canvas.get_size()
        if self._layer is None or self._layer.get_size() != size:
            self._layer = pygame.Surface(size, pygame.SRCALPHA)
        layer = self._layer
        rgb = colour or theme.TEXT
        alpha = SHARED_ALPHA if few else CROWD_ALPHA
        layer.fill((*rgb, 0))
        picked = [cart for cart, keep in zip(carts, drawn.tolist(), strict=True) if keep]
        draw_line, shade = pygame.draw.line, (*rgb, alpha)
        for _, pivot, tip, width in picked:
            draw_line(layer, shade, pivot, tip, width)
        if picked:
            lefts = np.array([cart[0][0] for cart in picked])
            w, h = picked[0][0][2:]
            track = on[drawn]
            cover = np.zeros((tracks.count, size[0] + 1), dtype=np.int64)
            np.add.at(cover, (track, np.clip(lefts, 0, size[0])), 1)
            np.add.at(cover, (track, np.clip(lefts + w, 0, size[0])), -1)
            counts = np.cumsum(cover, axis=1)[:, : size[0]]
            cap = alpha if few else CROWD_CAP
            shades = np.where(
                counts > 0, cap - (cap - alpha) * np.exp(-(counts - 1) / CROWD_SPREAD), 0
            ).astype(np.uint8)
            self._bodies(layer, tracks, np.unique(track).tolist(), shades, h)
        canvas.blit(layer, (0, 0))

    @staticmethod
    def _bodies(layer: pygame.Surface, tracks: Tracks, used: list[int], shades, h: int) -> None:
        pixels = pygame.surfarray.pixels_alpha(layer)  # locks the layer until it goes
        for t in used:
            bottom = tracks.rails[t] - round(0.04 * tracks.scale)
            band = pixels[:, max(0, bottom - h) : bottom]
            np.maximum(band, shades[t][:, None], out=band)

    @staticmethod
    def _geometry(states: np.ndarray, carts: np.ndarray, tracks: Tracks) -> list[tuple]:
        """(body rect, pivot, tip, pole width) in pixels for each of `carts`, computed for
        all at once: a thousand carts cost a thousand draw calls and little else."""
        scale = tracks.scale
        x, theta = states[carts, 0], states[carts, 2]
        on = carts % tracks.count
        cx = np.asarray(tracks.centres)[on] + x * scale
        ground = np.asarray(tracks.rails, dtype=float)[on] - 0.04 * scale
        w, h = round(CART_W * scale), round(CART_H * scale)
        lefts = np.round(cx - w / 2).astype(int).tolist()
        tops = np.round(ground - h).astype(int).tolist()
        pivot_x, pivot_y = cx, ground - h + 0.05 * scale
        # Positive theta leans the pole towards positive x (to the right on screen).
        tip_x = pivot_x + POLE_LENGTH * scale * np.sin(theta)
        tip_y = pivot_y - POLE_LENGTH * scale * np.cos(theta)
        width = max(2, round(POLE_W * scale))
        return [
            ((left, top, w, h), (px, py), (tx, ty), width)
            for left, top, px, py, tx, ty in zip(
                lefts,
                tops,
                pivot_x.tolist(),
                pivot_y.tolist(),
                tip_x.tolist(),
                tip_y.tolist(),
                strict=True,
            )
        ]

    @staticmethod
    def _draw_cart(canvas: pygame.Surface, cart: tuple, colour) -> None:
        body, pivot, tip, width = cart
        radius = max(2, body[3] // 5)
        edge = pygame.Rect(body).inflate(4, 4)  # a dark rim: it stands out of a crowd
        pygame.draw.rect(canvas, theme.BACKGROUND, edge, border_radius=radius + 2)
        pygame.draw.rect(canvas, colour, body, border_radius=radius)
        pygame.draw.line(canvas, POLE, pivot, tip, width)
        pygame.draw.circle(canvas, POLE, tip, width // 2)
        pygame.draw.circle(canvas, theme.BACKGROUND, pivot, max(2, width // 2))

    @staticmethod
    def _counted(scene: CartPoleScene, highlight: int | None) -> int:
        """The cart whose steps the counter shows: the highlighted one, else the living
        cart balancing longest, else the one that balanced longest."""
        if highlight is not None:
            return int(highlight)
        living = np.flatnonzero(scene.alive)
        if len(living):
            return int(living[np.argmax(scene.steps[living])])
        return int(np.argmax(scene.steps))

    @staticmethod
    def _track_labels(canvas, scene: CartPoleScene, tracks: Tracks, shown: int, colour) -> None:
        """Each track names its carts, in their colours; the counted cart's name is bright."""
        font = tracks.caption_font
        for t, (left, top, _, _) in enumerate(tracks.cells):
            x = left + 6
            for i in range(t, scene.n, tracks.count):
                tint = colour or cart_colour(i)
                if i != shown:
                    tint = tuple(round(c * 0.7) for c in tint)
                text = font.render(f"cart {i + 1}", True, tint)
                canvas.blit(text, (x, top + 4))
                x += text.get_width() + 10

    @staticmethod
    def _draw_score(
        canvas: pygame.Surface,
        scene: CartPoleScene,
        tracks: Tracks,
        shown: int,
        colour,
        clock: bool,
        name: str | None,
    ) -> None:
        steps = int(scene.steps[shown])
        limit = getattr(scene, "time_limit", world.TIME_LIMIT)
        candidates = counter_words(scene.n, shown, steps, name, clock, limit)
        if colour is not None:
            tint = colour
        elif scene.n <= FEW:
            tint = cart_colour(shown)
        else:
            tint = theme.ACCENT if scene.alive[shown] else theme.TEXT
        w = canvas.get_width()
        y = round(canvas.get_height() * 0.015)
        number = tracks.number_font.render(f"{steps}", True, tint)
        canvas.blit(number, number.get_rect(midtop=(w // 2, y)))
        font = tracks.caption_font
        words = next((c for c in candidates if font.size(c)[0] <= w - 8), candidates[-1])
        note = font.render(words, True, theme.TEXT)
        y += tracks.number_font.get_linesize()
        canvas.blit(note, note.get_rect(midtop=(w // 2, y)))
