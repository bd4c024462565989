"""The start menu: what `python main.py` shows when given no command.

The menu only chooses; it returns a command line (the argv a user could have typed) and
main.main runs it. So every choice here is also something the command line can do, and
the footer shows the command, which teaches it. Saved brains are read with the same
checks as `watch`, and a file that fails them is left out: the menu must always open.
"""

from __future__ import annotations

import itertools
import re
import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pygame

from brains.registry import BRAINS
from brains.storage import META_FILE, read_meta
from game.arena import brain_shape
from game.scenes import gridworld_key
from game.scenes.gridmap import map_names
from game.ui import theme
from game.ui.hud import draw_key_line
from game.ui.layout import KEY_LINE

WINDOW = (1280, 720)
FPS = 60
SAVED = "Saved brains"
CHOICE = "Your choice"
GROUPS = ("Watch", "Play", "Compare", CHOICE, SAVED)
TITLE = "Learning Arcade"
SUBTITLE = "Machines learn to play games while you watch. Pick one to start."
MAX_SAVED = 6  # brains, newest first; older ones are a `watch DIR` away
NO_SAVED = "No saved brains yet: press S in any window to save one"
KEYS = (
    ("Up / Down  W / S", "move"),
    ("Left / Right", "group or value"),
    ("Enter", "start"),
    ("Esc", "quit"),
    ("Mouse", "point and click"),
)
# Largest first: the menu uses the biggest type at which every row fits the window; type
# grows past 1 only in a window larger than WINDOW both ways.
SCALES = (1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55)
LARGER = (2.0, 1.75, 1.5, 1.25)
MIN_COLUMN, MAX_COLUMN = 240, 380  # column widths at scale 1, in pixels
GROUP_GAP = 22  # between two groups in one column, at scale 1


@dataclass
class Entry:
    label: str
    detail: str
    argv: list[str]  # empty for a line that only informs (no saved brains yet)
    group: str
    field: str = ""  # in CHOICE: the value the row picks (FIELDS), or "" for Start

    @property
    def enabled(self) -> bool:
        return bool(self.argv)


BUILT_IN = (
    ("Watch", "Watch birds evolve", "A genetic algorithm plays Flappy Bird",
     "run --scene flappy --brain ga"),
    ("Watch", "NEAT grows networks", "Evolution adds nodes and links to each bird",
     "run --scene flappy --brain neat"),
    ("Watch", "A DQN balances a pole", "Deep Q-learning on CartPole",
     "run --scene cartpole --brain dqn"),
    ("Watch", "Hill climbing on CartPole", "One policy, nudged while it improves",
     "run --scene cartpole --brain hill-climb"),
    ("Watch", "Values spread through a maze", "Value iteration, sweep by sweep",
     "run --map dyna-maze"),
    ("Watch", "Dyna-Q plans in a maze", "It learns a model and practises in it",
     "run --map dyna-maze --brain dyna-q"),
    ("Play", "Fly with the flock", "Your bird among evolving birds",
     "play --scene flappy --with ga"),
    ("Play", "Fly alone", "Flappy Bird and you",
     "play --scene flappy"),
    ("Play", "Balance against a bot", "Hill climbing learns as you play",
     "play --scene cartpole --with hill-climb"),
    ("Play", "Race a planner through a maze", "You against value iteration",
     "play --map dyna-maze --with value-iteration"),
    ("Play", "Walk the cliff", "You against Q-learning, by the edge",
     "play --map cliff --with q-learning"),
    ("Compare", "Four searchers on CartPole", "Random search, hill climbing, GA, DQN",
     "compare --scene cartpole --brains random-search,hill-climb,ga,dqn"),
    ("Compare", "Dyna-Q with 0, 5 and 50 planning steps", "What planning buys",
     "compare --map dyna-maze --brains dyna-q:n=0,dyna-q:n=5,dyna-q:n=50"),
    ("Compare", "GA against NEAT on Flappy Bird", "Fixed networks against growing ones",
     "compare --scene flappy --brains ga,neat"),
    ("Compare", "The book's Figure 8.2, run by run", "Dyna-Q's curves, 30 runs averaged",
     "figure sutton-8.2"),
    ("Compare", "SARSA against Q-learning", "The book's cliff walk, Figure 6.4",
     "figure sutton-6.4"),
)  # fmt: skip


