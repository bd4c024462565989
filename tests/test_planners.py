"""Dynamic-programming planners: the book's numbers, agreement between methods, random tie
breaks, and the planner arena (think, act, solved on the episodes played, re-planning)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_cli import main_py

from brains.base import Planner
from brains.greedy import greedy_actions
from brains.registry import make_brain
from game.arena import Budget, Callback, brain_shape
from game.experiment import make_arena
from game.planner_arena import PlannerArena
from game.scenes import make_scene
from game.scenes.gridmap import parse_map
from game.scenes.gridworld import GridWorldScene

# Example 4.1, Figure 4.1: the random policy's values on the 4x4 gridworld (k = infinity).
BOOK_4X4 = [[0, -14, -20, -22], [-14, -18, -20, -20], [-20, -20, -18, -14], [-22, -20, -14, 0]]


def planned(brain_text: str, scene_key: str = "", world: GridWorldScene | None = None):
    world = world or make_scene(scene_key, 1)
    world.reset(0)
    brain = make_brain(brain_text, brain_shape(scene_key or "gridworld"), None, 0)
    if world.spec.obs_dim != brain.shape.obs_dim:  # a map made in the test
        brain = type(brain)(
            type(brain.shape)(world.spec.obs_dim, 4, one_hot=True), 1, 0, brain.settings
        )
    brain.attach(world.tabular_model())
    while not brain.think(1.0):
        pass
    return brain


def test_policy_evaluation_gives_the_books_values_on_the_4x4_gridworld():
    # The map fixes the book's gamma 1; a small theta takes the values to the limit.
    brain = planned("policy-evaluation:theta=1e-9", "gridworld:sutton-4x4")
    assert brain.settings.gamma == 1
    assert np.allclose(brain.values.reshape(4, 4), BOOK_4X4, atol=1e-6)


def test_value_and_policy_iteration_agree_with_hand_computed_values():
    # A corridor S . . G: the goal pays 1, so V = gamma^(moves to the goal - 1).
    world = GridWorldScene(parse_map("map:\nS..G\n", "corridor"), 1)
    for name in ("value-iteration:gamma=0.9", "policy-iteration:gamma=0.9"):
        brain = planned(name, world=world)
        assert np.allclose(brain.values, [0.81, 0.9, 1.0, 0.0], atol=1e-5), name
    # On the 4x4 gridworld, undiscounted: minus the moves to the nearest corner.
    optimal = -np.array([[0, 1, 2, 3], [1, 2, 3, 2], [2, 3, 2, 1], [3, 2, 1, 0]])
    for name in ("value-iteration", "policy-iteration"):  # the map's gamma: 1
        brain = planned(name, "gridworld:sutton-4x4")
        assert np.allclose(brain.values.reshape(4, 4), optimal, atol=1e-5), name


@pytest.mark.parametrize(
    "scene_key", ["gridworld:four-rooms", "gridworld:cliff", "gridworld:mud-hall"]
)
def test_value_iteration_and_policy_iteration_agree(scene_key):
    # Discounted: the cliff's own gamma 1 is the case below.
    vi = planned("value-iteration:theta=1e-10,gamma=0.95", scene_key)
    pi = planned("policy-iteration:theta=1e-10,gamma=0.95", scene_key)
    assert np.allclose(vi.values, pi.values, atol=1e-6)
    assert pi.improvements >= 2


def test_policy_iteration_plans_the_cliff_at_the_books_gamma_1():
    vi = planned("value-iteration", "gridworld:cliff")
    pi = planned("policy-iteration", "gridworld:cliff")
    assert vi.settings.gamma == pi.settings.gamma == 1  # the map's
    assert np.allclose(vi.values, pi.values, atol=1e-4)


def test_ties_between_equal_actions_are_broken_at_random():
    q = np.zeros((2000, 4))
    q[:, 3] = -1.0
    actions = greedy_actions(q, np.random.default_rng(0))
    counts = np.bincount(actions, minlength=4)
    assert counts[3] == 0 and counts[:3].min() > 550


def test_a_planner_plans_then_walks_shortest_paths_and_is_solved():
    brain = make_brain("value-iteration", brain_shape("gridworld:dyna-maze"), None, 0)
    arena = make_arena("gridworld:dyna-maze", brain, 0)
    assert isinstance(arena, PlannerArena)
    arena.run(Budget(max_episodes=6))
    m = arena.metrics
    assert brain.converged and brain.sweeps > 10
    assert m.solved and m.eval_score == 100 and m.env_steps == 6 * 14
    values = arena.result_extras()["values"]
    assert values[0][7] is None and values[1][8] == 1.0  # a wall; next to the goal


def test_step_mode_sweeps_once_per_press():
    brain = make_brain("value-iteration", brain_shape("gridworld:dyna-maze"), None, 0)
    arena = make_arena("gridworld:dyna-maze", brain, 0)
    arena.handle_key("c")  # step mode
    for _ in range(50):
        arena.tick()
    assert brain.sweeps == 0
    arena.handle_key("n")
    arena.handle_key("n")
    for _ in range(50):
        arena.tick()
    assert brain.sweeps == 2 and arena.metrics.env_steps == 0


def test_the_planner_plans_again_when_the_maze_changes():
    brain = make_brain("value-iteration", brain_shape("gridworld:blocking-maze"), None, 0)
    arena = make_arena("gridworld:blocking-maze", brain, 0)
    arena.run(Budget(max_steps=1200))
    assert arena.scene.layout_index == 1 and brain.converged
    gap_left = 3 * 9
    assert brain.values[gap_left] > 0 and brain.values[3 * 9 + 8] == 0  # now a wall
    scores = arena.metrics.series["score"].arrays()[1]
    assert scores[-1] == 100  # the way round on the left, as short as it can be


def test_train_prints_the_values_one_list_per_row_with_null_walls(tmp_path):
    result = main_py(
        "train",
        "--map",
        "dyna-maze",
        "--brain",
        "policy-iteration",
        "--max-episodes",
        "3",
        "--quiet",
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["scene"] == "gridworld:dyna-maze" and line["episodes"] == 3
    # 3 episodes played, but the plan's check is the rule's 5 fresh episodes, as a learner's.
    assert line["eval_score"] == 100 and line["solved"] is True
    assert len(line["values"]) == 6 and all(len(row) == 9 for row in line["values"])
    assert line["values"][1][2] is None and line["values"][0][8] == 0.0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["train", "--map", "atlantis"], "unknown map 'atlantis'"),
        (["train", "--scene", "cartpole", "--map", "cliff"], "--map applies only to --scene"),
        (["train", "--map", "BAD", "--brain", "value-iteration"], "bad.txt:3:2: unknown cell 'Q'"),
        (["train", "--map", "cliff", "--brain", "value-iteration:gamma=2"], "gamma must be"),
        (["train", "--map", "cliff", "--brain", "hill-climb:x=1"], "no setting 'x'"),
        (["compare", "--map", "BAD", "--brains", "value-iteration"], "bad.txt:3:2"),
        (["run", "--map", "BAD"], "bad.txt:3:2"),
        (["train", "--scene", "cartpole", "--brain", "value-iteration"], "does not support"),
    ],
)
def test_bad_maps_and_brains_are_one_line_and_exit_code_2(tmp_path, args, says):
    bad = tmp_path / "bad.txt"
    bad.write_text("step_reward: 0\nmap:\nSQ\n.G\n")
    args = [str(bad) if a == "BAD" else a for a in args]
    result = main_py(*args)
    assert result.returncode == 2, result.stderr
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


class Lookahead(Planner):
    """A stand-in for tree search, built to the planner protocol alone: it is attached to
    the live scene, thinks in a private copy (snapshot/restore), needs three calls of
    think() per move, and act() drops its plan."""

    name = "lookahead"

    def __init__(self) -> None:
        self.scene = None
        self.calls = 0
        self.moves = 0

    def attach(self, model) -> None:
        self.scene = model

    def think(self, seconds: float) -> bool:
        saved = self.scene.snapshot()
        self.scene.step(np.ones(self.scene.n, dtype=np.int64))  # look one step ahead
        self.scene.restore(saved)
        self.calls += 1
        return self.calls % 3 == 0

    def act(self, observations: np.ndarray) -> np.ndarray:
        self.moves += 1
        return (observations[:, 2] > 0).astype(np.int64)  # push toward the lean

    def champion(self):
        return self

    def save(self, directory) -> None:
        raise NotImplementedError


def test_a_simulator_planner_runs_in_the_planner_arena_unchanged():
    planner = Lookahead()
    arena = make_arena("cartpole", planner, 0)
    assert isinstance(arena, PlannerArena) and planner.scene is arena.scene
    for _ in range(30):  # in the window: a think per tick, a move every third
        arena.tick()
    assert planner.calls == 30 and planner.moves == 10 and arena.metrics.env_steps == 10
    assert arena.scene.steps[0] == 10  # thinking never moved the live cart
    arena.run(Budget(max_episodes=2))
    assert arena.metrics.episodes == 2 and arena.mean_score > 20
    assert arena.metrics.eval_score is None  # 2 episodes are no check: CartPole's takes 20
    # At the end of a run the 2 played are completed by 18 fresh episodes, in a scene of
    # the check's own; the planner comes back to the live cart.
    checks = []
    arena.callbacks.append(type("Seen", (Callback,), {"on_evaluation_end": on_end(checks)})())
    arena.evaluate_champion()
    assert planner.scene is arena.scene and arena.evaluation is None
    (scores,) = checks
    assert len(scores) == 20 and list(scores[:2]) == played_scores(arena)
    assert arena.metrics.eval_score == pytest.approx(scores.mean())
    assert not arena.metrics.solved and scores.mean() < 475  # it only pushes toward the lean


def on_end(seen: list):
    def record(self, arena, evaluation) -> None:
        seen.append(evaluation.scores)

    return record


def played_scores(arena) -> list[float]:
    return [float(y) for y in arena.metrics.series["score"].arrays()[1]]


def test_learners_and_planners_share_one_greedy_choice():
    from brains import dynamic_programming, greedy, tabular

    assert tabular.greedy_actions is dynamic_programming.greedy_actions is greedy.greedy_actions
    assert tabular.TabularLearner.states is greedy.states_of is dynamic_programming.states_of
    # Values equal up to rounding (relative to their size) are ties, however large.
    q = np.array([[1e12, 1e12 * (1 - 1e-12), 0.0, 0.0]] * 400)
    counts = np.bincount(greedy_actions(q, np.random.default_rng(1)), minlength=4)
    assert counts[0] > 150 and counts[1] > 150 and counts[2:].sum() == 0


def test_only_sweeping_planners_offer_the_step_keys():
    sweeping = make_arena(
        "gridworld:dyna-maze",
        make_brain("value-iteration", brain_shape("gridworld:dyna-maze"), None, 0),
        0,
    )
    searching = make_arena("cartpole", make_brain("mcts", brain_shape("cartpole"), None, 0), 0)
    assert [key for key, _ in sweeping.keys] == ["N", "C"]
    assert searching.keys == () and not searching.handle_key("n")
    assert not searching.stepping
