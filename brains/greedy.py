"""Greedy choices on tables of action values, shared by the tabular learners and the
dynamic-programming planners.

Ties between equal actions are broken at random: always taking the first of equal
actions pins a maze agent against a wall (at the start every value is 0).
"""

from __future__ import annotations

import numpy as np

TIE = 1e-9  # action values this close to the best (relative, at least absolute) are equal


def states_of(observations: np.ndarray) -> np.ndarray:
    """The state index of each one-hot observation row."""
    return np.asarray(observations).argmax(axis=1)


def near_best(values: np.ndarray, best: np.ndarray) -> np.ndarray:
    """Where `values` count as equal to `best` (within TIE, relative to its size)."""
    return values >= best - TIE * np.maximum(1.0, np.abs(best))


def greedy_actions(q: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """argmax over each row of q, a random one among ties."""
    tied = near_best(q, q.max(axis=1, keepdims=True))
    return (tied * (1.0 + rng.random(q.shape))).argmax(axis=1)
