"""Tabular learners on gridworlds: the book's results, for fixed seeds and small budgets.

Cliff Walking (Example 6.6): Q-learning's greedy path runs along the cliff, SARSA's keeps
away from it and earns more while exploring. Dyna Maze (Example 8.1): planning steps need
fewer episodes. Shortcut Maze (Example 8.3): Dyna-Q+ finds the shortcut, Dyna-Q does not.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_cli import main_py

from brains.registry import make_brain
from brains.storage import BrainFileError, load_brain, save_brain
from game.arena import Budget, brain_shape
from game.experiment import make_arena
from game.scenes import make_scene


def trained(brain: str, key: str, seed: int, budget: Budget):
    arena = make_arena(key, make_brain(brain, brain_shape(key), None, seed), seed)
    arena.run(budget)
    return arena


def greedy_walk(brain, key: str) -> tuple[int, int]:
    """(steps, score) of one greedy episode."""
    scene = make_scene(key, 1)
    scene.reset(0)
    while scene.alive[0]:
        scene.step(brain.greedy(scene.observe()))
    return int(scene.steps[0]), int(scene.scores[0])


def test_q_learning_walks_the_cliff_edge_and_sarsa_the_safe_path():
    # The map gives Figure 6.4's settings: alpha 0.5, gamma 1, epsilon 0.1.
    q = trained("q-learning", "gridworld:cliff", 0, Budget(max_episodes=300))
    sarsa = trained("sarsa", "gridworld:cliff", 0, Budget(max_episodes=300))
    for arena in (q, sarsa):
        assert (arena.brain.settings.alpha, arena.brain.settings.gamma) == (0.5, 1.0)
    assert greedy_walk(q.brain, "gridworld:cliff") == (13, 100)  # the optimal path
    steps, score = greedy_walk(sarsa.brain, "gridworld:cliff")
    assert 13 < steps <= 21 and score > 0  # reaches the goal, the long way round
    online = {
        name: np.mean(arena.metrics.series["return"].arrays()[1][-100:])
        for name, arena in (("q", q), ("sarsa", sarsa))
    }
    assert online["sarsa"] > online["q"] + 10  # exploring next to the cliff costs Q-learning


def test_dyna_q_with_planning_needs_fewer_episodes_than_without():
    for seed in (0, 1, 2):
        plain = trained("dyna-q:n=0", "gridworld:dyna-maze", seed, Budget(max_episodes=30))
        planning = trained("dyna-q:n=5", "gridworld:dyna-maze", seed, Budget(max_episodes=30))
        assert planning.metrics.solved and planning.metrics.solved_at["episodes"] <= 15, seed
        assert not plain.metrics.solved, seed  # plain Q-learning is not there in 30 episodes
        # The book's Figure 8.2: far fewer steps over the same episodes.
        assert planning.metrics.env_steps < 0.5 * plain.metrics.env_steps, seed


def test_q_learning_is_dyna_q_without_planning():
    from brains.dyna import DynaQ
    from brains.tabular import QLearning

    assert issubclass(DynaQ, QLearning)  # one Q-learning update from real steps, shared
    a = trained("q-learning", "gridworld:dyna-maze", 3, Budget(max_episodes=5))
    b = trained("dyna-q:n=0", "gridworld:dyna-maze", 3, Budget(max_episodes=5))
    assert np.array_equal(a.brain.q, b.brain.q)


def test_dyna_q_plus_finds_the_shortcut_and_dyna_q_does_not():
    # The book's budget: 6,000 steps, the shortcut opening after 3,000.
    for seed in (0, 1):
        plus = trained("dyna-q-plus:n=50", "gridworld:shortcut-maze", seed, Budget(max_steps=6000))
        plain = trained("dyna-q:n=50", "gridworld:shortcut-maze", seed, Budget(max_steps=6000))
        plain.evaluate_champion()
        # Checks are on the changed maze, where only the shortcut scores 100.
        assert plus.metrics.solved and plus.metrics.solved_at["env_steps"] > 3000, seed
        assert not plain.metrics.solved and plain.metrics.eval_score < 100, seed


def test_planning_steps_change_live_with_the_keys():
    arena = make_arena(
        "gridworld:dyna-maze", make_brain("dyna-q:n=5", brain_shape("gridworld:dyna-maze"), 1, 0), 0
    )
    assert ("[ / ]", "planning steps n") in arena.keys
    assert arena.handle_key("]") and arena.brain.settings.n == 10
    assert arena.handle_key("[") and arena.handle_key("[") and arena.brain.settings.n == 2
    for _ in range(5):
        arena.handle_key("[")
    assert arena.brain.settings.n == 0 and not arena.handle_key("x")
    updates = arena.brain.planning_updates
    arena.run(Budget(max_steps=100))
    assert arena.brain.planning_updates == updates  # n = 0 plans nothing
    assert ("Planning n", "0") in arena.hud()


@pytest.mark.parametrize("brain", ["q-learning", "sarsa", "dyna-q-plus", "value-iteration"])
def test_gridworld_brains_save_and_load_and_play_the_same(tmp_path, brain):
    arena = trained(brain, "gridworld:dyna-maze", 0, Budget(max_episodes=20))
    path = save_brain(arena.brain, tmp_path / "brain")
    loaded = load_brain(path)
    assert loaded.shape.scene == "gridworld:dyna-maze"
    obs = np.eye(54, dtype=np.float32)
    open_cells = arena.scene.tabular_model().valid
    if hasattr(arena.brain, "table_to_save"):  # a learner saves its best-checked table
        arena.brain.q = arena.brain.table_to_save()
    q = arena.brain.q
    top_two = np.sort(q, axis=1)[:, -2:]
    unique = (top_two[:, 1] > top_two[:, 0] + 1e-6) & open_cells  # one greedy action
    mine = arena.brain.champion().act(obs)[unique]
    theirs = loaded.champion().act(obs)[unique]
    assert np.array_equal(mine, theirs)


def test_a_loaded_dyna_q_plans_from_the_model_it_saved(tmp_path):
    # Learned without planning, the table alone walks 15 times the shortest path; the saved
    # model knows every move tried, and planning in it after loading finds a shortest path.
    arena = trained("dyna-q:n=0", "gridworld:dyna-maze", 0, Budget(max_episodes=10))
    loaded = load_brain(save_brain(arena.brain, tmp_path / "brain"))
    brain = arena.brain
    assert loaded._known == brain._known > 0 and loaded.time == brain.time
    known = brain._pairs[: brain._known]
    assert np.array_equal(loaded._pairs[: loaded._known], known)
    for table in ("model_next", "model_reward", "model_end", "last_tried"):
        assert np.array_equal(getattr(loaded, table), getattr(brain, table)), table
    assert greedy_walk(loaded, "gridworld:dyna-maze")[1] < 10  # % of the shortest path
    loaded.plan(20_000)
    assert greedy_walk(loaded, "gridworld:dyna-maze") == (14, 100)  # a shortest path


HOSTILE_MODELS = {
    "model_next.*whole numbers 0-53": lambda a: a.update(model_next=a["model_next"] + 1000),
    "model_pairs.*a list of pairs": lambda a: a.update(model_pairs=np.array(3)),
    "a model without model_pairs": lambda a: a.pop("model_pairs"),
    "model_pairs.*repeats": lambda a: a.update(model_pairs=np.zeros_like(a["model_pairs"])),
}


@pytest.mark.parametrize("error", HOSTILE_MODELS)
def test_a_saved_dyna_model_that_does_not_fit_the_maze_is_refused(tmp_path, error):
    arena = trained("dyna-q", "gridworld:dyna-maze", 0, Budget(max_episodes=2))
    path = save_brain(arena.brain, tmp_path / "brain")
    with np.load(path / "weights.npz") as archive:
        arrays = dict(archive)
    HOSTILE_MODELS[error](arrays)
    np.savez(path / "weights.npz", **arrays)
    with pytest.raises(BrainFileError, match=error):
        load_brain(path)


def test_headless_compare_races_dyna_q_with_and_without_planning(tmp_path):
    result = main_py(
        "compare",
        "--out",
        str(tmp_path),
        "--scene",
        "gridworld",
        "--map",
        "dyna-maze",
        "--brains",
        "dyna-q:n=0,dyna-q:n=5,dyna-q:n=50",
        "--headless",
        "--seeds",
        "2",
        "--max-steps",
        "6000",
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["brain"] for line in lines] == ["dyna-q:n=0", "dyna-q:n=5", "dyna-q:n=50"] * 2
    episodes = {}
    for line in lines:
        episodes.setdefault(line["brain"], []).append(line["episodes"] if line["solved"] else 999)
    assert max(episodes["dyna-q:n=5"]) < min(episodes["dyna-q:n=0"])
    assert "dyna-q:n=5" in result.stderr and "solved" in result.stderr  # the table


def test_dyna_q_refuses_a_huge_n_in_one_line():
    result = main_py(
        "train", "--scene", "gridworld", "--brain", "dyna-q:n=1000000000", "--max-episodes", "1"
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "n must be between 0 and 10,000, got 1000000000" in result.stderr


def test_a_gridworld_learner_is_checked_after_episodes_never_by_step_count():
    key = "gridworld:dyna-maze"
    arena = make_arena(key, make_brain("q-learning", brain_shape(key), None, 0), 0)
    arena.CHECK_EVERY = 1  # a step-count check would start on the first tick
    arena._next_check = 1
    while arena.metrics.episodes == 0:
        assert arena.evaluation is None
        arena.train_tick()
    assert arena.evaluation is not None  # the first episode's end started one
