"""What the policy-gradient brains share: an actor and a critic, their losses, and
generalised advantage estimation.

The actor maps an observation to a logit per action (a softmax policy); the critic to
the state's value. Two separate MLPs with tanh hidden layers and orthogonal weights, as
Stable-Baselines3's MlpPolicy builds them (the output layers start small, gain 0.01 for
the actor and 1 for the critic, so the first policy is near uniform). They are FlatMLPs
(brains/flat_mlp.py), one tensor of weights each with the backward pass written out:
for networks this small, autograd's bookkeeping costs more than the arithmetic.

The losses are also written as functions of tensors, through autograd: the reference the
written-out gradients are checked against (tests/test_policy_gradient.py), and TRPO's
surrogate and KL, which it differentiates twice.

torch is imported by the brains that use this module when they are built, never when it
is imported: the window opens fast when no such brain runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from brains.flat_mlp import FlatMLP


def gae(
    rewards: np.ndarray,
    values: np.ndarray,
    next_values: np.ndarray,
    terminated: np.ndarray,
    ends: np.ndarray,
    gamma: float,
    lam: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Generalised advantage estimation (Schulman et al. 2016) over sequences laid end to
    end: (advantages, returns). Transition t pays rewards[t] and leads to a state worth
    next_values[t] unless the episode `terminated` there; `ends[t]` marks the last
    transition of a sequence (an episode's end, a time limit, or the edge of the batch),
    where the sum of discounted TD errors stops. lam=1 gives Monte-Carlo returns (with a
    bootstrap only where a sequence was cut), lam=0 one-step TD."""
    deltas = rewards + gamma * (1.0 - terminated) * next_values - values
    advantages = np.zeros_like(deltas)
    carry = 0.0
    for t in range(len(deltas) - 1, -1, -1):
        if ends[t]:
            carry = 0.0
        carry = deltas[t] + gamma * lam * carry
        advantages[t] = carry
    return advantages, advantages + values


def orthogonal_(net: FlatMLP, gain: float) -> None:
    """Orthogonal weights (sqrt 2 for hidden layers, `gain` for the last), zero biases:
    SB3's initialisation, under which the first policy is near uniform."""
    last = len(net.layers) - 1
    for index, (weight, bias) in enumerate(net.layers):
        net.torch.nn.init.orthogonal_(weight, gain=gain if index == last else math.sqrt(2))
        bias.zero_()


