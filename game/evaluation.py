"""Greedy evaluation on fresh episodes, and the seeds that keep them fresh.

Training courses and evaluation courses come from two separate streams of one run seed,
so a brain is never judged on a course it trained on, and evaluating never changes what
training sees (the run is the same with or without evaluations).
"""

from __future__ import annotations

import math
import time

import numpy as np

from brains.base import Policy
from game.scenes import SolveRule, make_scene

TRAINING, EVALUATION, SHOWCASE = 0, 1, 2


def episode_seed(run_seed: int, stream: int, index: int) -> int:
    """The seed of episode `index` in `stream` (TRAINING, EVALUATION or SHOWCASE)."""
    sequence = np.random.SeedSequence(entropy=run_seed, spawn_key=(stream, index))
    return int(sequence.generate_state(1, dtype=np.uint64)[0] >> 1)


class Verdict:
    """What a check says once its episodes are played: their mean, and the rule's verdict.
    A check gives `scores`, `done` and `rule`."""

    scores: np.ndarray
    done: bool
    rule: SolveRule

    @property
    def mean(self) -> float:
        return float(self.scores.mean())

    @property
    def solved(self) -> bool:
        return self.done and self.rule.judge(self.scores)


class Evaluation(Verdict):
    """Plays one policy greedily on the solve rule's number of fresh, independent
    episodes, all at once in one batched scene, a slice of ticks per call so the window
    keeps drawing while a champion is checked."""

    def __init__(self, scene_name: str, policy: Policy, seed: int, rule: SolveRule) -> None:
        self.policy, self.rule = policy, rule
        self.scene = make_scene(scene_name, rule.episodes, capped=True, independent=True)
        self.scene.reset(seed)

    @property
    def done(self) -> bool:
        return self.scene.all_done

    @property
    def episodes_done(self) -> int:
        return int(np.count_nonzero(~self.scene.alive))

    def advance(self, max_ticks: int, seconds: float = math.inf) -> bool:
        """Play up to `max_ticks` ticks, stopping early once `seconds` have passed (a
        window's frame has room for a few milliseconds of them); True once every
        episode is over. How it is sliced changes nothing of what is played."""
        scene = self.scene
        deadline = time.perf_counter() + seconds
        for tick in range(max_ticks):
            if scene.all_done:
                break
            scene.step(self.policy.act(scene.observe()))
            if tick % 16 == 15 and time.perf_counter() >= deadline:
                break
        return scene.all_done

    def finish(self) -> None:
        while not self.advance(10_000):
            pass

    @property
    def scores(self) -> np.ndarray:
        return self.scene.scores.astype(np.float64)