# -- your choice: any scene, any brain that supports it, any mode -------------------------

FIELDS = ("scene", "brain", "mode")
MODES = ("watch", "play", "compare")
MODE_NAMES = {"watch": "watch", "play": "play alongside", "compare": "compare"}
FIRST_BRAIN = {
    "flappy": "ga",
    "cartpole": "hill-climb",
    "gridworld": "value-iteration",
    "gym": "hill-climb",
}
# The chosen brain races two of these (the first two that are not the chosen one).
RIVALS = {
    "flappy": ("ga", "neat", "hill-climb"),
    "cartpole": ("random-search", "hill-climb", "dqn"),
    "gridworld": ("value-iteration", "dyna-q", "q-learning"),
    "gym": ("random-search", "hill-climb", "dqn"),
}
# gymnasium's environments the menu offers; any other is a `--scene gym:ENV_ID` away.
GYM_SCENES = ("gym:Acrobot-v1", "gym:MountainCar-v0")
# A gymnasium environment has no keys for a person: it is watched and raced, not played.
MODES_OF = {"gym": ("watch", "compare")}
# Who can play alongside you: on flappy your bird joins a population, in a maze the bot
# races you step by step, so generations make no sense there.
PLAY_KINDS = {"flappy": ("evolver",), "gridworld": ("planner", "learner"), "gym": ()}


def scene_keys() -> list[str]:
    """Every scene the menu offers: flappy, cartpole, each shipped map, and a few of
    gymnasium's environments."""
    return ["flappy", "cartpole", *(gridworld_key(name) for name in map_names()), *GYM_SCENES]


def _family(scene: str) -> str:
    return scene.partition(":")[0]


def scene_name(scene: str) -> str:
    family, _, map_name = scene.partition(":")
    if family == "gym":
        return map_name  # the footer shows the gym: key
    return {"flappy": "Flappy Bird", "cartpole": "CartPole"}.get(family, f"map {map_name}")


def brains_for(scene: str, mode: str = "watch") -> list[str]:
    """The brains that support `scene` (in the registry's order); for play alongside,
    only those that can share the scene with a person."""
    shape = brain_shape(scene)
    kinds = PLAY_KINDS.get(_family(scene)) if mode == "play" else None
    return [
        name
        for name, cls in BRAINS.items()
        if cls.supports(shape) is None and (kinds is None or cls.kind in kinds)
    ]


def compose(scene: str, brain: str, mode: str) -> list[str]:
    """The command line for a scene, a brain and a mode, as a user would type it."""
    place = ["--map", scene.partition(":")[2]] if _family(scene) == "gridworld" else []
    place = place or ["--scene", scene]
    if mode == "watch":
        return ["run", *place, "--brain", brain]
    if mode == "play":
        return ["play", *place, "--with", brain]
    rivals = [name for name in RIVALS[_family(scene)] if name != brain][:2]
    return ["compare", *place, "--brains", ",".join([brain, *rivals])]


