"""Flappy Bird's rules on hand-built states: gravity, flaps, deaths, scoring."""

from __future__ import annotations

import numpy as np
import pytest

from game.scenes import flappy as world
from game.scenes.flappy import FLAP, NOOP, FlappyScene

# The tick at which pipe 0's centre reaches the birds' centre.
PIPE0_AT_BIRD = int((world.FIRST_PIPE_X - world.BIRD_X) / world.PIPE_SPEED)


def scene_with(y: float, vy: float = 0.0, n: int = 1, seed: int = 0) -> FlappyScene:
    scene = FlappyScene(n)
    scene.reset(seed)
    scene.y[:] = y
    scene.vy[:] = vy
    return scene


def test_gravity_accelerates_a_gliding_bird_up_to_terminal_speed():
    scene = scene_with(y=100.0)
    scene.step(np.array([NOOP]))
    assert scene.vy[0] == pytest.approx(world.GRAVITY)
    assert scene.y[0] == pytest.approx(100.0 + world.GRAVITY)
    scene.vy[:] = world.MAX_FALL_SPEED
    scene.step(np.array([NOOP]))
    assert scene.vy[0] == world.MAX_FALL_SPEED


def test_a_flap_sets_the_upward_speed_whatever_the_bird_was_doing():
    scene = scene_with(y=200.0, vy=world.MAX_FALL_SPEED)
    scene.step(np.array([FLAP]))
    assert scene.vy[0] == world.FLAP_VELOCITY
    assert scene.y[0] == pytest.approx(200.0 + world.FLAP_VELOCITY)


def test_a_flap_rises_about_forty_pixels_like_the_original_game():
    scene = scene_with(y=200.0)
    scene.step(np.array([FLAP]))
    top = scene.y[0]
    for _ in range(40):
        scene.step(np.array([NOOP]))
        top = min(top, scene.y[0])
    assert 200.0 - top == pytest.approx(40.5, abs=3.0)


def test_touching_the_ceiling_kills():
    scene = scene_with(y=world.BIRD_HALF_H + 2.0)
    _, terminated, _ = scene.step(np.array([FLAP]))
    assert terminated[0] and not scene.alive[0]


def test_touching_the_ground_kills():
    scene = scene_with(y=world.GROUND_Y - world.BIRD_HALF_H - 1.0, vy=world.MAX_FALL_SPEED)
    rewards, terminated, _ = scene.step(np.array([NOOP]))
    assert terminated[0] and not scene.alive[0]
    assert rewards[0] == world.DEATH_REWARD


def test_inside_the_gap_survives_but_the_pipes_above_and_below_kill():
    scene = FlappyScene(3)
    scene.reset(7)
    gap = scene.gap_top(0)
    scene.tick = PIPE0_AT_BIRD - 1  # the birds' column is inside pipe 0 next tick
    scene.vy[:] = 0.0
    scene.y[:] = [gap + world.GAP_SIZE / 2, gap + 5.0, gap + world.GAP_SIZE - 5.0]
    _, terminated, _ = scene.step(np.zeros(3, dtype=int))
    assert terminated.tolist() == [False, True, True]


def test_dead_birds_stay_put_and_earn_nothing():
    scene = scene_with(y=world.GROUND_Y)  # below the ground: dies on the first tick
    scene.step(np.array([NOOP]))
    y = scene.y.copy()
    rewards, terminated, _ = scene.step(np.array([FLAP]))
    assert rewards[0] == 0.0 and not terminated[0]
    assert scene.y[0] == y[0]
    assert scene.all_done


def test_a_pipe_scores_once_its_centre_is_behind_the_bird():
    scene = FlappyScene(1)
    scene.reset(3)
    scene.tick = PIPE0_AT_BIRD - 1
    scene.y[:] = scene.gap_top(0) + world.GAP_SIZE / 2
    scene.vy[:] = 0.0
    scene.step(np.array([NOOP]))  # centre exactly level: not passed yet
    assert scene.scores[0] == 0
    rewards, _, _ = scene.step(np.array([NOOP]))
    assert scene.scores[0] == 1
    assert rewards[0] == pytest.approx(world.ALIVE_REWARD + world.PIPE_REWARD)


