"""CartPole for N independent carts, with exactly the dynamics of gymnasium's CartPole-v1.

The physics is the cart-pole of Barto, Sutton and Anderson (1983), "Neuronlike adaptive
elements that can solve difficult learning control problems", with the equations of
Florian (2007), "Correct equations for the dynamics of the cart-pole system", integrated
by explicit Euler steps of 0.02 s as gymnasium does. Constants, limits, the reward (1 for
every step, the failing one included) and the 500-step time limit are CartPole-v1's, so
a policy scores the same here and there; tests/test_cartpole.py checks it step by step.

Unlike Flappy Bird, carts share nothing: each can start a new episode on its own
(`reset_agents`), which is what learners that never stop want.

Speed without changing a bit: the state is four contiguous rows (position, velocity,
angle, angular velocity of every cart), updated in place with gymnasium's floating-point
operations in gymnasium's order, so results are identical to the last bit. That matters:
an inverted pendulum driven open-loop doubles a difference every few steps, so a 1e-16
discrepancy (a reordered sum, a faster sine) becomes centimetres within one episode.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from game.scenes.base import Scene, SceneSpec, SolveRule

GRAVITY = 9.8
CART_MASS = 1.0
POLE_MASS = 0.1
TOTAL_MASS = CART_MASS + POLE_MASS
HALF_POLE_LENGTH = 0.5
POLE_MASS_LENGTH = POLE_MASS * HALF_POLE_LENGTH
FORCE = 10.0
TAU = 0.02  # seconds per step
ANGLE_LIMIT = 12 * 2 * math.pi / 360  # the pole falls past 12 degrees
POSITION_LIMIT = 2.4  # the cart leaves the track past 2.4 m
TIME_LIMIT = 500  # CartPole-v1's episode length
START_RANGE = 0.05  # every state variable starts uniform in +-0.05

PUSH_LEFT, PUSH_RIGHT = 0, 1

SPEC = SceneSpec(
    name="cartpole",
    obs_names=("cart position", "cart velocity", "pole angle", "pole angular velocity"),
    obs_low=(-2 * POSITION_LIMIT, -math.inf, -2 * ANGLE_LIMIT, -math.inf),
    obs_high=(2 * POSITION_LIMIT, math.inf, 2 * ANGLE_LIMIT, math.inf),
    action_meanings=("push left", "push right"),
    reward_range=(0.0, 1.0),
    score_name="steps",
    # The dynamics are odd in the state and the force, the start is symmetric about 0 and
    # both limits are too, so a mirrored cart is a cart (tests/test_cartpole.py).
    mirror_signs=(-1.0, -1.0, -1.0, -1.0),
    mirror_actions=(PUSH_RIGHT, PUSH_LEFT),
)


@dataclass(frozen=True)
class CartPoleSnapshot:
    state: np.ndarray
    alive: np.ndarray
    steps: np.ndarray
    rng_state: dict


class CartPoleScene(Scene):
    """N carts; state[0..3] = position, velocity, angle, angular velocity, each [N]."""

    spec = SPEC
    # The state's number type; float64 is what matches gymnasium to the bit
    # (game/scenes/cartpole_float32.py trades that for speed).
    dtype: type[np.floating] = np.float64
    # gymnasium's threshold for CartPole-v1, on the greedy policy over 20 fresh episodes.
    solve_rule = SolveRule(episodes=20, threshold=475, every_episode=False)

    def __init__(self, n: int, time_limit: int = TIME_LIMIT) -> None:
        super().__init__(n)
        self.time_limit = time_limit
        self.state = np.zeros((4, n), self.dtype)
        self.rng = np.random.default_rng(0)
        self._scratch = np.empty((4, n), self.dtype)
        self._share_counts()

    def _share_counts(self) -> None:
        # Every step pays 1, so an episode's return, score and length are one number:
        # one array serves as all three.
        self.scores = self.returns = self.steps

    def reset(self, seed: int | None = None) -> None:
        # default_rng(seed) is gymnasium's own generator, and cart i takes row i of the
        # draw, so one cart starts where gymnasium's CartPole-v1 starts after reset(seed).
        self.rng = np.random.default_rng(seed)
        self.state = np.ascontiguousarray(
            self.rng.uniform(-START_RANGE, START_RANGE, (self.n, 4)).T, self.dtype
        )
        self.alive.fill(True)
        self.steps.fill(0)

    def reset_agents(self, agents: np.ndarray) -> None:
        """Start new episodes for the carts in the boolean mask `agents`."""
        if not agents.any():
            return
        index = np.flatnonzero(agents)  # integer indexing beats a mask when few restart
        self.state[:, index] = self.rng.uniform(-START_RANGE, START_RANGE, (len(index), 4)).T
        self.alive[index] = True
        self.steps[index] = 0

    def step(self, actions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # Each line is one of gymnasium's operations, done in place; the comments give the
        # expression it computes. Finished carts keep moving: their state is never read.
        live = self.alive
        x, x_dot, theta, theta_dot = self.state
        temp, theta_acc, x_acc, scratch = self._scratch
        cos, sin = np.cos(theta), np.sin(theta)
        force = np.asarray(actions) * (2 * FORCE) - FORCE  # exactly +-10.0: 0 or 1 pushes
        # temp = (force + m_l * theta_dot^2 * sin) / M
        np.square(theta_dot, out=temp)
        temp *= POLE_MASS_LENGTH
        temp *= sin
        temp += force
        temp /= TOTAL_MASS
        # theta_acc = (g * sin - cos * temp) / (l * (4/3 - m * cos^2 / M))
        np.multiply(sin, GRAVITY, out=theta_acc)
        np.multiply(cos, temp, out=scratch)
        theta_acc -= scratch
        np.square(cos, out=scratch)
        scratch *= POLE_MASS
        scratch /= TOTAL_MASS
        np.subtract(4.0 / 3.0, scratch, out=scratch)
        scratch *= HALF_POLE_LENGTH
        theta_acc /= scratch
        # x_acc = temp - m_l * theta_acc * cos / M
        np.multiply(theta_acc, POLE_MASS_LENGTH, out=x_acc)
        x_acc *= cos
        x_acc /= TOTAL_MASS
        np.subtract(temp, x_acc, out=x_acc)
        # Explicit Euler: positions first, from the old velocities.
        for position, velocity, acceleration in ((x, x_dot, x_acc), (theta, theta_dot, theta_acc)):
            np.multiply(velocity, TAU, out=scratch)
            position += scratch
            np.multiply(acceleration, TAU, out=scratch)
            velocity += scratch

        failed = (np.abs(x) > POSITION_LIMIT) | (np.abs(theta) > ANGLE_LIMIT)
        terminated = live & failed
        rewards = live.astype(np.float64)  # 1 per step, the failing step included
        self.steps += live
        if self.steps.max() >= self.time_limit:
            truncated = live & ~terminated & (self.steps >= self.time_limit)
            self.alive = live & ~(terminated | truncated)
        else:
            truncated = np.zeros_like(live)
            self.alive = live & ~terminated
        return rewards, terminated, truncated

    def observe(self, agents: np.ndarray | None = None) -> np.ndarray:
        state = self.state if agents is None else self.state[:, agents]
        return state.T.astype(np.float32)

    def cart_states(self) -> np.ndarray:
        """The state as [N, 4], a row per cart (a view, not a copy)."""
        return self.state.T

    def snapshot(self) -> CartPoleSnapshot:
        return CartPoleSnapshot(
            self.state.copy(), self.alive.copy(), self.steps.copy(), self.rng.bit_generator.state
        )

    def make_lanes(self, n: int) -> CartPoleScene:
        return type(self)(n, time_limit=2**62)

    def load_lanes(self, snapshot: CartPoleSnapshot, agents: np.ndarray) -> None:
        if len(agents) != self.n:
            raise ValueError(f"{len(agents)} agents to load into {self.n} lanes")
        # In place, so the state stays four contiguous rows; the generator is this
        # scene's own: it only draws new starts, which lanes never need to agree on.
        np.take(snapshot.state, agents, axis=1, out=self.state)
        self.alive = snapshot.alive[agents]
        self.steps = snapshot.steps[agents]
        self._share_counts()

    def restore(self, snapshot: CartPoleSnapshot) -> None:
        self.state = snapshot.state.copy()
        self.alive = snapshot.alive.copy()
        self.steps = snapshot.steps.copy()
        self._share_counts()
        self.rng = np.random.default_rng()
        self.rng.bit_generator.state = snapshot.rng_state
