"""A person at the keyboard, as a Policy: the same `act(observations)` as any brain, so a
human can play wherever a brain can (alone now, alongside the bots later).

CartPole: the right arrow pushes right, the left arrow pushes left; with neither held the
pushes alternate, the nearest thing to hands off for a cart that must always be pushed.
Flappy Bird: the up arrow flaps once per press (holding it does not keep flapping).
Gridworld: each press of an arrow moves one cell; between presses the agent waits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pygame

KEYS_SHOWN = {
    "cartpole": (("Left / Right", "push the cart"),),
    "flappy": (("Up", "flap"),),
    "gridworld": (("Arrows", "move one cell"),),
}
WAIT = -1  # a gridworld agent that waits: no move, no step spent


class HumanPolicy:
    def __init__(
        self, scene_name: str, pressed: Callable[[], Sequence[bool]] | None = None
    ) -> None:
        scene_name = scene_name.partition(":")[0]  # "gridworld:cliff" plays as a gridworld
        if scene_name not in KEYS_SHOWN:
            raise KeyError(f"scene {scene_name!r} has no keyboard controls")
        self.scene_name = scene_name
        self._held: tuple[bool, ...] = (False,) * 4
        self.pressed = pressed or pygame.key.get_pressed  # injectable, for tests
        self._toggle = 0
        self._was_up = False

    def act(self, observations: np.ndarray) -> np.ndarray:
        keys = self.pressed()
        if self.scene_name == "cartpole":
            if keys[pygame.K_RIGHT] and not keys[pygame.K_LEFT]:
                action = 1
            elif keys[pygame.K_LEFT] and not keys[pygame.K_RIGHT]:
                action = 0
            else:
                self._toggle ^= 1
                action = self._toggle
        elif self.scene_name == "gridworld":
            arrows = (pygame.K_UP, pygame.K_RIGHT, pygame.K_DOWN, pygame.K_LEFT)  # its actions
            held = tuple(bool(keys[k]) for k in arrows)
            pressed = [a for a in range(4) if held[a] and not self._held[a]]
            self._held = held
            action = pressed[0] if pressed else WAIT
        else:
            up = bool(keys[pygame.K_UP])
            action = int(up and not self._was_up)
            self._was_up = up
        return np.full(len(observations), action, dtype=np.int64)
