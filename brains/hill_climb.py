"""Hill climbing over linear policies, with noise that adapts so it never gets stuck.

The classic version adds fixed noise (0.1) to the best weights and keeps the result if it
scores better. From bad first weights every neighbour scores as badly, nothing is ever
accepted, and it stalls: in more than half of all runs, as bench/search_methods shows.
This one grows its noise while nothing improves and shrinks it on progress, so it leaves
flat ground quickly and refines near a good policy. It can also try several neighbours
at once (one per group of agents) and average several episodes per evaluation.

One more thing the classic version gets wrong on a noisy task: a policy that balanced
500 steps once by luck is kept forever, because nothing can beat 500. So the incumbent
plays again every generation (it is candidate 0) and keeps a running mean of its scores;
neighbours must beat that mean, and a lucky incumbent is soon found out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from brains.linear import LinearSearch


@dataclass
class HillClimbSettings:
    noise: float = 0.5  # starting standard deviation of a step (the classic uses 0.1, fixed)
    adaptive: bool = True  # grow the noise when stuck, shrink it on progress
    grow: float = 2.0  # noise multiplier after a generation with no improvement
    shrink: float = 0.5  # noise multiplier after an improvement
    min_noise: float = 0.01
    max_noise: float = 2.0
    min_gain: float = 0.25  # improvement (relative) that counts as progress for the noise
    episodes: int = 1  # episodes averaged per candidate
    reevaluate: bool = True  # replay the incumbent each generation (needs 2+ candidates)
    # Steps uniform in [-noise, noise] rather than normal with deviation noise: the classic
    # write-up's climber (K. Frans's blog) draws them so.
    uniform: bool = False

    def check(self) -> str | None:
        if self.noise <= 0:
            return f"noise must be above 0, got {self.noise}"
        if not self.grow >= 1.0 or not 0 < self.shrink <= 1.0:
            return "grow must be 1 or more and shrink between 0 and 1"
        if not 0 < self.min_noise <= self.max_noise:
            return "min_noise must be above 0 and at most max_noise"
        if self.episodes < 1:
            return f"episodes must be 1 or more, got {self.episodes}"
        if self.min_gain < 0:
            return f"min_gain must be 0 or more, got {self.min_gain}"
        return None


class HillClimb(LinearSearch):
    name = "hill-climb"
    Settings = HillClimbSettings
    default_population = 4  # the incumbent and three neighbours per generation

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.noise = self.settings.noise
        self._incumbent_plays = 0  # evaluations averaged into best_score; 0 before the first

    def describe(self) -> str:
        kind = "adaptive" if self.settings.adaptive else "classic"
        return f"hill climbing ({kind}), noise {self.noise:.2g}"

    @property
    def _replays(self) -> bool:
        return self.settings.reevaluate and self.candidates >= 2

    def propose(self, count: int) -> np.ndarray:
        shape = (count, *self.best.shape)
        if self.settings.uniform:
            steps = self.rng.uniform(-self.noise, self.noise, shape)
        else:
            steps = self.rng.normal(0.0, self.noise, shape)
        if self._replays or self._incumbent_plays == 0:
            steps[0] = 0.0  # candidate 0 is the incumbent (at first, the starting point)
        return self.best[None] + steps

    def judge(self, scores: np.ndarray, proposals: np.ndarray) -> None:
        plays = self._incumbent_plays
        first = plays == 0
        if self._replays or first:
            scored = float(scores[0])
            self.best_score = scored if first else (self.best_score * plays + scored) / (plays + 1)
            self._incumbent_plays = plays + 1
            scores = scores.copy()
            scores[0] = -np.inf  # the incumbent cannot replace itself
        before = self.best_score
        super().judge(scores, proposals)
        if self.best_score > before:
            self._incumbent_plays = 1
        if self.settings.adaptive and not first:
            # On flat ground (every policy drops the pole in ~9 steps) scores differ by
            # noise alone; counting that as progress would shrink the noise and freeze
            # the climb. Only a real gain shrinks it.
            s = self.settings
            progress = self.best_score > before + s.min_gain * abs(before)
            factor = s.shrink if progress else s.grow
            self.noise = float(np.clip(self.noise * factor, s.min_noise, s.max_noise))
