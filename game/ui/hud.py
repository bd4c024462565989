"""The window's text: the top bar of counters, the line of keys, and short messages."""

from __future__ import annotations

import time

import pygame

from game.ui import theme

KEYS = (
    ("Space", "pause"),
    ("+ / -", "speed"),
    ("F", "fast forward"),
    ("S", "save best brain"),
    ("Esc", "quit"),
)


def draw_top_bar(
    surface: pygame.Surface,
    rect: pygame.Rect,
    title: str,
    items: list[tuple[str, str]],
    right: list[tuple[str, str, tuple[int, int, int]]],
) -> None:
    """Title, then label/value pairs from the left; status badges from the right."""
    pygame.draw.rect(surface, theme.PANEL, rect)
    pygame.draw.line(surface, theme.PANEL_EDGE, rect.bottomleft, rect.bottomright)
    label_font, value_font = theme.font(20), theme.font(26, bold=True)
    x = rect.left + 14
    y = rect.centery
    name = theme.font(24, bold=True).render(title, True, theme.ACCENT)
    surface.blit(name, name.get_rect(midleft=(x, y)))
    x += name.get_width() + 22
    right_x = rect.right - 14
    for label, value, colour in reversed(right):
        text = value_font.render(value, True, colour)
        right_x -= text.get_width()
        surface.blit(text, text.get_rect(midleft=(right_x, y)))
        if label:
            tag = label_font.render(label, True, theme.TEXT_DIM)
            right_x -= tag.get_width() + 6
            surface.blit(tag, tag.get_rect(midleft=(right_x, y + 1)))
        right_x -= 20
    for label, value in items:
        tag = label_font.render(label, True, theme.TEXT_DIM)
        text = value_font.render(value, True, theme.TEXT)
        if x + tag.get_width() + text.get_width() + 6 > right_x:
            break  # a narrow window drops the last counters rather than overlapping
        surface.blit(tag, tag.get_rect(midleft=(x, y + 1)))
        x += tag.get_width() + 6
        surface.blit(text, text.get_rect(midleft=(x, y)))
        x += text.get_width() + 20


def draw_key_line(surface: pygame.Surface, rect: pygame.Rect, keys=KEYS) -> None:
    """Each key as a keycap followed by what it does."""
    pygame.draw.rect(surface, theme.PANEL, rect)
    pygame.draw.line(surface, theme.PANEL_EDGE, rect.topleft, rect.topright)
    cap_font, text_font, gap = theme.font(19, bold=True), theme.font(20), 22
    needed = sum(cap_font.size(k)[0] + text_font.size(a)[0] + 12 + 6 + gap for k, a in keys)
    if needed > rect.width - 14:  # a narrow window: smaller type, so every key stays shown
        cap_font, text_font, gap = theme.font(15, bold=True), theme.font(15), 10
    x = rect.left + 14
    for key, action in keys:
        cap = cap_font.render(key, True, theme.TEXT)
        box = cap.get_rect(midleft=(x + 6, rect.centery)).inflate(12, 6)
        pygame.draw.rect(surface, theme.KEYCAP, box, border_radius=4)
        surface.blit(cap, cap.get_rect(center=box.center))
        x = box.right + 6
        text = text_font.render(action, True, theme.TEXT_DIM)
        surface.blit(text, text.get_rect(midleft=(x, rect.centery + 1)))
        x += text.get_width() + gap


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
