"""Gridworlds: the maps parse (or fail with file:line:column), moves, rewards, pits, slips,
changing walls, scores, snapshots and the tabular model agree with the rules."""

from __future__ import annotations

import numpy as np
import pytest

from game.scenes import make_scene, scene_spec
from game.scenes.gridmap import MapError, map_names, parse_map
from game.scenes.gridworld import GridWorldScene

UP, RIGHT, DOWN, LEFT = range(4)

SHIPPED = {"sutton-4x4", "dyna-maze", "blocking-maze", "shortcut-maze", "cliff"}


def scene(text: str, n: int = 1, **kwargs) -> GridWorldScene:
    world = GridWorldScene(parse_map(text, "test.txt"), n, **kwargs)
    world.reset(0)
    return world


def test_every_shipped_map_loads_and_the_books_maps_are_there():
    assert set(map_names()) >= SHIPPED
    for name in map_names():
        world = make_scene(f"gridworld:{name}", 2)
        world.reset(0)
        assert world.spec.obs_dim == world.rows * world.cols
        assert (world.layout.distance[world.starts] > 0).all(), f"{name}: a start cannot reach G"


def test_the_dyna_maze_is_the_books():
    world = make_scene("gridworld:dyna-maze", 1)
    assert (world.rows, world.cols) == (6, 9)
    assert world.layout.distance[world.starts[0]] == 14  # the book's shortest path


def test_moves_walls_goal_reward_and_score():
    world = scene("step_reward: -1\ngoal_reward: 10\nmap:\nS.#\n..G\n")
    obs = world.observe()
    assert obs.shape == (1, 6) and obs[0, 0] == 1 and obs.sum() == 1
    rewards, terminated, _ = world.step(np.array([UP]))  # the edge: stay, pay a step
    assert world.cell[0] == 0 and rewards[0] == -1 and not terminated[0]
    world.step(np.array([RIGHT]))
    world.step(np.array([RIGHT]))  # into the wall: stay
    assert world.cell[0] == 1
    world.step(np.array([DOWN]))
    rewards, terminated, _ = world.step(np.array([RIGHT]))
    assert rewards[0] == 10 and terminated[0] and not world.alive[0]
    assert world.scores[0] == 100 * 3 // 5  # shortest 3 moves, took 5


def test_a_shortest_path_scores_100_and_the_time_limit_truncates():
    world = scene("time_limit: 3\nmap:\nS..G\n")
    world.step(np.array([RIGHT]))
    world.step(np.array([RIGHT]))
    _, terminated, _ = world.step(np.array([RIGHT]))
    assert terminated[0] and world.scores[0] == 100
    world.reset(0)
    for _ in range(2):
        world.step(np.array([LEFT]))
    _, terminated, truncated = world.step(np.array([LEFT]))
    assert truncated[0] and not terminated[0] and world.scores[0] == 0


def test_pits_end_the_episode_or_restart_it():
    ending = scene("pit_reward: -5\nmap:\nSXG\n...\n")
    rewards, terminated, _ = ending.step(np.array([RIGHT]))
    assert rewards[0] == -5 and terminated[0]
    cliff = make_scene("gridworld:cliff", 1)
    cliff.reset(0)
    rewards, terminated, _ = cliff.step(np.array([RIGHT]))
    assert rewards[0] == -100 and not terminated[0] and cliff.cell[0] == cliff.starts[0]


def test_lettered_cells_pay_their_reward():
    world = scene("cell m: -3\nstep_reward: -0.5\nmap:\nSmG\n")
    rewards, _, _ = world.step(np.array([RIGHT]))
    assert rewards[0] == -3


def test_slippery_moves_go_sideways_at_the_given_rate():
    world = scene("slip: 0.4\nmap:\n...\n.S.\n..G\n", n=20_000)
    world.step(np.full(20_000, UP))
    moved = np.bincount(world.cell, minlength=9)
    assert abs(moved[1] / 20_000 - 0.6) < 0.02  # up
    assert abs(moved[3] / 20_000 - 0.2) < 0.02 and abs(moved[5] / 20_000 - 0.2) < 0.02


def test_the_blocking_maze_changes_after_1000_steps_and_checks_use_the_new_walls():
    world = make_scene("gridworld:blocking-maze", 1)
    world.reset(0)
    gap_right, gap_left = 3 * 9 + 8, 3 * 9 + 0
    assert not world.layout.wall[gap_right] and world.layout.wall[gap_left]
    for _ in range(1000):
        world.step(np.array([LEFT]))
        world.reset_agents(~world.alive)
    assert world.layout.wall[gap_right] and not world.layout.wall[gap_left]
    check = make_scene("gridworld:blocking-maze", 5, independent=True)
    check.reset(0)
    assert check.layout.wall[gap_right]


def test_snapshot_and_restore_replay_the_same_steps():
    world = make_scene("gridworld:four-rooms", 8)
    world.reset(3)
    saved = world.snapshot()
    actions = np.random.default_rng(0).integers(0, 4, (30, 8))
    first = [world.step(a)[0].copy() for a in actions]
    cells = world.cell.copy()
    world.restore(saved)
    second = [world.step(a)[0].copy() for a in actions]
    assert np.array_equal(world.cell, cells)
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))


