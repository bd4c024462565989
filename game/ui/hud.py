"""The window's text: the top bar of counters, the line of keys, and short messages."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pygame

from game.ui import theme

KEYS = (
    ("Space", "pause"),
    ("+ / -", "speed"),
    ("F", "fast forward"),
    ("S", "save best brain"),
    ("Esc", "quit"),
)


STATUS_FIRST = ("Solved", "Checking champion", "Last check")  # what matters most, leftmost
BAR_SIZES = ((24, 20, 26), (20, 17, 22), (17, 15, 19))  # title, label, value: tried in turn
KEY_SIZES = ((19, 20, 22), (15, 15, 10), (13, 13, 8))  # keycap, action, gap
TITLE_SHARE = 0.45  # of the bar's width, at most, before the title is shortened
ROW_PAD, ITEM_GAP, EDGE = 6, 18, 14


@dataclass(frozen=True)
class BarPlan:
    """Where every piece of the top bar goes: all of them, on as many rows as it takes."""

    height: int
    title: str
    sizes: tuple[int, int, int]
    row_height: int
    places: list[tuple[int, int]]  # (row, x) of each item, in the order given
    badge_places: list[int]  # x of each badge, on the first row


def order_status_first(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The champion's check (solved, checking, last check) before the counters."""
    first = [item for item in items if item[0] in STATUS_FIRST]
    return first + [item for item in items if item[0] not in STATUS_FIRST]


def _shorten(text: str, font: pygame.font.Font, width: int) -> str:
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "...")[0] > width:
        text = text[:-1]
    return text.rstrip(" ,:(") + "..."


def plan_top_bar(
    width: int,
    title: str,
    items: list[tuple[str, str]],
    right: list[tuple[str, str, tuple[int, int, int]]],
) -> BarPlan:
    """The largest type at which the bar fits on one row, else the smallest type on as
    many rows as needed: nothing is ever left out."""
    for attempt, sizes in enumerate(BAR_SIZES):
        title_font, label_font, value_font = (
            theme.font(n, bold=b) for n, b in zip(sizes, (True, False, True), strict=True)
        )
        shown = _shorten(title, title_font, round(width * TITLE_SHARE))
        row_height = value_font.get_linesize() + ROW_PAD

        def chip(label: str, value: str, lf=label_font, vf=value_font) -> int:
            return (lf.size(label)[0] + 6 if label else 0) + vf.size(value)[0]

        badges = [chip(label, value) for label, value, _ in right]
        right_x = width - EDGE - sum(badges) - ITEM_GAP * len(badges)
        badge_places, x = [], right_x + ITEM_GAP
        for w in badges:
            badge_places.append(x)
            x += w + ITEM_GAP
        x = EDGE + title_font.size(shown)[0] + ITEM_GAP + 4
        row, places, limit = 0, [], right_x
        for label, value in items:
            w = chip(label, value)
            if x + w > limit and x > EDGE:  # the next row: the whole bar's width
                row, x, limit = row + 1, EDGE, width - EDGE
            places.append((row, x))
            x += w + ITEM_GAP
        rows = row + 1
        if rows == 1 or attempt == len(BAR_SIZES) - 1:
            height = max(44, rows * row_height + 2 * ROW_PAD)
            return BarPlan(height, shown, sizes, row_height, places, badge_places)
    raise AssertionError("unreachable")


