"""A small ReLU (or tanh) network held in one flat torch tensor, with its gradient written
out, and Adam (or RMSprop) on that one tensor.

Why not torch.nn with autograd: for CartPole's 4-64-64-2 network and a minibatch of 64,
each layer is a few microseconds of arithmetic, while autograd's graph and Adam's loop
over six parameter tensors cost more than that: a whole DQN gradient step takes 0.49 ms
that way and 0.20 ms here (bench/dqn_step). With every weight in one tensor, a step is a
fixed, short list of tensor operations: the forward pass keeping what the backward pass
needs, the backward pass by hand, the norm clip and Adam, each once for the whole
network. Hidden layers may be layer-normalized (no learned scale) before their ReLU.
tests/test_dqn.py checks the gradient against autograd, with and without layer norm, and
the optimizer against torch.optim.Adam.

Saved weights use torch.nn.Sequential's names ("0.weight", "0.bias", "2.weight", ...), so
a state dict of a network without layer norm loads into either.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass
class Pass:
    """A forward pass over a batch, as the backward pass needs it."""

    inputs: list[Any]  # each layer's input (the previous layer's output after ReLU)
    norms: list[tuple[Any, Any]]  # with layer norm: each hidden layer's (normalized, 1/sigma)
    output: Any

    def rows(self, count: int) -> Pass:
        """The same pass for the first `count` rows of the batch only."""
        return Pass(
            [x[:count] for x in self.inputs],
            [(y[:count], inverse[:count]) for y, inverse in self.norms],
            self.output[:count],
        )


class FlatMLP:
    """Linear layers with ReLU (or tanh) between them; every weight and bias is a view
    into `params`."""

    def __init__(
        self, torch: Any, sizes: list[int], layer_norm: bool = False, activation: str = "relu"
    ) -> None:
        if activation not in ("relu", "tanh"):
            raise ValueError(f"activation must be relu or tanh, got {activation!r}")
        self.torch = torch
        self.sizes = list(sizes)
        self.layer_norm = layer_norm
        self.activation = activation
        self._shapes = []
        shapes = self._shapes
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=False):
            shapes += [(fan_out, fan_in), (fan_out,)]
        self.params = torch.zeros(sum(math.prod(shape) for shape in shapes))
        self.layers = self._views(self.params, shapes)
        for weight, bias in self.layers:  # torch.nn.Linear's default: U(-k, k), k = fan_in^-1/2
            bound = 1.0 / math.sqrt(weight.shape[1])
            weight.uniform_(-bound, bound)
            bias.uniform_(-bound, bound)
        self._grad = torch.zeros_like(self.params)  # reused by every gradient()
        self._grad_layers = self._views(self._grad, shapes)

    @staticmethod
    def _views(flat: Any, shapes: list[tuple[int, ...]]) -> list[tuple[Any, Any]]:
        views, offset = [], 0
        for shape in shapes:
            size = math.prod(shape)
            views.append(flat[offset : offset + size].view(shape))
            offset += size
        return list(zip(views[::2], views[1::2], strict=True))

    def __call__(self, x: Any) -> Any:
        return self.forward(x).output

    def forward(self, x: Any) -> Pass:
        """The output, keeping what the backward pass needs: each layer's input and, with
        layer norm, each hidden layer's normalized values and 1/sigma."""
        torch = self.torch
        inputs, norms = [], []
        last = len(self.layers) - 1
        for index, (weight, bias) in enumerate(self.layers):
            inputs.append(x)
            x = torch.addmm(bias, x, weight.t())
            if index < last:
                if self.layer_norm:  # one fused op that also gives 1/sigma
                    x, _, inverse = torch.native_layer_norm(x, x.shape[1:], None, None, 1e-5)
                    norms.append((x, inverse))
                x = x.relu() if self.activation == "relu" else x.tanh()
        return Pass(inputs, norms, x)

    def apply(self, params: Any, x: Any) -> Any:
        """The output for weights `params` (a flat tensor shaped like this network's),
        through ordinary torch operations, so autograd can differentiate it twice (TRPO's
        Fisher-vector products). No layer norm."""
        layers = self._views(params, self._shapes)
        last = len(layers) - 1
        for index, (weight, bias) in enumerate(layers):
            x = self.torch.addmm(bias, x, weight.t())
            if index < last:
                x = x.relu() if self.activation == "relu" else x.tanh()
        return x

    def gradient(self, forward: Pass, grad_output: Any) -> Any:
        """d(loss)/d(params) as one flat tensor, given a forward pass of a batch and
        d(loss)/d(output) for it. The tensor is this network's own, overwritten by the
        next call."""
        torch = self.torch
        delta = grad_output
        for index in range(len(self.layers) - 1, -1, -1):
            weight = self.layers[index][0]
            grad_weight, grad_bias = self._grad_layers[index]
            torch.mm(delta.t(), forward.inputs[index], out=grad_weight)
            torch.sum(delta, 0, out=grad_bias)
            if index:  # back through the layer, the activation before it and any layer norm
                below = forward.inputs[index]
                if self.activation == "relu":
                    delta = torch.mm(delta, weight).mul_(below > 0)
                else:  # tanh: d tanh(z) / dz = 1 - tanh(z)^2
                    delta = torch.mm(delta, weight).mul_(1.0 - below * below)
                if self.layer_norm:
                    y, inverse = forward.norms[index - 1]
                    delta = (
                        delta - delta.mean(1, keepdim=True) - y * (delta * y).mean(1, keepdim=True)
                    ).mul_(inverse)
        return self._grad

    def copy_from(self, other: FlatMLP, tau: float = 1.0) -> None:
        """Move these weights toward `other`'s by `tau` (1: copy them)."""
        self.params.lerp_(other.params, tau)

    def state_dict(self) -> dict[str, Any]:
        state = {}
        for index, (weight, bias) in enumerate(self.layers):
            state[f"{2 * index}.weight"] = weight.clone()
            state[f"{2 * index}.bias"] = bias.clone()
        return state

    def load_state_dict(self, state: Any) -> None:
        """Copy weights in; ValueError, naming the first mismatch, if they do not fit."""
        expected = self.state_dict()
        if not isinstance(state, dict) or set(state) != set(expected):
            keys = sorted(state) if isinstance(state, dict) else type(state).__name__
            raise ValueError(f"expected layers {sorted(expected)}, found {keys}")
        for key, mine in expected.items():
            theirs = state[key]
            if not isinstance(theirs, self.torch.Tensor) or theirs.shape != mine.shape:
                found = tuple(theirs.shape) if hasattr(theirs, "shape") else type(theirs).__name__
                raise ValueError(f"{key} should have shape {tuple(mine.shape)}, found {found}")
        for index, (weight, bias) in enumerate(self.layers):
            weight.copy_(state[f"{2 * index}.weight"])
            bias.copy_(state[f"{2 * index}.bias"])


