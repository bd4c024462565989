"""A person at the keyboard, as a Policy: the same `act(observations)` as any brain.

Key presses arrive as events (`key_down`, `key_up`, by pygame's key names), never as
polled state, so a tap shorter than a frame still counts: every press is queued and
spent by the next step. No pygame here: the window passes names, tests pass names.

CartPole: the arrows push left or right; a held arrow keeps pushing, a tap pushes for
one step; with neither the pushes alternate, the nearest thing to hands off for a cart
that must always be pushed. Flappy Bird: Up, Space or a click flaps, once per press.
Gridworld: each press of an arrow moves one cell; between presses the agent waits.
"""

from __future__ import annotations

from collections import deque

import numpy as np

FLAP_KEYS = frozenset({"up", "space", "mouse"})
PUSH_KEYS = {"left": 0, "right": 1}
MOVE_KEYS = {"up": 0, "right": 1, "down": 2, "left": 3}
WAIT = -1  # a gridworld agent that waits: no move, no step spent
MAX_QUEUED = 8  # presses beyond this many unspent ones are dropped (a held auto-repeat)

KEYS_SHOWN = {
    "cartpole": (("Left / Right", "push the cart"),),
    "flappy": (("Up / Space / click", "flap"),),
    "gridworld": (("Arrows", "move one cell"),),
}


def scene_kind(scene_name: str) -> str:
    """ "gridworld:cliff" plays as a gridworld."""
    kind = scene_name.partition(":")[0]
    if kind not in KEYS_SHOWN:
        raise KeyError(f"scene {kind!r} has no keyboard controls")
    return kind


class HumanPolicy:
    """Actions from key events, for one agent (or the same action for every row)."""

    def __init__(self, scene_name: str) -> None:
        self.kind = scene_kind(scene_name)
        self.keys = KEYS_SHOWN[self.kind]
        self._presses: deque[int] = deque()  # actions pressed and not yet spent
        self._held: list[int] = []  # CartPole: directions held now, the latest last
        self._toggle = 0
        self.presses = 0  # every press that meant something, for "press a key to start"

    def _meaning(self, name: str) -> int | None:
        if self.kind == "flappy":
            return 1 if name in FLAP_KEYS else None
        if self.kind == "cartpole":
            return PUSH_KEYS.get(name)
        return MOVE_KEYS.get(name)

    def key_down(self, name: str) -> bool:
        """A key went down; True if it means something here."""
        action = self._meaning(name)
        if action is None:
            return False
        self.presses += 1
        if len(self._presses) < MAX_QUEUED:
            self._presses.append(action)
        if self.kind == "cartpole" and action not in self._held:
            self._held.append(action)
        return True

    def key_up(self, name: str) -> bool:
        action = self._meaning(name)
        if action is None:
            return False
        if self.kind == "cartpole" and action in self._held:
            self._held.remove(action)
        return True

    @property
    def pending(self) -> bool:
        """Are there presses not yet spent?"""
        return bool(self._presses)

    def clear(self) -> None:
        """Forget unspent presses (a new episode starts from rest), not held keys."""
        self._presses.clear()

    def act(self, observations: np.ndarray) -> np.ndarray:
        return np.full(len(observations), self._next_action(), dtype=np.int64)

    def _next_action(self) -> int:
        pressed = self._presses.popleft() if self._presses else None
        if self.kind == "flappy":
            return 1 if pressed is not None else 0
        if self.kind == "gridworld":
            return WAIT if pressed is None else pressed
        if self._held:  # a held arrow pushes; the latest pressed wins over an older one
            self._presses.clear()
            return self._held[-1]
        if pressed is not None:  # a tap released before this step still pushes once
            return pressed
        self._toggle ^= 1
        return self._toggle
