"""CartPole for N independent carts, with exactly the dynamics of gymnasium's CartPole-v1.

The physics is the cart-pole of Barto, Sutton and Anderson (1983), "Neuronlike adaptive
elements that can solve difficult learning control problems", with the equations of
Florian (2007), "Correct equations for the dynamics of the cart-pole system", integrated
by explicit Euler steps of 0.02 s as gymnasium does. Constants, limits, the reward (1 for
every step, the failing one included) and the 500-step time limit are CartPole-v1's, so
a policy scores the same here and there; tests/test_cartpole.py checks it step by step.

Unlike Flappy Bird, carts share nothing: each can start a new episode on its own
(`reset_agents`), which is what learners that never stop want.
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
)


@dataclass(frozen=True)
class CartPoleSnapshot:
    state: np.ndarray
    alive: np.ndarray
    returns: np.ndarray
    scores: np.ndarray
    steps: np.ndarray
    rng_state: dict


class CartPoleScene(Scene):
    """N carts; state[:, 0..3] = position, velocity, angle, angular velocity."""

    spec = SPEC
    # gymnasium's threshold for CartPole-v1, on the greedy policy over 20 fresh episodes.
    solve_rule = SolveRule(episodes=20, threshold=475, every_episode=False)

    def __init__(self, n: int, time_limit: int = TIME_LIMIT) -> None:
        super().__init__(n)
        self.time_limit = time_limit
        self.state = np.zeros((n, 4))
        self.rng = np.random.default_rng(0)

    def reset(self, seed: int | None = None) -> None:
        # default_rng(seed) is gymnasium's own generator, so one cart starts where
        # gymnasium's CartPole-v1 starts after reset(seed=seed).
        self.rng = np.random.default_rng(seed)
        self.state = self.rng.uniform(-START_RANGE, START_RANGE, (self.n, 4))
        self.alive.fill(True)
        self.returns.fill(0.0)
        self.scores.fill(0)
        self.steps.fill(0)

    def reset_agents(self, agents: np.ndarray) -> None:
        """Start new episodes for the carts in the boolean mask `agents`."""
        count = int(np.count_nonzero(agents))
        if count:
            self.state[agents] = self.rng.uniform(-START_RANGE, START_RANGE, (count, 4))
            self.alive[agents] = True
            self.returns[agents] = 0.0
            self.scores[agents] = 0
            self.steps[agents] = 0

    def step(self, actions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        live = self.alive
        x, x_dot, theta, theta_dot = self.state.T
        force = np.where(np.asarray(actions) == PUSH_RIGHT, FORCE, -FORCE)
        cos, sin = np.cos(theta), np.sin(theta)
        temp = (force + POLE_MASS_LENGTH * theta_dot**2 * sin) / TOTAL_MASS
        theta_acc = (GRAVITY * sin - cos * temp) / (
            HALF_POLE_LENGTH * (4.0 / 3.0 - POLE_MASS * cos**2 / TOTAL_MASS)
        )
        x_acc = temp - POLE_MASS_LENGTH * theta_acc * cos / TOTAL_MASS
        moved = np.stack(
            (
                x + TAU * x_dot,
                x_dot + TAU * x_acc,
                theta + TAU * theta_dot,
                theta_dot + TAU * theta_acc,
            ),
            axis=1,
        )
        self.state = np.where(live[:, None], moved, self.state)  # finished carts stay put

        x, theta = self.state[:, 0], self.state[:, 2]
        failed = (
            (x < -POSITION_LIMIT)
            | (x > POSITION_LIMIT)
            | (theta < -ANGLE_LIMIT)
            | (theta > ANGLE_LIMIT)
        )
        terminated = live & failed
        rewards = live.astype(np.float64)  # 1 per step, the failing step included
        self.returns += rewards
        self.scores += live
        self.steps += live
        truncated = live & ~terminated & (self.steps >= self.time_limit)
        self.alive = live & ~(terminated | truncated)
        return rewards, terminated, truncated

    def observe(self) -> np.ndarray:
        return self.state.astype(np.float32)

    def snapshot(self) -> CartPoleSnapshot:
        return CartPoleSnapshot(
            self.state.copy(),
            self.alive.copy(),
            self.returns.copy(),
            self.scores.copy(),
            self.steps.copy(),
            self.rng.bit_generator.state,
        )

    def restore(self, snapshot: CartPoleSnapshot) -> None:
        self.state = snapshot.state.copy()
        self.alive = snapshot.alive.copy()
        self.returns = snapshot.returns.copy()
        self.scores = snapshot.scores.copy()
        self.steps = snapshot.steps.copy()
        self.rng = np.random.default_rng()
        self.rng.bit_generator.state = snapshot.rng_state