class Choice:
    """The scene, brain and mode picked in the CHOICE group."""

    def __init__(self) -> None:
        self.scenes = scene_keys()
        self.scene, self.mode = self.scenes[0], MODES[0]
        self._brains: dict[tuple[str, str], list[str]] = {}  # shapes read maps: once each
        self.brain = self._first_brain()

    def options(self, field: str) -> list[str]:
        if field == "scene":
            return self.scenes
        if field == "mode":
            return list(MODES_OF.get(_family(self.scene), MODES))
        key = (self.scene, self.mode)
        if key not in self._brains:
            self._brains[key] = brains_for(self.scene, self.mode)
        return self._brains[key]

    def value(self, field: str) -> str:
        return {"scene": self.scene, "brain": self.brain, "mode": self.mode}[field]

    def shown(self, field: str) -> str:
        """The value as the row shows it."""
        if field == "scene":
            return scene_name(self.scene)
        return MODE_NAMES[self.mode] if field == "mode" else self.brain

    def change(self, field: str, direction: int) -> None:
        """The next (or previous) value, round and round. A new scene starts from its
        first brain; a mode the brain cannot play in gets the first brain that can."""
        options = self.options(field)
        value = options[(options.index(self.value(field)) + direction) % len(options)]
        if field == "scene":
            self.scene = value
            if self.mode not in self.options("mode"):
                self.mode = MODES[0]
            self.brain = self._first_brain()
        elif field == "mode":
            self.mode = value
            if self.brain not in self.options("brain"):
                self.brain = self._first_brain()
        else:
            self.brain = value

    def _first_brain(self) -> str:
        brains = self.options("brain")
        preferred = FIRST_BRAIN[_family(self.scene)]
        return preferred if preferred in brains else brains[0]

    def argv(self) -> list[str]:
        return compose(self.scene, self.brain, self.mode)

    def summary(self) -> str:
        """What Start starts, in words."""
        where = scene_name(self.scene)
        if self.mode == "watch":
            return f"Watch {self.brain} on {where}"
        if self.mode == "play":
            return f"Play {where} alongside {self.brain}"
        rivals = self.argv()[-1].split(",")[1:]
        return f"Race {self.brain} against {' and '.join(rivals)} on {where}"


def choice_entries(choice: Choice) -> list[Entry]:
    argv = choice.argv()
    rows = [Entry(field.capitalize(), "", list(argv), CHOICE, field) for field in FIELDS]
    return [*rows, Entry("Start", choice.summary(), list(argv), CHOICE)]


def saved_entries(runs: Path) -> list[Entry]:
    """Watch, or play against, the newest brains under `runs`."""
    found = []
    try:
        children = sorted(Path(runs).iterdir())
    except OSError:
        return []
    for child in children:
        if child.name.startswith("."):  # a save in progress (storage writes .NAME.partial-PID)
            continue
        try:
            meta = read_meta(child)
            found.append(((child / META_FILE).stat().st_mtime, child, meta))
        except Exception:  # whatever is wrong with a file, `watch DIR` explains it
            continue
    entries = []
    for mtime, path, meta in sorted(found, key=lambda item: -item[0])[:MAX_SAVED]:
        scene = str(meta.get("scene", "?"))
        brain = str(meta.get("brain", "a brain"))
        family, _, place = scene.partition(":")  # a gridworld by its map's name
        place = place or scene
        saved = time.strftime("%b %d, %H:%M", time.localtime(mtime))
        entries.append(
            Entry(
                f"Watch {path.name}",
                f"{brain} on {place}, saved {saved}",
                ["watch", str(path)],
                SAVED,
            )
        )
        if "play" not in MODES_OF.get(family, MODES):
            continue
        entries.append(
            Entry(
                f"Play against {path.name}",
                f"You against this {brain}",
                ["play", "--against", str(path)],
                SAVED,
            )
        )
    return entries


def menu_entries(runs: Path) -> list[Entry]:
    """Every line of the menu in order, groups as in GROUPS."""
    entries = [Entry(label, detail, argv.split(), group) for group, label, detail, argv in BUILT_IN]
    entries += choice_entries(Choice())
    return entries + (saved_entries(runs) or [Entry(NO_SAVED, "", [], SAVED)])


def _ellipsize(text: str, font: pygame.font.Font, width: int) -> str:
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(text: str, font: pygame.font.Font, width: int, max_lines: int) -> list[str]:
    """Lines broken at spaces, or after a hyphen (so a folder name such as
    cartpole-ga-seed0-gen9-20261204 breaks too); what does not fit ends in …"""
    pieces = [  # (text, whether a space goes before it)
        (part, n == 0)
        for word in text.split()
        for n, part in enumerate(re.findall(r"[^-]+-?|-", word))
    ]
    lines, line = [], ""
    for i, (piece, spaced) in enumerate(pieces):
        trial = f"{line} {piece}" if line and spaced else line + piece
        if font.size(trial)[0] <= width:
            line = trial
        elif line and font.size(piece)[0] <= width and len(lines) < max_lines - 1:
            lines.append(line)
            line = piece
        else:
            rest = "".join(f" {p}" if sp else p for p, sp in pieces[i + 1 :])
            return [*lines, _ellipsize(trial + rest, font, width)]
    return [*lines, line] if line else lines


