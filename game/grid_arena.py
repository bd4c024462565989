"""Learners on a gridworld: the LearnerArena, with the book's charts and a check per episode.

Sutton and Barto chart tabular learning as steps per episode (Figure 8.2) and as
cumulative reward against time steps (Figures 8.4 and 8.5, where a maze changes), so those
are the charts here. The greedy policy is checked after every episode rather than every
2,000 steps: mazes are solved in a few hundred steps, and "episodes to solve" is the
measure that tells Dyna's planning apart. A check is cheap: a few greedy walks, cut off
once they are too long to be shortest.

Brains with live controls (Dyna's planning steps n on [ and ]) get their keys here.
"""

from __future__ import annotations

import numpy as np

from brains.base import Learner
from game.arena import ChartSpec, LearnerArena
from game.colours import BLUE, GOLD, GREEN, PINK


class GridLearnerArena(LearnerArena):
    CHECKS_BY_STEPS = False  # checked after every episode instead (_episodes_ended)
    race_series = "episode_steps"  # what a race charts for each lane
    race_title = "Steps per episode"

    def __init__(self, scene_name: str, brain: Learner, seed: int, **kwargs) -> None:
        super().__init__(scene_name, brain, seed, **kwargs)
        self._finished_reward = 0.0  # the returns of every finished episode
        self.keys: tuple[tuple[str, str], ...] = tuple(getattr(brain, "keys", ()))

    def handle_key(self, key: str) -> bool:
        handle = getattr(self.brain, "handle_key", None)
        return bool(handle is not None and handle(key))

    def train_tick(self) -> None:
        super().train_tick()
        total = self._finished_reward + float(self.scene.returns.sum())
        self.metrics.record("cumulative_reward", self.metrics.env_steps, total)

    def _episodes_ended(self, ended: np.ndarray) -> None:
        scene, metrics = self.scene, self.metrics
        self._finished_reward += float(scene.returns[ended].sum())
        first = metrics.episodes
        for i, steps in enumerate(scene.steps[ended]):
            metrics.record("episode_steps", first + i + 1, float(steps))
        super()._episodes_ended(ended)
        if self.evaluation is None and not metrics.solved:
            self.start_evaluation()

    def charts(self) -> list[ChartSpec]:
        return [
            ChartSpec(
                "Steps per episode",
                "episode",
                (("episode_steps", "steps", BLUE),),
            ),
            ChartSpec(
                "Cumulative reward",
                "environment steps",
                (("cumulative_reward", "reward so far", GOLD),),
            ),
            ChartSpec(
                f"Greedy check ({self.scene.spec.score_name})",
                "environment steps",
                (
                    ("eval_score", "greedy check", PINK),
                    ("return_average", "mean return", GREEN, "right"),  # reward, not percent
                ),
                y_names=(self.scene.spec.score_name, "mean return"),
            ),
        ]
