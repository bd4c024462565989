"""Gridworld maps: plain-text files in assets/maps/, parsed into arrays.

A map file is a few `key: value` lines, then `map:` and the grid, one character a cell:

    ; the Dyna Maze of Sutton and Barto (2018), Example 8.1   (lines starting ; are comments)
    step_reward: 0
    goal_reward: 1
    map:
    .......#G
    S.#....#.

Cells: `.` open, `#` wall, `S` start (several: each episode starts at one at random),
`G` goal (entering one pays goal_reward and ends the episode), `X` pit (entering one pays
pit_reward and either ends the episode or, with `pits: restart`, puts the agent back on the
start, as in Cliff Walking), and any lower-case letter declared as `cell a: 5`, an open
cell that pays its own reward on entry. Every other move pays step_reward, bumping into a
wall or the edge included (the agent stays put).

Other keys: `slip: 0.2` (with this probability a move goes to one of the two perpendicular
directions instead, half each), `time_limit: 500` (steps before an episode is cut short;
default 20 per open cell), and for mazes that change (Sutton and Barto's Blocking and
Shortcut mazes) `change_at: 1000` followed, after the grid, by `after:` and the second
grid, of the same size, that replaces the first once the scene has run that many steps.

A map may also fix settings of the brains that play it, as a book fixes them for its
example: `gamma: 1` (the discount), `alpha: 0.5` (the step size), `epsilon: 0.1`
(exploration), `n: 10` (Dyna's planning steps), `kappa: 0.001` (Dyna-Q+'s bonus). Each
goes to every brain that has that setting (`gamma` to MCTS's `discount` too), over the
brain's own defaults; settings given with the brain (`q-learning:alpha=0.1`) still win.

Errors name the file, line and column: `maps/x.txt:7:3: unknown cell 'Q' (...)`.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from game.scenes.base import SceneError

MAPS_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "maps"

OPEN, WALL, START, GOAL, PIT = ".", "#", "S", "G", "X"
NUMBER_KEYS = ("step_reward", "goal_reward", "pit_reward", "slip")
WHOLE_KEYS = ("time_limit", "change_at")
# Brain settings a map may fix: whether each is a whole number, and the values every brain
# that has it accepts (so a bad one is a map error, named by its line, not a brain's).
BRAIN_KEYS: dict[str, tuple[bool, float, float]] = {
    "gamma": (False, 0.0, 1.0),
    "alpha": (False, 0.0, 1.0),  # above 0: a step size of 0 learns nothing
    "epsilon": (False, 0.0, 1.0),
    "n": (True, 0, 10_000),  # at most brains/dyna.py's MAX_N: more stalls every tick
    "kappa": (False, 0.0, math.inf),
}
KEYS = (*NUMBER_KEYS, *WHOLE_KEYS, "pits", "title", *BRAIN_KEYS)
REWARD_KEYS = ("step_reward", "goal_reward", "pit_reward")
MAX_REWARD = 1e6  # larger rewards overflow values and charts (1e308 becomes inf)
MAX_CELLS = 100_000  # as many inputs as a brain file may have (brains/storage.py)


class MapError(SceneError):
    """A map that cannot be read; the message is one line: file:line:column: what is wrong."""


@dataclass(frozen=True, eq=False)  # compared and cached by identity
class GridMap:
    """A parsed map. Layouts are char arrays [rows, cols]; `layouts[1]`, if any, replaces
    `layouts[0]` after `change_at` steps."""

    name: str
    layouts: tuple[np.ndarray, ...]
    step_reward: float = 0.0
    goal_reward: float = 1.0
    pit_reward: float = -1.0
    pits_restart: bool = False
    slip: float = 0.0
    time_limit: int = 0
    change_at: int | None = None
    cell_rewards: dict[str, float] = field(default_factory=dict)
    title: str = ""
    # Settings for the brains that play the map, as the file gives them: (("gamma", "1"), ...).
    brain_settings: tuple[tuple[str, str], ...] = ()
    text: str = ""  # the file's text, which a saved brain keeps (see saved_map_text)

    @property
    def shape(self) -> tuple[int, int]:
        return self.layouts[0].shape  # type: ignore[return-value]

    @property
    def cells(self) -> int:
        return self.layouts[0].size


def map_names() -> list[str]:
    return sorted(path.stem for path in MAPS_DIR.glob("*.txt"))


def is_shipped(name: str) -> bool:
    return name in map_names()


def map_path(name: str) -> Path:
    """A shipped map by name, else a path to a map file."""
    shipped = MAPS_DIR / f"{name}.txt"
    if "/" not in name and "\\" not in name and shipped.is_file():
        return shipped
    path = Path(name)
    if path.is_file():
        return path
    raise MapError(
        f"unknown map {name!r}: not a shipped map ({', '.join(map_names())}) nor a map file"
    )


SAVED_PREFIX = "saved:"  # names of maps parsed from a brain file's text, never read from disk
_saved_maps: dict[str, GridMap] = {}


def load_map(name: str) -> GridMap:
    """A map by name or path (or one registered by `register_saved_map`)."""
    if name.startswith(SAVED_PREFIX):
        if name not in _saved_maps:
            raise MapError(f"unknown map {name!r}: no brain file has given its text")
        return _saved_maps[name]
    return _read_map(name)


def register_saved_map(text: str, source: str, name: str) -> str:
    """Parse a map's text kept in a brain file (errors name `source`, line and column);
    returns the map name that scene keys use for it."""
    key = f"{SAVED_PREFIX}{name}"
    _saved_maps[key] = parse_map(text, source, key)
    return key


def map_label(name: str) -> str:
    """A map's name fit for a file name: a path's stem, a map from a brain file's text
    by the name it was saved under."""
    return Path(name.removeprefix(SAVED_PREFIX)).stem


def saved_map_text(name: str) -> str | None:
    """What a brain saved on map `name` keeps so it can be watched anywhere: nothing for a
    shipped map (watched by name), else the map file's text."""
    if is_shipped(name):
        return None
    return load_map(name).text