class _Fonts(NamedTuple):
    title: pygame.font.Font
    subtitle: pygame.font.Font
    heading: pygame.font.Font
    label: pygame.font.Font
    detail: pygame.font.Font


def _fonts(s: float) -> _Fonts:
    sizes = ((58, True), (24, False), (27, True), (24, True), (19, False))
    return _Fonts(*(theme.font(max(14, round(size * s)), bold) for size, bold in sizes))


@dataclass
class _Row:
    """An entry on screen: a row with label and detail, or a button on a saved brain's card."""

    rect: pygame.Rect
    label: list[str]
    detail: list[str]
    button: bool = False
    arrows: tuple[pygame.Rect, pygame.Rect] | None = None  # a CHOICE value's < and >


@dataclass
class _Block:
    """One group laid out from (0, 0): heading, rows, and cards (one per saved brain)."""

    group: str
    height: int
    heading: pygame.Rect
    rows: dict[int, _Row]
    cards: list[tuple[pygame.Rect, list[str]]]

    def move(self, x: int, y: int) -> None:
        for rect in [
            self.heading,
            *(r.rect for r in self.rows.values()),
            *(a for r in self.rows.values() for a in r.arrows or ()),
            *(c[0] for c in self.cards),
        ]:
            rect.move_ip(x, y)


@dataclass
class _Layout:
    scale: float
    left: int
    footer_y: int
    one_line: bool  # title and subtitle side by side
    blocks: list[_Block]
    rows: list[_Row]  # in the order of the entries


def _saved_name(entry: Entry) -> str | None:
    """The folder a saved brain's entry starts (its last argument), None for the others."""
    return Path(entry.argv[-1]).name if entry.group == SAVED and entry.enabled else None


