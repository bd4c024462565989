"""Flappy Bird in lanes: every bird on its own course and its own clock.

FlappyScene's birds share one clock (the pipes scroll for all of them at once), which is
what makes a population cheap, but it means one bird cannot start a new course while the
others fly on. A vector environment needs exactly that: its lanes are independent episodes
that end and start again at different ticks. Here each lane keeps its own tick, pipe count
and seed, and draws its course from that seed as a one-bird FlappyScene draws its only
course, so lane i replays `FlappyScene(1)` reset with the same seed, tick for tick and bit
for bit (tests/test_envs.py checks it). The physics is FlappyScene's, with the pipe
arithmetic done per lane; every lane is still advanced by one vectorised `step`.

The population's training keeps FlappyScene: its shared clock turns the pipe arithmetic
into a few scalar operations a tick.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.scenes.base import Scene
from game.scenes.flappy import (
    _GAPS_PER_CHUNK,
    ALIVE_REWARD,
    BIRD_HALF_H,
    BIRD_HALF_W,
    BIRD_START_Y,
    BIRD_X,
    DEATH_REWARD,
    FIRST_PIPE_X,
    FLAP,
    FLAP_VELOCITY,
    GAP_SIZE,
    GAP_TOP_MAX,
    GAP_TOP_MIN,
    GRAVITY,
    GROUND_Y,
    MAX_FALL_SPEED,
    PIPE_REWARD,
    PIPE_SPACING,
    PIPE_SPEED,
    PIPE_WIDTH,
    SPEC,
    FlappyScene,
)


@dataclass(frozen=True)
class LanesSnapshot:
    seeds: tuple[int, ...]
    ticks: np.ndarray
    passed: np.ndarray
    y: np.ndarray
    vy: np.ndarray
    alive: np.ndarray
    returns: np.ndarray
    scores: np.ndarray
    steps: np.ndarray


class FlappyLanesScene(Scene):
    """N birds, each flying its own course on its own clock; `reset_lanes` starts some of
    them again while the rest fly on. Episodes are truncated at `max_score` pipes."""

    spec = SPEC
    solve_rule = FlappyScene.solve_rule

    def __init__(self, n: int, max_score: int | None = None) -> None:
        super().__init__(n)
        self.max_score = max_score
        self.seeds = [0] * n
        self.ticks = np.zeros(n, dtype=np.int64)
        self.passed = np.zeros(n, dtype=np.int64)  # pipes whose centre each bird has passed
        self.y = np.full(n, BIRD_START_Y)
        self.vy = np.zeros(n)
        self._gaps = np.empty((n, 0))  # gap tops, [lane, pipe]
        self._lanes = np.arange(n)
        # Each lane's next pipe and how far ahead its centre is: made by `step` (which
        # needs them for the collisions) and kept for `observe`.
        self._index = np.zeros(n, dtype=np.int64)
        self._ahead = np.zeros(n)
        self._place(self._lanes)

    # -- the courses --------------------------------------------------------------

    @staticmethod
    def _chunk(seed: int, chunk: int) -> np.ndarray:
        """Chunk `chunk` of the course a one-bird FlappyScene flies after `reset(seed)`."""
        return np.random.default_rng([seed, 0, chunk]).uniform(
            GAP_TOP_MIN, GAP_TOP_MAX, _GAPS_PER_CHUNK
        )

    def _place(self, lanes: np.ndarray) -> None:
        """Find `lanes`' next pipes and make sure their courses are drawn that far (and one
        pipe more: a bird sees two gaps)."""
        ticks = self.ticks[lanes]
        # FlappyScene._next_pipe and pipe_x, per lane, in the same order of operations.
        cleared = ticks * PIPE_SPEED + BIRD_X - BIRD_HALF_W - PIPE_WIDTH / 2 - FIRST_PIPE_X
        index = np.maximum(0, (cleared // PIPE_SPACING).astype(np.int64) + 1)
        self._index[lanes] = index
        self._ahead[lanes] = FIRST_PIPE_X + index * PIPE_SPACING - ticks * PIPE_SPEED - BIRD_X
        while int(index.max(initial=0)) + 2 > self._gaps.shape[1]:
            chunk = self._gaps.shape[1] // _GAPS_PER_CHUNK
            more = np.stack([self._chunk(seed, chunk) for seed in self.seeds])
            self._gaps = np.concatenate([self._gaps, more], axis=1)

    # -- the Scene interface ------------------------------------------------------

    def reset(self, seed: int | None = None) -> None:
        """Every lane starts again, on courses drawn from `seed`."""
        seeds = np.random.default_rng(seed).integers(2**63 - 1, size=self.n)
        self.reset_lanes(self._lanes, [int(s) for s in seeds])

    def reset_lanes(self, lanes: np.ndarray, seeds: Sequence[int]) -> None:
        """Lanes `lanes` (indices) start new episodes, lane `lanes[k]` on course `seeds[k]`."""
        lanes = np.asarray(lanes, dtype=np.int64)
        if len(lanes) != len(seeds):
            raise ValueError(f"{len(lanes)} lanes to reset but {len(seeds)} seeds")
        chunks = self._gaps.shape[1] // _GAPS_PER_CHUNK
        for lane, seed in zip(lanes.tolist(), seeds, strict=True):
            self.seeds[lane] = int(seed)
            # The table is as wide as the longest course flown: the new course fills it.
            for chunk in range(chunks):
                self._gaps[lane, chunk * _GAPS_PER_CHUNK : (chunk + 1) * _GAPS_PER_CHUNK] = (
                    self._chunk(int(seed), chunk)
                )
        self.ticks[lanes] = 0
        self._place(lanes)
        self.passed[lanes] = 0
        self.y[lanes] = BIRD_START_Y
        self.vy[lanes] = 0.0
        self.alive[lanes] = True
        self.returns[lanes] = 0.0
        self.scores[lanes] = 0
        self.steps[lanes] = 0

    def step(self, actions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One action per lane; lanes whose episodes are over ignore theirs and stay put.
        Each line does FlappyScene.step's arithmetic in its order, so results agree exactly."""
        live = self.alive
        actions = np.asarray(actions)
        vy = np.minimum(self.vy + GRAVITY, MAX_FALL_SPEED)
        vy[actions == FLAP] = FLAP_VELOCITY
        y = self.y + vy
        self.vy = np.where(live, vy, self.vy)
        self.y = np.where(live, y, self.y)
        self.ticks += live

        # A pipe counts once its centre is behind the bird's: at most one a tick, as pipes
        # are 72 ticks apart.
        scored = live & (
            FIRST_PIPE_X + self.passed * PIPE_SPACING - self.ticks * PIPE_SPEED < BIRD_X
        )
        self.passed += scored

        # As in FlappyScene: the playfield, narrowed to the gap while a pipe overlaps.
        self._place(self._lanes)
        near = np.abs(self._ahead) < PIPE_WIDTH / 2 + BIRD_HALF_W
        gap = self._gaps[self._lanes, self._index]
        low = np.where(near, gap + BIRD_HALF_H, BIRD_HALF_H)
        high = np.where(near, gap + GAP_SIZE - BIRD_HALF_H, GROUND_Y - BIRD_HALF_H)
        terminated = live & ((self.y < low) | (self.y > high))
        rewards = np.where(live, ALIVE_REWARD + PIPE_REWARD * scored, 0.0)
        rewards[terminated] = DEATH_REWARD
        self.returns += rewards
        self.steps += live
        survivors = live & ~terminated
        self.scores += scored & survivors
        if self.max_score is None:
            truncated = np.zeros(self.n, dtype=bool)
        else:
            truncated = survivors & (self.passed >= self.max_score)
        self.alive = survivors & ~truncated
        return rewards, terminated, truncated

    def observe(self, agents: np.ndarray | None = None) -> np.ndarray:
        lanes = self._lanes if agents is None else np.asarray(agents, dtype=np.int64)
        y, vy, index = self.y[lanes], self.vy[lanes], self._index[lanes]
        obs = np.empty((len(lanes), SPEC.obs_dim), dtype=np.float32)
        height = y * (2.0 / GROUND_Y)
        obs[:, 0] = height - 1.0
        obs[:, 1] = vy * (1.0 / MAX_FALL_SPEED)
        obs[:, 2] = self._ahead[lanes] / PIPE_SPACING
        first, second = self._gaps[lanes, index], self._gaps[lanes, index + 1]
        edges = np.stack([first, first + GAP_SIZE, second, second + GAP_SIZE], axis=1)
        obs[:, 3:] = edges * (2.0 / GROUND_Y) - height[:, None]
        return obs

    def snapshot(self) -> LanesSnapshot:
        return LanesSnapshot(
            tuple(self.seeds),
            self.ticks.copy(),
            self.passed.copy(),
            self.y.copy(),
            self.vy.copy(),
            self.alive.copy(),
            self.returns.copy(),
            self.scores.copy(),
            self.steps.copy(),
        )

    def restore(self, snapshot: LanesSnapshot) -> None:
        if list(snapshot.seeds) != self.seeds:
            self.seeds = list(snapshot.seeds)
            self._gaps = np.empty((self.n, 0))
        self.ticks, self.passed = snapshot.ticks.copy(), snapshot.passed.copy()
        self._place(self._lanes)
        self.y, self.vy = snapshot.y.copy(), snapshot.vy.copy()
        self.alive = snapshot.alive.copy()
        self.returns = snapshot.returns.copy()
        self.scores = snapshot.scores.copy()
        self.steps = snapshot.steps.copy()