def test_the_model_matches_the_scene():
    world = make_scene("gridworld:four-rooms", 1)
    model = world.tabular_model()
    p, r = model.dense()
    assert np.allclose(p.sum(axis=2), 1)
    s = 11 * 13 + 1  # the start, bottom left
    assert np.isclose(p[s, UP, s - 13], 1 - 0.33)
    assert np.isclose(p[s, UP, s + 1], 0.33 / 2)  # slipped right
    assert np.isclose(p[s, UP, s], 0.33 / 2)  # slipped left into the wall: stays
    cliff = make_scene("gridworld:cliff", 1).tabular_model()
    start = 3 * 12
    assert cliff.next_states[start, RIGHT, 0] == start and cliff.rewards[start, RIGHT, 0] == -100
    assert cliff.terminal[4 * 12 - 1] and cliff.valid.all()


def test_the_spec_is_one_hot_and_sized_by_the_map():
    spec = scene_spec("gridworld:cliff")
    assert spec.one_hot and spec.obs_dim == 48 and spec.n_actions == 4
    assert spec.reward_range == (-100.0, -1.0)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("map:\nS.Q\n..G\n", "test.txt:2:3: unknown cell 'Q'"),
        ("map:\nS.a\n..G\n", "declare it with 'cell a: REWARD'"),
        ("map:\nS..\n.G\n", "test.txt:3:3: row is 2 cells wide, the first row 3"),
        ("map:\n...\n..G\n", "test.txt:2:1: the grid has no start S"),
        ("map:\nS..\n...\n", "the grid has no goal G"),
        ("slip: lots\nmap:\nSG\n", "test.txt:1:1: slip must be a number, got 'lots'"),
        ("slip: 1.5\nmap:\nSG\n", "slip must be between 0 and 1"),
        ("colour: red\nmap:\nSG\n", "test.txt:1:1: unknown key 'colour'"),
        ("just words\nmap:\nSG\n", "test.txt:1:1: expected 'key: value'"),
        ("step_reward: 1\n", "no grid"),
        ("time_limit: 2.5\nmap:\nSG\n", "time_limit must be a whole number"),
        ("map:\nS.G\nafter:\nSG.\n", "an after: grid needs 'change_at: STEPS'"),
        ("change_at: 5\nmap:\nSG\nafter:\nSG.\n", "test.txt:4:1: the after: grid is 1x3"),
        ("change_at: 5\nmap:\nSG\n", "change_at is given but there is no after: grid"),
        ("pits: restart\nmap:\nSXS\n..G\n", "'pits: restart' needs exactly one start S"),
        ("pits: sometimes\nmap:\nSG\n", "pits must be 'end' or 'restart'"),
        ("title: t\nslip: 1.5\nmap:\nSG\n", "test.txt:2:1: slip must be between 0 and 1"),
        ("title: t\ntime_limit: 0\nmap:\nSG\n", "test.txt:2:1: time_limit must be 1 or more"),
        (
            "title: t\nchange_at: 0\nmap:\nSG\nafter:\nSG\n",
            "test.txt:2:1: change_at must be 1 or more",
        ),
        ("\nchange_at: 5\nmap:\nSG\n", "test.txt:2:1: change_at is given but there is no"),
        ("; c\npits: restart\nmap:\nSXS\n..G\n", "test.txt:2:1: 'pits: restart' needs"),
        (
            "change_at: 5\nmap:\nS.G\nafter:\n.SG\n",
            "test.txt:4:1: the after: grid must keep the starts",
        ),
        (
            "title: t\ngoal_reward: 1e308\nmap:\nSG\n",
            "test.txt:2:1: goal_reward must be between -1e+06 and 1e+06, got 1e+308",
        ),
        ("cell a: -2e6\nmap:\nSaG\n", "test.txt:1:1: cell a must be between -1e+06 and 1e+06"),
        ("map:\nS#G\n", "test.txt:2:1: no path from this start to a goal"),
        ("map:\n.SXG\n", "test.txt:2:2: no path from this start to a goal"),  # pits end it
        ("map:\nS.G\n###\n.S.\n", "test.txt:4:2: no path from this start to a goal"),
        (
            "change_at: 5\nmap:\nS.G\n...\nafter:\nS#G\n.#.\n",
            "test.txt:6:1: no path from this start to a goal",
        ),
    ],
)
def test_malformed_maps_say_file_line_column_and_what(text, says):
    with pytest.raises(MapError) as error:
        parse_map(text, "test.txt")
    message = str(error.value)
    assert says in message and "\n" not in message


def test_waiting_does_not_move_the_walls_of_a_changing_maze():
    world = make_scene("gridworld:blocking-maze", 1)
    world.reset(0)
    for _ in range(1500):
        world.step(np.array([-1]))  # a person at the keyboard, not pressing anything
    assert world.layout_index == 0 and world.clock == 0
    for _ in range(1000):
        world.step(np.array([LEFT]))
        world.reset_agents(~world.alive)
    assert world.layout_index == 1


