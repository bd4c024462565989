"""The policy-gradient brains: their written-out gradients against autograd's, GAE by
hand, TRPO inside its trust region, learning CartPole, and saving what they learnt."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from brains.actor_critic import (
    ActorCritic,
    clipped_surrogate_loss,
    conjugate_gradient,
    entropy,
    gae,
    kl_divergence,
    policy_gradient_loss,
    value_loss,
)
from brains.registry import make_brain
from brains.storage import load_brain
from game.arena import Budget, brain_shape
from game.experiment import make_arena

PG_BRAINS = ("reinforce", "a2c", "ppo", "trpo")


def test_gae_matches_a_hand_computed_example():
    # Two sequences laid end to end: an episode that terminates after 3 steps, then one
    # cut by the batch's edge after 2 (it bootstraps from the critic's value there).
    rewards = np.array([1.0, 1.0, 1.0, 0.5, 2.0])
    values = np.array([0.5, 0.4, 0.3, 1.0, 1.0])
    next_values = np.array([0.4, 0.3, 9.9, 1.0, 3.0])
    terminated = np.array([0.0, 0.0, 1.0, 0.0, 0.0])
    ends = np.array([False, False, True, False, True])
    gamma, lam = 0.9, 0.5
    # deltas: r + gamma (1 - terminated) V(s') - V(s)
    d = [1 + 0.9 * 0.4 - 0.5, 1 + 0.9 * 0.3 - 0.4, 1 - 0.3, 0.5 + 0.9 * 1.0 - 1.0, 2 + 0.9 * 3 - 1]
    a2 = d[2]
    a1 = d[1] + 0.45 * a2
    a0 = d[0] + 0.45 * a1
    a4 = d[4]
    a3 = d[3] + 0.45 * a4
    advantages, returns = gae(rewards, values, next_values, terminated, ends, gamma, lam)
    np.testing.assert_allclose(advantages, [a0, a1, a2, a3, a4])
    np.testing.assert_allclose(returns, np.array([a0, a1, a2, a3, a4]) + values)
    # lam = 1: Monte-Carlo returns of the finished episode.
    _, mc = gae(rewards, values, next_values, terminated, ends, gamma, 1.0)
    np.testing.assert_allclose(mc[:3], [1 + 0.9 + 0.81, 1 + 0.9, 1.0])


def tiny(seed: int = 0) -> tuple[ActorCritic, torch.Tensor, torch.Tensor]:
    torch.manual_seed(seed)
    net = ActorCritic(torch, 3, 4, [5, 6])
    for weights in (net.actor.params, net.critic.params):  # away from the near-uniform start
        weights.normal_(0, 0.7)
    inputs = torch.randn(9, 3)
    actions = torch.randint(0, 4, (9,))
    return net, inputs, actions


def autograd_of(network, loss_of) -> torch.Tensor:
    theta = network.params.clone().requires_grad_(True)
    with torch.enable_grad():
        loss = loss_of(network.apply(theta, INPUTS[0]))
        (grad,) = torch.autograd.grad(loss, theta)
    return grad


INPUTS: list[torch.Tensor] = []


@pytest.mark.parametrize("ent_coef", [0.0, 0.05])
def test_the_policy_gradient_and_ppos_clipped_gradient_match_autograd(ent_coef):
    net, inputs, actions = tiny()
    INPUTS[:] = [inputs]
    advantages = torch.randn(9)
    old = torch.log_softmax(torch.randn(9, 4), -1).gather(1, actions[:, None]).squeeze(1)
    clip = 0.2

    def plain(log_probs):
        return advantages, -(log_probs * advantages).mean()

    def clipped(log_probs):
        ratio = (log_probs - old).exp()
        unclipped, kept = ratio * advantages, ratio.clamp(1 - clip, 1 + clip) * advantages
        return torch.where(unclipped <= kept, unclipped, 0 * unclipped), -torch.minimum(
            unclipped, kept
        ).mean()

    references = {
        "policy gradient": lambda logits: policy_gradient_loss(torch, logits, actions, advantages),
        "clipped surrogate": lambda logits: clipped_surrogate_loss(
            torch, logits, actions, advantages, old, clip
        ),
    }
    for (name, reference), weights in zip(references.items(), (plain, clipped), strict=True):
        ours, _, _ = net.policy_gradient(inputs, actions, weights, ent_coef)

        def loss_of(logits, reference=reference):
            return reference(logits) - ent_coef * entropy(torch, logits).mean()

        expected = autograd_of(net.actor, loss_of)
        torch.testing.assert_close(ours, expected, rtol=1e-4, atol=1e-6, msg=name)


@pytest.mark.parametrize("clip", [0.0, 0.1])
def test_the_critics_gradient_matches_autograd_with_and_without_clipping(clip):
    net, inputs, _ = tiny(1)
    INPUTS[:] = [inputs]
    returns, old_values = torch.randn(9), torch.randn(9)
    ours, loss = net.value_gradient(inputs, returns, old_values, clip)
    expected = autograd_of(
        net.critic, lambda out: value_loss(torch, out.squeeze(1), returns, old_values, clip)
    )
    torch.testing.assert_close(ours, expected, rtol=1e-4, atol=1e-6)
    assert loss == pytest.approx(
        float(value_loss(torch, net.values(inputs), returns, old_values, clip))
    )


def test_conjugate_gradient_solves_a_positive_definite_system():
    torch.manual_seed(0)
    m = torch.randn(6, 6, dtype=torch.float64)
    a = m @ m.T + 0.5 * torch.eye(6, dtype=torch.float64)
    b = torch.randn(6, dtype=torch.float64)
    x = conjugate_gradient(lambda v: a @ v, b, iterations=20)
    torch.testing.assert_close(a @ x, b)


def gathered(name: str, steps: int, seed: int = 0):
    brain = make_brain(name, brain_shape("cartpole"), None, seed)
    arena = make_arena("cartpole", brain, seed)
    arena.run(Budget(max_steps=steps))
    return arena


def test_a_trpo_step_stays_inside_its_trust_region():
    brain = make_brain("trpo:max_kl=0.005", brain_shape("cartpole"), None, 0)
    steps = []
    original = brain.policy_step

    def watched(batch, advantages):
        before = brain.net.logits(batch.inputs)
        kl, gain = original(batch, advantages)
        after = brain.net.logits(batch.inputs)
        steps.append((float(kl_divergence(torch, before, after).mean()), kl))
        return kl, gain

    brain.policy_step = watched
    arena = make_arena("cartpole", brain, 0)
    arena.run(Budget(max_steps=6_000))
    assert len(steps) >= 4
    for measured, reported in steps:
        assert measured <= 0.005 * 1.001 and measured == pytest.approx(reported, abs=1e-6)
    assert any(measured > 0.001 for measured, _ in steps), "TRPO never moved the policy"


@pytest.mark.parametrize(
    ("name", "steps"), [("reinforce", 8_000), ("a2c", 30_000), ("ppo", 4_000), ("trpo", 6_000)]
)
def test_each_brain_learns_cartpole_far_above_random(name, steps):
    arena = gathered(name, steps)
    arena.evaluate_champion()
    # A random policy balances about 22 steps; a greedy check of 20 fresh episodes.
    best = max(arena.metrics.series["eval_score"].arrays()[1])
    assert best > 150, f"{name} reached only {best} in {steps} steps"


@pytest.mark.parametrize("name", PG_BRAINS)
def test_a_saved_brain_loads_and_plays_the_same_actions(name, tmp_path):
    arena = gathered(name, 3_000)
    arena.evaluate_champion()
    saved = load_brain(arena.save_best(tmp_path))
    assert type(saved) is type(arena.brain) and saved.env_steps == arena.brain.env_steps
    observations = np.random.default_rng(0).normal(0, 1, (200, 4)).astype(np.float32)
    kept = arena.brain.best_state or arena.brain.net.state_dict()
    arena.brain.net.load_state_dict(kept)  # what was saved: the networks of the best check
    assert np.array_equal(saved.greedy(observations), arena.brain.greedy(observations))


@pytest.mark.parametrize("name", ["reinforce:episodes=2", "a2c", "ppo:rollout=512", "trpo"])
def test_every_scene_can_be_played(name):
    for scene in ("flappy", "gridworld:dyna-maze"):
        brain = make_brain(name, brain_shape(scene), 4, 0)
        arena = make_arena(scene, brain, 0)
        arena.run(Budget(max_steps=4_000))
        assert arena.metrics.env_steps >= 4_000 and brain.updates >= 1, (name, scene)
        assert set(brain.diagnostics()) >= {"entropy", "value_loss", "p0"}


def test_the_window_charts_entropy_losses_kl_and_the_watched_agents_probabilities():
    arena = gathered("ppo", 1_500)
    titles = [chart.title for chart in arena.charts()]
    assert titles[0] == "Return per episode"
    assert {"Policy entropy (nats)", "KL divergence of each update"} <= set(titles)
    assert "Action probabilities, agent 1" in titles
    assert "p1" in arena.metrics.series and "kl" in arena.metrics.series


def test_ppos_kl_early_stop_cuts_the_epochs_short():
    epochs = []
    for target in (0.0, 1e-6):
        brain = make_brain(
            f"ppo:rollout=256,epochs=10,target_kl={target}", brain_shape("cartpole"), None, 0
        )
        steps = []
        joint = brain.joint_step
        brain.joint_step = lambda *a, joint=joint, steps=steps: steps.append(1) or joint(*a)
        arena = make_arena("cartpole", brain, 0)
        arena.run(Budget(max_steps=600))
        epochs.append(len(steps) / brain.updates)
    # CartPole's minibatch is the whole batch of 256: one step an epoch.
    assert epochs[0] == 10
    assert epochs[1] == 1  # past the limit after the first epoch: no second


def test_the_policy_gradients_race_the_other_brains():
    from game.compare import CompareArena

    brains = [
        (name, make_brain(name, brain_shape("cartpole"), None, 0)) for name in ("ppo", "hill-climb")
    ]
    race = CompareArena("cartpole", brains, 0, Budget(max_steps=20_000, until_solved=True))
    for _ in range(20_000):
        if race.all_done:
            break
        race.tick()
    assert race.lanes[0].arena.metrics.solved, "ppo did not solve CartPole in the race"
    assert "lane0" in race.metrics.series and "check0" in race.metrics.series
