"""Compare mode's drawing: a grid of lanes, each labelled, and the results table."""

from __future__ import annotations

import math

import pygame

from game.ui import theme

LABEL_HEIGHT = 26


def grid_shape(count: int, columns: int | None = None) -> tuple[int, int]:
    """(columns, rows): as square as the count allows, or `columns` wide."""
    columns = columns or math.ceil(math.sqrt(count))
    return columns, math.ceil(count / columns)


def grid_world(world: tuple[int, int], count: int, columns: int | None = None) -> tuple[int, int]:
    """The size, in world units, of `count` lanes in a grid, labels included, for layout."""
    columns, rows = grid_shape(count, columns)
    scale = world[1] / 400  # labels take about LABEL_HEIGHT of a 400-unit-high lane
    return columns * world[0], rows * round(world[1] + LABEL_HEIGHT * scale)


def lane_rects(
    area: pygame.Rect, count: int, columns: int | None = None
) -> list[tuple[pygame.Rect, pygame.Rect]]:
    """(label strip, game) rectangles for each lane, filling `area` row by row."""
    columns, rows = grid_shape(count, columns)
    width, height = area.width // columns, area.height // rows
    cells = []
    for i in range(count):
        left, top = area.left + (i % columns) * width, area.top + (i // columns) * height
        label = pygame.Rect(left, top, width - 2, LABEL_HEIGHT)
        game = pygame.Rect(left, top + LABEL_HEIGHT, width - 2, max(1, height - LABEL_HEIGHT - 2))
        cells.append((label, game))
    return cells


def draw_label(
    surface: pygame.Surface, rect: pygame.Rect, name: str, status: str, colour, solved: bool
) -> list[pygame.Rect]:
    """The lane's colour, its brain and its status; a narrow lane gets smaller type, and
    then a shortened name, never a missing status. Returns the text rectangles."""
    pygame.draw.rect(surface, theme.PANEL, rect)
    pygame.draw.rect(surface, colour, (rect.left + 6, rect.centery - 5, 10, 10))
    room = rect.width - 22 - 12
    for name_size, note_size in ((20, 18), (17, 15), (15, 13)):
        name_font, note_font = theme.font(name_size, bold=True), theme.font(note_size)
        if name_font.size(name)[0] + note_font.size(status)[0] <= room:
            break
    else:  # still too wide: the status stays whole, the name is cut to what is left
        while len(name) > 1 and name_font.size(name + "...")[0] + note_font.size(status)[0] > room:
            name = name[:-1]
        name += "..."
    title = name_font.render(name, True, theme.TEXT)
    where = title.get_rect(midleft=(rect.left + 22, rect.centery))
    surface.blit(title, where)
    note = note_font.render(status, True, theme.GOOD if solved else theme.TEXT_DIM)
    right = note.get_rect(midright=(rect.right - 6, rect.centery))
    surface.blit(note, right)
    return [where, right]


def draw_results(
    surface: pygame.Surface, area: pygame.Rect, headers: list[str], rows: list[list[str]]
) -> None:
    """A table over the lanes when the race is over."""
    head_font, cell_font = theme.font(20, bold=True), theme.font(20)
    widths = [
        max(head_font.size(h)[0], *(cell_font.size(r[i])[0] for r in rows)) + 18
        for i, h in enumerate(headers)
    ]
    line = 28
    box = pygame.Rect(0, 0, sum(widths) + 24, line * (len(rows) + 2) + 20)
    box.center = area.center
    box.clamp_ip(area)
    panel = pygame.Surface(box.size, pygame.SRCALPHA)
    panel.fill((*theme.BACKGROUND, 235))
    surface.blit(panel, box)
    pygame.draw.rect(surface, theme.ACCENT, box, 2, border_radius=6)
    title = head_font.render("Race over", True, theme.ACCENT)
    surface.blit(title, (box.left + 12, box.top + 8))
    y = box.top + 8 + line
    for row_index, row in enumerate([headers, *rows]):
        x = box.left + 12
        for text, width in zip(row, widths, strict=True):
            font = head_font if row_index == 0 else cell_font
            colour = theme.TEXT_DIM if row_index == 0 else theme.TEXT
            surface.blit(font.render(text, True, colour), (x, y))
            x += width
        y += line
