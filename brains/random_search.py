"""Random search: try random linear policies, keep the best one seen.

The baseline of the classic CartPole write-ups: each weight uniform in [-1, 1]. It needs
no gradient and no memory beyond the best, which is exactly why it is worth racing.

A best found in one episode may be lucky (500 steps once, far fewer on average), and
nothing can score above 500 to replace it. So when the arena checks the best on fresh
episodes, the check's mean becomes its score (`checked`), as hill climbing's replays
re-measure its incumbent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from brains.linear import LinearSearch, weight_shape


@dataclass
class RandomSearchSettings:
    episodes: int = 1  # episodes averaged per candidate
    scale: float = 1.0  # weights are drawn uniform in [-scale, scale]

    def check(self) -> str | None:
        if self.episodes < 1:
            return f"episodes must be 1 or more, got {self.episodes}"
        if self.scale <= 0:
            return f"scale must be above 0, got {self.scale}"
        return None


class RandomSearch(LinearSearch):
    name = "random-search"
    Settings = RandomSearchSettings
    default_population = 50

    def describe(self) -> str:
        return f"random search, {self.candidates} candidates at a time"

    def propose(self, count: int) -> np.ndarray:
        scale = self.settings.scale
        return self.rng.uniform(-scale, scale, (count, *weight_shape(self.shape)))

    def checked(self, score: float) -> None:
        # The check (the solve rule's fresh episodes, 20 on CartPole) measures the best
        # far better than the episode it won with: a policy that balanced 500 steps once
        # by luck now scores its real mean (on Flappy its worst of 5 courses), so the next
        # candidate that beats that replaces it. Without this a lucky best could never be
        # beaten.
        self.best_score = float(score)