def test_a_bird_steered_at_the_gaps_passes_several_pipes():
    scene = FlappyScene(1, max_score=20)
    scene.reset(11)
    while not scene.all_done:
        obs = scene.observe()
        # Flap when falling 20 px below the next gap's middle: a flap rises about 40 px,
        # which keeps the bird inside the 100 px gap (offsets are gap minus bird).
        low = (obs[:, 3] + obs[:, 4]) / 2 < -20 / world.GROUND_Y * 2
        scene.step(np.where(low & (scene.vy > 0), FLAP, NOOP))
    # This simple controller cannot make the steepest drops; it must get past a few pipes.
    assert scene.scores[0] >= 3
    assert scene.returns[0] > scene.scores[0] * world.PIPE_REWARD


def test_episodes_are_truncated_at_max_score_not_terminated():
    scene = FlappyScene(1, max_score=1)
    scene.reset(3)
    scene.tick = PIPE0_AT_BIRD
    scene.y[:] = scene.gap_top(0) + world.GAP_SIZE / 2
    scene.vy[:] = 0.0
    _, terminated, truncated = scene.step(np.array([NOOP]))
    assert truncated[0] and not terminated[0] and not scene.alive[0]


def test_observations_are_normalised_and_see_the_next_two_gaps():
    scene = scene_with(y=world.GROUND_Y / 2, n=4)
    obs = scene.observe()
    assert obs.shape == (4, scene.spec.obs_dim) and obs.dtype == np.float32
    assert obs[0, 0] == pytest.approx(0.0)  # mid-playfield
    gap = scene.gap_top(0)
    assert obs[0, 3] == pytest.approx((gap - world.GROUND_Y / 2) / world.GROUND_Y * 2, abs=1e-5)
    assert obs[0, 4] - obs[0, 3] == pytest.approx(world.GAP_SIZE / world.GROUND_Y * 2, abs=1e-5)
    assert np.all(obs >= np.array(scene.spec.obs_low) - 1e-6)
    assert np.all(obs <= np.array(scene.spec.obs_high) + 1e-6)


def run_random(seed: int, actions_seed: int = 0, n: int = 16) -> np.ndarray:
    scene = FlappyScene(n, max_score=50)
    scene.reset(seed)
    rng = np.random.default_rng(actions_seed)
    trace = []
    while not scene.all_done:
        scene.step((rng.random(n) < 0.08).astype(int))
        trace.append(scene.y.copy())
    return np.array(trace)


def test_the_same_seed_gives_the_same_course_and_the_same_flights():
    a, b = FlappyScene(1), FlappyScene(1)
    a.reset(42)
    b.reset(42)
    assert [a.gap_top(i) for i in range(300)] == [b.gap_top(i) for i in range(300)]
    assert np.array_equal(run_random(42), run_random(42))


def test_different_seeds_give_different_courses():
    a, b = FlappyScene(1), FlappyScene(1)
    a.reset(1)
    b.reset(2)
    assert [a.gap_top(i) for i in range(5)] != [b.gap_top(i) for i in range(5)]


def test_gaps_stay_inside_the_playfield_band():
    scene = FlappyScene(1)
    scene.reset(5)
    tops = np.array([scene.gap_top(i) for i in range(1000)])
    assert tops.min() >= world.GAP_TOP_MIN and tops.max() <= world.GAP_TOP_MAX


def test_several_courses_give_each_group_of_birds_its_own_gaps():
    scene = FlappyScene(4, courses=2)
    scene.reset(9)
    assert scene.course_of.tolist() == [0, 0, 1, 1]
    assert scene.gap_top(0, course=0) != scene.gap_top(0, course=1)
    single = FlappyScene(1)
    single.reset(9)
    assert single.gap_top(0) == scene.gap_top(0, course=0)


def test_snapshot_and_restore_replay_exactly():
    scene = FlappyScene(8)
    scene.reset(4)
    for _ in range(30):
        scene.step(np.zeros(8, dtype=int))
    saved = scene.snapshot()
    actions = (np.arange(8) % 2).astype(int)
    for _ in range(50):
        scene.step(actions)
    after = (scene.y.copy(), scene.alive.copy(), scene.returns.copy())
    scene.restore(saved)
    for _ in range(50):
        scene.step(actions)
    assert np.array_equal(scene.y, after[0]) and np.array_equal(scene.alive, after[1])
    assert np.array_equal(scene.returns, after[2])


