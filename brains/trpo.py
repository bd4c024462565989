"""Trust region policy optimisation (Schulman et al. 2015).

Every `rollout` transitions (gathered by all the agents at once, the several actors of
the paper) the advantages are estimated by GAE, and the policy takes one natural-gradient
step: the direction s solving F s = g by conjugate gradient, g the surrogate's gradient
and F the Fisher matrix, which is never formed: F v is the gradient of (grad KL . v),
the Hessian of the mean KL divergence from the old policy times v. The step is scaled
to reach the KL limit `max_kl` if the surrogate were quadratic, then a backtracking line
search halves it until the surrogate improves and the mean KL is within the limit; if no
step passes, the policy stays where it was. The critic learns by Adam on the squared
error, `critic_steps` minibatch steps per update.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from brains.actor_critic import conjugate_gradient, flat_grad, kl_divergence, surrogate
from brains.flat_mlp import FlatAdam
from brains.on_policy import Batch, OnPolicyLearner, OnPolicySettings


@dataclass
class TRPOSettings(OnPolicySettings):
    rollout: int = 1_024
    lr: float = 1e-3  # the critic's Adam rate
    lam: float = 0.98
    max_kl: float = 0.01  # the trust region: mean KL(old || new) after a step at most this
    cg_iters: int = 10
    cg_damping: float = 0.1  # F + damping I: keeps conjugate gradient stable
    line_search: int = 10  # halvings of the step at most
    critic_steps: int = 20
    critic_batch: int = 128

    def check(self) -> str | None:
        if not self.max_kl > 0 or self.cg_damping < 0:
            return "max_kl must be above 0 and cg_damping 0 or more"
        if min(self.cg_iters, self.line_search, self.critic_steps, self.critic_batch) < 1:
            return "cg_iters, line_search, critic_steps and critic_batch must be 1 or more"
        return super().check()


class TRPO(OnPolicyLearner):
    name = "trpo"
    title = "TRPO"
    Settings = TRPOSettings
    charts_kl = True

    def make_optimizers(self) -> dict:
        return {"critic": FlatAdam(self.torch, len(self.net.critic.params))}

    def learn(self, batch: Batch) -> None:
        advantages = self.normalized(batch.advantages)
        kl, gain = self.policy_step(batch, advantages)
        for _ in range(self.settings.critic_steps):
            rows = self.torch.as_tensor(
                self.rng.choice(len(batch), min(self.settings.critic_batch, len(batch)))
            )
            critic = self.critic_step(batch.inputs[rows], batch.returns[rows], self.settings.lr)
        self.record(batch, policy_loss=-gain, value_loss=critic, kl=kl)

    def policy_step(self, batch: Batch, advantages: Any) -> tuple[float, float]:
        """The natural-gradient step under the KL limit: (the mean KL it took, the
        surrogate after it). Through autograd, on a copy of the actor's weights."""
        torch, s, actor = self.torch, self.settings, self.net.actor
        old = actor.params.clone()
        with torch.enable_grad():
            theta = old.clone().requires_grad_(True)

            def objective(weights: Any) -> Any:
                logits = actor.apply(weights, batch.inputs)
                return surrogate(torch, logits, batch.actions, advantages, batch.old_log_probs)

            before = objective(theta)
            g = flat_grad(torch, before, [theta])
            if not bool(torch.isfinite(g).all()) or float(g.norm()) == 0.0:
                return 0.0, float(before.detach())
            kl = kl_divergence(torch, batch.old_logits, actor.apply(theta, batch.inputs)).mean()
            grad_kl = flat_grad(torch, kl, [theta], create_graph=True)

            def fisher(v: Any) -> Any:  # (F + damping I) v
                return flat_grad(torch, grad_kl.dot(v), [theta], retain_graph=True) + (
                    s.cg_damping * v
                )

            direction = conjugate_gradient(fisher, g, s.cg_iters)
            curvature = float(direction.dot(fisher(direction)))
        if not curvature > 0:
            return 0.0, float(before.detach())
        full = direction.detach() * (2 * s.max_kl / curvature) ** 0.5
        baseline = float(before.detach())
        for halving in range(s.line_search):
            candidate = old + full * 0.5**halving
            logits = actor.apply(candidate, batch.inputs)
            step_kl = float(kl_divergence(torch, batch.old_logits, logits).mean())
            gain = float(surrogate(torch, logits, batch.actions, advantages, batch.old_log_probs))
            if step_kl <= s.max_kl and gain > baseline:
                actor.params.copy_(candidate)
                return step_kl, gain
        return 0.0, baseline  # no step kept the policy in the region and improved it
