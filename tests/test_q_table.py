"""Tabular Q-learning: binning, the update rule on hand-made transitions, and learning."""

from __future__ import annotations

import numpy as np
import pytest

from brains.base import BrainShape, Transitions
from brains.q_table import QTable, QTableSettings
from brains.registry import make_brain
from brains.settings import SettingsError
from brains.storage import load_brain, save_brain
from game.arena import Budget, LearnerArena, brain_shape
from game.evaluation import Evaluation
from game.experiment import make_arena
from game.scenes import SolveRule

CARTPOLE = BrainShape(4, 2, "cartpole")
# The classic write-up's table (the defaults before): every variable binned, a constant
# learning rate and epsilon falling by a factor each episode.
CLASSIC = QTableSettings(
    bins="8/8/10/10",
    low="-2.4/-3/-0.21/-3.5",
    high="2.4/3/0.21/3.5",
    alpha=0.1,
    schedule="exponential",
)


def test_cartpole_defaults_bin_the_pole_alone_and_edges_clip():
    table = QTable(CARTPOLE, 1, 0)
    assert table.bins.tolist() == [1, 1, 6, 12] and table.q.shape == (72, 2)
    far = np.array([[-99, -99, -99, -99], [99, 99, 99, 99]], dtype=np.float32)
    assert table.states(far).tolist() == [0, 71]
    # Angle bins of 0.07 rad, angular velocity bins of 0.145 rad/s; the cart is ignored.
    obs = np.array([[2.0, -2.0, 0.01, 0.1], [0.0, 0.0, -0.08, -0.5]], dtype=np.float32)
    assert table.states(obs).tolist() == [3 * 12 + 6, 1 * 12 + 2]


def test_the_classic_bins_still_index_every_variable():
    table = QTable(CARTPOLE, 1, 0, CLASSIC)
    assert table.bins.tolist() == [8, 8, 10, 10] and table.q.shape == (6400, 2)
    obs = np.array([[-99, -99, -99, -99], [99, 99, 99, 99], [0.1, -0.1, 0.01, -0.1]])
    assert table.states(obs).tolist() == [0, 6399, 4 * 800 + 3 * 100 + 5 * 10 + 4]


def batch(s, a, r, s2, terminated=False, truncated=False) -> Transitions:
    return Transitions(
        np.array([s], dtype=np.float32),
        np.array([a]),
        np.array([r], dtype=float),
        np.array([s2], dtype=np.float32),
        np.array([terminated]),
        np.array([truncated]),
    )


def test_the_update_bootstraps_through_time_limits_but_not_through_true_ends():
    settings = QTableSettings(alpha=0.5, gamma=0.9)
    here, there = [0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 0.1, 1.0]
    for terminated, truncated, expected in (
        (False, False, 0.5 * (1 + 0.9 * 4)),
        (False, True, 0.5 * (1 + 0.9 * 4)),
        (True, False, 0.5 * 1),
    ):
        table = QTable(CARTPOLE, 1, 0, settings)
        s2 = table.states(np.array([there], dtype=np.float32))[0]
        table.q[s2] = [4.0, 2.0]
        table.observe(batch(here, 1, 1.0, there, terminated, truncated))
        s = table.states(np.array([here], dtype=np.float32))[0]
        assert table.q[s, 1] == pytest.approx(expected)
        assert table.q[s, 0] == 0.0


def test_epsilon_decays_per_episode_down_to_its_floor_on_the_exponential_schedule():
    settings = QTableSettings(
        schedule="exponential", alpha=0.1, epsilon=1.0, epsilon_decay=0.5, epsilon_min=0.1
    )
    table = QTable(CARTPOLE, 1, 0, settings)
    table.end_episodes(1)
    assert table.epsilon == 0.5 and table.alpha == 0.1
    table.end_episodes(10)
    assert table.epsilon == 0.1 and table.alpha == 0.1


def test_the_log_schedule_holds_both_rates_then_lowers_them_to_their_floors():
    table = QTable(CARTPOLE, 1, 0)
    table.end_episodes(24)  # 1 - log10(25 / 25) = 1
    assert (table.epsilon, table.alpha) == (1.0, 1.0)
    table.end_episodes(225)  # 1 - log10(250 / 25) = 0
    assert (table.epsilon, table.alpha) == (0.01, 0.1)
    table = QTable(CARTPOLE, 1, 0, QTableSettings(alpha=0.5, decay_episodes=10))
    table.end_episodes(30)  # 1 - log10(31 / 10) = 0.51
    assert table.epsilon == pytest.approx(1 - np.log10(3.1)) and table.alpha == 0.5
    with pytest.raises(SettingsError, match="schedule must be one of log, exponential"):
        make_brain("q-table:schedule=linear", brain_shape("cartpole"), None, 0)