class Menu:
    """The menu's state: entries, the selected one, and where the last draw put each row."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.selected = next(i for i, entry in enumerate(entries) if entry.enabled)
        self.choice = Choice()  # what the CHOICE rows show and start
        self.arrows: dict[int, tuple[pygame.Rect, pygame.Rect]] = {}  # a CHOICE row's < >
        self.quit = False  # set by Esc or closing the window
        self.rects: list[pygame.Rect] = []  # each entry's row (or button), as last drawn
        self.headings: dict[str, pygame.Rect] = {}
        self.cards: list[pygame.Rect] = []  # the panels that hold a saved brain's buttons
        self.footer = ""  # the command the selected row starts, as last drawn
        self._sync()
        self._layout: _Layout | None = None
        self._layout_size = (0, 0)

    # -- choosing ------------------------------------------------------------------------

    def handle(self, event: pygame.event.Event) -> list[str] | None:
        """The argv of the entry the event starts, if it starts one."""
        if event.type == pygame.QUIT:
            self.quit = True
        elif event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.quit = True
            elif event.key in (pygame.K_UP, pygame.K_w):
                self._step(-1)
            elif event.key in (pygame.K_DOWN, pygame.K_s):
                self._step(1)
            elif event.key in (pygame.K_LEFT, pygame.K_a, pygame.K_RIGHT, pygame.K_d):
                direction = -1 if event.key in (pygame.K_LEFT, pygame.K_a) else 1
                field = self.entries[self.selected].field
                if field:
                    self._change(field, direction)
                else:
                    self._sideways(direction)
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
                return list(self.entries[self.selected].argv)
        elif event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN):
            index = self._entry_at(event.pos)
            if index is not None:
                self.selected = index
                if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
                    field = self.entries[index].field
                    if not field:
                        return list(self.entries[index].argv)
                    for direction, arrow in zip((-1, 1), self.arrows[index], strict=True):
                        if arrow.collidepoint(event.pos):
                            self._change(field, direction)
        return None

    def _change(self, field: str, direction: int) -> None:
        self.choice.change(field, direction)
        self._sync()

    def _sync(self) -> None:
        """The CHOICE rows start what they show."""
        for entry in self.entries:
            if entry.group == CHOICE:
                entry.argv = self.choice.argv()
                entry.detail = entry.detail if entry.field else self.choice.summary()

    def _entry_at(self, pos: tuple[int, int]) -> int | None:
        for index, rect in enumerate(self.rects):
            if rect.collidepoint(pos) and self.entries[index].enabled:
                return index
        return None

    def _step(self, direction: int) -> None:
        index = self.selected + direction
        while 0 <= index < len(self.entries):
            if self.entries[index].enabled:
                self.selected = index
                return
            index += direction

    def _sideways(self, direction: int) -> None:
        """To the button beside this one on a saved brain's card, else to the same place
        in the next group that has something to start."""
        if self.rects:
            here = self.rects[self.selected]
            beside = [
                i
                for i, rect in enumerate(self.rects)
                if rect.top == here.top
                and (rect.left - here.left) * direction > 0
                and self.entries[i].group == self.entries[self.selected].group
                and self.entries[i].enabled
            ]
            if beside:
                self.selected = min(beside, key=lambda i: abs(self.rects[i].left - here.left))
                return
        members = {
            group: [i for i, e in enumerate(self.entries) if e.group == group and e.enabled]
            for group in GROUPS
        }
        current = self.entries[self.selected].group
        order = GROUPS.index(current) + direction
        while 0 <= order < len(GROUPS):
            target = members[GROUPS[order]]
            if target:
                place = members[current].index(self.selected)
                self.selected = target[min(place, len(target) - 1)]
                return
            order += direction

    # -- drawing -------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        if self._layout is None or self._layout_size != (width, height):
            # Laid out again only when the window changes size: wrapping text is not free.
            self._layout, self._layout_size = self._lay_out(width, height), (width, height)
            self.rects = [row.rect for row in self._layout.rows]
            self.headings = {b.group: b.heading for b in self._layout.blocks}
            self.cards = [rect for b in self._layout.blocks for rect, _ in b.cards]
            self.arrows = {i: row.arrows for i, row in enumerate(self._layout.rows) if row.arrows}
        layout, s = self._layout, self._layout.scale
        fonts = _fonts(s)
        surface.fill(theme.BACKGROUND)
        title = fonts.title.render(TITLE, True, theme.ACCENT)
        surface.blit(title, (layout.left, round(22 * s)))
        room = width - 2 * layout.left
        if layout.one_line:  # the subtitle on the title's baseline
            x = layout.left + title.get_width() + round(24 * s)
            y = round(22 * s) + fonts.title.get_ascent() - fonts.subtitle.get_ascent()
        else:
            x, y = layout.left, round(26 * s) + fonts.title.get_linesize()
        subtitle = _ellipsize(SUBTITLE, fonts.subtitle, width - layout.left - x)
        surface.blit(fonts.subtitle.render(subtitle, True, theme.TEXT_DIM), (x, y))
        for block in layout.blocks:
            self._draw_block(surface, block, fonts, s)
        self.footer = "python main.py " + shlex.join(self.entries[self.selected].argv)
        command = _ellipsize(self.footer, fonts.detail, room)
        text = fonts.detail.render(command, True, theme.TEXT_DIM)
        surface.blit(text, (layout.left, layout.footer_y))
        draw_key_line(surface, pygame.Rect(0, height - KEY_LINE, width, KEY_LINE), KEYS)

    def _draw_block(self, surface: pygame.Surface, block: _Block, fonts: _Fonts, s: float) -> None:
        radius, inset = round(6 * s), round(14 * s)
        surface.blit(fonts.heading.render(block.group, True, theme.TEXT), block.heading.topleft)
        pygame.draw.line(
            surface, theme.PANEL_EDGE, block.heading.bottomleft, block.heading.bottomright
        )
        for rect, name in block.cards:
            pygame.draw.rect(surface, theme.PANEL, rect, border_radius=radius)
            y = rect.top + round(8 * s)
            for line in name:
                surface.blit(fonts.label.render(line, True, theme.TEXT), (rect.left + inset, y))
                y += fonts.label.get_linesize()
        for index, row in block.rows.items():
            entry, chosen = self.entries[index], index == self.selected
            if row.arrows:
                self._draw_value(surface, row, entry.field, chosen, fonts, s)
                continue
            if entry.group == CHOICE:  # Start: what it starts, in words, as it is now
                lines = len(row.detail)
                row.detail = _wrap(entry.detail, fonts.detail, row.rect.width - 2 * inset, lines)
                row.detail += [""] * (lines - len(row.detail))
            if row.button:
                fill, colour = (
                    (theme.ACCENT, theme.BACKGROUND) if chosen else (theme.KEYCAP, theme.TEXT)
                )
                pygame.draw.rect(surface, fill, row.rect, border_radius=radius)
                text = fonts.label.render(row.label[0], True, colour)
                surface.blit(text, text.get_rect(center=row.rect.center))
                continue
            if entry.enabled:
                pygame.draw.rect(surface, theme.PANEL, row.rect, border_radius=radius)
            if chosen:
                pygame.draw.rect(surface, theme.ACCENT, row.rect, 2, border_radius=radius)
                bar = pygame.Rect(row.rect.left, row.rect.top, round(5 * s), row.rect.height)
                pygame.draw.rect(surface, theme.ACCENT, bar.inflate(0, -round(12 * s)))
            font = fonts.label if entry.enabled else fonts.detail
            colour = theme.ACCENT if chosen else theme.TEXT if entry.enabled else theme.TEXT_DIM
            x, y = row.rect.left + inset, row.rect.top + round(8 * s)
            for line in row.label:
                surface.blit(font.render(line, True, colour), (x, y))
                y += font.get_linesize()
            y += round(2 * s)
            for line in row.detail:
                surface.blit(fonts.detail.render(line, True, theme.TEXT_DIM), (x, y))
                y += fonts.detail.get_linesize()

    def _draw_value(
        self, surface: pygame.Surface, row: _Row, field: str, chosen: bool, fonts: _Fonts, s: float
    ) -> None:
        """A CHOICE row: its name, then the value between < and >."""
        radius, inset = round(6 * s), round(14 * s)
        pygame.draw.rect(surface, theme.PANEL, row.rect, border_radius=radius)
        if chosen:
            pygame.draw.rect(surface, theme.ACCENT, row.rect, 2, border_radius=radius)
        left, right = row.arrows or (row.rect, row.rect)
        name = fonts.detail.render(row.label[0], True, theme.TEXT_DIM)
        if left.left > row.rect.left + inset:  # beside the arrows
            surface.blit(name, name.get_rect(midleft=(row.rect.left + inset, left.centery)))
        else:  # over them
            surface.blit(name, (row.rect.left + inset, row.rect.top + round(4 * s)))
        for arrow, glyph in ((left, "<"), (right, ">")):
            fill = theme.ACCENT if chosen else theme.KEYCAP
            pygame.draw.rect(surface, fill, arrow, border_radius=radius)
            text = fonts.label.render(glyph, True, theme.BACKGROUND if chosen else theme.TEXT)
            surface.blit(text, text.get_rect(center=arrow.center))
        room = right.left - left.right - round(12 * s)
        shown = self.choice.shown(field)
        font = fonts.label if fonts.label.size(shown)[0] <= room else fonts.detail
        text = font.render(
            _ellipsize(shown, font, room), True, theme.ACCENT if chosen else theme.TEXT
        )
        surface.blit(text, text.get_rect(center=((left.right + right.left) // 2, left.centery)))

    # -- layout --------------------------------------------------------------------------

    def _lay_out(self, width: int, height: int) -> _Layout:
        """The largest type at which every group fits its column (a group never splits
        across columns); of the column counts that fit, the one that wraps text least.
        A window too small for any gets the smallest type."""
        layout, room_for = None, min(width / WINDOW[0], height / WINDOW[1])
        for s in [big for big in LARGER if big <= room_for] + list(SCALES):
            fonts = _fonts(s)
            margin, gap = round(32 * s), round(26 * s)
            title = fonts.title.size(TITLE)[0] + round(24 * s) + fonts.subtitle.size(SUBTITLE)[0]
            one_line = title <= width - 2 * margin  # the subtitle fits beside the title
            top = round(44 * s) + fonts.title.get_linesize()
            top += 0 if one_line else fonts.subtitle.get_linesize()
            footer_y = height - KEY_LINE - round(10 * s) - fonts.detail.get_linesize()
            room = footer_y - round(8 * s) - top
            most = (width - 2 * margin + gap) // (round(MIN_COLUMN * s) + gap)
            fitting = []  # (total height: more wrapping is taller, more columns first, layout)
            for n in range(max(1, min(len(GROUPS), most)), 0, -1):
                column = min((width - 2 * margin - (n - 1) * gap) // n, round(MAX_COLUMN * s))
                heights = {g: self._block(g, column, s).height for g in GROUPS}
                columns = min(
                    _partitions(GROUPS, n), key=lambda p: max(_stacked(heights, c, s) for c in p)
                )
                left = (width - n * column - (n - 1) * gap) // 2
                layout = self._place(columns, column, s, left, top, gap, footer_y, one_line)
                if max(_stacked(heights, c, s) for c in columns) <= room:
                    fitting.append((sum(heights.values()), -n, layout))
            if fitting:
                return min(fitting, key=lambda item: item[:2])[2]
        assert layout is not None
        return layout

    def _place(
        self,
        columns: list[tuple[str, ...]],
        column: int,
        s: float,
        left: int,
        top: int,
        gap: int,
        footer_y: int,
        one_line: bool,
    ) -> _Layout:
        blocks = []
        for number, groups in enumerate(columns):
            y = top
            for group in groups:
                blocks.append(self._block(group, column, s))
                blocks[-1].move(left + number * (column + gap), y)
                y += blocks[-1].height + round(GROUP_GAP * s)
        rows = {i: row for block in blocks for i, row in block.rows.items()}
        ordered = [rows[i] for i in range(len(rows))]
        return _Layout(s, left, footer_y, one_line, blocks, ordered)

    def _block(self, group: str, width: int, s: float) -> _Block:
        """A group at (0, 0) in a column `width` wide: rows of label and detail, and for
        saved brains one card each, its name once, over a button per entry."""
        fonts, inset, gap = _fonts(s), round(14 * s), round(7 * s)
        heading = pygame.Rect(0, 0, width, fonts.heading.get_linesize() + 4)
        y, rows, cards = heading.bottom + round(10 * s), {}, []
        members = [i for i, entry in enumerate(self.entries) if entry.group == group]
        if group == CHOICE:
            return self._choice_block(heading, members, width, s)
        for name, indices in itertools.groupby(members, key=lambda i: _saved_name(self.entries[i])):
            if name is None:
                for i in indices:
                    entry = self.entries[i]
                    font = fonts.label if entry.enabled else fonts.detail
                    label = _wrap(entry.label, font, width - 2 * inset, 2 if entry.enabled else 3)
                    detail = _wrap(entry.detail, fonts.detail, width - 2 * inset, 2)
                    tall = (
                        len(label) * font.get_linesize() + len(detail) * fonts.detail.get_linesize()
                    )
                    rows[i] = _Row(pygame.Rect(0, y, width, tall + round(18 * s)), label, detail)
                    y = rows[i].rect.bottom + gap
                continue
            lines = _wrap(name, fonts.label, width - 2 * inset, 2)
            top, tall = y, fonts.label.get_linesize() + round(10 * s)
            x, y = inset, y + round(8 * s) + len(lines) * fonts.label.get_linesize() + round(5 * s)
            for i in indices:
                text = self.entries[i].label.removesuffix(name).strip()
                wide = fonts.label.size(text)[0] + round(22 * s)
                if x > inset and x + wide > width - inset:  # no room beside: the next line
                    x, y = inset, y + tall + round(6 * s)
                rows[i] = _Row(pygame.Rect(x, y, wide, tall), [text], [], button=True)
                x += wide + round(8 * s)
            y += tall + round(8 * s)
            cards.append((pygame.Rect(0, top, width, y - top), lines))
            y += gap
        return _Block(group, y - gap, heading, rows, cards)  # to the last row's bottom

    def _choice_block(
        self, heading: pygame.Rect, members: list[int], width: int, s: float
    ) -> _Block:
        """One short row per value, its < and > at the ends of the value, then Start."""
        fonts, inset, gap = _fonts(s), round(14 * s), round(7 * s)
        y, rows = heading.bottom + round(10 * s), {}
        names = max(
            fonts.detail.size(self.entries[i].label)[0] for i in members if self.entries[i].field
        )
        pad = round(5 * s)  # arrows big enough to hit with a mouse at any scale
        high = max(fonts.label.get_linesize() + round(4 * s), 24)
        wide = max(high, 26)
        longest = max(
            fonts.label.size(self.choice.shown(field) if field != "brain" else name)[0]
            for field, name in [("mode", ""), *(("brain", b) for b in BRAINS)]
        )
        longest = max(longest, *(fonts.label.size(scene_name(k))[0] for k in self.choice.scenes))
        beside = inset + names + round(10 * s)  # the arrows start after the row's name...
        stacked = beside + 2 * wide + longest + round(12 * s) + pad > width  # ...or under it
        for i in members:
            entry = self.entries[i]
            if entry.field:
                top = fonts.detail.get_linesize() + round(2 * s) if stacked else 0
                rect = pygame.Rect(0, y, width, top + high + 2 * pad)
                start = inset if stacked else beside
                left = pygame.Rect(start, y + top + pad, wide, high)
                right = pygame.Rect(
                    width - max(pad, inset if stacked else 0) - wide, left.top, wide, high
                )
                rows[i] = _Row(rect, [entry.label], [], arrows=(left, right))
            else:
                lines = 2 if stacked else 1  # room to say what Start starts
                tall = fonts.label.get_linesize() + lines * fonts.detail.get_linesize()
                rect = pygame.Rect(0, y, width, tall + round(20 * s))
                rows[i] = _Row(rect, [entry.label], [entry.detail] * lines)
            y = rows[i].rect.bottom + gap
        return _Block(CHOICE, y - gap, heading, rows, [])


def _stacked(heights: dict[str, int], groups: tuple[str, ...], s: float) -> int:
    """The height of a column holding `groups`, one under the other."""
    return sum(heights[g] for g in groups) + round(GROUP_GAP * s) * (len(groups) - 1)


def _partitions(groups: tuple[str, ...], n: int) -> list[list[tuple[str, ...]]]:
    """Every way to put the groups, in order, into n columns."""
    result = []
    for cuts in itertools.combinations(range(1, len(groups)), n - 1):
        bounds = (0, *cuts, len(groups))
        result.append([groups[a:b] for a, b in itertools.pairwise(bounds)])
    return result


def choose(
    screen: pygame.Surface | None = None,
    runs: Path = Path("runs"),
    max_frames: int | None = None,
    events: Callable[[], list[pygame.event.Event]] | None = None,
) -> list[str] | None:
    """Show the menu until the user picks an entry (its argv) or quits (None)."""
    pygame.display.init()
    pygame.font.init()
    if screen is None:
        screen = pygame.display.set_mode(WINDOW, pygame.RESIZABLE)
    pygame.display.set_caption("Learning Arcade")
    # The window's own surface is fetched each frame: resizing may replace it.
    on_display = screen is pygame.display.get_surface()
    menu, clock, frame = Menu(menu_entries(runs)), pygame.time.Clock(), 0
    while max_frames is None or frame < max_frames:
        surface = pygame.display.get_surface() if on_display else screen
        menu.draw(surface)
        if on_display:
            pygame.display.flip()
        for event in (events or pygame.event.get)():
            choice = menu.handle(event)
            if choice is not None:
                return choice
            if menu.quit:
                return None
        if events is not None:
            pygame.event.pump()  # injected events still leave the window responsive
        clock.tick(FPS)
        frame += 1
    return None
