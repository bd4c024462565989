"""NEAT networks as plain data, and a whole population of them run in a few NumPy calls.

A genome record is JSON-ready data: input and output keys (neat-python's convention:
inputs -1, -2, ..., outputs 0, 1, ...), nodes with bias, response, activation and
aggregation, and connections with weight and enabled flag. Live neat-python genomes and
saved champions both become records, and records become `BatchedNetworks`.

neat-python evaluates one network at a time, node by node in Python. Here each
genome's nodes are sorted into the same feed-forward layers neat-python uses
(neat.graphs.feed_forward_layers), and layer d of every genome joins one list of weighted
links: a tick of the whole population is a gather, a multiply and a bincount per layer
(a matrix product when one network acts for many agents). Nodes compute
act(bias + response * aggregate(inputs)) as neat.nn.FeedForwardNetwork does, with
neat-python's own scaled activations; tests check the outputs agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# neat-python's built-in activations, vectorised with its clamps and scalings.
_LAM, _ALPHA = 1.0507009873554804934193349852946, 1.6732632423543772848170429916717
# tanh's scale as a 0-d array: a ufunc takes one about half a microsecond faster than a
# Python float, and with few birds alive a tick is dozens of calls on tiny arrays. The
# same float64 value, so the same results to the bit.
_TANH_SCALE = np.array(2.5)


def _inv(z: np.ndarray) -> np.ndarray:
    safe = np.where(z == 0.0, 1.0, z)
    return np.where(z == 0.0, 0.0, 1.0 / safe)


ACTIVATIONS = {
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-np.clip(5.0 * z, -60.0, 60.0))),
    # neat-python clamps 2.5 z to +-60 first; tanh is exactly +-1.0 from +-19.1 on in
    # double precision, so the clamp cannot change a result and is skipped (a hot path).
    "tanh": lambda z: np.tanh(_TANH_SCALE * z),
    "sin": lambda z: np.sin(np.clip(5.0 * z, -60.0, 60.0)),
    "gauss": lambda z: np.exp(-5.0 * np.clip(z, -3.4, 3.4) ** 2),
    "relu": lambda z: np.where(z > 0.0, z, 0.0),
    "elu": lambda z: np.where(z > 0.0, z, np.exp(np.minimum(z, 0.0)) - 1),
    "lelu": lambda z: np.where(z > 0.0, z, 0.005 * z),
    "selu": lambda z: np.where(z > 0.0, _LAM * z, _LAM * _ALPHA * (np.exp(np.minimum(z, 0.0)) - 1)),
    "softplus": lambda z: 0.2 * np.log(1 + np.exp(np.clip(5.0 * z, -60.0, 60.0))),
    "identity": lambda z: z,
    "clamped": lambda z: np.clip(z, -1.0, 1.0),
    "inv": _inv,
    "log": lambda z: np.log(np.maximum(1e-7, z)),
    "exp": lambda z: np.exp(np.clip(z, -60.0, 60.0)),
    "abs": np.abs,
    "hat": lambda z: np.maximum(0.0, 1 - np.abs(z)),
    "square": lambda z: z**2,
    "cube": lambda z: z**3,
}
ACTIVATION_NAMES = tuple(ACTIVATIONS)
# Those whose results lie in [-1, 1] (or are NaN, set to 0 after): no clamp needed.
BOUNDED_ACTIVATIONS = frozenset({"sigmoid", "tanh", "sin", "gauss", "clamped", "hat"})
# Aggregations that are linear in the inputs, so a layer is one weighted sum.
AGGREGATIONS = ("sum", "mean")
_LARGEST = np.finfo(np.float64).max  # where np.nan_to_num puts an infinity
# The clamps as 0-d arrays, which a ufunc takes faster than a Python float or a NumPy
# scalar (see _TANH_SCALE).
_HIGHEST, _LOWEST = np.array(_LARGEST), np.array(-_LARGEST)
MAX_NODES = 10_000  # a saved genome larger than this is refused, not built
MAX_CONNECTIONS = 100_000
# Evolved networks are a few layers deep; every layer is a step of each frame's work.
MAX_DEPTH = 100


# -- records ------------------------------------------------------------------------


def record_from_genome(genome: Any, config: Any) -> dict[str, Any]:
    """A neat-python DefaultGenome as a JSON-ready record."""
    genome_config = config.genome_config
    return {
        "inputs": list(genome_config.input_keys),
        "outputs": list(genome_config.output_keys),
        "nodes": [
            {
                "key": int(key),
                "bias": float(node.bias),
                "response": float(node.response),
                "activation": str(node.activation),
                "aggregation": str(node.aggregation),
            }
            for key, node in sorted(genome.nodes.items())
        ],
        "connections": [
            {
                "in": int(key[0]),
                "out": int(key[1]),
                "weight": float(conn.weight),
                "enabled": bool(conn.enabled),
            }
            for key, conn in genome.connections.items()
        ],
    }


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{where} must be a finite number, got {value!r}")
    return float(value)


def _whole(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where} must be a whole number, got {value!r}")
    return value


def check_record(record: Any, n_inputs: int, n_outputs: int) -> dict[str, Any]:
    """The record if it is a well-formed network of this shape, else ValueError (one line)."""
    if not isinstance(record, dict):
        raise ValueError("genome must be a JSON object")
    for key in ("inputs", "outputs", "nodes", "connections"):
        if not isinstance(record.get(key), list):
            raise ValueError(f"genome.{key} must be a list")
    inputs = [_whole(k, "genome.inputs[]") for k in record["inputs"]]
    outputs = [_whole(k, "genome.outputs[]") for k in record["outputs"]]
    if inputs != [-i - 1 for i in range(n_inputs)]:
        raise ValueError(
            f"genome.inputs must be -1..-{n_inputs} for this scene's {n_inputs} inputs"
        )
    if outputs != list(range(n_outputs)):
        raise ValueError(f"genome.outputs must be 0..{n_outputs - 1} for {n_outputs} actions")
    if len(record["nodes"]) > MAX_NODES or len(record["connections"]) > MAX_CONNECTIONS:
        raise ValueError("genome is too large to be a NEAT network")
    nodes: dict[int, dict] = {}
    for i, node in enumerate(record["nodes"]):
        where = f"genome.nodes[{i}]"
        if not isinstance(node, dict):
            raise ValueError(f"{where} must be a JSON object")
        key = _whole(node.get("key"), f"{where}.key")
        if key < 0 or key in nodes:
            raise ValueError(f"{where}.key {key} is negative or repeated")
        if node.get("activation") not in ACTIVATIONS:
            raise ValueError(f"{where}.activation must be one of {', '.join(ACTIVATION_NAMES)}")
        if node.get("aggregation") not in AGGREGATIONS:
            raise ValueError(f"{where}.aggregation must be one of {', '.join(AGGREGATIONS)}")
        nodes[key] = {
            "key": key,
            "bias": _number(node.get("bias"), f"{where}.bias"),
            "response": _number(node.get("response"), f"{where}.response"),
            "activation": node["activation"],
            "aggregation": node["aggregation"],
        }
    missing = [k for k in outputs if k not in nodes]
    if missing:
        raise ValueError(f"genome has no node for output {missing[0]}")
    seen, connections = set(), []
    for i, conn in enumerate(record["connections"]):
        where = f"genome.connections[{i}]"
        if not isinstance(conn, dict):
            raise ValueError(f"{where} must be a JSON object")
        a, b = _whole(conn.get("in"), f"{where}.in"), _whole(conn.get("out"), f"{where}.out")
        if (a not in nodes and a not in inputs) or b not in nodes:
            raise ValueError(f"{where} joins {a} to {b}, which are not both nodes of the genome")
        if (a, b) in seen:
            raise ValueError(f"{where} repeats the connection {a} -> {b}")
        if not isinstance(conn.get("enabled"), bool):
            raise ValueError(f"{where}.enabled must be true or false")
        seen.add((a, b))
        weight = _number(conn.get("weight"), f"{where}.weight")
        connections.append({"in": a, "out": b, "weight": weight, "enabled": conn["enabled"]})
    checked = {
        "inputs": inputs,
        "outputs": outputs,
        "nodes": list(nodes.values()),
        "connections": connections,
    }
    depth = len(layers_of(checked))
    if depth > MAX_DEPTH:
        raise ValueError(f"genome is {depth} layers deep; a NEAT network may have {MAX_DEPTH}")
    return checked


def layers_of(record: dict[str, Any]) -> list[list[int]]:
    """The nodes neat-python evaluates, in the feed-forward layers
    neat.graphs.feed_forward_layers gives (sorted for stability), found in time linear in
    the connections: neat-python's own rescans every connection per layer, which takes
    tens of seconds for a hostile genome thousands of layers deep.

    As there: only nodes an output depends on; required nodes without incoming links
    ("bias neurons") form a first layer of their own; a node's layer is one past its
    deepest non-input source; nodes in or behind a cycle are never evaluated."""
    inputs = set(record["inputs"])
    links = [(c["in"], c["out"]) for c in record["connections"] if c["enabled"]]
    sources: dict[int, list[int]] = {}
    for a, b in links:
        sources.setdefault(b, []).append(a)
    required = set(record["outputs"])
    stack = list(required)
    while stack:
        for a in sources.get(stack.pop(), ()):
            if a not in inputs and a not in required:
                required.add(a)
                stack.append(a)
    waiting = {n: sum(a not in inputs for a in sources.get(n, ())) for n in required}
    users: dict[int, list[int]] = {}
    for a, b in links:
        if b in required and a not in inputs:
            users.setdefault(a, []).append(b)
    bias = {n for n in required if n not in sources}
    level = {n: 0 if n in bias else 1 for n in required}
    ready = [n for n in required if waiting[n] == 0]
    while ready:
        node = ready.pop()
        for user in users.get(node, ()):
            level[user] = max(level[user], level[node] + 1)
            waiting[user] -= 1
            if waiting[user] == 0:
                ready.append(user)
    first = 0 if bias else 1
    layers: list[list[int]] = []
    for node in sorted(n for n in required if waiting[n] == 0):
        at = level[node] - first
        while len(layers) <= at:
            layers.append([])
        layers[at].append(node)
    return layers


# -- the batched population -----------------------------------------------------------


@dataclass(frozen=True)
class _Layer:
    weights: np.ndarray  # [len(rows), width], for one network acting for every agent
    rows: np.ndarray  # the value slots that one network's layer reads
    sources: np.ndarray  # for P networks: links as indices into values[P, slots].ravel()
    sinks: np.ndarray  # ... into the layer's [P, width] results
    link_weights: np.ndarray
    bias: np.ndarray  # [P, width]
    response: np.ndarray  # [P, width]
    targets: np.ndarray  # [P, width]: the slot each result is written to
    flat_targets: np.ndarray  # the same as indices into values[P, slots].ravel()
    activations: tuple[tuple[str, np.ndarray | None], ...]  # (name, mask [P, width] or None)
    # What a layer may skip, to the same bits: the multiply when every response is 1.0
    # (1.0 * x is x), the clamp to +-_LARGEST when every activation is bounded.
    unit_response: bool = field(init=False)
    bounded: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit_response", bool(np.all(self.response == 1.0)))
        bounded = all(name in BOUNDED_ACTIVATIONS for name, _ in self.activations)
        object.__setattr__(self, "bounded", bounded)


class BatchedNetworks:
    """P feed-forward NEAT networks. `outputs(obs)` runs network p on observation row p; with
    one network, it runs that network on every row."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        if not records:
            raise ValueError("no networks to build")
        self.n_inputs = len(records[0]["inputs"])
        self.n_outputs = len(records[0]["outputs"])
        self.count = len(records)
        # One network acting for every agent runs as matrix products; several, as one
        # weighted sum over all their links (`subset` keeps that even for one network).
        self.single = self.count == 1
        plans = [_plan(record) for record in records]
        hidden = max(len(plan[0]) for plan in plans) - self.n_inputs - self.n_outputs
        # Slots: inputs, outputs, hidden nodes, then one scratch slot for padding.
        self.slots = self.n_inputs + self.n_outputs + hidden + 1
        depth = max(len(plan[1]) for plan in plans)
        self._nodes = [{n["key"]: n for n in record["nodes"]} for record in records]
        self.layers = [self._layer(records, plans, d) for d in range(depth)]

    def _layer(self, records: list[dict], plans: list, d: int) -> _Layer:
        count, scratch = self.count, self.slots - 1
        width = max((len(plan[1][d]) if d < len(plan[1]) else 0) for plan in plans)
        sources: list[int] = []
        sinks: list[int] = []
        link_weights: list[float] = []
        bias = np.zeros((count, width))
        response = np.ones((count, width))
        targets = np.full((count, width), scratch, dtype=np.intp)
        names = np.full((count, width), "identity", dtype=object)
        for p, (nodes, (slot_of, layers, incoming)) in enumerate(
            zip(self._nodes, plans, strict=True)
        ):
            if d >= len(layers):
                continue
            for k, key in enumerate(layers[d]):
                node = nodes[key]
                links = incoming.get(key, [])
                scale = 1.0 / len(links) if node["aggregation"] == "mean" and links else 1.0
                for source, weight in links:
                    sources.append(p * self.slots + slot_of[source])
                    sinks.append(p * width + k)
                    link_weights.append(weight * scale)
                bias[p, k], response[p, k] = node["bias"], node["response"]
                targets[p, k], names[p, k] = slot_of[key], node["activation"]
        # Padding columns write to the scratch slot: give them a real node's activation,
        # so a layer of one activation is one call, not a masked one per name.
        real = names[targets != scratch]
        if len(real):
            names[targets == scratch] = real[0]
        present = sorted(set(names.ravel().tolist())) or ["identity"]
        if len(present) == 1:
            activations = ((present[0], None),)
        else:
            activations = tuple((name, names == name) for name in present)
        flat = (np.arange(count)[:, None] * self.slots + targets).ravel()
        # One network: only the slots this layer reads, so a wide or deep genome's
        # matrices stay the size of its links, not slots x width per layer.
        rows, row_of = np.unique(np.array(sources, dtype=np.intp), return_inverse=True)
        weights = np.zeros((len(rows) if count == 1 else 0, width))
        if count == 1:
            np.add.at(weights, (row_of, np.array(sinks, dtype=np.intp)), link_weights)
        return _Layer(
            weights,
            rows,
            np.array(sources, dtype=np.intp),
            np.array(sinks, dtype=np.intp),
            np.array(link_weights, dtype=np.float64),
            bias,
            response,
            targets,
            flat,
            activations,
        )

    def outputs(self, observations: np.ndarray) -> np.ndarray:
        """Outputs[N, n_outputs] for observations[N, n_inputs]."""
        rows = len(observations)
        if not (self.single or self.count == rows):
            raise ValueError(f"{self.count} networks cannot act for {rows} agents")
        values = np.zeros((rows, self.slots))
        values[:, : self.n_inputs] = observations
        flat = values.reshape(-1)  # the same memory, gathered and scattered by flat index
        # A genome may scale by up to 1e308: overflow gives inf, inf - inf gives NaN;
        # neither may print warnings mid-game, and outputs stay finite (NaN counts as 0)
        # so the largest is a defined action.
        with np.errstate(all="ignore"):
            for layer in self.layers:
                if self.single:
                    total = values[:, layer.rows] @ layer.weights
                else:  # one weighted sum over every link of every network: cheaper than P matmuls
                    contributions = flat.take(layer.sources) * layer.link_weights
                    total = np.bincount(layer.sinks, contributions, minlength=layer.bias.size)
                    total = total.reshape(layer.bias.shape)
                if layer.unit_response:
                    z = layer.bias + total
                else:
                    z = layer.bias + layer.response * total
                if layer.activations[0][1] is None:
                    result = ACTIVATIONS[layer.activations[0][0]](z)
                else:
                    result = np.zeros_like(z)
                    for name, mask in layer.activations:  # on other nodes' z too: masked out
                        result = np.where(mask, ACTIVATIONS[name](z), result)
                # Saturate, so one network's matrix (zeros where links are absent) gives
                # what the batched sum gives: inf * 0 would be NaN there. (What
                # np.nan_to_num does, in three ufunc calls rather than its dozen.)
                if not layer.bounded:
                    np.minimum(np.maximum(result, _LOWEST, out=result), _HIGHEST, out=result)
                result[np.isnan(result)] = 0.0
                if self.single:
                    values[:, layer.targets[0]] = result
                else:  # a flat scatter is an order of magnitude cheaper than values[i, j] = r
                    flat.put(layer.flat_targets, result)
        return values[:, self.n_inputs : self.n_inputs + self.n_outputs]

    def subset(self, networks: np.ndarray) -> BatchedNetworks:
        """These networks alone (sorted indices), network i of the result being
        networks[i] here. Their links keep their order, so each node sums its inputs in
        the same order and gives the same outputs to the last bit."""
        if self.single:
            return self
        part = object.__new__(BatchedNetworks)
        part.n_inputs, part.n_outputs, part.slots = self.n_inputs, self.n_outputs, self.slots
        part.count, part.single = len(networks), False
        part._nodes = [self._nodes[i] for i in networks]
        part.layers = [self._layer_subset(layer, networks) for layer in self.layers]
        return part

    def _layer_subset(self, layer: _Layer, networks: np.ndarray) -> _Layer:
        width = layer.bias.shape[1]
        owner = layer.sources // self.slots  # the network of each link
        keep = np.isin(owner, networks)
        place = np.searchsorted(networks, owner[keep])  # its index in the subset
        targets = layer.targets[networks]
        return _Layer(
            layer.weights,
            layer.rows,
            place * self.slots + layer.sources[keep] % self.slots,
            place * width + layer.sinks[keep] % width,
            layer.link_weights[keep],
            layer.bias[networks],
            layer.response[networks],
            targets,
            (np.arange(len(networks))[:, None] * self.slots + targets).ravel(),
            tuple(
                (name, None if mask is None else mask[networks]) for name, mask in layer.activations
            ),
        )