@lru_cache(maxsize=32)
def _read_map(name: str) -> GridMap:
    """A map file, read once (every check of a champion builds a scene)."""
    path = map_path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise MapError(f"{path}: cannot read the map ({error})") from None
    shown = name if path.parent == MAPS_DIR else str(path)
    return parse_map(text, str(path), shown)


def _number(value: str, where: str, key: str, whole: bool) -> float:
    try:
        number = int(value, 10) if whole else float(value)
    except ValueError:
        what = "a whole number" if whole else "a number"
        raise MapError(f"{where}: {key} must be {what}, got {value!r}") from None
    if not math.isfinite(number):
        raise MapError(f"{where}: {key} must be finite, got {value!r}")
    return number


def parse_map(text: str, source: str = "<map>", name: str = "map") -> GridMap:
    """Parse a map file's text; raises MapError naming `source`, line and column."""
    settings: dict[str, object] = {}
    lines: dict[str, int] = {}  # the line each key was given on, for errors about it
    cell_rewards: dict[str, float] = {}
    brain_settings: dict[str, str] = {}
    grids: list[tuple[int, list[tuple[int, str]]]] = []  # (line of map:/after:, rows)
    section: list[tuple[int, str]] | None = None  # (line number, row)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        stripped = line.strip()
        at = f"{source}:{number}:1"
        if section is not None:
            if not stripped:
                if section:
                    section = None  # a blank line after the rows ends a grid
                continue
            if stripped.startswith(";"):
                continue
            if stripped != "after:":
                section.append((number, line))
                continue
            section = None
        if not stripped or stripped.startswith(";"):
            continue
        if stripped in ("map:", "after:"):
            if (stripped == "map:") != (not grids):
                raise MapError(f"{at}: {'after:' if grids else 'map:'} expected here")
            if len(grids) == 2:
                raise MapError(f"{at}: a map has at most two grids (map: and after:)")
            section = []
            grids.append((number, section))
            continue
        key, colon, value = stripped.partition(":")
        key, value = key.strip(), value.split(";")[0].strip()
        if not colon or not value:
            raise MapError(f"{at}: expected 'key: value', 'map:' or a comment, got {stripped!r}")
        if key.startswith("cell "):
            letter = key[5:].strip()
            if len(letter) != 1 or not letter.islower():
                raise MapError(f"{at}: cell rewards are for lower-case letters, got {letter!r}")
            cell_rewards[letter] = _reward(_number(value, at, key, whole=False), at, key)
        elif key in NUMBER_KEYS:
            settings[key] = _number(value, at, key, whole=False)
            if key in REWARD_KEYS:
                _reward(settings[key], at, key)
        elif key in WHOLE_KEYS:
            settings[key] = int(_number(value, at, key, whole=True))
        elif key == "pits":
            if value not in ("end", "restart"):
                raise MapError(f"{at}: pits must be 'end' or 'restart', got {value!r}")
            settings["pits_restart"] = value == "restart"
        elif key == "title":
            settings["title"] = value
        elif key in BRAIN_KEYS:
            column = len(line) - len(line.partition(":")[2].lstrip()) + 1
            brain_settings[key] = _brain_setting(value, f"{source}:{number}:{column}", key)
        else:
            raise MapError(f"{at}: unknown key {key!r}; keys: {', '.join(KEYS)}, cell <letter>")
        lines["pits_restart" if key == "pits" else key] = number
    if not grids:
        raise MapError(
            f"{source}:{len(text.splitlines()) + 1}:1: no grid (a 'map:' line then rows)"
        )
    layouts = tuple(_grid(first, rows, source, cell_rewards) for first, rows in grids)
    if len(layouts) == 2:
        first, rows = grids[1]
        if layouts[1].shape != layouts[0].shape:
            raise MapError(
                f"{source}:{first}:1: the after: grid is {layouts[1].shape[0]}x"
                f"{layouts[1].shape[1]}, the map: grid {layouts[0].shape[0]}x{layouts[0].shape[1]}"
            )
        if "change_at" not in settings:
            raise MapError(f"{source}:{first}:1: an after: grid needs 'change_at: STEPS'")
    elif "change_at" in settings:
        raise MapError(
            f"{source}:{lines['change_at']}:1: change_at is given but there is no after: grid"
        )
    after_line = grids[1][0] if len(grids) == 2 else 1
    _check_settings(settings, source, layouts, lines | {"after": after_line})
    for (_, rows), layout in zip(grids, layouts, strict=True):
        _check_reachable(layout, [number for number, _ in rows], source)
    return GridMap(
        name=name,
        layouts=layouts,
        cell_rewards=cell_rewards,
        brain_settings=tuple(brain_settings.items()),
        text=text,
        **settings,  # type: ignore[arg-type]
    )