def test_a_loaded_table_goes_on_with_the_rates_of_its_episodes(tmp_path):
    table = make_brain("q-table", brain_shape("cartpole"), 1, 0)
    table.end_episodes(100)
    loaded = load_brain(save_brain(table, tmp_path / "brain"))
    assert (loaded.episodes, loaded.epsilon, loaded.alpha) == (100, table.epsilon, table.alpha)


def test_bad_bins_are_one_line_errors():
    shape = brain_shape("cartpole")
    assert make_brain("q-table:bins=4/4/6/6", shape, None, 0).bins.tolist() == [4, 4, 6, 6]
    assert make_brain("q-table:bins=4x4x6x6", shape, None, 0).bins.tolist() == [4, 4, 6, 6]
    with pytest.raises(ValueError, match="bins has 2 values, the scene has 4"):
        make_brain("q-table:bins=8/8", shape, None, 0)
    with pytest.raises(SettingsError, match="not key=value"):
        make_brain("q-table:bins=8,8,10,10", shape, None, 0)  # commas separate settings
    with pytest.raises(ValueError, match="separated by /"):
        QTable(shape, 1, 0, QTableSettings(low="a/b/c/d"))
    with pytest.raises(ValueError, match="use fewer bins"):
        QTable(brain_shape("flappy"), 1, 0, QTableSettings(bins="40/40/40/40/40/40/40"))


def greedy_mean(table: QTable, seed: int) -> float:
    """The greedy policy's mean over 100 fresh episodes (CartPole-v0's rule's count)."""
    evaluation = Evaluation("cartpole", table.champion(), seed, SolveRule(100, 195, False))
    evaluation.finish()
    return evaluation.score


def test_the_defaults_learn_to_balance_195_steps_on_average_within_150_episodes():
    table = make_brain("q-table", brain_shape("cartpole"), None, 1)
    assert greedy_mean(table, 99) < 50  # an empty table breaks ties at random
    arena = LearnerArena("cartpole", table, 1)
    arena.run(Budget(max_episodes=150))  # about 8,000 steps, one cart
    assert greedy_mean(table, 99) >= 195


def test_q_learning_mean_return_rises_on_cartpole():
    arena = make_arena("cartpole", make_brain("q-table", brain_shape("cartpole"), 16, 0), 0)
    assert isinstance(arena, LearnerArena)
    arena.run(Budget(max_steps=150_000))
    _, average = arena.metrics.series["return_average"].arrays()
    assert average[:5].mean() < 30  # random pushing drops the pole in about 20 steps
    assert average[-5:].mean() > 2.5 * average[:5].mean()
    assert arena.metrics.eval_score is not None


def test_the_learner_arena_counts_steps_episodes_and_checks_every_2000_steps():
    arena = make_arena("cartpole", make_brain("q-table", brain_shape("cartpole"), 4, 1), 1)
    arena.run(Budget(max_steps=10_000))
    m = arena.metrics
    assert 10_000 <= m.env_steps < 10_004 and m.episodes > 100
    assert arena._evaluations == 5  # one greedy check per 2,000 steps
    assert m.generations == 0


def test_a_saved_table_plays_like_the_original(tmp_path):
    arena = make_arena("cartpole", make_brain("q-table", brain_shape("cartpole"), 4, 2), 2)
    arena.run(Budget(max_steps=5_000))
    loaded = load_brain(save_brain(arena.brain, tmp_path / "brain"))
    obs = np.random.default_rng(0).normal(0, 0.5, size=(300, 4)).astype(np.float32)
    assert arena.brain.best_check is not None  # checked at 2,000 and 4,000 steps
    assert np.array_equal(loaded.q, arena.brain.table_to_save())
    arena.brain.q = arena.brain.table_to_save()  # the original as it was at its best check
    decided = np.ptp(loaded.q[loaded.states(obs)], axis=1) > 0  # elsewhere ties break at random
    assert decided.sum() > 50
    assert np.array_equal(
        loaded.champion().act(obs)[decided], arena.brain.champion().act(obs)[decided]
    )


def test_a_table_saves_as_it_was_at_its_best_check(tmp_path):
    brain = make_brain("q-table", brain_shape("cartpole"), 1, 0)
    brain.q[:] = 1.0
    brain.checked(300.0)
    brain.q[:] = 2.0  # training goes on, and the next check is worse
    brain.checked(120.0)
    assert brain.saved_check() == 300.0
    directory = save_brain(brain, tmp_path / "brain")
    loaded = load_brain(directory)
    assert np.all(loaded.q == 1.0) and loaded.best_check["score"] == 300.0
    loaded.q[:] = 3.0
    loaded.checked(300.0)  # an equal check later wins: it has trained longer
    assert np.all(loaded.table_to_save() == 3.0)


def test_q_learning_also_plays_flappy_with_the_course_restarting_when_all_birds_are_done():
    arena = make_arena("flappy", make_brain("q-table", brain_shape("flappy"), 8, 0), 0)
    arena.run(Budget(max_episodes=40))
    assert arena.metrics.episodes >= 40 and arena._restarts >= 5
