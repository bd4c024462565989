"""Experience replay: a ring of transitions in preallocated NumPy arrays, and n-step
returns folded from one-step transitions before they go in.

Batches of transitions (one per environment that stepped) go in together and overwrite
the oldest once the ring is full; uniform random minibatches come out. Only `terminated`
is stored: a time limit (truncation) is not an end of the task, so its transition keeps
bootstrapping from the next observation like any other. Each transition keeps the
discount its bootstrap gets: gamma for one step, gamma^k for a k-step return.

A gridworld's observations are one-hot over its cells: the ring keeps only the cell's
index and rebuilds the one-hot rows of each minibatch, so a DQN on a 41 x 41 maze holds
100,000 transitions in 3 MB rather than 1.3 GB.
"""

from __future__ import annotations

from collections import deque
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
    discounts: np.ndarray  # what the bootstrapped value is multiplied by


class ReplayBuffer:
    def __init__(self, capacity: int, obs_dim: int, one_hot: bool = False) -> None:
        if capacity < 1:
            raise ValueError(
                f"a replay buffer needs room for at least 1 transition, got {capacity}"
            )
        self.capacity = capacity
        self.obs_dim = obs_dim
        self.one_hot = one_hot
        # One-hot observations are stored as the index of their 1.
        stored = (capacity,) if one_hot else (capacity, obs_dim)
        kind = np.int32 if one_hot else np.float32
        self.observations = np.zeros(stored, dtype=kind)
        self.next_observations = np.zeros(stored, dtype=kind)
        self.actions = np.zeros(capacity, dtype=np.int64)
        self.rewards = np.zeros(capacity, dtype=np.float32)
        self.terminated = np.zeros(capacity, dtype=np.float32)  # 1.0 where the task ended
        self.discounts = np.zeros(capacity, dtype=np.float32)
        self.size = 0  # transitions held
        self.position = 0  # where the next one goes

    def __len__(self) -> int:
        return self.size

    def add(self, batch: Transitions, discounts: np.ndarray | float) -> None:
        count = len(batch)
        discounts = np.broadcast_to(np.asarray(discounts, dtype=np.float32), (count,))
        keep = slice(max(0, count - self.capacity), count)  # only the newest fit
        count = min(count, self.capacity)
        rows = (self.position + np.arange(count)) % self.capacity
        self.observations[rows] = self._stored(batch.observations[keep])
        self.next_observations[rows] = self._stored(batch.next_observations[keep])
        self.actions[rows] = batch.actions[keep]
        self.rewards[rows] = batch.rewards[keep]
        self.terminated[rows] = batch.terminated[keep]
        self.discounts[rows] = discounts[keep]
        self.position = int((self.position + count) % self.capacity)
        self.size = min(self.size + count, self.capacity)

    def sample(self, rng: np.random.Generator, count: int) -> Minibatch:
        if self.size == 0:
            raise ValueError("cannot sample from an empty replay buffer")
        rows = rng.integers(0, self.size, count)
        return Minibatch(
            self._observed(self.observations[rows]),
            self.actions[rows],
            self.rewards[rows],
            self._observed(self.next_observations[rows]),
            self.terminated[rows],
            self.discounts[rows],
        )

    def _stored(self, observations: np.ndarray) -> np.ndarray:
        return observations.argmax(axis=1) if self.one_hot else observations

    def _observed(self, stored: np.ndarray) -> np.ndarray:
        if not self.one_hot:
            return stored
        rows = np.zeros((len(stored), self.obs_dim), dtype=np.float32)
        rows[np.arange(len(stored)), stored] = 1.0
        return rows


class NStepReturns:
    """Folds each agent's one-step transitions into n-step ones (Sutton and Barto, 7.1):
        (o_t, a_t, r_t + g r_t+1 + ... + g^(k-1) r_t+k-1, o_t+k), bootstrap discount g^k,
    with k = n, or fewer when the episode ends first. An episode's reward reaches the
    value of the state n steps before it in one update instead of n. A true end stops
    the sum there (no bootstrap); a time limit bootstraps from the last observation."""

    def __init__(self, n: int, gamma: float) -> None:
        self.n = n
        self.gamma = gamma
        self._pending: dict[int, deque[tuple[np.ndarray, int, float]]] = {}

    def fold(self, batch: Transitions) -> tuple[Transitions, np.ndarray]:
        """The n-step transitions completed by this tick, and their discounts."""
        if self.n == 1:
            return batch, np.full(len(batch), self.gamma, dtype=np.float32)
        agents = range(len(batch)) if batch.agents is None else batch.agents.tolist()
        done: list[tuple] = []
        for row, agent in enumerate(agents):
            queue = self._pending.setdefault(agent, deque())
            queue.append((batch.observations[row], batch.actions[row], batch.rewards[row]))
            ended = bool(batch.terminated[row] or batch.truncated[row])
            while queue and (ended or len(queue) == self.n):
                total = sum(reward * self.gamma**i for i, (_, _, reward) in enumerate(queue))
                obs, action, _ = queue.popleft()
                done.append(
                    (
                        obs,
                        action,
                        total,
                        batch.next_observations[row],
                        batch.terminated[row],
                        self.gamma ** (len(queue) + 1),
                    )
                )
        if not done:
            empty = batch.observations[:0]
            nothing = np.zeros(0)
            return Transitions(empty, nothing, nothing, empty, nothing, nothing), nothing
        obs, actions, totals, next_obs, terminated, discounts = zip(*done, strict=True)
        folded = Transitions(
            np.stack(obs),
            np.array(actions),
            np.array(totals, dtype=np.float32),
            np.stack(next_obs),
            np.array(terminated),
            np.zeros(len(done), dtype=bool),
        )
        return folded, np.array(discounts, dtype=np.float32)
