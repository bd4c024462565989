"""Advantage actor-critic, synchronous (A2C; Mnih et al. 2016 made it asynchronous, A3C).

A3C runs parallel workers that each step their own environment and update one shared
network whenever they like. Here the workers are the lanes of one batched scene: every
agent steps at once, and every `rollout` transitions (a few steps of each agent) the
shared networks take one step along
    grad log pi(a|s) A + vf_coef grad (R - V(s))^2 - ent_coef grad H(pi(.|s)),
R the n-step return (rewards to the batch's edge, then the critic's value there) and
A = R - V(s); with lam below 1 the advantages are GAE's. The same gradients as A3C's
without the asynchrony, which OpenAI's baselines found no worse (Wu et al. 2017). The
optimiser is RMSprop, as in the paper and SB3.
"""

from __future__ import annotations

from dataclasses import dataclass

from brains.flat_mlp import FlatRMSprop
from brains.on_policy import Batch, OnPolicyLearner, OnPolicySettings


@dataclass
class A2CSettings(OnPolicySettings):
    lr: float = 7e-4  # RMSprop's rate, as SB3's A2C
    lam: float = 1.0  # 1: plain n-step returns
    rollout: int = 40  # 5 steps of each of 8 agents
    ent_coef: float = 0.01
    normalize_advantage: bool = False


class A2C(OnPolicyLearner):
    name = "a2c"
    title = "A2C"
    Settings = A2CSettings

    def make_optimizers(self) -> dict:
        torch, net = self.torch, self.net
        return {
            "actor": FlatRMSprop(torch, len(net.actor.params)),
            "critic": FlatRMSprop(torch, len(net.critic.params)),
        }

    def learn(self, batch: Batch) -> None:
        advantages = self.normalized(batch.advantages)

        def weights(log_probs):  # the loss -mean(log pi(a|s) A)
            return advantages, -(log_probs * advantages).mean()

        stats = self.joint_step(
            batch.inputs, batch.actions, batch.returns, weights, self.settings.lr
        )
        self.stats = stats
