"""The champion's network: inputs on the left, outputs on the right, hidden nodes in
between at their depth (the longest path from an input). Enabled connections are drawn
green when positive and red when negative, thicker when heavier; disabled ones are not
drawn. The picture is cached and redrawn only when the champion or the panel changes.
"""

from __future__ import annotations

from typing import Any

import pygame

from game.ui import theme

POSITIVE = (110, 210, 120)
NEGATIVE = (235, 95, 95)
NODE = {"input": (90, 170, 255), "hidden": (230, 230, 230), "output": (255, 196, 0)}


def node_depths(record: dict[str, Any]) -> dict[int, int]:
    """Column of every node: inputs 0, hidden nodes by longest path, outputs last."""
    depth = {key: 0 for key in record["inputs"]}
    hidden = [n["key"] for n in record["nodes"] if n["key"] not in record["outputs"]]
    for key in hidden:
        depth[key] = 1
    links = [(c["in"], c["out"]) for c in record["connections"] if c["enabled"]]
    for _ in range(len(hidden)):  # longest paths settle within this many passes in a DAG
        changed = False
        for a, b in links:
            if b in hidden and a in depth and depth[a] + 1 > depth[b]:
                depth[b], changed = depth[a] + 1, True
        if not changed:
            break
    last = max((depth[k] for k in hidden), default=0) + 1
    depth.update({key: last for key in record["outputs"]})
    return depth


def node_positions(record: dict[str, Any], rect: pygame.Rect) -> dict[int, tuple[int, int]]:
    depth = node_depths(record)
    columns: dict[int, list[int]] = {}
    for key, d in depth.items():
        columns.setdefault(d, []).append(key)
    last = max(columns)
    positions = {}
    for d, keys in columns.items():
        # Inputs keep their order (-1, -2, ...); others sort by key.
        keys.sort(key=lambda k: -k if k < 0 else k)
        x = rect.left + round(rect.width * d / max(1, last))
        for i, key in enumerate(keys):
            y = rect.top + round(rect.height * (i + 0.5) / len(keys))
            positions[key] = (x, y)
    return positions


class NetworkView:
    def __init__(self) -> None:
        self._cache: pygame.Surface | None = None
        self._key: tuple | None = None

    def draw(
        self,
        target: pygame.Surface,
        rect: pygame.Rect,
        network: tuple[int, dict[str, Any]],
        input_names: tuple[str, ...] = (),
        output_names: tuple[str, ...] = (),
    ) -> None:
        key = (rect.size, network[0])
        if key != self._key or self._cache is None:
            self._cache = self._render(rect.size, network[1], input_names, output_names)
            self._key = key
        target.blit(self._cache, rect.topleft)

    def _render(
        self,
        size: tuple[int, int],
        record: dict[str, Any],
        input_names: tuple[str, ...],
        output_names: tuple[str, ...],
    ) -> pygame.Surface:
        surface = pygame.Surface(size, pygame.SRCALPHA)
        surface.fill((*theme.PANEL, 235))
        pygame.draw.rect(surface, theme.PANEL_EDGE, surface.get_rect(), 1, border_radius=6)
        enabled = [c for c in record["connections"] if c["enabled"]]
        hidden = len(record["nodes"]) - len(record["outputs"])
        title = theme.font(22, bold=True).render("Champion network", True, theme.TEXT)
        surface.blit(title, (10, 8))
        counts = theme.font(19).render(
            f"{hidden} hidden, {len(enabled)} connections", True, theme.TEXT_DIM
        )
        surface.blit(counts, counts.get_rect(topright=(size[0] - 10, 10)))
        font = theme.font(17)
        label_width = max((font.size(n)[0] for n in input_names), default=0) + 14
        out_width = max((font.size(n)[0] for n in output_names), default=0) + 14
        area = pygame.Rect(label_width + 8, 34, size[0] - label_width - out_width - 16, 0)
        area.height = size[1] - area.top - 10
        if area.width < 20 or area.height < 20:
            return surface
        positions = node_positions(record, area)
        heaviest = max((abs(c["weight"]) for c in enabled), default=1.0) or 1.0
        for c in sorted(enabled, key=lambda c: abs(c["weight"])):
            if c["in"] not in positions or c["out"] not in positions:
                continue
            width = 1 + round(4 * abs(c["weight"]) / heaviest)
            colour = POSITIVE if c["weight"] >= 0 else NEGATIVE
            pygame.draw.line(surface, colour, positions[c["in"]], positions[c["out"]], width)
        radius = max(4, min(9, area.height // (3 * max(1, len(record["inputs"])))))
        outputs = set(record["outputs"])
        for key, (x, y) in positions.items():
            kind = "input" if key < 0 else "output" if key in outputs else "hidden"
            pygame.draw.circle(surface, NODE[kind], (x, y), radius)
            pygame.draw.circle(surface, theme.BACKGROUND, (x, y), radius, 1)
            if kind == "input" and -key - 1 < len(input_names):
                text = font.render(input_names[-key - 1], True, theme.TEXT_DIM)
                surface.blit(text, text.get_rect(midright=(x - radius - 4, y)))
            elif kind == "output" and key < len(output_names):
                text = font.render(output_names[key], True, theme.TEXT)
                surface.blit(text, text.get_rect(midleft=(x + radius + 4, y)))
        return surface
