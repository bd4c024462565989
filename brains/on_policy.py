"""The base of the policy-gradient brains: learners that act with a stochastic policy and
learn from what that very policy just did (REINFORCE, A2C, PPO, TRPO).

Experience arrives one tick at a time from the agents that played it (`Transitions`,
with each row's agent). It is kept per agent, in order, until there is a batch to learn
from: `rollout` transitions for A2C, PPO and TRPO (a sequence cut at the batch's edge
bootstraps from the critic's value of where it stopped), or `episodes` whole episodes
for REINFORCE (the unfinished rest waits for the next batch). The critic's values and the
old policy's log-probabilities are computed when the batch is learnt from, before any
update: no update happens while it is gathered, so they are the ones it was gathered by.

Each algorithm says how it learns from a batch (`learn`), in its own file. The greedy
policy (checks, the champion, saved brains) takes each state's most probable action.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from brains.actor_critic import ActorCritic, clip_jointly, entropy, gae
from brains.base import (
    BrainShape,
    KeepsBestCheck,
    Learner,
    Transitions,
    check_from_meta,
    counter_from_meta,
    shape_from_meta,
    write_brain,
)
from brains.flat_mlp import FlatAdam
from brains.settings import input_scale_problem, layer_sizes_problem, per_observation


@dataclass
class OnPolicySettings:
    hidden: str = "64/64"  # hidden layer sizes of the actor and of the critic, separated by /
    # Each observation is divided by its number here, written like "2.4/2/0.21/2" ("": as
    # they are), so every input reaches the networks at about the same size.
    input_scale: str = ""
    gamma: float = 0.99
    lam: float = 0.95  # GAE's lambda: 1 sums the rewards to the end, 0 bootstraps at once
    lr: float = 3e-4
    rollout: int = 256  # transitions (over all agents) per batch
    ent_coef: float = 0.0  # weight of the entropy bonus: a push to keep exploring
    vf_coef: float = 0.5  # weight of the critic's loss beside the policy's
    max_grad_norm: float = 0.5
    normalize_advantage: bool = True  # advantages scaled to mean 0, deviation 1 per batch
    threads: int = 1  # torch threads: a second does not speed up networks this small

    def check(self) -> str | None:
        problem = layer_sizes_problem(self.hidden) or input_scale_problem(self.input_scale)
        if problem:
            return problem
        for key in ("gamma", "lam"):
            if not 0 <= getattr(self, key) <= 1:
                return f"{key} must be between 0 and 1, got {getattr(self, key)}"
        for key in ("lr", "rollout", "max_grad_norm", "threads"):
            if not getattr(self, key) > 0:
                return f"{key} must be above 0, got {getattr(self, key)}"
        for key in ("ent_coef", "vf_coef"):
            if not getattr(self, key) >= 0:
                return f"{key} must be 0 or more, got {getattr(self, key)}"
        return None

    @property
    def layer_sizes(self) -> list[int]:
        return [int(part) for part in self.hidden.split("/") if part]


@dataclass
class Batch:
    """What one update learns from, as tensors: one row per transition."""

    inputs: Any
    actions: Any
    advantages: Any
    returns: Any
    old_values: Any
    old_logits: Any
    old_log_probs: Any

    def __len__(self) -> int:
        return len(self.actions)


class OnPolicyLearner(KeepsBestCheck, Learner):
    Settings: ClassVar[type] = OnPolicySettings
    default_population = 8
    weights_file = "weights.pt"
    whole_episodes = False  # REINFORCE learns from whole episodes only
    # CartPole's observations are metres, metres per second, radians and radians per
    # second; divided by the track's and the angle's limits and a speed of 2 they reach
    # the networks at about the same size (the DQN's scaling, brains/dqn.py).
    scene_defaults: ClassVar[dict[str, dict[str, str]]] = {
        "cartpole": {"input_scale": "2.4/2/0.21/2"},
    }

    def __init__(self, shape: BrainShape, population: int, seed: int, settings=None) -> None:
        self.settings = s = settings or self.Settings()
        self.shape = shape
        self.envs = population
        import torch

        torch.set_num_threads(s.threads)
        torch.manual_seed(seed)
        self.torch = torch
        scale = None
        if s.input_scale:
            scale = per_observation(s.input_scale, float, "input_scale", shape.obs_dim)
        self.net = ActorCritic(torch, shape.obs_dim, shape.n_actions, s.layer_sizes, scale)
        self.optimizers = self.make_optimizers()
        self.seed_generators(seed)
        self._ticks: list[Transitions] = []  # this batch's experience, tick by tick
        self._gathered = 0  # transitions in it (or, for whole episodes, in finished ones)
        self.env_steps = 0
        self.updates = 0
        self.episodes = 0
        self.best_state: dict[str, Any] | None = None  # the networks at the best check
        self.stats: dict[str, float] = {}  # the last update's entropy, losses, KL ...
        self.watched: np.ndarray | None = None  # action probabilities of agent 0, last act

    # -- what each algorithm provides -----------------------------------------------------

    def make_optimizers(self) -> dict[str, Any]:
        """The optimisers, by name (their states are saved to go on training): Adam for
        each network, with SB3's epsilon."""
        torch, net = self.torch, self.net
        return {
            "actor": FlatAdam(torch, len(net.actor.params), eps=1e-5),
            "critic": FlatAdam(torch, len(net.critic.params), eps=1e-5),
        }

    def learn(self, batch: Batch) -> None:
        """One update from a batch; fills `self.stats`."""
        raise NotImplementedError

    # -- acting -----------------------------------------------------------------------------

    def seed_generators(self, seed: int) -> None:
        self.rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])

    def probabilities(self, observations: np.ndarray) -> np.ndarray:
        logits = self.net.logits(self.net.inputs(observations))
        return self.torch.softmax(logits, dim=-1).double().numpy()

    def act(self, observations: np.ndarray) -> np.ndarray:
        """A draw from the policy for every agent, from this brain's own generator."""
        probs = self.probabilities(observations)
        self.watched = probs[0]
        draws = self.rng.random(len(probs))[:, None]
        return np.minimum((probs.cumsum(axis=1) < draws).sum(axis=1), probs.shape[1] - 1)

    def greedy(self, observations: np.ndarray) -> np.ndarray:
        return self.net.logits(self.net.inputs(observations)).argmax(dim=1).numpy()

    # -- gathering and learning -------------------------------------------------------------

    def observe(self, batch: Transitions) -> None:
        if not len(batch):
            return
        if batch.agents is None:
            batch = Transitions(*(getattr(batch, f) for f in _FIELDS), np.arange(len(batch)))
        self._ticks.append(batch)
        self.env_steps += len(batch)
        if self.whole_episodes:
            self._gathered += int(np.count_nonzero(batch.terminated | batch.truncated))
            ready = self._gathered >= self.settings.episodes
        else:
            self._gathered += len(batch)
            ready = self._gathered >= self.settings.rollout
        if ready:
            self._update()

    def _update(self) -> None:
        fields = {f: np.concatenate([getattr(t, f) for t in self._ticks]) for f in _FIELDS}
        agents = np.concatenate([t.agents for t in self._ticks])
        order = np.argsort(agents, kind="stable")  # each agent's transitions, in order
        fields = {f: v[order] for f, v in fields.items()}
        agents = agents[order]
        done = fields["terminated"] | fields["truncated"]
        last_of_agent = np.r_[agents[1:] != agents[:-1], True]
        self._ticks, self._gathered = [], 0
        if self.whole_episodes:
            # Each agent's transitions after its last finished episode wait for the next batch.
            finished = np.zeros(len(agents), dtype=bool)
            for agent in np.unique(agents):
                rows = np.flatnonzero(agents == agent)
                ends = rows[done[rows]]
                if len(ends):
                    finished[rows[rows <= ends[-1]]] = True
            rest = ~finished
            if rest.any():
                self._ticks = [Transitions(*(fields[f][rest] for f in _FIELDS), agents[rest])]
            fields = {f: v[finished] for f, v in fields.items()}
            agents, done, last_of_agent = agents[finished], done[finished], last_of_agent[finished]
        if not len(agents):
            return
        self.learn(self._batch(fields, done | last_of_agent))
        self.updates += 1

    def _batch(self, fields: dict[str, np.ndarray], ends: np.ndarray) -> Batch:
        torch, s, net = self.torch, self.settings, self.net
        inputs = net.inputs(fields["observations"])
        values = net.values(inputs)
        next_values = net.values(net.inputs(fields["next_observations"]))
        old_logits = net.logits(inputs)
        actions = torch.as_tensor(fields["actions"], dtype=torch.int64)
        lam = 1.0 if self.whole_episodes else s.lam
        advantages, returns = gae(
            fields["rewards"].astype(np.float64),
            values.double().numpy(),
            next_values.double().numpy(),
            fields["terminated"].astype(np.float64),
            ends,
            s.gamma,
            lam,
        )
        old_log_probs = torch.log_softmax(old_logits, -1).gather(1, actions[:, None]).squeeze(1)
        return Batch(
            inputs,
            actions,
            torch.as_tensor(advantages, dtype=torch.float32),
            torch.as_tensor(returns, dtype=torch.float32),
            values,
            old_logits,
            old_log_probs,
        )

    def normalized(self, advantages: Any) -> Any:
        if not self.settings.normalize_advantage or len(advantages) < 2:
            return advantages
        return (advantages - advantages.mean()) / (advantages.std() + 1e-8)

    def joint_step(
        self,
        inputs: Any,
        actions: Any,
        returns: Any,
        weights: Callable[[Any], tuple[Any, Any]],
        lr: float,
        old_values: Any = None,
        value_clip: float = 0.0,
    ) -> dict[str, float]:
        """One step of both networks on policy loss + vf_coef value loss - ent_coef
        entropy, their gradients clipped together (A2C, PPO); the losses and entropy."""
        s, net = self.settings, self.net
        actor_grad, policy, h = net.policy_gradient(inputs, actions, weights, s.ent_coef)
        critic_grad, critic = net.value_gradient(inputs, returns, old_values, value_clip)
        critic_grad.mul_(s.vf_coef)
        clip_jointly([actor_grad, critic_grad], s.max_grad_norm)
        self.optimizers["actor"].step(net.actor.params, actor_grad, lr)
        self.optimizers["critic"].step(net.critic.params, critic_grad, lr)
        return {"policy_loss": policy, "value_loss": critic, "entropy": h}

    def critic_step(self, inputs: Any, returns: Any, lr: float) -> float:
        """One step of the critic alone on its squared error (REINFORCE, TRPO)."""
        grad, loss = self.net.value_gradient(inputs, returns)
        clip_jointly([grad], self.settings.max_grad_norm)
        self.optimizers["critic"].step(self.net.critic.params, grad, lr)
        return loss

    def record(self, batch: Batch, **losses: float) -> None:
        """The charts' numbers from an update: its losses, and the policy's entropy."""
        self.stats = {key: float(value) for key, value in losses.items()}
        logits = self.net.logits(batch.inputs)
        self.stats["entropy"] = float(entropy(self.torch, logits).mean())

    def end_episodes(self, count: int) -> None:
        self.episodes += count

    def keep_best(self) -> dict[str, int]:
        self.best_state = copy.deepcopy(self.net.state_dict())
        return {"env_steps": self.env_steps}

    # -- what the window shows ------------------------------------------------------------

    def describe(self) -> str:
        s = self.settings
        lr = f", lr {s.lr:g}" if s.lr != type(s).lr else ""
        return f"{self.title} {s.hidden}{lr}"

    def status(self) -> list[tuple[str, str]]:
        entropy_now = self.stats.get("entropy")
        return [
            ("Updates", f"{self.updates:,}"),
            ("Entropy", "-" if entropy_now is None else f"{entropy_now:.3f}"),
        ]

    def diagnostics(self) -> dict[str, float]:
        values = dict(self.stats)
        if self.watched is not None:
            for action, p in enumerate(self.watched):
                values[f"p{action}"] = float(p)
        return values

    def diagnostic_charts(self) -> list[tuple[str, list[tuple[str, str]]]]:
        charts = [
            ("Policy entropy (nats)", [("entropy", "entropy")]),
            ("Critic's loss (squared error)", [("value_loss", "value loss")]),
        ]
        if self.charts_kl:
            charts.append(("KL divergence of each update", [("kl", "KL(old || new)")]))
        actions = [(f"p{a}", f"action {a}") for a in range(self.shape.n_actions)]
        charts.append(("Action probabilities, agent 1", actions))
        return charts

    charts_kl = False
    title = "policy gradient"

    # -- saving -----------------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        """The networks of the best check (the live ones if none yet), the counters, and
        the optimisers' states to go on training."""
        extra = {
            "network": {"hidden": self.settings.layer_sizes, "activation": "tanh"},
            "env_steps": self.env_steps,
            "updates": self.updates,
            "episodes": self.episodes,
            "checked": self.best_check,
        }
        write_brain(directory, self, extra, None)
        state = {
            "networks": self.best_state if self.best_state is not None else self.net.state_dict(),
            "optimizers": {name: o.state_dict() for name, o in self.optimizers.items()},
        }
        self.torch.save(state, directory / self.weights_file)

    @classmethod
    def from_saved(cls, meta: dict[str, Any], weights: Any, settings: Any) -> OnPolicyLearner:
        """Rebuild from checked metadata and a dict loaded with torch.load(weights_only=True)."""
        brain = cls(shape_from_meta(meta), population=1, seed=0, settings=settings)
        if not isinstance(weights, dict) or not isinstance(weights.get("networks"), dict):
            raise ValueError(f"{cls.weights_file} is not a {cls.name} state (needs networks)")
        try:
            brain.net.load_state_dict(weights["networks"])
            saved = weights.get("optimizers", {})
            for name, optimizer in brain.optimizers.items():
                if isinstance(saved, dict) and name in saved:
                    optimizer.load_state_dict(saved[name])
        except (RuntimeError, KeyError, ValueError, TypeError) as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else "mismatch"
            raise ValueError(f"{cls.weights_file} does not fit this network: {reason}") from None
        for key in ("env_steps", "updates", "episodes"):
            setattr(brain, key, counter_from_meta(meta, key))
        brain.best_check = check_from_meta(meta)
        if brain.best_check is not None:
            brain.best_state = copy.deepcopy(brain.net.state_dict())
        return brain


_FIELDS = ("observations", "actions", "rewards", "next_observations", "terminated", "truncated")