def steer(obs: np.ndarray, vy: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Flap when falling below the next gap's middle, and now and then at random, so
    birds pass a few pipes and die at different times."""
    low = (obs[:, 3] + obs[:, 4]) / 2 < -20 / world.GROUND_Y * 2
    return np.where((low & (vy > 0)) | (rng.random(len(obs)) < 0.03), FLAP, NOOP)


def test_each_bird_of_several_courses_flies_as_it_would_alone_on_its_course():
    # A champion's check flies 5 birds on 5 courses; each bird's gap bounds and
    # observed edges are gathered once a pipe and again whenever a bird dies.
    n = 6
    scene = FlappyScene(n, max_score=30, courses=n)
    scene.reset(21)
    start = scene.snapshot()
    rng = np.random.default_rng(0)
    observed, actions, states = [], [], []
    while not scene.all_done:
        obs = scene.observe()
        chosen = steer(obs, scene.vy, rng)
        observed.append(obs)
        actions.append(chosen)
        scene.step(chosen)
        states.append((scene.y.copy(), scene.alive.copy(), scene.scores.copy()))
    assert len(set(scene.steps.tolist())) > 2  # deaths at several ticks
    # One lane scene, loaded with each bird in turn from the same start (a stale
    # gathering of the previous bird's course would show here).
    lane = scene.make_lanes(1)
    for bird in range(n):
        lane.load_lanes(start, np.array([bird]))
        for obs, chosen, (y, alive, scores) in zip(observed, actions, states, strict=False):
            if not lane.alive[0]:
                break
            assert np.array_equal(lane.observe()[0], obs[bird])
            lane.step(chosen[bird : bird + 1])
            mine = (lane.y[0], lane.alive[0], lane.scores[0])
            assert mine == (y[bird], alive[bird], scores[bird])


def fly_randomly(scene: FlappyScene, seed: int, read_every_tick: bool) -> list[tuple]:
    """Random flaps (about one tick in eight) until every bird is down, the living acting
    as an arena makes them; the whole state at a few ticks."""
    rng = np.random.default_rng(seed)
    states = []
    while not scene.all_done:
        living = scene.living()
        scene.step((rng.random(len(living)) < 0.13).astype(np.int64))
        if read_every_tick:
            scene.observe()  # reads every bird, as a view drawing each frame does
            scene.y  # noqa: B018 (the read hands the state back to the full arrays)
        if scene.tick % 97 == 0 or scene.all_done:
            states.append(
                (scene.tick, scene.y.copy(), scene.vy.copy(), scene.steps.copy())
                + (scene.returns.copy(), scene.scores.copy(), scene.alive.copy())
            )
    return states


@pytest.mark.parametrize("courses", [1, 4])
def test_the_flying_birds_kept_apart_read_as_if_every_bird_were_updated_each_tick(courses):
    """`step` keeps the flying birds' heights and speeds apart from the arrays, and counts
    their steps when asked: read every tick or only now and then, the same state."""
    kept, read = FlappyScene(40, courses=courses), FlappyScene(40, courses=courses)
    kept.reset(3)
    read.reset(3)
    for mine, theirs in zip(
        fly_randomly(kept, 5, read_every_tick=False),
        fly_randomly(read, 5, read_every_tick=True),
        strict=True,
    ):
        for a, b in zip(mine, theirs, strict=True):
            assert np.array_equal(a, b)


def test_steps_count_every_tick_a_bird_flew():
    scene = FlappyScene(30)
    scene.reset(8)
    counted = np.zeros(30, dtype=np.int64)
    rng = np.random.default_rng(0)
    while not scene.all_done:
        counted += scene.alive
        scene.step((rng.random(len(scene.living())) < 0.13).astype(np.int64))
        if rng.random() < 0.1:
            assert np.array_equal(scene.steps, counted)
    assert np.array_equal(scene.steps, counted)
    assert scene.steps.max() > 50
