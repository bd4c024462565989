"""Experience replay: a ring of transitions in preallocated NumPy arrays.

Batches of transitions (one per environment that stepped) go in together and overwrite
the oldest once the ring is full; uniform random minibatches come out. Only `terminated`
is stored: a time limit (truncation) is not an end of the task, so its transition keeps
bootstrapping from the next observation like any other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from brains.base import Transitions


@dataclass(frozen=True)
class Minibatch:
    observations: np.ndarray
    actions: np.ndarray
    rewards: np.ndarray
    next_observations: np.ndarray
    terminated: np.ndarray


class ReplayBuffer:
    def __init__(self, capacity: int, obs_dim: int) -> None:
        if capacity < 1:
            raise ValueError(
                f"a replay buffer needs room for at least 1 transition, got {capacity}"
            )
        self.capacity = capacity
        self.observations = np.zeros((capacity, obs_dim), dtype=np.float32)
        self.next_observations = np.zeros((capacity, obs_dim), dtype=np.float32)
        self.actions = np.zeros(capacity, dtype=np.int64)
        self.rewards = np.zeros(capacity, dtype=np.float32)
        self.terminated = np.zeros(capacity, dtype=np.float32)  # 1.0 where the task ended
        self.size = 0  # transitions held
        self.position = 0  # where the next one goes

    def __len__(self) -> int:
        return self.size

    def add(self, batch: Transitions) -> None:
        count = len(batch)
        if count > self.capacity:  # only the newest fit
            keep = slice(count - self.capacity, count)
            batch = Transitions(
                *(getattr(batch, f)[keep] for f in Transitions.__dataclass_fields__)
            )
            count = self.capacity
        rows = (self.position + np.arange(count)) % self.capacity
        self.observations[rows] = batch.observations
        self.next_observations[rows] = batch.next_observations
        self.actions[rows] = batch.actions
        self.rewards[rows] = batch.rewards
        self.terminated[rows] = batch.terminated
        self.position = int((self.position + count) % self.capacity)
        self.size = min(self.size + count, self.capacity)

    def sample(self, rng: np.random.Generator, count: int) -> Minibatch:
        if self.size == 0:
            raise ValueError("cannot sample from an empty replay buffer")
        rows = rng.integers(0, self.size, count)
        return Minibatch(
            self.observations[rows],
            self.actions[rows],
            self.rewards[rows],
            self.next_observations[rows],
            self.terminated[rows],
        )
