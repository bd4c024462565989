"""Deep Q-network (Mnih et al. 2015) with Double DQN targets (van Hasselt et al. 2016).

An MLP maps an observation to one value per action. Experience from every environment
goes into a replay ring; minibatches from it train the network toward
    y = r + gamma * (1 - terminated) * Q_target(s', argmax_a Q_online(s', a))
with the squared error (or the Huber loss) and gradient-norm clipping. The target network
follows the online one by a hard copy every `target_every` steps (tau = 1) or by Polyak
averaging (tau < 1).
A time limit is not an end: truncated transitions bootstrap like any other. With n-step
returns, r is the discounted sum of up to n rewards and gamma becomes gamma^k. Bounded,
y is kept between the least and the most a return can be, given the scene's rewards;
optimistic, the network's outputs start at that most.

The greedy policy (checks, the window's champion, saved brains) may act with a Polyak
average of the online network's weights rather than the online network itself, and may
add each state's values to its mirror image's when the scene has a mirror symmetry, while
exploration and learning go on with the online network alone.

The networks are FlatMLPs (brains/flat_mlp.py): one tensor of weights each, with the
backward pass written out, which more than halves the cost of a gradient step.

torch is imported when a DQN is built, never when this module is: the window opens fast
when no DQN runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from brains.base import (
    BrainShape,
    KeepsBestCheck,
    Learner,
    Transitions,
    check_from_meta,
    counter_from_meta,
    epsilon_greedy,
    shape_from_meta,
    write_brain,
)
from brains.flat_mlp import FlatAdam, FlatMLP, clip_norm_
from brains.replay import NStepReturns, ReplayBuffer
from brains.settings import input_scale_problem, layer_sizes_problem, per_observation


@dataclass
class DQNSettings:
    hidden: str = "64/64"  # hidden layer sizes, separated by /
    # Each observation is divided by its number here before the network sees it, written
    # like "2.4/2/0.21/2" ("": as they are). Inputs of about the same size let the first
    # layer learn every input at the same pace (see scene_defaults for CartPole's).
    input_scale: str = ""
    # Layer norm before each hidden ReLU (Gallici et al. 2024) lets Flappy Bird learn at
    # twice CartPole's rate; on CartPole it kept fewer seeds solved (docs/dqn-tuning.md).
    layer_norm: bool = False
    lr: float = 1.5e-3  # Adam's learning rate
    # The rate falls linearly to a tenth over this many steps (0: constant). Without the
    # decay a DQN that has solved CartPole tends to unlearn it (bench/dqn_vs_sb3).
    lr_decay_steps: int = 50_000
    gamma: float = 0.99
    n_step: int = 1  # rewards summed over this many steps before bootstrapping
    batch: int = 64  # transitions per gradient step
    # Replay capacity: as much as the whole CartPole benchmark, so the early failures
    # stay in it; at 50,000 seed 1 unlearned the task late, once they had left the ring.
    buffer: int = 100_000
    learning_starts: int = 1_000  # environment steps before the first update
    train_every: int = 4  # environment steps between gradient phases
    gradient_steps: int = 2  # gradient steps per phase
    target_every: int = 250  # environment steps between target-network updates
    tau: float = 1.0  # 1: copy the online network; below 1: move the target this far toward it
    double: bool = True  # Double DQN targets
    # Targets stay between the least and the most any return can be, given the scene's
    # reward range (CartPole, 1 a step at most: 0 and 1 / (1 - gamma)). A network can value
    # states it seldom sees far beyond what is possible and teach the states around them
    # to follow: with gamma 0.995 (at most 200) a CartPole DQN valued running off the end
    # of the track it seldom reached at 700, above the middle's 250, and drove there.
    bounded: bool = False
    # The network's outputs start at the most a return can be (from the scene's reward
    # range) rather than near 0. Values climb toward a good policy's a few rewards per
    # target update: a CartPole run's mean predicted Q was still rising at 50,000 steps
    # (seed 0: 8 at 2,000, 98 at 40,000, toward 200). Started at the top, only the states that
    # lead to a fall have far to go.
    optimistic: bool = False
    # Advantage learning (Bellemare et al. 2016): the target of a non-greedy action is
    # lowered by this fraction of its gap to the best, widening the gap between actions
    # so that small errors in the values no longer flip the greedy choice. 0: off.
    action_gap: float = 0.0
    epsilon_start: float = 1.0
    epsilon_end: float = 0.02
    exploration_steps: int = 5_000  # steps over which epsilon falls linearly to its end
    max_grad_norm: float = 10.0
    # "mse" (the squared error) or "huber" (as SB3 and the DQN paper). Huber caps every
    # error's pull at 1, so a rare crash (its value far below the states around it) pulls
    # no harder than noise; the squared error pulls in proportion and keeps the crashes a
    # good policy no longer sees in the network's memory. On CartPole (one-step returns)
    # 9 of 10 seeds ended solved with it, 4 with Huber; on Flappy Bird 4 of 4 solved, 3 with Huber
    # (bench/dqn_vs_sb3 --no-sb3 --seeds 10, bench/learner_flappy --seeds 4).
    loss: str = "mse"
    # The greedy policy acts with an average of the online network's weights (Polyak and
    # Juditsky 1992), moved this far toward them after each gradient step; 0: with the
    # online network itself. Keeping a solved CartPole's cart on the track hangs on small
    # differences between the two actions' values; averaged over recent steps they held
    # more often than any one step's (see scene_defaults). Exploration and the targets
    # still use the online network.
    policy_average: float = 0.0
    # The greedy policy values a state as its values plus its mirror image's, using the
    # scene's mirror symmetry (CartPole: every quantity negated, left and right swapped).
    # A solved CartPole that loses its checks drives off the track, nearly always on the
    # same side: the network has learnt a lean one way. The mirrored sum cannot lean.
    mirror: bool = False
    threads: int = 1  # torch threads: a second does not speed up networks this small

    def check(self) -> str | None:
        problem = layer_sizes_problem(self.hidden) or input_scale_problem(self.input_scale)
        if problem:
            return problem
        positive = (
            "lr",
            "batch",
            "buffer",
            "train_every",
            "gradient_steps",
            "target_every",
            "max_grad_norm",
            "threads",
            "n_step",
        )
        for key in positive:
            if not getattr(self, key) > 0:
                return f"{key} must be above 0, got {getattr(self, key)}"
        if self.learning_starts < 0 or self.exploration_steps < 0 or self.lr_decay_steps < 0:
            return "learning_starts, exploration_steps and lr_decay_steps must be 0 or more"
        for key in ("gamma", "tau", "epsilon_start", "epsilon_end", "action_gap", "policy_average"):
            if not 0 <= getattr(self, key) <= 1:
                return f"{key} must be between 0 and 1, got {getattr(self, key)}"
        if self.tau == 0:
            return "tau must be above 0"
        for key in ("bounded", "optimistic"):
            if getattr(self, key) and self.gamma == 1:
                return f"{key}=true needs gamma below 1 (returns are unbounded at 1)"
        if self.loss not in ("huber", "mse"):
            return f"loss must be huber or mse, got {self.loss!r}"
        return None

    @property
    def layer_sizes(self) -> list[int]:
        return [int(part) for part in self.hidden.split("/") if part]


def import_torch(threads: int) -> Any:
    import torch

    torch.set_num_threads(threads)
    return torch


def td_targets(rewards, terminated, discounts, next_online, next_target, double: bool):
    """y = r + discount (1 - terminated) Q_target(s', a*), a* chosen by the online network
    (Double DQN) or by the target network itself (plain DQN). `next_online` and
    `next_target` are the two networks' values of the next observations; the discount is
    gamma, or gamma^k after a k-step return."""
    if double:
        best = next_online.argmax(dim=1, keepdim=True)
        next_value = next_target.gather(1, best).squeeze(1)
    else:
        next_value = next_target.max(dim=1).values
    return rewards + discounts * (1.0 - terminated) * next_value


def value_bounds(reward_range: tuple[float, float], gamma: float) -> tuple[float, float]:
    """The least and the most a discounted return can be when each step pays within
    `reward_range` and an episode may end after any step (paying nothing more): the range
    widened to hold 0, times 1 + gamma + gamma^2 + ... = 1 / (1 - gamma)."""
    low, high = reward_range
    horizon = 1.0 / (1.0 - gamma)
    return min(0.0, low) * horizon, max(0.0, high) * horizon


def loss_gradient(error, loss: str):
    """d loss / d q for errors q - y, the loss a mean over the batch: twice the error for
    the squared error, the error clipped to [-1, 1] for Huber (smooth_l1_loss)."""
    if loss == "mse":
        return error * (2.0 / len(error))
    return error.clamp(-1.0, 1.0) / len(error)


def widen_action_gap(targets, here_target, actions, alpha: float):
    """Advantage learning: y - alpha (max_b Q_target(s, b) - Q_target(s, a)). The greedy
    action's target is unchanged; every other action's falls by alpha times its gap."""
    gap = here_target.max(dim=1).values - here_target.gather(1, actions).squeeze(1)
    return targets - alpha * gap


class DQN(KeepsBestCheck, Learner):
    name = "dqn"
    Settings = DQNSettings
    # Environments stepped at once: eight share each forward pass and tick, and the window
    # shows them all. On CartPole (10 seeds, one-step returns and minibatches of 64,
    # bench/dqn_vs_sb3 --envs N) one or four solve sooner (median 4,000 steps against
    # 7,000) but fewer end solved (6 and 4 of 10, against 9 of 10 for eight).
    default_population = 8
    weights_file = "weights.pt"
    # CartPole: its observations are metres, metres per second, radians and radians per
    # second, of very different sizes; divided by the track's and the angle's limits and a
    # speed of 2, they solved in a median of 7,000 steps rather than 27,000 (10 seeds,
    # one-step returns).
    # Two-step returns and minibatches of 256 keep it solved: of 20 seeds all 20 ended
    # solved and their last 10 checks averaged 495, against 16 and 373 with one-step
    # returns and minibatches of 64 (bench/dqn_vs_sb3 --no-sb3 --seeds 20).
    # A greedy policy averaged at 0.002 a step keeps its checks more often: of 40 seeds, 11
    # held every check from their first solve and all 40 ended solved, against 5 and 39
    # with the online network (same median of 6,000 steps to solve). Mirrored as well, it
    # cannot favour one end of the track: 26 of 40 held every check, all 40 ended solved,
    # and the median solve came at 3,000 steps. What still loses checks drifts off either
    # end: a horizon of 200 steps (gamma 0.995) sees the drift coming from further, and
    # bounded targets stop the values of the end it seldom reaches running away: 33 of 40
    # held every check, all 40 ended solved, median 4,000 steps (40 of bench/dqn_vs_sb3's
    # runs of ours). Values that start at the top (optimistic) kept 70 of 80 seeds from
    # their first solve, against 59, all 80 ending solved, at a median of 6,000 steps.
    # Flappy Bird: a random flap inside a pipe is death, so exploration ends almost at
    # zero; the crash comes a few ticks after the flap that caused it, so the return sums
    # 3 rewards before it bootstraps; layer norm keeps a rate of 3e-3 steady. With all
    # four and the squared error, 4 of 4 seeds solved within 1,000,000 steps
    # (bench/learner_flappy --seeds 4 --max-steps 1000000).
    scene_defaults: ClassVar[dict[str, dict[str, str]]] = {
        "cartpole": {
            "input_scale": "2.4/2/0.21/2",
            "n_step": "2",
            "batch": "256",
            "policy_average": "0.002",
            "mirror": "true",
            "gamma": "0.995",
            "bounded": "true",
            "optimistic": "true",
        },
        "flappy": {"epsilon_end": "0.001", "n_step": "3", "layer_norm": "true", "lr": "3e-3"},
    }

    def __init__(
        self, shape: BrainShape, population: int, seed: int, settings: DQNSettings | None = None
    ):
        self.settings = s = settings or DQNSettings()
        self.shape = shape
        self.envs = population
        self.torch = torch = import_torch(s.threads)
        torch.manual_seed(seed)
        self._input_scale = None
        if s.input_scale:
            scale = per_observation(s.input_scale, float, "input_scale", shape.obs_dim)
            self._input_scale = torch.tensor(scale)
        sizes = [shape.obs_dim, *s.layer_sizes, shape.n_actions]
        self.online = FlatMLP(torch, sizes, s.layer_norm)
        if s.optimistic:
            _, most = value_bounds(self._reward_range("optimistic"), s.gamma)
            self.online.layers[-1][1].fill_(most)  # the output biases
        self.target = FlatMLP(torch, self.online.sizes, s.layer_norm)
        self.target.copy_from(self.online)
        # The network the greedy policy uses: the online one, or its running average.
        self.policy = self.online
        if s.policy_average:
            self.policy = FlatMLP(torch, self.online.sizes, s.layer_norm)
            self.policy.copy_from(self.online)
        self._mirror = None  # (input signs, action order) for the greedy policy
        if s.mirror:
            if shape.mirror_signs is None or shape.mirror_actions is None:
                scene = shape.scene or "this scene"
                raise ValueError(f"mirror=true needs the scene's mirror symmetry; {scene} has none")
            signs = torch.tensor(shape.mirror_signs, dtype=torch.float32)
            self._mirror = (signs, torch.tensor(shape.mirror_actions))
        self._bounds = None  # (least, most) a target may be
        if s.bounded:
            self._bounds = value_bounds(self._reward_range("bounded"), s.gamma)
        self.optimizer = FlatAdam(torch, len(self.online.params))
        self.buffer = ReplayBuffer(s.buffer, shape.obs_dim, shape.one_hot)
        self._replay_needed = 1  # rows the replay must hold before a gradient step
        self.n_step = NStepReturns(s.n_step, s.gamma)
        self.seed_generators(seed)
        self.env_steps = 0
        self.updates = 0
        self.episodes = 0
        # The network of the best check so far (the latest of equals) and that check: what
        # `save` writes, so a run that unlearns late still saves what it knew.
        self.best = FlatMLP(torch, self.online.sizes, s.layer_norm)
        self.best_check: dict[str, Any] | None = None  # {"score": ..., "env_steps": ...}
        self.loss: float | None = None  # moving average of the training loss
        self.mean_q: float | None = None  # mean predicted Q of the last minibatch

    def _reward_range(self, setting: str) -> tuple[float, float]:
        if self.shape.reward_range is None:
            scene = self.shape.scene or "this scene"
            raise ValueError(f"{setting}=true needs the scene's reward range; {scene} has none")
        return self.shape.reward_range

    def seed_generators(self, seed: int) -> None:
        explore, sample = np.random.SeedSequence(seed).spawn(2)
        self.rng = np.random.default_rng(explore)
        self._sample_rng = np.random.default_rng(sample)

    def describe(self) -> str:
        s = self.settings
        norm = " normed" if s.layer_norm else ""
        # lr and batch only where they differ from the defaults: the title fits beside the counters.
        lr = f", lr {s.lr:g}" if s.lr != DQNSettings.lr else ""
        steps = f", {s.n_step}-step" if s.n_step > 1 else ""
        batch = f", batch {s.batch}" if s.batch != DQNSettings.batch else ""
        loss = ", Huber" if s.loss == "huber" else ""
        averaged = ", averaged" if s.policy_average else ""
        mirrored = ", mirrored" if s.mirror else ""
        bounded = ", bounded" if s.bounded else ""
        return f"DQN {s.hidden}{norm}{lr}{steps}{batch}{loss}{averaged}{mirrored}{bounded}"

    # -- acting -----------------------------------------------------------------------

    @property
    def epsilon(self) -> float:
        s = self.settings
        progress = min(1.0, self.env_steps / s.exploration_steps) if s.exploration_steps else 1.0
        return s.epsilon_start + (s.epsilon_end - s.epsilon_start) * progress

    def inputs(self, observations: np.ndarray) -> Any:
        """Observations as the network's input: a float32 tensor, scaled if asked."""
        tensor = self.torch.as_tensor(observations, dtype=self.torch.float32)
        return tensor if self._input_scale is None else tensor / self._input_scale

    def greedy(self, observations: np.ndarray) -> np.ndarray:
        inputs = self.inputs(observations)
        values = self.policy(inputs)
        if self._mirror is not None:
            # Scaling is per input and positive, so mirroring the scaled inputs is the same
            # as scaling the mirrored ones.
            signs, actions = self._mirror
            values = values + self.policy(inputs * signs)[:, actions]
        return values.argmax(dim=1).numpy()

    def act(self, observations: np.ndarray) -> np.ndarray:
        """Epsilon-greedy with the online network: exploration follows what is learnt now."""
        best = self.online(self.inputs(observations)).argmax(dim=1).numpy()
        return epsilon_greedy(self.rng, best, self.epsilon, self.shape.n_actions)

    # -- learning ---------------------------------------------------------------------

    def observe(self, batch: Transitions) -> None:
        if not len(batch):
            return
        s = self.settings
        self.buffer.add(*self.n_step.fold(batch))
        before, self.env_steps = self.env_steps, self.env_steps + len(batch)
        if self.env_steps < s.learning_starts or len(self.buffer) < self._replay_needed:
            return
        phases = self.env_steps // s.train_every - before // s.train_every
        for _ in range(phases * s.gradient_steps):
            self._learn()
        if self.env_steps // s.target_every > before // s.target_every:
            self._update_target()

    def learning_rate(self) -> float:
        s = self.settings
        if not s.lr_decay_steps:
            return s.lr
        return s.lr * max(0.1, 1.0 - 0.9 * self.env_steps / s.lr_decay_steps)

    def _learn(self) -> None:
        torch, s = self.torch, self.settings
        mb = self.buffer.sample(self._sample_rng, s.batch)
        obs = self.inputs(mb.observations)
        next_obs = self.inputs(mb.next_observations)
        actions = torch.as_tensor(mb.actions).unsqueeze(1)
        n = len(obs)
        # One pass of the online network over s and s' together: its values of s are
        # trained, its values of s' choose the Double DQN action.
        forward = self.online.forward(torch.cat((obs, next_obs)))
        values = forward.output
        q = values[:n].gather(1, actions).squeeze(1)
        # The target network's values of s are needed only to widen the action gap.
        target_values = self.target(torch.cat((obs, next_obs)) if s.action_gap else next_obs)
        y = td_targets(
            torch.as_tensor(mb.rewards),
            torch.as_tensor(mb.terminated),
            torch.as_tensor(mb.discounts),
            values[n:],
            target_values[-n:],
            s.double,
        )
        if s.action_gap:
            y = widen_action_gap(y, target_values[:n], actions, s.action_gap)
        if self._bounds is not None:
            y = y.clamp(*self._bounds)
        error = q - y
        pull = loss_gradient(error, s.loss)  # only the taken action's output receives it
        grad_output = torch.zeros_like(values[:n]).scatter_(1, actions, pull.unsqueeze(1))
        grad = self.online.gradient(forward.rows(n), grad_output)
        clip_norm_(grad, s.max_grad_norm)
        self.optimizer.step(self.online.params, grad, self.learning_rate())
        self.updates += 1
        if self.policy is not self.online:
            self.policy.copy_from(self.online, s.policy_average)
        if s.loss == "mse":
            value = float(error.square().mean())
        else:
            value = float(torch.nn.functional.smooth_l1_loss(q, y))
        self.loss = value if self.loss is None else 0.99 * self.loss + 0.01 * value
        self.mean_q = float(q.mean())

    def _update_target(self) -> None:
        self.target.copy_from(self.online, self.settings.tau)

    def end_episodes(self, count: int) -> None:
        self.episodes += count

    def keep_best(self) -> dict[str, int]:
        self.best.copy_from(self.policy)
        return {"env_steps": self.env_steps}

    # -- what the window shows ----------------------------------------------------------

    def status(self) -> list[tuple[str, str]]:
        loss = "-" if self.loss is None else f"{self.loss:.3g}"
        return [("Epsilon", f"{self.epsilon:.3g}"), ("Loss", loss)]

    def diagnostics(self) -> dict[str, float]:
        values = {"epsilon": self.epsilon}
        if self.loss is not None:
            values["loss"] = self.loss
        if self.mean_q is not None:
            values["mean_q"] = self.mean_q
        return values

    @property
    def _loss_name(self) -> str:
        return "Huber" if self.settings.loss == "huber" else "squared error"

    def diagnostic_charts(self) -> list[tuple[str, list[tuple[str, str]]]]:
        return [
            (f"Training loss ({self._loss_name}, smoothed)", [("loss", "loss")]),
            ("Mean predicted Q", [("mean_q", "mean Q")]),
            ("Exploration", [("epsilon", "epsilon")]),
        ]

    # -- saving ---------------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        """The network of the best check (the live policy's if none has been checked yet), its
        settings and counters, and the optimiser's state to go on training."""
        kept = self.best if self.best_check is not None else self.policy
        extra = {
            "network": {
                "sizes": self.online.sizes,
                "hidden": "relu",
                "layer_norm": self.settings.layer_norm,
            },
            "env_steps": self.env_steps,
            "updates": self.updates,
            "episodes": self.episodes,
            "checked": self.best_check,
        }
        write_brain(directory, self, extra, None)
        state = {
            "online": kept.state_dict(),
            # Training goes on from the kept network, so its target starts as a copy.
            "target": (kept if kept is not self.online else self.target).state_dict(),
            "optimizer": self.optimizer.state_dict(),
        }
        self.torch.save(state, directory / self.weights_file)

    @classmethod
    def from_saved(cls, meta: dict[str, Any], weights: Any, settings: DQNSettings) -> DQN:
        """Rebuild from checked metadata and a dict loaded with torch.load(weights_only=True);
        training can go on. The replay is not saved: it starts empty and refills
        learning_starts transitions before learning resumes, so that the first minibatches
        do not draw the same few rows over and over."""
        brain = cls(shape_from_meta(meta), population=1, seed=0, settings=settings)
        brain._replay_needed = max(1, min(settings.learning_starts, settings.buffer))
        if not isinstance(weights, dict) or not {"online", "target"} <= set(weights):
            raise ValueError(f"{cls.weights_file} is not a DQN state (needs online and target)")
        try:
            brain.online.load_state_dict(weights["online"])
            brain.target.load_state_dict(weights["target"])
            if "optimizer" in weights:
                brain.optimizer.load_state_dict(weights["optimizer"])
        except (RuntimeError, KeyError, ValueError, TypeError) as error:
            reason = str(error).strip().splitlines()[0]
            raise ValueError(f"{cls.weights_file} does not fit this network: {reason}") from None
        for key in ("env_steps", "updates", "episodes"):
            setattr(brain, key, counter_from_meta(meta, key))
        brain.best_check = check_from_meta(meta)
        if brain.policy is not brain.online:  # the saved network was the averaged policy
            brain.policy.copy_from(brain.online)
        if brain.best_check is not None:
            # The loaded network is the one that scored this: it stays kept until beaten.
            brain.best.copy_from(brain.online)
        return brain
