"""DQN: the replay ring, the targets on a hand-made batch, learning, saving."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from brains.base import BrainShape, Transitions
from brains.dqn import (
    DQN,
    DQNSettings,
    loss_gradient,
    td_targets,
    value_bounds,
    widen_action_gap,
)
from brains.flat_mlp import FlatAdam, FlatMLP, clip_norm_, torch_sequential
from brains.registry import make_brain
from brains.replay import NStepReturns, ReplayBuffer
from brains.settings import SettingsError
from brains.storage import BrainFileError, load_brain, save_brain
from game.arena import Budget, brain_shape
from game.experiment import make_arena

CARTPOLE = BrainShape(4, 2, "cartpole")


def transitions(start: int, count: int) -> Transitions:
    ids = np.arange(start, start + count)
    obs = np.repeat(ids[:, None], 4, axis=1).astype(np.float32)
    return Transitions(obs, ids % 2, ids.astype(float), obs + 0.5, ids % 3 == 0, ids % 5 == 0)


def test_the_replay_ring_wraps_around_keeping_the_newest():
    ring = ReplayBuffer(capacity=5, obs_dim=4)
    ring.add(transitions(0, 3), 0.9)
    assert len(ring) == 3 and ring.position == 3
    ring.add(transitions(3, 4), 0.9)  # 7 transitions into 5 places
    assert len(ring) == 5 and ring.position == 2
    assert sorted(ring.rewards.tolist()) == [2.0, 3.0, 4.0, 5.0, 6.0]
    ring.add(transitions(7, 12), 0.9)  # more than the ring holds at once: the newest 5 stay
    assert sorted(ring.rewards.tolist()) == [14.0, 15.0, 16.0, 17.0, 18.0]


def test_sampling_draws_rows_that_belong_together():
    ring = ReplayBuffer(capacity=100, obs_dim=4)
    ring.add(transitions(0, 30), np.arange(30) / 100)
    batch = ring.sample(np.random.default_rng(0), 500)
    assert batch.observations.shape == (500, 4)
    ids = batch.rewards.astype(int)
    assert set(ids) <= set(range(30)) and len(set(ids)) > 25
    assert np.array_equal(batch.observations[:, 0], ids.astype(np.float32))
    assert np.array_equal(batch.next_observations[:, 0], ids + 0.5)
    assert np.array_equal(batch.actions, ids % 2)
    assert np.array_equal(
        batch.terminated, (ids % 3 == 0).astype(np.float32)
    )  # truncation is not stored
    assert np.allclose(batch.discounts, ids / 100)


def test_a_one_hot_ring_gives_back_the_rows_a_plain_ring_does():
    cells = np.array([3, 0, 7, 7, 2, 5])
    eye = np.eye(9, dtype=np.float32)
    batch = Transitions(
        eye[cells], cells % 4, cells * 1.0, eye[(cells + 1) % 9], cells > 6, cells < 0
    )
    plain, compact = ReplayBuffer(4, 9), ReplayBuffer(4, 9, one_hot=True)
    for ring in (plain, compact):
        ring.add(batch, 0.99)  # six into four places: it wraps too
    assert compact.observations.shape == (4,)  # only the cell's index is kept
    want = plain.sample(np.random.default_rng(1), 50)
    got = compact.sample(np.random.default_rng(1), 50)
    for field in ("observations", "next_observations", "actions", "rewards", "terminated"):
        assert np.array_equal(getattr(got, field), getattr(want, field)), field
    assert got.observations.dtype == np.float32


def test_targets_stop_at_true_ends_and_double_dqn_lets_the_online_net_choose():
    import torch

    next_online = torch.tensor([[1.0, 5.0], [1.0, 5.0]])  # prefers action 1
    next_target = torch.tensor([[3.0, 2.0], [3.0, 2.0]])  # values action 0 more
    rewards = torch.tensor([1.0, 1.0])
    terminated = torch.tensor([0.0, 1.0])  # the second transition ended for real
    double = td_targets(rewards, terminated, 0.5, next_online, next_target, double=True)
    plain = td_targets(rewards, terminated, 0.5, next_online, next_target, double=False)
    assert double.tolist() == [1.0 + 0.5 * 2.0, 1.0]  # target's value of the online choice
    assert plain.tolist() == [1.0 + 0.5 * 3.0, 1.0]  # target's own max


@pytest.mark.parametrize("loss", ["mse", "huber"])
def test_the_loss_gradient_is_autograds(loss):
    import torch

    q = torch.tensor([0.5, -3.0, 2.0, 0.1], requires_grad=True)
    y = torch.tensor([0.0, 0.0, 0.0, 0.3])
    reference = (
        torch.nn.functional.mse_loss if loss == "mse" else torch.nn.functional.smooth_l1_loss
    )
    reference(q, y).backward()
    assert torch.allclose(loss_gradient((q - y).detach(), loss), q.grad)


def test_advantage_learning_lowers_only_the_targets_of_worse_actions():
    import torch

    targets = torch.tensor([10.0, 10.0])
    here = torch.tensor([[4.0, 6.0], [4.0, 6.0]])  # the target network's values of s
    taken = torch.tensor([[0], [1]])  # a worse action, then the best one
    widened = widen_action_gap(targets, here, taken, alpha=0.5)
    assert widened.tolist() == [10.0 - 0.5 * 2.0, 10.0]


def test_returns_are_bounded_by_the_reward_range_summed_over_the_discounted_future():
    assert value_bounds((0.0, 1.0), 0.99) == pytest.approx((0.0, 100.0))  # CartPole
    assert value_bounds((-1.0, 0.5), 0.5) == pytest.approx((-2.0, 1.0))
    assert value_bounds((-100.0, -1.0), 0.9) == pytest.approx((-1000.0, 0.0))  # may end: 0


def test_a_bounded_dqn_trains_toward_targets_no_higher_than_a_return_can_be():
    shape = BrainShape(4, 2, "cartpole", reward_range=(0.0, 1.0))
    obs = np.random.default_rng(0).uniform(0, 1, size=(64, 4)).astype(np.float32)
    ones, no = np.ones(64), np.zeros(64, dtype=bool)
    batch = Transitions(obs, np.zeros(64, dtype=np.int64), ones, obs[::-1].copy(), no, no)
    losses = {}
    for bounded in (True, False):
        dqn = DQN(shape, 1, 0, DQNSettings(hidden="8/8", gamma=0.9, bounded=bounded))
        dqn.buffer.add(batch, 0.9)  # 1 a step, none ended: every target bootstraps
        dqn.online.params.zero_()  # every value 0: the loss is the mean squared target
        dqn.target.params.fill_(1.0)  # values every next state at 73 or more
        dqn._learn()
        losses[bounded] = dqn.loss
    assert losses[False] > (1 + 0.9 * 73) ** 2
    assert losses[True] == pytest.approx(10.0**2)  # 1 a step at gamma 0.9: at most 10
    with pytest.raises(ValueError, match="bounded=true needs the scene's reward range; old"):
        DQN(BrainShape(4, 2, "old"), 1, 0, DQNSettings(bounded=True))


def test_an_optimistic_dqn_starts_valuing_every_state_at_the_most_a_return_can_be():
    shape = BrainShape(4, 2, "cartpole", reward_range=(0.0, 1.0))
    settings = DQNSettings(hidden="8", gamma=0.9, optimistic=True, policy_average=0.01)
    dqn = DQN(shape, 1, 0, settings)
    plain = DQN(shape, 1, 0, DQNSettings(hidden="8", gamma=0.9, policy_average=0.01))
    obs = dqn.inputs(np.random.default_rng(0).normal(size=(100, 4)).astype(np.float32))
    lift = dqn.online(obs) - plain.online(obs)  # the same weights but the output biases
    assert np.allclose(lift.numpy(), 10.0 - plain.online.layers[-1][1].numpy(), atol=1e-5)
    for network in (dqn.target, dqn.policy):  # all start from the same network
        assert np.array_equal(network(obs).numpy(), dqn.online(obs).numpy())


def one_step(agents, rewards, terminated=(), truncated=()) -> Transitions:
    """A tick for `agents` whose observations are [agent, reward] (to tell rows apart)."""
    count = len(agents)
    obs = np.array([[a, r] for a, r in zip(agents, rewards, strict=True)], dtype=np.float32)
    return Transitions(
        obs,
        np.zeros(count, dtype=np.int64),
        np.array(rewards, dtype=np.float32),
        obs + 100,
        np.isin(agents, terminated),
        np.isin(agents, truncated),
        np.array(agents),
    )


def test_n_step_returns_sum_each_agents_rewards_and_stop_at_true_ends():
    fold = NStepReturns(3, 0.5).fold
    out, discounts = fold(one_step([0, 1], [1, 10]))
    assert len(out) == 0  # nobody has three steps yet
    fold(one_step([0, 1], [2, 20]))
    out, discounts = fold(one_step([0, 1], [4, 40], terminated=[1]))
    # agent 0: 1 + 0.5*2 + 0.25*4 bootstraps from its third next observation with 0.5^3;
    # agent 1 ended for real: all three of its pending steps come out, none bootstrap
    assert out.rewards.tolist() == [3.0, 30.0, 40.0, 40.0]
    assert out.observations[:, 1].tolist() == [1, 10, 20, 40]
    assert out.next_observations.tolist() == [[100, 104], [101, 140], [101, 140], [101, 140]]
    assert out.terminated.tolist() == [False, True, True, True]
    assert discounts.tolist() == [0.125, 0.125, 0.25, 0.5]
    out, discounts = fold(one_step([0], [8], truncated=[0]))  # a time limit: bootstrap
    assert out.rewards.tolist() == [2 + 0.5 * 4 + 0.25 * 8, 4 + 0.5 * 8, 8.0]
    assert not out.terminated.any() and discounts.tolist() == [0.125, 0.25, 0.5]
    out, discounts = NStepReturns(1, 0.9).fold(one_step([3], [5]))
    assert out.rewards.tolist() == [5.0] and discounts.tolist() == [np.float32(0.9)]


@pytest.mark.parametrize("layer_norm", [False, True])
def test_the_hand_written_gradient_equals_autograds(layer_norm):
    import torch

    torch.manual_seed(0)
    net = FlatMLP(torch, [4, 16, 8, 3], layer_norm)
    reference = torch_sequential(torch, [4, 16, 8, 3], layer_norm)
    linear = [m for m in reference if isinstance(m, torch.nn.Linear)]
    for index, module in enumerate(linear):
        module.weight.data.copy_(net.layers[index][0])
        module.bias.data.copy_(net.layers[index][1])
    x, weights = torch.randn(32, 4), torch.randn(32, 3)
    (reference(x) * weights).sum().backward()  # d(loss)/d(output) = weights
    expected = torch.cat([t.grad.reshape(-1) for m in linear for t in (m.weight, m.bias)])
    forward = net.forward(x)
    assert torch.allclose(forward.output, reference(x).detach(), atol=1e-5)
    assert torch.allclose(net.gradient(forward, weights), expected, atol=1e-5)


def test_flat_adam_and_clipping_follow_torch_step_for_step():
    import torch

    torch.manual_seed(1)
    net = FlatMLP(torch, [3, 5, 2])
    reference = torch_sequential(torch, [3, 5, 2])
    reference.load_state_dict(net.state_dict())
    adam, torch_adam = FlatAdam(torch, len(net.params)), torch.optim.Adam(reference.parameters())
    for _ in range(20):
        x, weights = torch.randn(8, 3), torch.randn(8, 2) * 10
        reference.zero_grad()
        (reference(x) * weights).sum().backward()
        torch.nn.utils.clip_grad_norm_(reference.parameters(), 1.0)
        torch_adam.step()
        grad = net.gradient(net.forward(x), weights)
        clip_norm_(grad, 1.0)
        adam.step(net.params, grad, lr=1e-3)
    flat_reference = torch.cat([p.detach().reshape(-1) for p in reference.parameters()])
    assert torch.allclose(net.params, flat_reference, atol=1e-6)
    restored = FlatAdam(torch, len(net.params))
    restored.load_state_dict(torch_adam.state_dict())  # brains saved before FlatAdam existed
    assert restored.steps == 20 and torch.allclose(restored.exp_avg, adam.exp_avg, atol=1e-6)


def test_epsilon_falls_linearly_to_its_end():
    dqn = DQN(CARTPOLE, 1, 0, DQNSettings(exploration_steps=1000, epsilon_end=0.1))
    assert dqn.epsilon == 1.0
    dqn.env_steps = 500
    assert dqn.epsilon == pytest.approx(0.55)
    dqn.env_steps = 5000
    assert dqn.epsilon == pytest.approx(0.1)


def test_dqn_learns_cartpole_well_above_random():
    arena = make_arena("cartpole", make_brain("dqn", brain_shape("cartpole"), None, 2), 2)
    arena.run(Budget(max_steps=10_000))  # seed 2 solves at 4,000 (bench/dqn_vs_sb3)
    _, average = arena.metrics.series["return_average"].arrays()
    _, checks = arena.metrics.series["eval_score"].arrays()
    assert average[:3].mean() < 40  # pushing at random lasts 20-30 steps
    assert average.max() > 75  # the training mean rises well above that
    assert checks.max() >= 475  # and the greedy policy solves it
    assert {"loss", "mean_q", "epsilon"} <= set(arena.metrics.series)


@pytest.mark.parametrize(
    "settings",
    [
        "hidden=16",
        "hidden=16,layer_norm=true,n_step=3,loss=huber,action_gap=0.5",
        "hidden=16,policy_average=0.01",
        "hidden=16,mirror=true",
        "hidden=16,bounded=true",
        "hidden=16,optimistic=true",
    ],
)
def test_a_saved_dqn_acts_identically_and_can_go_on_training(tmp_path, settings):
    brain = make_brain(f"dqn:{settings}", brain_shape("cartpole"), None, 1)
    arena = make_arena("cartpole", brain, 1)
    arena.run(Budget(max_steps=2_000))
    directory = save_brain(arena.brain, tmp_path / "brain")
    assert sorted(p.name for p in directory.iterdir()) == ["brain.json", "weights.pt"]
    loaded = load_brain(directory)
    obs = np.random.default_rng(0).normal(size=(200, 4)).astype(np.float32)
    assert np.array_equal(loaded.champion().act(obs), arena.brain.champion().act(obs))
    assert loaded.env_steps == 2_000 and loaded.epsilon == arena.brain.epsilon
    # It goes on with as many carts as it is given and dice drawn from the run's seed.
    loaded.go_on(2, seed=7)
    twin = make_brain(f"dqn:{settings}", brain_shape("cartpole"), 2, 7)
    assert loaded.population_size == 2 and loaded.rng.random() == twin.rng.random()
    # Its replay was not saved: it refills learning_starts transitions, then learns.
    again = make_arena("cartpole", loaded, 2)
    again.run(Budget(max_steps=900))
    assert loaded.updates == arena.brain.updates and len(loaded.buffer) >= 890
    again.run(Budget(max_steps=1_500))
    assert loaded.updates > arena.brain.updates


def test_the_greedy_policy_can_act_with_a_running_average_of_the_weights():
    import torch

    dqn = DQN(CARTPOLE, 1, 0, DQNSettings(hidden="8", policy_average=0.25, epsilon_end=0.0))
    assert dqn.policy is not dqn.online and torch.equal(dqn.policy.params, dqn.online.params)
    dqn.buffer.add(transitions(0, 64), 0.9)
    before = dqn.policy.params.clone()
    dqn._learn()
    assert not torch.equal(dqn.online.params, before)  # the step moved the online network
    assert torch.allclose(dqn.policy.params, 0.75 * before + 0.25 * dqn.online.params)
    # Greedy acts with the average, exploration (epsilon 0 here) with the online network.
    dqn.env_steps = dqn.settings.exploration_steps
    dqn.online.params.copy_(torch.randn(len(before)))
    obs = np.random.default_rng(0).normal(size=(200, 4)).astype(np.float32)
    assert np.array_equal(dqn.greedy(obs), dqn.policy(dqn.inputs(obs)).argmax(dim=1).numpy())
    assert np.array_equal(dqn.act(obs), dqn.online(dqn.inputs(obs)).argmax(dim=1).numpy())
    assert not np.array_equal(dqn.act(obs), dqn.greedy(obs))
    dqn.checked(100.0)
    assert torch.equal(dqn.best.params, dqn.policy.params)  # the checked network is kept
    plain = DQN(CARTPOLE, 1, 0, DQNSettings(hidden="8"))
    assert plain.policy is plain.online  # 0: no average, the online network acts


def test_a_mirrored_greedy_policy_does_in_the_mirror_what_it_does_here():
    shape = brain_shape("cartpole")
    mirrored = make_brain("dqn:hidden=8,mirror=true,policy_average=0", shape, None, 3)
    obs = np.random.default_rng(1).normal(size=(500, 4)).astype(np.float32)
    actions = mirrored.greedy(obs)
    assert 0 < actions.mean() < 1
    assert np.array_equal(mirrored.greedy(-obs), 1 - actions)  # push left becomes push right
    # What it sums: the values of the state and, action for action, of its mirror image.
    values = mirrored.policy(mirrored.inputs(obs)) + mirrored.policy(mirrored.inputs(-obs)).flip(1)
    assert np.array_equal(actions, values.argmax(dim=1).numpy())
    plain = make_brain("dqn:hidden=8,mirror=false,policy_average=0", shape, None, 3)
    assert not np.array_equal(plain.greedy(-obs), 1 - plain.greedy(obs))  # a network leans


def test_a_dqn_saves_the_network_of_its_best_check(tmp_path):
    import torch

    dqn = DQN(CARTPOLE, 1, 0, DQNSettings(hidden="8"))
    networks = [torch.randn(len(dqn.online.params)) for _ in range(3)]
    for params, mean in zip(networks, (100.0, 500.0, 50.0), strict=True):
        dqn.online.params.copy_(params)  # as if training had moved it
        dqn.checked(mean)
    assert dqn.saved_check() == 500.0
    directory = save_brain(dqn, tmp_path / "brain")
    assert json.loads((directory / "brain.json").read_text())["checked"]["score"] == 500.0
    loaded = load_brain(directory)
    assert torch.equal(loaded.online.params, networks[1])
    assert torch.equal(loaded.target.params, networks[1])
    assert loaded.saved_check() == 500.0  # kept until a later check beats it
    loaded.online.params.copy_(networks[2])
    loaded.checked(499.0)
    assert torch.equal(loaded.best.params, networks[1])


def test_training_reports_the_check_of_the_network_it_saves(tmp_path):
    from game.training import train

    arena = make_arena("cartpole", make_brain("dqn", brain_shape("cartpole"), None, 66), 66)
    result = train(arena, Budget(max_steps=6_000), tmp_path, progress=False)
    _, checks = arena.metrics.series["eval_score"].arrays()
    assert checks[-1] < checks.max()  # this seed has unlearned some by the end
    assert result["eval_score"] == checks.max() == arena.brain.best_check["score"]
    saved = json.loads((Path(result["saved_to"]) / "brain.json").read_text())
    assert saved["checked"]["score"] == checks.max()


def test_a_dqn_saved_on_a_maze_loads_with_the_compact_ring(tmp_path):
    brain = make_brain("dqn:hidden=8", brain_shape("gridworld"), None, 0)
    loaded = load_brain(save_brain(brain, tmp_path / "brain"))
    assert loaded.shape.one_hot and loaded.buffer.observations.ndim == 1  # cell indices


def test_corrupt_or_foreign_weights_are_one_line_errors(tmp_path):
    import torch

    arena = make_arena("cartpole", make_brain("dqn:hidden=8", brain_shape("cartpole"), None, 0), 0)
    arena.run(Budget(max_steps=100))
    directory = save_brain(arena.brain, tmp_path / "brain")
    weights = directory / "weights.pt"
    weights.write_bytes(b"not a torch file at all")
    with pytest.raises(BrainFileError, match="not a torch weights file") as error:
        load_brain(directory)
    assert "\n" not in str(error.value)
    torch.save({"online": {"0.weight": torch.zeros(3, 3)}, "target": {}}, weights)  # wrong shapes
    with pytest.raises(BrainFileError, match="does not fit this network"):
        load_brain(directory)
    torch.save([1, 2, 3], weights)
    with pytest.raises(BrainFileError, match="not a dict"):
        load_brain(directory)


def test_a_pickled_object_in_the_weights_is_refused(tmp_path):
    import pickle

    arena = make_arena("cartpole", make_brain("dqn:hidden=8", brain_shape("cartpole"), None, 0), 0)
    directory = save_brain(arena.brain, tmp_path / "brain")

    class Evil:
        def __reduce__(self):
            return (print, ("this must never run",))

    (directory / "weights.pt").write_bytes(pickle.dumps({"online": Evil()}))
    with pytest.raises(BrainFileError, match="not a torch weights file"):
        load_brain(directory)
    import torch

    torch.save({"online": Evil()}, directory / "weights.pt")  # a real torch archive, same trick
    with pytest.raises(BrainFileError, match="holds Python objects"):
        load_brain(directory)


def test_bad_settings_are_one_line_errors():
    shape = brain_shape("cartpole")
    with pytest.raises(SettingsError, match="hidden='64x' must be layer sizes"):
        make_brain("dqn:hidden=64x", shape, None, 0)
    with pytest.raises(SettingsError, match="gamma must be between 0 and 1"):
        make_brain("dqn:gamma=2", shape, None, 0)
    with pytest.raises(SettingsError, match="policy_average must be between 0 and 1, got 2"):
        make_brain("dqn:policy_average=2", shape, None, 0)
    with pytest.raises(SettingsError, match="loss must be huber or mse, got 'l1'"):
        make_brain("dqn:loss=l1", shape, None, 0)
    with pytest.raises(SettingsError, match="input_scale='1/0/1/1' must be positive numbers"):
        make_brain("dqn:input_scale=1/0/1/1", shape, None, 0)
    with pytest.raises(ValueError, match="input_scale has 3 values, the scene has 4"):
        make_brain("dqn:input_scale=1/2/3", shape, None, 0)
    with pytest.raises(SettingsError, match="bounded=true needs gamma below 1"):
        make_brain("dqn:bounded=true,gamma=1", shape, None, 0)
    with pytest.raises(SettingsError, match="optimistic=true needs gamma below 1"):
        make_brain("dqn:optimistic=true,bounded=false,gamma=1", shape, None, 0)
    no_range = "optimistic=true needs the scene's reward range; cartpole has none"
    with pytest.raises(ValueError, match=no_range):
        DQN(CARTPOLE, 1, 0, DQNSettings(optimistic=True))
    no_mirror = "mirror=true needs the scene's mirror symmetry; flappy has none"
    with pytest.raises(ValueError, match=no_mirror):
        make_brain("dqn:mirror=true", brain_shape("flappy"), None, 0)


def test_inputs_are_divided_by_their_scale_before_the_network_sees_them():
    scaled = DQN(CARTPOLE, 1, 0, DQNSettings(input_scale="2/4/0.5/1"))
    plain = DQN(CARTPOLE, 1, 0, DQNSettings())
    observations = np.array([[1.0, 1.0, 1.0, 1.0], [-2.0, 4.0, 0.1, 3.0]], dtype=np.float32)
    expected = [[0.5, 0.25, 2.0, 1.0], [-1.0, 1.0, 0.2, 3.0]]
    assert np.allclose(scaled.inputs(observations).numpy(), expected)
    assert np.array_equal(plain.inputs(observations).numpy(), observations)


def test_dqn_flies_flappy_too_with_several_birds_sharing_the_learner():
    arena = make_arena("flappy", make_brain("dqn:hidden=16", brain_shape("flappy"), 4, 0), 0)
    arena.run(Budget(max_steps=3_000))
    assert arena.metrics.episodes >= 4 and arena.brain.updates > 0
    json.dumps(arena.brain.diagnostics())


def test_the_learning_rate_can_decay_linearly_to_a_tenth():
    dqn = DQN(CARTPOLE, 1, 0, DQNSettings(lr=0.01, lr_decay_steps=1000))
    assert dqn.learning_rate() == pytest.approx(0.01)
    dqn.env_steps = 500
    assert dqn.learning_rate() == pytest.approx(0.01 * 0.55)
    dqn.env_steps = 10_000
    assert dqn.learning_rate() == pytest.approx(0.001)
    assert DQN(CARTPOLE, 1, 0).learning_rate() == DQNSettings().lr  # constant by default


def test_cartpole_and_flappy_bird_have_their_own_defaults_and_given_settings_win():
    flappy = make_brain("dqn", brain_shape("flappy"), 1, 0).settings
    assert (flappy.epsilon_end, flappy.n_step, flappy.layer_norm, flappy.lr) == (
        0.001,
        3,
        True,
        0.003,
    )
    assert make_brain("dqn:n_step=1,lr=0.01", brain_shape("flappy"), 1, 0).settings.n_step == 1
    cartpole = make_brain("dqn", brain_shape("cartpole"), None, 0)
    assert cartpole.settings == DQNSettings(
        input_scale="2.4/2/0.21/2",
        n_step=2,
        batch=256,
        policy_average=0.002,
        mirror=True,
        gamma=0.995,
        bounded=True,
        optimistic=True,
    )
    title = "DQN 64/64, 2-step, batch 256, averaged, mirrored, bounded"
    assert cartpole.describe() == title
    assert make_brain("dqn:loss=huber", brain_shape("cartpole"), None, 0).settings.loss == "huber"
    slower = make_brain("dqn:lr=0.001", brain_shape("cartpole"), None, 0)
    assert slower.describe().startswith("DQN 64/64, lr 0.001, 2-step")  # named where it differs
    # No gridworld defaults of its own; the Dyna Maze's map fixes the book's gamma 0.95.
    assert make_brain("dqn", brain_shape("gridworld"), None, 0).settings == DQNSettings(gamma=0.95)