def _grid(
    first: int, numbered: list[tuple[int, str]], source: str, rewards: dict[str, float]
) -> np.ndarray:
    if not numbered:
        raise MapError(f"{source}:{first}:1: no rows after this line")
    width = len(numbered[0][1])
    for number, row in numbered:
        if len(row) != width:
            raise MapError(
                f"{source}:{number}:{min(len(row), width) + 1}: row is {len(row)} cells "
                f"wide, the first row {width}"
            )
        for j, char in enumerate(row):
            if char not in ".#SGX" and char not in rewards:
                hint = " (declare it with 'cell a: REWARD')" if char.islower() else ""
                raise MapError(
                    f"{source}:{number}:{j + 1}: unknown cell {char!r}; cells: . # S G X "
                    f"and declared letters{hint}"
                )
    cells = sum(len(row) for _, row in numbered)
    if cells > MAX_CELLS:
        # Planners keep a next state, a probability and a reward per cell and move, and
        # every agent sees the map as one float32 per cell each step.
        tables, seen = cells * 4 * 24, cells * 4
        raise MapError(
            f"{source}:{first}:1: {cells:,} cells, more than {MAX_CELLS:,}: its tables alone "
            f"would take about {tables / 2**20:,.0f} MB and each observation "
            f"{seen / 2**20:,.1f} MB"
        )
    grid = np.array([list(row) for _, row in numbered], dtype="<U1")
    for char, what in ((START, "start S"), (GOAL, "goal G")):
        if not (grid == char).any():
            raise MapError(f"{source}:{numbered[0][0]}:1: the grid has no {what}")
    return grid


