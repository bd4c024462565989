"""A finite MDP as tables, what dynamic-programming planners plan in.

Transitions are stored sparsely, K outcomes per state and action, rather than as a dense
P[S, A, S'] array: a 100x100 maze has 10,000 states, and a dense table of probabilities
would take 3.2 GB where the sparse one (K = 1 for deterministic moves, 3 when slippery)
takes a few hundred KB. `dense()` gives the P[S, A, S'] and R[S, A, S'] view for small
models (tests, hand checks).

State s is grid cell (s // cols, s % cols). Walls are states too (so the index is the
cell's), but `valid` is False for them: they are never entered and have no value.
Terminal states (goals, pits that end the episode) keep value 0; the reward for arriving
in one is paid on the transition into it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TabularModel:
    next_states: np.ndarray  # int64 [S, A, K]: where outcome k of action a from s lands
    probs: np.ndarray  # float64 [S, A, K]: its probability (each [s, a] row sums to 1)
    rewards: np.ndarray  # float64 [S, A, K]: the reward paid on that transition
    terminal: np.ndarray  # bool [S]: episodes end on arrival; values stay 0
    valid: np.ndarray  # bool [S]: False for walls, which have no value
    rows: int
    cols: int
    action_meanings: tuple[str, ...]

    @property
    def n_states(self) -> int:
        return self.next_states.shape[0]

    @property
    def n_actions(self) -> int:
        return self.next_states.shape[1]

    def q_from_v(self, values: np.ndarray, gamma: float) -> np.ndarray:
        """Q[s, a] = sum over outcomes of p (r + gamma V(s')), float64 [S, A]."""
        if self.next_states.shape[2] == 1:  # sure moves: no sum, seven times faster
            return self.rewards[:, :, 0] + gamma * values[self.next_states[:, :, 0]]
        return np.einsum("sak,sak->sa", self.probs, self.rewards + gamma * values[self.next_states])

    def dense(self) -> tuple[np.ndarray, np.ndarray]:
        """(P[S, A, S'], R[S, A, S']) for small models; R is 0 where P is."""
        s, a, k = self.next_states.shape
        p = np.zeros((s, a, s))
        r = np.zeros((s, a, s))
        si, ai = np.meshgrid(np.arange(s), np.arange(a), indexing="ij")
        for j in range(k):
            np.add.at(p, (si, ai, self.next_states[:, :, j]), self.probs[:, :, j])
            r[si, ai, self.next_states[:, :, j]] = self.rewards[:, :, j]
        return p, r

    def grid(self, per_state: np.ndarray) -> list[list[float | None]]:
        """A per-state array as one list per map row, None for walls (JSON's null)."""
        shaped = per_state.reshape(self.rows, self.cols)
        walls = ~self.valid.reshape(self.rows, self.cols)
        return [
            [None if walls[r, c] else round(float(shaped[r, c]), 6) for c in range(self.cols)]
            for r in range(self.rows)
        ]