# -- lanes: one agent's state loaded into many, for a tree search's rollouts -------------


def assert_lanes_follow(source: GridWorldScene, lanes: GridWorldScene, agents, actions) -> None:
    """Step both with the same moves per agent; every lane stays its agent's exact copy."""
    for tick_actions in actions:
        rewards, terminated, truncated = source.step(tick_actions)
        lane_rewards, lane_terminated, lane_truncated = lanes.step(tick_actions[agents])
        assert np.array_equal(lane_rewards, rewards[agents])
        assert np.array_equal(lane_terminated, terminated[agents])
        assert np.array_equal(lane_truncated, truncated[agents])
        for name in ("cell", "alive", "steps", "returns", "scores"):
            assert np.array_equal(getattr(lanes, name), getattr(source, name)[agents]), name
        if lanes.alive.any():  # the clock ticks on any agent's move, the others' too
            assert lanes.clock == source.clock and lanes.layout_index == source.layout_index


LANES_MAPS = (  # two starts and a pit that ends; one start and a pit that sends back to it
    "step_reward: -1\ncell m: -3\nmap:\nS..m.\n.#X#.\nS...G\n",
    "pits: restart\nstep_reward: -1\ncell m: -3\nmap:\n..m..\n.#X#.\nG..S.\n",
)


@pytest.mark.parametrize("text", LANES_MAPS, ids=["pits-end", "pits-restart"])
def test_lanes_replay_the_loaded_agents_exactly(text):
    source = scene(text, n=8)
    source.reset(2)
    rng = np.random.default_rng(0)
    lanes = source.make_lanes(6)
    loaded_scores = []
    for _ in range(8):  # load a few agents afresh every 10 steps, and follow them
        snapshot = source.snapshot()
        steps_then = source.steps.copy()
        agents = rng.integers(0, 8, 6)
        agents[1] = agents[0]  # one agent in two lanes
        lanes.load_lanes(snapshot, agents)
        loaded_scores += source.scores[agents].tolist()
        assert np.array_equal(lanes.observe(), source.observe()[agents])
        assert_lanes_follow(source, lanes, agents, rng.integers(0, 4, (10, 8)))
        assert np.array_equal(snapshot.steps, steps_then)  # the lanes never wrote into it
    assert any(loaded_scores)  # some loaded agent had reached the goal: scores compared
    # Rollouts are not visits: the live scene's counts stay as they were.
    visits = source.visits.copy()
    lanes.load_lanes(source.snapshot(), np.zeros(6, dtype=np.int64))
    for _ in range(5):
        lanes.step(np.ones(6, dtype=np.int64))
    assert np.array_equal(source.visits, visits) and not lanes.visits.any()
    with pytest.raises(ValueError, match="3 agents to load into 6 lanes"):
        lanes.load_lanes(snapshot, np.array([0, 1, 2]))


def test_lanes_change_with_the_maze_at_the_same_tick():
    source = make_scene("gridworld:blocking-maze", 1)
    source.reset(0)
    for _ in range(995):  # along the bottom row, into the left edge: alive, never at G
        source.step(np.array([LEFT]))
    assert source.alive[0] and source.layout_index == 0
    before = source.snapshot()
    agents = np.zeros(3, dtype=np.int64)
    lanes = source.make_lanes(3)
    lanes.load_lanes(before, agents)
    # Up the left column, where the changed maze opens its gap: the change at tick 1000
    # lets the agent through in the lanes exactly when it does in the scene.
    assert_lanes_follow(source, lanes, agents, np.full((12, 1), UP))
    assert source.layout_index == 1 and source.cell[0] < 3 * 9  # through the opened gap
    # Lanes already changed go back to the old walls with a snapshot from before.
    source.restore(before)
    lanes.load_lanes(before, agents)
    assert lanes.layout_index == 0 and lanes.clock == 995
    assert_lanes_follow(source, lanes, agents, np.full((12, 1), UP))


def test_lanes_have_no_time_limit():
    source = scene("time_limit: 3\nmap:\nS...G\n")
    source.step(np.array([LEFT]))
    source.step(np.array([LEFT]))
    lanes = source.make_lanes(2)
    lanes.load_lanes(source.snapshot(), np.array([0, 0]))
    _, _, truncated = source.step(np.array([LEFT]))
    assert truncated[0]
    _, _, truncated = lanes.step(np.array([LEFT, LEFT]))
    assert not truncated.any() and lanes.alive.all()


def test_lanes_on_a_slippery_map_slip_each_on_its_own():
    source = scene("slip: 0.4\nmap:\n...\n.S.\n..G\n")
    lanes = source.make_lanes(20_000)
    lanes.load_lanes(source.snapshot(), np.zeros(20_000, dtype=np.int64))
    lanes.step(np.full(20_000, UP))
    assert abs(np.mean(lanes.cell == 1) - 0.6) < 0.02
