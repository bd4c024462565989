"""CartPole in float32 (scene key cartpole:float32): the float64 scene's carts to within
float32's rounding, brains learn on it, and everything keyed on CartPole treats it so."""

from __future__ import annotations

import numpy as np
import pytest

from brains.q_table import SCENE_DEFAULTS
from brains.registry import make_brain
from game.arena import Budget, brain_shape
from game.experiment import make_arena
from game.scenes import make_scene, split_scene_key
from game.scenes.cartpole import TIME_LIMIT, CartPoleScene
from game.scenes.cartpole_float32 import CartPoleFloat32Scene

# A linear controller that balances the pole (a hand-tuned one, not learnt).
BALANCE = np.array([0.1, 0.5, 10.0, 2.0])


def test_the_key_names_the_float32_scene_and_refuses_other_number_types():
    scene = make_scene("cartpole:float32", 3)
    assert isinstance(scene, CartPoleFloat32Scene)
    scene.reset(0)
    assert scene.state.dtype == np.float32 and scene.observe().dtype == np.float32
    assert type(make_scene("cartpole", 3)) is CartPoleScene
    assert split_scene_key("cartpole:float32") == ("cartpole", "float32")
    for bad in ("cartpole:float64", "cartpole:", "flappy:float32"):
        with pytest.raises(KeyError, match=bad):
            split_scene_key(bad)


def test_random_episodes_follow_the_float64_carts_to_float32_precision():
    # Same starts, same actions: whole episodes (random pushes drop the pole within
    # about 20 steps) stay within float32's rounding, grown a little by the dynamics.
    exact, fast = CartPoleScene(1_000), CartPoleFloat32Scene(1_000)
    exact.reset(3)
    fast.reset(3)
    rng = np.random.default_rng(3)
    while not exact.all_done:
        both = exact.alive.copy()
        actions = rng.integers(0, 2, exact.n)
        exact.step(actions)
        fast.step(actions)
        gap = np.abs(exact.state[:, both] - fast.state[:, both])
        assert gap.max() < 1e-4, gap.max()
        np.testing.assert_array_equal(fast.alive, exact.alive)  # same carts fail, same step
    np.testing.assert_array_equal(fast.steps, exact.steps)


def test_a_balancing_policy_scores_the_same_on_both():
    # Closed loop, each scene's own observations choose its pushes. Pushes differ once
    # rounding tips one near the controller's boundary, so states part by about one
    # push; what the carts score does not.
    scores = []
    for scene in (CartPoleScene(200), CartPoleFloat32Scene(200)):
        scene.reset(5)
        while not scene.all_done:
            scene.step((scene.observe() @ BALANCE > 0).astype(np.int64))
        scores.append(scene.scores.copy())
    np.testing.assert_array_equal(scores[0], scores[1])
    assert (scores[0] == TIME_LIMIT).all()


def test_lanes_snapshots_and_restarts_keep_float32():
    scene = CartPoleFloat32Scene(4)
    scene.reset(1)
    lanes = scene.make_lanes(4)
    lanes.load_lanes(scene.snapshot(), np.arange(4))
    assert isinstance(lanes, CartPoleFloat32Scene) and lanes.state.dtype == np.float32
    scene.step(np.ones(4, np.int64))
    scene.reset_agents(np.array([True, False, False, False]))
    scene.restore(scene.snapshot())
    assert scene.state.dtype == np.float32


@pytest.mark.parametrize(("brain", "steps"), [("random-search", 60_000), ("q-table", 150_000)])
def test_brains_learn_to_balance_on_float32_carts(brain, steps):
    arena = make_arena(
        "cartpole:float32", make_brain(brain, brain_shape("cartpole:float32"), None, 0), 0
    )
    assert isinstance(arena.scene, CartPoleFloat32Scene)
    arena.run(Budget(max_steps=steps, until_solved=True))
    assert arena.metrics.solved, arena.metrics.eval_score  # 475 over 20 fresh episodes


def test_cartpole_defaults_apply_to_the_float32_key():
    shape = brain_shape("cartpole:float32")
    assert shape.family == "cartpole"
    q_table = make_brain("q-table", shape, None, 0)
    assert tuple(q_table.bins) == SCENE_DEFAULTS["cartpole"][0]
    dqn_there = make_brain("dqn", shape, None, 0).settings
    assert dqn_there == make_brain("dqn", brain_shape("cartpole"), None, 0).settings
