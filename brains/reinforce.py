"""REINFORCE with a learned baseline (Williams 1992; Sutton and Barto 2018, section 13.4).

Once `episodes` episodes have ended (over all the agents), the policy steps along
    mean over their steps of  grad log pi(a_t|s_t) (G_t - V(s_t)),
G_t the discounted return from step t to the episode's end (Monte-Carlo: nothing
bootstraps, except from the critic's value where a time limit cut an episode short),
and the critic V learns to predict G_t. Subtracting V leaves the gradient's mean alone
and shrinks its variance, which is what makes it learn in hundreds of episodes rather
than thousands.
"""

from __future__ import annotations

from dataclasses import dataclass

from brains.actor_critic import clip_jointly
from brains.on_policy import Batch, OnPolicyLearner, OnPolicySettings


@dataclass
class ReinforceSettings(OnPolicySettings):
    lr: float = 3e-3
    episodes: int = 8  # whole episodes per update
    critic_steps: int = 5  # the baseline's gradient steps per update (it lags otherwise)

    def check(self) -> str | None:
        if self.episodes < 1 or self.critic_steps < 1:
            return "episodes and critic_steps must be 1 or more"
        return super().check()


class Reinforce(OnPolicyLearner):
    name = "reinforce"
    title = "REINFORCE with baseline"
    Settings = ReinforceSettings
    whole_episodes = True

    def learn(self, batch: Batch) -> None:
        s, net = self.settings, self.net
        advantages = self.normalized(batch.advantages)

        def weights(log_probs):  # the loss -mean(log pi(a|s) A)
            return advantages, -(log_probs * advantages).mean()

        grad, policy, _ = net.policy_gradient(batch.inputs, batch.actions, weights, s.ent_coef)
        clip_jointly([grad], s.max_grad_norm)
        self.optimizers["actor"].step(net.actor.params, grad, s.lr)
        for _ in range(s.critic_steps):
            critic = self.critic_step(batch.inputs, batch.returns, s.lr)
        self.record(batch, policy_loss=policy, value_loss=critic)