def draw_top_bar(
    surface: pygame.Surface,
    rect: pygame.Rect,
    title: str,
    items: list[tuple[str, str]],
    right: list[tuple[str, str, tuple[int, int, int]]],
) -> list[pygame.Rect]:
    """Title, then label/value pairs from the left (the champion's check first), status
    badges from the right; wraps onto more rows rather than drop anything. Returns the
    rectangle of every piece of text drawn."""
    items = order_status_first(items)
    plan = plan_top_bar(rect.width, title, items, right)
    title_size, label_size, value_size = plan.sizes
    label_font, value_font = theme.font(label_size), theme.font(value_size, bold=True)
    pygame.draw.rect(surface, theme.PANEL, rect)
    pygame.draw.line(surface, theme.PANEL_EDGE, rect.bottomleft, rect.bottomright)
    drawn: list[pygame.Rect] = []

    def put(text: pygame.Surface, x: int, row: int, nudge: int = 0) -> pygame.Rect:
        y = rect.top + ROW_PAD + row * plan.row_height + plan.row_height // 2
        box = text.get_rect(midleft=(rect.left + x, y + nudge))
        surface.blit(text, box)
        drawn.append(box)
        return box

    put(theme.font(title_size, bold=True).render(plan.title, True, theme.ACCENT), EDGE, 0)
    pairs = [(label, value, theme.TEXT) for label, value in items]
    places = plan.places
    badges = [(label, value, colour) for label, value, colour in right]
    for (label, value, colour), (row, x) in [
        *zip(pairs, places, strict=True),
        *zip(badges, [(0, x) for x in plan.badge_places], strict=True),
    ]:
        if label:
            x = put(label_font.render(label, True, theme.TEXT_DIM), x, row, 1).right + 6
        put(value_font.render(value, True, colour), x, row)
    return drawn


def plan_key_line(width: int, keys) -> tuple[int, tuple[int, int, int], list[tuple[int, int]]]:
    """(height, sizes, (row, x) of each key): every key shown, on more rows if need be."""
    for attempt, sizes in enumerate(KEY_SIZES):
        cap_font, text_font = theme.font(sizes[0], bold=True), theme.font(sizes[1])
        x, row, places = EDGE, 0, []
        for key, action in keys:
            w = cap_font.size(key)[0] + 12 + 6 + text_font.size(action)[0]
            if x + w > width - EDGE and x > EDGE:
                row, x = row + 1, EDGE
            places.append((row, x))
            x += w + sizes[2]
        if row == 0 or attempt == len(KEY_SIZES) - 1:
            line = max(cap_font.get_linesize(), text_font.get_linesize()) + 12
            return max(34, (row + 1) * line), sizes, places
    raise AssertionError("unreachable")


def draw_key_line(surface: pygame.Surface, rect: pygame.Rect, keys=KEYS) -> list[pygame.Rect]:
    """Each key as a keycap followed by what it does; a narrow window gets smaller type,
    then more rows. Returns the rectangle of every keycap and its words."""
    keys = list(keys)
    pygame.draw.rect(surface, theme.PANEL, rect)
    pygame.draw.line(surface, theme.PANEL_EDGE, rect.topleft, rect.topright)
    height, sizes, places = plan_key_line(rect.width, keys)
    cap_font, text_font = theme.font(sizes[0], bold=True), theme.font(sizes[1])
    rows = max(row for row, _ in places) + 1 if places else 1
    line = rect.height // rows
    drawn = []
    for (key, action), (row, x) in zip(keys, places, strict=True):
        y = rect.top + row * line + line // 2
        cap = cap_font.render(key, True, theme.TEXT)
        box = cap.get_rect(midleft=(rect.left + x + 6, y)).inflate(12, 6)
        pygame.draw.rect(surface, theme.KEYCAP, box, border_radius=4)
        surface.blit(cap, cap.get_rect(center=box.center))
        text = text_font.render(action, True, theme.TEXT_DIM)
        words = text.get_rect(midleft=(box.right + 6, y + 1))
        surface.blit(text, words)
        drawn += [box, words]
    return drawn


