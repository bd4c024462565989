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
from game.scenes import Scene, SolveRule, make_scene

TRAINING, EVALUATION, SHOWCASE = 0, 1, 2


def episode_seed(run_seed: int, stream: int, index: int) -> int:
    """The seed of episode `index` in `stream` (TRAINING, EVALUATION or SHOWCASE)."""
    sequence = np.random.SeedSequence(entropy=run_seed, spawn_key=(stream, index))
    return int(sequence.generate_state(1, dtype=np.uint64)[0] >> 1)


def reports_worst(scene: Scene, rule: SolveRule) -> bool:
    """Does a check of this scene stop at its first failure and report its worst episode
    (see Evaluation), rather than play every episode and report their mean?"""
    return rule.every_episode and scene.scores_rise_together


def check_words(scene: Scene, rule: SolveRule) -> str:
    """What a check's number is, for labels: "worst of 5 fresh courses", "fresh episodes"."""
    fresh = f"fresh {scene.spec.episode_name}s"
    return f"worst of {rule.episodes} {fresh}" if reports_worst(scene, rule) else fresh


class Verdict:
    """What a check says once its episodes are played: its score, and the rule's verdict.
    A check gives `scores`, `done` and `rule`."""

    scores: np.ndarray
    done: bool
    rule: SolveRule

    @property
    def score(self) -> float:
        """The number a check reports (the charts, "Last check", run logs, the version a
        brain keeps as its best-checked): the mean of its episodes."""
        return float(self.scores.mean())

    @property
    def solved(self) -> bool:
        return self.done and self.rule.judge(self.scores)


class Evaluation(Verdict):
    """Plays one policy greedily on the solve rule's number of fresh, independent
    episodes, all at once in one batched scene, a slice of ticks per call so the window
    keeps drawing while a champion is checked.

    Where every episode must reach the threshold and the scene's scores rise together
    (Flappy Bird), the check stops at its first episode below the threshold: that decides
    "not solved", and that episode is the worst of all. Such a check reports its worst
    episode (`worst_counts`), and the episodes still going when it stopped keep the
    scores they had then. Most checks fail, on average a fifth of the way in: stopping
    there saves three quarters of the ticks that checks play (docs/benchmarks.md)."""

    def __init__(self, scene_name: str, policy: Policy, seed: int, rule: SolveRule) -> None:
        self.policy, self.rule = policy, rule
        self.scene = make_scene(scene_name, rule.episodes, capped=True, independent=True)
        self.scene.reset(seed)
        self.worst_counts = reports_worst(self.scene, rule)
        self.failed = False  # an episode ended below the threshold (when worst_counts)

    @property
    def done(self) -> bool:
        return self.failed or self.scene.all_done

    @property
    def episodes_done(self) -> int:
        return int(np.count_nonzero(~self.scene.alive))

    @property
    def score(self) -> float:
        return float(self.scores.min()) if self.worst_counts else super().score

    def advance(self, max_ticks: int, seconds: float = math.inf) -> bool:
        """Play up to `max_ticks` ticks, stopping early once `seconds` have passed (a
        window's frame has room for a few milliseconds of them); True once the check is
        over. How it is sliced changes nothing of what is played."""
        scene, stops = self.scene, self.worst_counts
        deadline = time.perf_counter() + seconds
        for tick in range(max_ticks):
            if self.failed or scene.all_done:
                break
            _, terminated, truncated = scene.step(self.policy.act(scene.observe()))
            if stops and (terminated.any() or truncated.any()):
                ended = terminated | truncated
                self.failed = bool(np.any(scene.scores[ended] < self.rule.threshold))
            if tick % 16 == 15 and time.perf_counter() >= deadline:
                break
        return self.done

    def finish(self) -> None:
        while not self.advance(10_000):
            pass

    @property
    def scores(self) -> np.ndarray:
        return self.scene.scores.astype(np.float64)