def torch_sequential(torch: Any, sizes: list[int], layer_norm: bool = False) -> Any:
    """The same network built from torch.nn layers (fresh weights), the reference the
    tests and bench/dqn_step hold this one against."""
    layers: list[Any] = []
    for fan_in, fan_out in zip(sizes[:-2], sizes[1:-1], strict=True):
        layers.append(torch.nn.Linear(fan_in, fan_out))
        if layer_norm:
            layers.append(torch.nn.LayerNorm(fan_out, elementwise_affine=False))
        layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers, torch.nn.Linear(sizes[-2], sizes[-1]))


def clip_norm_(grad: Any, max_norm: float) -> float:
    """Scale `grad` down to `max_norm` if it is longer, as torch's clip_grad_norm_ does."""
    norm = float(grad.norm())
    if norm + 1e-6 > max_norm:
        grad.mul_(max_norm / (norm + 1e-6))
    return norm


class FlatAdam:
    """Adam (Kingma and Ba 2015) on one flat tensor, step for step as torch.optim.Adam."""

    def __init__(
        self, torch: Any, size: int, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8
    ):
        self.torch = torch
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.steps = 0
        self.exp_avg = torch.zeros(size)
        self.exp_avg_sq = torch.zeros(size)

    def step(self, params: Any, grad: Any, lr: float) -> None:
        self.steps += 1
        self.exp_avg.lerp_(grad, 1.0 - self.beta1)
        self.exp_avg_sq.mul_(self.beta2).addcmul_(grad, grad, value=1.0 - self.beta2)
        correction1 = 1.0 - self.beta1**self.steps
        correction2 = 1.0 - self.beta2**self.steps
        denominator = (self.exp_avg_sq.sqrt() / math.sqrt(correction2)).add_(self.eps)
        params.addcdiv_(self.exp_avg, denominator, value=-lr / correction1)

    def state_dict(self) -> dict[str, Any]:
        return {"step": self.steps, "exp_avg": self.exp_avg, "exp_avg_sq": self.exp_avg_sq}

    def load_state_dict(self, state: Any) -> None:
        """ValueError if `state` is not this optimizer's, for a network of this size.
        torch.optim.Adam's state for the same layers (brains saved before this class
        existed) is flattened in."""
        if isinstance(state, dict) and "param_groups" in state:
            state = self._flatten_torch_adam(state)
        if not isinstance(state, dict) or set(state) != {"step", "exp_avg", "exp_avg_sq"}:
            raise ValueError("the optimizer state is not a flat Adam state")
        steps = state["step"]
        if not isinstance(steps, int) or steps < 0:
            raise ValueError(f"the optimizer's step count must be a whole number, got {steps!r}")
        for key in ("exp_avg", "exp_avg_sq"):
            value = state[key]
            mine = getattr(self, key)
            if not hasattr(value, "shape") or value.shape != mine.shape:
                raise ValueError(f"the optimizer's {key} does not fit this network")
        if not bool((state["exp_avg_sq"] >= 0).all()):
            raise ValueError("the optimizer's exp_avg_sq must not be negative")
        self.steps = steps
        self.exp_avg.copy_(state["exp_avg"])
        self.exp_avg_sq.copy_(state["exp_avg_sq"])

    def _flatten_torch_adam(self, state: dict) -> dict[str, Any]:
        per_parameter = state.get("state")
        if not isinstance(per_parameter, dict) or not per_parameter:
            raise ValueError("the optimizer state is empty or not torch.optim.Adam's")
        try:
            ordered = [per_parameter[key] for key in sorted(per_parameter)]
            return {
                "step": int(ordered[0]["step"]),
                **{
                    key: self.torch.cat([entry[key].reshape(-1) for entry in ordered])
                    for key in ("exp_avg", "exp_avg_sq")
                },
            }
        except (KeyError, TypeError, AttributeError, RuntimeError) as error:
            raise ValueError(f"the optimizer state is not torch.optim.Adam's: {error}") from None