def draw_card(surface: pygame.Surface, rect: pygame.Rect, card) -> None:
    """A play mode's card (game/play/base.py's Card) centred over the game: a title in the
    tone's colour, then its lines, wrapped to the game's width."""
    colour = {"good": theme.GOOD, "bad": theme.WARN}.get(card.tone, theme.ACCENT)
    size = max(15, min(24, rect.width // 26))
    title_font, line_font = theme.font(round(size * 1.4), bold=True), theme.font(size)
    width = max(40, min(rect.width - 40, 620))
    lines = [wrapped for line in card.lines for wrapped in wrap(line, line_font, width - 32)]
    rendered = [title_font.render(card.title, True, colour)]
    rendered += [line_font.render(line, True, theme.TEXT) for line in lines]
    height = sum(r.get_height() for r in rendered) + 8 * len(rendered) + 28
    box = pygame.Rect(0, 0, max(width, rendered[0].get_width() + 32), height)
    box.center = rect.center
    box.clamp_ip(rect)
    panel = pygame.Surface(box.size, pygame.SRCALPHA)
    panel.fill((*theme.BACKGROUND, 225))
    surface.blit(panel, box)
    pygame.draw.rect(surface, colour, box, 2, border_radius=8)
    y = box.top + 14
    for text in rendered:
        surface.blit(text, text.get_rect(midtop=(box.centerx, y)))
        y += text.get_height() + 8


def draw_help(surface: pygame.Surface, area: pygame.Rect, keys) -> None:
    """Every key of the mode, one a line, in a panel over the window (? or F1 again, or
    Esc, closes it)."""
    keys = [*keys, ("Mouse over a chart", "the values under the cursor")]
    size = max(14, min(22, area.height // (len(keys) + 4)))
    cap_font, text_font = theme.font(size, bold=True), theme.font(size)
    title = theme.font(round(size * 1.4), bold=True).render("Keys", True, theme.ACCENT)
    cap_w = max(cap_font.size(key)[0] for key, _ in keys) + 24
    text_w = max(text_font.size(action)[0] for _, action in keys)
    line = max(cap_font.get_linesize(), text_font.get_linesize()) + 6
    box = pygame.Rect(0, 0, cap_w + text_w + 48, title.get_height() + line * len(keys) + 40)
    box.center = area.center
    box.clamp_ip(area)
    panel = pygame.Surface(box.size, pygame.SRCALPHA)
    panel.fill((*theme.BACKGROUND, 240))
    surface.blit(panel, box)
    pygame.draw.rect(surface, theme.ACCENT, box, 2, border_radius=8)
    surface.blit(title, (box.left + 20, box.top + 12))
    y = box.top + 20 + title.get_height()
    for key, action in keys:
        cap = cap_font.render(key, True, theme.TEXT)
        chip = cap.get_rect(midleft=(box.left + 26, y + line // 2)).inflate(12, 4)
        pygame.draw.rect(surface, theme.KEYCAP, chip, border_radius=4)
        surface.blit(cap, cap.get_rect(center=chip.center))
        words = text_font.render(action, True, theme.TEXT)
        surface.blit(words, words.get_rect(midleft=(box.left + 20 + cap_w, y + line // 2)))
        y += line


def wrap(text: str, font: pygame.font.Font, width: int) -> list[str]:
    """Words of `text` in lines no wider than `width` pixels (a long word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.size(f"{lines[-1]} {word}")[0] <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


class Toast:
    """A message shown for a few seconds over the bottom of the game."""

    def __init__(self) -> None:
        self.text = ""
        self.colour = theme.TEXT
        self.until = 0.0

    def show(
        self, text: str, colour: tuple[int, int, int] = theme.TEXT, seconds: float = 4.0
    ) -> None:
        self.text, self.colour, self.until = text, colour, time.monotonic() + seconds

    def draw(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        if not self.text or time.monotonic() > self.until:
            return
        text = theme.font(22).render(self.text, True, self.colour)
        box = text.get_rect(midbottom=(rect.centerx, rect.bottom - 12)).inflate(20, 12)
        box.clamp_ip(rect)
        panel = pygame.Surface(box.size, pygame.SRCALPHA)
        panel.fill((*theme.BACKGROUND, 220))
        surface.blit(panel, box)
        surface.blit(text, text.get_rect(center=box.center))