def _plan(record: dict[str, Any]) -> tuple[dict[int, int], list[list[int]], dict[int, list]]:
    """(slot of each node, layers of evaluated nodes, incoming (source, weight) per node),
    keeping only links neat.nn.FeedForwardNetwork keeps: enabled ones from inputs or
    from nodes required for the outputs."""
    n_in = len(record["inputs"])
    slot_of = {key: i for i, key in enumerate(record["inputs"])}
    slot_of.update({key: n_in + i for i, key in enumerate(record["outputs"])})
    layers = layers_of(record)
    evaluated = {key for layer in layers for key in layer}
    for key in sorted(evaluated - set(slot_of)):
        slot_of[key] = len(slot_of)
    usable = set(record["inputs"]) | evaluated
    incoming: dict[int, list] = {}
    for c in record["connections"]:
        if c["enabled"] and c["out"] in evaluated and c["in"] in usable:
            incoming.setdefault(c["out"], []).append((c["in"], c["weight"]))
    return slot_of, layers, incoming


class NEATPolicy:
    """Network p acts for agent p (one network acts for every agent): argmax of outputs."""

    def __init__(self, networks: BatchedNetworks) -> None:
        self.networks = networks

    def act(self, observations: np.ndarray) -> np.ndarray:
        # outputs() copies the observations into float64 slots: no conversion first.
        return self.networks.outputs(observations).argmax(axis=1)

    def subset(self, agents: np.ndarray) -> NEATPolicy:
        """The networks of these agents alone, row i acting for agent agents[i]."""
        return self if self.networks.single else NEATPolicy(self.networks.subset(agents))