class FlatRMSprop:
    """RMSprop on one flat tensor, step for step as torch.optim.RMSprop (no momentum,
    not centred), as SB3's A2C uses it (alpha 0.99, eps 1e-5)."""

    def __init__(self, torch: Any, size: int, alpha: float = 0.99, eps: float = 1e-5):
        self.alpha, self.eps = alpha, eps
        self.steps = 0
        self.square_avg = torch.zeros(size)

    def step(self, params: Any, grad: Any, lr: float) -> None:
        self.steps += 1
        self.square_avg.mul_(self.alpha).addcmul_(grad, grad, value=1.0 - self.alpha)
        params.addcdiv_(grad, self.square_avg.sqrt().add_(self.eps), value=-lr)

    def state_dict(self) -> dict[str, Any]:
        return {"step": self.steps, "square_avg": self.square_avg}

    def load_state_dict(self, state: Any) -> None:
        if not isinstance(state, dict) or set(state) != {"step", "square_avg"}:
            raise ValueError("the optimizer state is not a flat RMSprop state")
        steps, average = state["step"], state["square_avg"]
        if not isinstance(steps, int) or steps < 0:
            raise ValueError(f"the optimizer's step count must be a whole number, got {steps!r}")
        if not hasattr(average, "shape") or average.shape != self.square_avg.shape:
            raise ValueError("the optimizer's square_avg does not fit this network")
        if not bool((average >= 0).all()):
            raise ValueError("the optimizer's square_avg must not be negative")
        self.steps = steps
        self.square_avg.copy_(average)
