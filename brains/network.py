"""Fixed-topology networks stored as flat weight vectors, run for a whole population at once.

A genome is one row of floats; `MLPShape` says how it unpacks into layers. The forward
pass of P genomes on P observations is one batched matrix product per layer, so a
population of a thousand birds costs a few NumPy calls per tick, not a thousand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class MLPShape:
    """obs -> tanh hidden layers -> one output per action; the action is the argmax."""

    sizes: tuple[int, ...]  # (obs_dim, hidden..., n_actions)

    @property
    def n_weights(self) -> int:
        return sum((a + 1) * b for a, b in zip(self.sizes[:-1], self.sizes[1:], strict=False))

    def layers(self, genomes: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Views (W[P, in, out], b[P, out]) into genomes[P, n_weights]; no copies."""
        layers, start = [], 0
        for a, b in zip(self.sizes[:-1], self.sizes[1:], strict=False):
            weights = genomes[:, start : start + a * b].reshape(-1, a, b)
            start += a * b
            layers.append((weights, genomes[:, start : start + b]))
            start += b
        return layers

    def init(self, rng: np.random.Generator, count: int) -> np.ndarray:
        """Random genomes with weights scaled by 1/sqrt(fan-in), so tanh does not saturate."""
        genomes = np.empty((count, self.n_weights))
        start = 0
        for a, b in zip(self.sizes[:-1], self.sizes[1:], strict=False):
            genomes[:, start : start + a * b] = rng.normal(0.0, 1.0 / np.sqrt(a), (count, a * b))
            start += a * b
            genomes[:, start : start + b] = rng.normal(0.0, 0.5, (count, b))
            start += b
        return genomes


def forward(shape: MLPShape, genomes: np.ndarray, observations: np.ndarray) -> np.ndarray:
    """Outputs[P, n_actions] of genome p on observation p (genomes[P] or one shared genome[1])."""
    shared = len(genomes) == 1
    return _forward(_layers_for(shape, genomes, shared), observations, shared)


def _layers_for(
    shape: MLPShape, genomes: np.ndarray, shared: bool
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The layers `_forward` takes: a shared genome's own (W[in, out], b[out]), else
    every genome's (W[P, in, out], b[P, 1, out]), views all."""
    layers = shape.layers(genomes)
    if shared:
        return [(weights[0], bias[0]) for weights, bias in layers]
    return [(weights, bias[:, None, :]) for weights, bias in layers]


def _forward(
    layers: list[tuple[np.ndarray, np.ndarray]], observations: np.ndarray, shared: bool
) -> np.ndarray:
    """`shared`: one genome for every row (one matrix product), else genome p for row p:
    row p is a [1, in] matrix, times genome p's in one batched product, whose row p
    depends on nothing but genome p and observation p."""
    x = observations if shared else observations[:, None, :]
    *hidden, (weights, bias) = layers
    for hidden_weights, hidden_bias in hidden:
        x = np.tanh(np.matmul(x, hidden_weights) + hidden_bias)
    x = np.matmul(x, weights) + bias
    return x if shared else x[:, 0, :]


class NetworkPolicy:
    """Genome p acts for agent p; with a single genome, it acts for every agent."""

    def __init__(self, shape: MLPShape, genomes: np.ndarray, shared: bool | None = None) -> None:
        if genomes.ndim != 2 or genomes.shape[1] != shape.n_weights:
            raise ValueError(f"genomes must be [P, {shape.n_weights}], got {genomes.shape}")
        self.shape = shape
        self.genomes = genomes
        self.shared = len(genomes) == 1 if shared is None else shared
        self._layers = _layers_for(shape, genomes, self.shared)  # views, made once

    def act(self, observations: np.ndarray) -> np.ndarray:
        return _forward(self._layers, observations, self.shared).argmax(axis=1)

    def subset(self, agents: np.ndarray) -> NetworkPolicy:
        """The policy of these agents alone, row i acting for agent agents[i], with the
        same arithmetic as the whole (so the same actions, to the last bit)."""
        if self.shared:
            return self
        return NetworkPolicy(self.shape, self.genomes[agents], shared=False)