def _reward(value: float, at: str, key: str) -> float:
    if abs(value) > MAX_REWARD:
        raise MapError(
            f"{at}: {key} must be between -{MAX_REWARD:g} and {MAX_REWARD:g}, got {value:g}"
        )
    return value


def _brain_setting(value: str, at: str, key: str) -> str:
    """A brain setting's text, once it is a number every brain with the setting accepts."""
    whole, least, most = BRAIN_KEYS[key]
    number = _number(value, at, key, whole)
    if key == "alpha" and number <= 0 or not least <= number <= most:
        if math.isinf(most):
            allowed = f"{least:g} or more"
        elif key == "alpha":
            allowed = f"above {least:g} and at most {most:g}"
        else:
            allowed = f"between {least:g} and {most:g}"
        raise MapError(f"{at}: {key} must be {allowed}, got {value}")
    return value


def _check_settings(
    settings: dict, source: str, layouts: tuple[np.ndarray, ...], lines: dict[str, int]
) -> None:
    slip = settings.get("slip", 0.0)
    if not 0 <= slip <= 1:
        raise MapError(f"{source}:{lines['slip']}:1: slip must be between 0 and 1, got {slip}")
    for key in ("time_limit", "change_at"):
        if key in settings and settings[key] < 1:
            raise MapError(f"{source}:{lines[key]}:1: {key} must be 1 or more, got {settings[key]}")
    if settings.get("pits_restart"):
        for layout in layouts:
            if np.count_nonzero(layout == START) != 1:
                raise MapError(
                    f"{source}:{lines['pits_restart']}:1: 'pits: restart' needs exactly one start S"
                )
    for layout in layouts:
        if not np.array_equal(layout == START, layouts[0] == START):
            raise MapError(
                f"{source}:{lines['after']}:1: the after: grid must keep the starts where they were"
            )
    if not settings.get("time_limit"):
        settings["time_limit"] = 20 * int(np.count_nonzero(layouts[0] != WALL))


def _check_reachable(layout: np.ndarray, lines: list[int], source: str) -> None:
    """Every start must reach a goal, never through a pit (it ends the episode or restarts
    it): from a start that cannot, `train` would wait for a solve that never comes. Moves
    between open cells go both ways, so one search back from the goals finds them all;
    slips only go sideways and reach nothing more."""
    rows, cols = layout.shape
    open_cells = (layout != WALL) & (layout != PIT) & (layout != GOAL)
    reached = layout == GOAL
    queue = deque(zip(*np.nonzero(reached), strict=True))
    while queue:
        r, c = queue.popleft()
        for nr, nc in ((r - 1, c), (r, c + 1), (r + 1, c), (r, c - 1)):
            if 0 <= nr < rows and 0 <= nc < cols and open_cells[nr, nc] and not reached[nr, nc]:
                reached[nr, nc] = True
                queue.append((nr, nc))
    stranded = np.argwhere((layout == START) & ~reached)
    if len(stranded):
        r, c = (int(v) for v in stranded[0])
        raise MapError(f"{source}:{lines[r]}:{c + 1}: no path from this start to a goal")
