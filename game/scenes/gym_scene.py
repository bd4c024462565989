"""Any gymnasium environment with discrete actions and a flat Box observation, as a scene.

The scene key `gym:ENV_ID` (say `gym:Acrobot-v1`) makes N copies of the environment, one
per agent, so every brain that plays our own scenes plays it too: evolvers with a
population, learners with their lanes. The copies step one after another in Python, so a
population costs what its members cost; our own scenes step a population in one call.

What the environment says is what the scene says: its spaces give the observation bounds
and actions, its `spec.reward_threshold` is what "solved" means (on the greedy policy's
mean return over SOLVE_EPISODES fresh episodes, as for CartPole), its time limit ends
episodes as truncated. The score of an episode is its return.

Environments cannot be copied in general (Box2D worlds live in C), so planners that look
ahead in a copy of the scene (MCTS) do not play here. gymnasium draws frames with pygame
when `frame` asks; simulating never does.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import gymnasium
import numpy as np

from game.scenes.base import Scene, SceneError, SceneSpec, SolveRule

FAMILY = "gym"
SOLVE_EPISODES = 20  # fresh episodes of a check, as CartPole's
# The least and most one step pays, where the environment is known to bound it: DQN's
# value bounds need them. gymnasium 1.x environments no longer say.
REWARD_RANGES: dict[str, tuple[float, float]] = {
    "Acrobot-v1": (-1.0, 0.0),
    "MountainCar-v0": (-1.0, 0.0),
    "CartPole-v1": (1.0, 1.0),
}
MAX_OBSERVATIONS = 4096  # a flat observation longer than this is not a scene for our brains


class GymSceneError(SceneError):
    """An environment id that cannot be a scene: unknown, missing a package, or with
    spaces our brains cannot play. The message is one line."""


def make_env(env_id: str) -> gymnasium.Env:
    """A new copy of `env_id` that can draw rgb_array frames (drawn only when asked)."""
    try:
        return gymnasium.make(env_id, render_mode="rgb_array")
    except gymnasium.error.DependencyNotInstalled as error:
        raise GymSceneError(
            f"gym:{env_id} needs a package that is not installed: {error}"
        ) from None
    except gymnasium.error.Error as error:
        raise GymSceneError(f"gym:{env_id}: {error}") from None
    except TypeError:  # an environment that takes no render_mode
        try:
            return gymnasium.make(env_id)
        except Exception as error:  # noqa: BLE001 - third-party code: any failure is one line
            raise GymSceneError(f"gym:{env_id} cannot be made: {error}") from None
    except Exception as error:  # noqa: BLE001
        raise GymSceneError(f"gym:{env_id} cannot be made: {error}") from None


@cache
def gym_spec(env_id: str) -> tuple[SceneSpec, SolveRule]:
    """The spec and solve rule of `env_id`, read off one copy; raises GymSceneError."""
    env = make_env(env_id)
    try:
        obs_space, action_space = env.observation_space, env.action_space
        if not isinstance(action_space, gymnasium.spaces.Discrete):
            raise GymSceneError(
                f"gym:{env_id} has actions {action_space}; our brains choose among a few "
                "discrete actions (a Discrete space)"
            )
        if not isinstance(obs_space, gymnasium.spaces.Box) or len(obs_space.shape) != 1:
            raise GymSceneError(
                f"gym:{env_id} observes {obs_space}; our brains read a flat Box of numbers"
            )
        if obs_space.shape[0] > MAX_OBSERVATIONS:
            raise GymSceneError(
                f"gym:{env_id} observes {obs_space.shape[0]:,} numbers; at most "
                f"{MAX_OBSERVATIONS:,} make a scene"
            )
        dim, actions = obs_space.shape[0], int(action_space.n)
        threshold = env.spec.reward_threshold if env.spec is not None else None
    finally:
        env.close()  # it has drawn nothing, so this does not quit pygame (see GymView)
    spec = SceneSpec(
        name=f"{FAMILY}:{env_id}",
        obs_names=tuple(f"observation {i}" for i in range(dim)),
        obs_low=tuple(float(v) for v in obs_space.low),
        obs_high=tuple(float(v) for v in obs_space.high),
        action_meanings=tuple(f"action {a}" for a in range(actions)),
        reward_range=REWARD_RANGES.get(env_id),
        score_name="return",
        copyable=False,
    )
    # No threshold: the scene is never "solved", and training says so when asked to be.
    limit = math.inf if threshold is None else float(threshold)
    return spec, SolveRule(episodes=SOLVE_EPISODES, threshold=limit, every_episode=False)


class GymScene(Scene):
    """N copies of one gymnasium environment, each an agent with its own episodes."""

    def __init__(self, env_id: str, n: int) -> None:
        self.spec, self.solve_rule = gym_spec(env_id)
        super().__init__(n)
        self.env_id = env_id
        self.envs = [make_env(env_id) for _ in range(n)]
        self.obs = np.zeros((n, self.spec.obs_dim), dtype=np.float32)
        self.returns = np.zeros(n)
        self.scores = self.returns  # an episode's score is its return
        self.rng = np.random.default_rng(0)
        self.started = np.zeros(n, dtype=bool)  # an environment draws only once reset

    def _start(self, agent: int) -> None:
        # Each episode draws its own seed from the scene's generator: the same scene
        # seed gives the same episodes, and no two agents share one.
        seed = int(self.rng.integers(2**31))
        self.obs[agent], _ = self.envs[agent].reset(seed=seed)
        self.started[agent] = True

    def reset(self, seed: int | None = None) -> None:
        self.rng = np.random.default_rng(seed)
        for agent in range(self.n):
            self._start(agent)
        self.alive.fill(True)
        self.steps.fill(0)
        self.returns.fill(0.0)

    def reset_agents(self, agents: np.ndarray) -> None:
        """Start new episodes for the agents in the boolean mask `agents`."""
        for agent in np.flatnonzero(agents):
            self._start(agent)
        self.alive[agents] = True
        self.steps[agents] = 0
        self.returns[agents] = 0.0

    def step(self, actions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rewards = np.zeros(self.n)
        terminated = np.zeros(self.n, dtype=bool)
        truncated = np.zeros(self.n, dtype=bool)
        for agent in self.living():
            obs, reward, ends, cut, _ = self.envs[agent].step(int(actions[agent]))
            self.obs[agent] = obs
            rewards[agent], terminated[agent], truncated[agent] = reward, ends, cut
        self.returns += rewards
        self.steps += self.alive
        self.alive &= ~(terminated | truncated)
        return rewards, terminated, truncated

    def observe(self, agents: np.ndarray | None = None) -> np.ndarray:
        return self.obs.copy() if agents is None else self.obs[agents]

    def frame(self, agent: int) -> np.ndarray | None:
        """Agent `agent`'s environment as drawn by gymnasium, uint8[H, W, 3], or None
        if it draws nothing (or has not started an episode yet)."""
        if not self.started[agent]:
            return None
        picture = self.envs[agent].render()
        if not isinstance(picture, np.ndarray) or picture.ndim != 3:
            return None
        return picture

    def snapshot(self) -> Any:
        raise NotImplementedError(f"gym:{self.env_id} cannot be copied")

    def restore(self, snapshot: Any) -> None:
        raise NotImplementedError(f"gym:{self.env_id} cannot be copied")
