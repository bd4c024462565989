"""Proximal policy optimisation with the clipped surrogate (Schulman et al. 2017).

Every `rollout` transitions the advantages are estimated by GAE, then `epochs` passes
over the batch, in shuffled minibatches of `batch`, step the actor and the critic along
    -min(r A, clip(r, 1 - clip, 1 + clip) A) + vf_coef (V - R)^2 - ent_coef H,
r = pi(a|s) / pi_old(a|s): the clip takes away any gain from moving a probability more
than `clip` from where the batch was gathered, so many epochs can reuse one batch
safely. Optional: the critic's change clipped too (`clip_value`), and the epochs stopped
early once the policy has moved more than `target_kl` from the old one (mean KL).

On CartPole the defaults are rl-baselines3-zoo's (hyperparams/ppo.yml), with the rate
and the clip falling linearly over `anneal_steps` as the zoo's `lin_` schedules do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from brains.actor_critic import kl_divergence
from brains.on_policy import Batch, OnPolicyLearner, OnPolicySettings

MIN_ANNEAL = 0.05  # an annealed rate and clip stop at this share: training can go on


@dataclass
class PPOSettings(OnPolicySettings):
    rollout: int = 2_048
    batch: int = 64  # minibatch size
    epochs: int = 10
    clip: float = 0.2
    clip_value: float = 0.0  # 0: the critic's change is not clipped
    target_kl: float = 0.0  # 0: no early stop; else stop the epochs past this mean KL
    anneal_steps: int = 0  # 0: constant rate and clip; else they fall linearly over these steps

    def check(self) -> str | None:
        if self.batch < 1 or self.epochs < 1:
            return "batch and epochs must be 1 or more"
        if not 0 < self.clip < 1:
            return f"clip must be between 0 and 1, got {self.clip}"
        if self.clip_value < 0 or self.target_kl < 0 or self.anneal_steps < 0:
            return "clip_value, target_kl and anneal_steps must be 0 or more"
        return super().check()


class PPO(OnPolicyLearner):
    name = "ppo"
    title = "PPO"
    Settings = PPOSettings
    charts_kl = True
    scene_defaults: ClassVar[dict[str, dict[str, str]]] = {
        "cartpole": {
            "input_scale": "2.4/2/0.21/2",
            "rollout": "256",  # 32 steps of 8 agents
            "batch": "256",
            "epochs": "20",
            "gamma": "0.98",
            "lam": "0.8",
            "lr": "1e-3",
            "anneal_steps": "100000",
        },
    }

    def progress(self) -> float:
        """The share of the rate and the clip in force now."""
        anneal = self.settings.anneal_steps
        if not anneal:
            return 1.0
        return max(MIN_ANNEAL, 1.0 - self.env_steps / anneal)

    def learn(self, batch: Batch) -> None:
        torch, s, net = self.torch, self.settings, self.net
        share = self.progress()
        lr, clip = s.lr * share, s.clip * share
        n = len(batch)
        kl, stats = 0.0, {}
        for _ in range(s.epochs):
            order = torch.as_tensor(self.rng.permutation(n))
            for start in range(0, n, s.batch):
                rows = order[start : start + s.batch]
                advantages = self.normalized(batch.advantages[rows])
                old_log_probs = batch.old_log_probs[rows]

                def weights(log_probs, advantages=advantages, old=old_log_probs):
                    # -min(r A, clip(r) A): its slope by log pi(a|s) is -r A where the
                    # unclipped term is the smaller, else 0 (the clip holds it flat).
                    ratio = (log_probs - old).exp()
                    plain = ratio * advantages
                    kept = ratio.clamp(1.0 - clip, 1.0 + clip) * advantages
                    w = torch.where(plain <= kept, plain, torch.zeros_like(plain))
                    return w, -torch.minimum(plain, kept).mean()

                stats = self.joint_step(
                    batch.inputs[rows],
                    batch.actions[rows],
                    batch.returns[rows],
                    weights,
                    lr,
                    batch.old_values[rows],
                    s.clip_value,
                )
            kl = float(kl_divergence(torch, batch.old_logits, net.logits(batch.inputs)).mean())
            if s.target_kl and kl > s.target_kl:
                break
        self.stats = {**stats, "kl": kl}