class ActorCritic:
    """The two networks, the input scaling both see, and the gradients of their losses
    written out (checked against autograd's in tests/test_policy_gradient.py)."""

    def __init__(
        self, torch: Any, obs_dim: int, n_actions: int, hidden: list[int], scale=None
    ) -> None:
        self.torch = torch
        self.actor = FlatMLP(torch, [obs_dim, *hidden, n_actions], activation="tanh")
        self.critic = FlatMLP(torch, [obs_dim, *hidden, 1], activation="tanh")
        orthogonal_(self.actor, 0.01)
        orthogonal_(self.critic, 1.0)
        self.scale = None if scale is None else torch.tensor(scale, dtype=torch.float32)

    def inputs(self, observations: np.ndarray) -> Any:
        tensor = self.torch.as_tensor(observations, dtype=self.torch.float32)
        return tensor if self.scale is None else tensor / self.scale

    def logits(self, inputs: Any) -> Any:
        return self.actor(inputs)

    def values(self, inputs: Any) -> Any:
        return self.critic(inputs).squeeze(-1)

    def policy_gradient(
        self, inputs: Any, actions: Any, weights: Callable[[Any], tuple[Any, Any]], ent_coef: float
    ) -> tuple[Any, float, float]:
        """(d loss / d actor weights, loss, mean entropy) for a policy loss whose derivative
        by each row's log pi(a|s) is -w / n, where `weights(log_probs)` gives (w, loss);
        minus ent_coef times the mean entropy is added to the loss."""
        torch = self.torch
        forward = self.actor.forward(inputs)
        logp = torch.log_softmax(forward.output, dim=-1)
        p = logp.exp()
        chosen = logp.gather(1, actions[:, None]).squeeze(1)
        w, loss = weights(chosen)
        n = len(actions)
        onehot = torch.zeros_like(p).scatter_(1, actions[:, None], 1.0)
        grad = (onehot - p).mul_((-w / n)[:, None])  # d log pi(a) / d logits = onehot - p
        h = -(p * logp).sum(1)
        if ent_coef:  # d H / d logits_j = -p_j (log p_j + H); the loss subtracts ent_coef H
            grad += (ent_coef / n) * p * (logp + h[:, None])
        mean_h = float(h.mean())
        return self.actor.gradient(forward, grad).clone(), float(loss) - ent_coef * mean_h, mean_h

    def value_gradient(
        self, inputs: Any, returns: Any, old_values: Any = None, clip: float = 0.0
    ) -> tuple[Any, float]:
        """(d loss / d critic weights, loss) for value_loss below."""
        torch = self.torch
        forward = self.critic.forward(inputs)
        v = forward.output.squeeze(1)
        n = len(v)
        error = v - returns
        if clip and old_values is not None:
            change = v - old_values
            kept_error = old_values + change.clamp(-clip, clip) - returns
            use_kept = kept_error.square() > error.square()
            inside = change.abs() < clip
            slope = torch.where(use_kept, kept_error * inside, error)
            loss = torch.maximum(error.square(), kept_error.square()).mean()
        else:
            slope, loss = error, error.square().mean()
        grad = (2.0 / n) * slope[:, None]
        return self.critic.gradient(forward, grad).clone(), float(loss)

    def state_dict(self) -> dict[str, Any]:
        return {"actor": self.actor.state_dict(), "critic": self.critic.state_dict()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        if not isinstance(state, dict) or not {"actor", "critic"} <= set(state):
            raise ValueError("the networks' state needs an actor and a critic")
        self.actor.load_state_dict(state["actor"])
        self.critic.load_state_dict(state["critic"])


def clip_jointly(grads: list[Any], max_norm: float) -> float:
    """Scale the gradients together so that their joint norm is at most `max_norm`, as
    torch's clip_grad_norm_ does over all of a model's parameters."""
    norm = math.sqrt(sum(float(g.square().sum()) for g in grads))
    if norm + 1e-6 > max_norm:
        for g in grads:
            g.mul_(max_norm / (norm + 1e-6))
    return norm


def log_probs(torch: Any, logits: Any, actions: Any) -> Any:
    """log pi(a|s) of the actions taken."""
    return torch.log_softmax(logits, dim=-1).gather(-1, actions.unsqueeze(-1)).squeeze(-1)


def entropy(torch: Any, logits: Any) -> Any:
    """The policy's entropy in each state, in nats."""
    logp = torch.log_softmax(logits, dim=-1)
    return -(logp.exp() * logp).sum(-1)


def kl_divergence(torch: Any, old_logits: Any, new_logits: Any) -> Any:
    """KL(old || new) in each state: how far the new policy moved from the old."""
    old = torch.log_softmax(old_logits, dim=-1)
    new = torch.log_softmax(new_logits, dim=-1)
    return (old.exp() * (old - new)).sum(-1)


def policy_gradient_loss(torch: Any, logits: Any, actions: Any, advantages: Any) -> Any:
    """REINFORCE and A2C: -mean(log pi(a|s) A); its gradient is the policy gradient."""
    return -(log_probs(torch, logits, actions) * advantages).mean()


def clipped_surrogate_loss(
    torch: Any, logits: Any, actions: Any, advantages: Any, old_log_probs: Any, clip: float
) -> Any:
    """PPO (Schulman et al. 2017): -mean(min(r A, clip(r, 1-e, 1+e) A)), r the ratio of
    the new policy's probability of the action to the old one's."""
    ratio = (log_probs(torch, logits, actions) - old_log_probs).exp()
    clipped = ratio.clamp(1.0 - clip, 1.0 + clip)
    return -torch.minimum(ratio * advantages, clipped * advantages).mean()


def surrogate(torch: Any, logits: Any, actions: Any, advantages: Any, old_log_probs: Any) -> Any:
    """TRPO's objective, to maximise: mean(r A), r = pi_new(a|s) / pi_old(a|s)."""
    return ((log_probs(torch, logits, actions) - old_log_probs).exp() * advantages).mean()


def value_loss(
    torch: Any, values: Any, returns: Any, old_values: Any = None, clip: float = 0.0
) -> Any:
    """The critic's squared error; with `clip`, PPO's clipped variant (the larger of the
    plain error and the error of the value kept within `clip` of its old estimate)."""
    plain = (values - returns).square()
    if not clip or old_values is None:
        return plain.mean()
    kept = old_values + (values - old_values).clamp(-clip, clip)
    return torch.maximum(plain, (kept - returns).square()).mean()


def flat_grad(torch: Any, output: Any, parameters: list[Any], **kwargs: Any) -> Any:
    """d output / d parameters, as one flat vector."""
    grads = torch.autograd.grad(output, parameters, **kwargs)
    return torch.cat([g.reshape(-1) for g in grads])


def conjugate_gradient(product: Any, b: Any, iterations: int, tolerance: float = 1e-10) -> Any:
    """Solve A x = b for a symmetric positive definite A known only by `product(v) = A v`
    (TRPO's Fisher-vector product), in at most `iterations` steps."""
    x = b.clone().zero_()
    r = b.clone()
    p = b.clone()
    rr = r.dot(r)
    for _ in range(iterations):
        ap = product(p)
        alpha = rr / p.dot(ap)
        x += alpha * p
        r -= alpha * ap
        new_rr = r.dot(r)
        if new_rr < tolerance:
            break
        p = r + (new_rr / rr) * p
        rr = new_rr
    return x
