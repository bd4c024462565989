"""Our CartPole against gymnasium's CartPole-v1: same starts, same actions, same episodes."""

from __future__ import annotations

import gymnasium
import numpy as np
import pytest

from game.scenes import cartpole as cp
from game.scenes.cartpole import CartPoleScene


def gymnasium_episode(seed: int, actions: np.ndarray):
    env = gymnasium.make("CartPole-v1")
    obs, _ = env.reset(seed=seed)
    trace = [obs]
    rewards, ends = [], []
    for action in actions:
        obs, reward, terminated, truncated, _ = env.step(int(action))
        trace.append(obs)
        rewards.append(reward)
        ends.append((terminated, truncated))
        if terminated or truncated:
            break
    env.close()
    return np.array(trace), np.array(rewards), ends


@pytest.mark.parametrize("seed", [0, 1, 7, 123])
@pytest.mark.parametrize("pilot", ["random", "balancing"])
def test_whole_episodes_agree_with_gymnasium(seed, pilot):
    scene = CartPoleScene(1)
    scene.reset(seed)
    rng = np.random.default_rng(seed + 1000)
    ours, rewards, ends, actions = [scene.observe()[0]], [], [], []
    while not scene.all_done:
        if pilot == "random":
            action = int(rng.integers(2))
        else:  # a linear controller that balances for the full 500 steps
            x, x_dot, theta, theta_dot = scene.cart_states()[0]
            action = int(0.1 * x + 0.5 * x_dot + 10 * theta + 2 * theta_dot > 0)
        actions.append(action)
        reward, terminated, truncated = scene.step(np.array([action]))
        ours.append(scene.observe()[0])
        rewards.append(reward[0])
        ends.append((bool(terminated[0]), bool(truncated[0])))
    theirs, their_rewards, their_ends = gymnasium_episode(seed, np.array(actions))
    assert len(ours) == len(theirs)
    assert np.allclose(np.array(ours), theirs, atol=1e-6)
    assert np.array_equal(np.array(rewards), their_rewards)
    assert ends == their_ends
    if pilot == "balancing":
        assert len(actions) == cp.TIME_LIMIT and ends[-1] == (False, True)


def test_many_carts_step_independently_and_finished_carts_stay_put():
    scene = CartPoleScene(64)
    scene.reset(3)
    alone = CartPoleScene(1)
    rng = np.random.default_rng(4)
    plan = rng.integers(0, 2, (600, 64))
    for actions in plan:
        scene.step(actions)
    # Cart 5 alone, from the same start with the same actions, ends in the same state.
    alone.reset(0)
    alone.state = np.random.default_rng(3).uniform(-0.05, 0.05, (64, 4))[5:6].T.copy()
    for actions in plan:
        alone.step(actions[5:6])
    assert np.array_equal(alone.cart_states()[0], scene.cart_states()[5])
    assert scene.all_done and scene.scores.max() <= cp.TIME_LIMIT


def test_reset_agents_restarts_only_the_chosen_carts():
    scene = CartPoleScene(4)
    scene.reset(0)
    while scene.alive.all():
        scene.step(np.zeros(4, dtype=int))
    done = ~scene.alive
    kept = scene.cart_states()[scene.alive].copy()
    scene.reset_agents(done)
    assert scene.alive.all()
    assert np.array_equal(scene.cart_states()[~done], kept)
    assert np.all(np.abs(scene.cart_states()[done]) <= cp.START_RANGE)
    assert np.all(scene.steps[done] == 0)


def test_snapshot_and_restore_replay_exactly():
    scene = CartPoleScene(8)
    scene.reset(5)
    saved = scene.snapshot()
    actions = np.random.default_rng(0).integers(0, 2, (100, 8))
    for a in actions:
        scene.step(a)
    scene.reset_agents(~scene.alive)
    after = scene.state.copy()
    scene.restore(saved)
    for a in actions:
        scene.step(a)
    scene.reset_agents(~scene.alive)
    assert np.array_equal(scene.state, after)


def test_a_mirrored_cart_moves_as_the_mirror_image_of_the_cart():
    # What the spec's mirror promises brains that use it: with every quantity negated and
    # left and right swapped, each step is the exact mirror image, rewards and ends alike.
    signs = np.array(cp.SPEC.mirror_signs)
    swap = np.array(cp.SPEC.mirror_actions)
    scene, mirrored = CartPoleScene(32), CartPoleScene(32)
    scene.reset(9)
    mirrored.reset(9)
    mirrored.state = scene.state * signs[:, None]
    rng = np.random.default_rng(10)
    while not scene.all_done:
        actions = rng.integers(0, 2, 32)
        ends = scene.step(actions)
        mirror_ends = mirrored.step(swap[actions])
        for ours, theirs in zip(ends, mirror_ends, strict=True):
            assert np.array_equal(ours, theirs)
        assert np.array_equal(mirrored.observe(), scene.observe() * signs.astype(np.float32))
    angles = scene.cart_states()[:, 2]
    assert (angles < -cp.ANGLE_LIMIT).any() and (angles > cp.ANGLE_LIMIT).any()  # both sides
