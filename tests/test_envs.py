"""Our games as gymnasium environments (game/envs/): gymnasium's checker passes, frames
are drawn, seeds replay, episodes end as the scenes say, and the vector envs behave lane
for lane as gymnasium's own SyncVectorEnv of the single envs does."""

from __future__ import annotations

import subprocess
import sys
import warnings

import gymnasium
import numpy as np
import pytest
from conftest import ROOT
from gymnasium.utils.env_checker import check_env
from gymnasium.vector import AutoresetMode, SyncVectorEnv

import game.envs
from game.envs import FLAPPY_ID, GRIDWORLD_ID
from game.scenes.gridmap import MapError

CORRIDOR = """\
; a corridor: the goal three moves away, episodes cut at 6 steps
step_reward: -1
goal_reward: 10
time_limit: 6
map:
S..G
"""


@pytest.fixture
def corridor(tmp_path) -> str:
    path = tmp_path / "corridor.txt"
    path.write_text(CORRIDOR)
    return str(path)


def pilot(obs: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """A fair Flappy pilot: flap when the bird sinks near the next gap's bottom. With
    noise it sometimes crashes, so episodes end both ways."""
    obs = np.atleast_2d(obs)
    return (obs[:, 4] < 0.12 + noise).astype(np.int64)


# -- single environments ----------------------------------------------------------


def test_import_registers_both_ids_and_loads_neither_pygame_nor_torch():
    code = (
        "import sys, gymnasium, game.envs\n"
        f"for name in ({FLAPPY_ID!r}, {GRIDWORLD_ID!r}):\n"
        "    env = gymnasium.make(name); env.reset(seed=0); env.step(0); env.close()\n"
        "    assert name in gymnasium.registry\n"
        "print('pygame' in sys.modules, 'torch' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    ("env_id", "kwargs"),
    [
        (FLAPPY_ID, {}),
        (FLAPPY_ID, {"max_pipes": 3}),
        (GRIDWORLD_ID, {}),
        (GRIDWORLD_ID, {"map": "cliff"}),
        (GRIDWORLD_ID, {"map": "four-rooms"}),  # slippery
        (GRIDWORLD_ID, {"map": str(ROOT / "assets" / "maps" / "shortcut-maze.txt")}),
    ],
)
def test_gymnasium_env_checker_passes_without_a_warning(env_id, kwargs):
    env = gymnasium.make(env_id, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the checker warns of what it does not fail
        check_env(env.unwrapped)  # renders both modes too, through the spec
    env.close()


def test_spaces_are_the_scenes_own():
    flappy = gymnasium.make(FLAPPY_ID)
    assert flappy.observation_space.shape == (7,) and flappy.observation_space.dtype == np.float32
    assert flappy.action_space == gymnasium.spaces.Discrete(2)
    grid = gymnasium.make(GRIDWORLD_ID, map="cliff")
    assert grid.observation_space.shape == (4 * 12,) and grid.action_space.n == 4
    obs, info = grid.reset(seed=0)
    # One-hot, as our brains see it: argmax is the cell.
    assert obs.sum() == 1.0 and int(obs.argmax()) == info["cell"] == 3 * 12


def test_flappy_observations_stay_in_the_box_over_whole_episodes():
    """The distance to the next pipe goes below 0 while the bird clears it: the bound
    the scene's spec gives (and the Box) must allow it."""
    env = gymnasium.make(FLAPPY_ID, max_pipes=5).unwrapped
    rng = np.random.default_rng(0)
    lowest = np.inf
    for episode in range(6):
        obs, _ = env.reset(seed=episode)
        done = False
        while not done:
            assert obs in env.observation_space
            lowest = min(lowest, obs[2])
            action = int(pilot(obs, rng.normal(0, 0.05, 1))[0])
            obs, _, terminated, truncated, _ = env.step(action)
            done = terminated or truncated
        assert obs in env.observation_space
    assert lowest < 0  # the case the bound is for did happen


def run_flappy(env, seed: int, steps: int) -> list[np.ndarray]:
    """What the env showed: each step's observation, reward, flags and score, and the
    first observation of each episode (seeded, then `reset()`s)."""
    obs, _ = env.reset(seed=seed)
    trace = [obs]
    rng = np.random.default_rng(1)
    for _ in range(steps):
        obs, reward, terminated, truncated, info = env.step(int(pilot(obs, rng.normal(0, 0.1))[0]))
        trace.append(np.append(obs, [reward, terminated, truncated, info["score"]]))
        if terminated or truncated:
            obs, _ = env.reset()
            trace.append(obs)
    return trace


def same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_a_seed_replays_its_episodes_and_the_resets_after_it():
    env = gymnasium.make(FLAPPY_ID, max_pipes=3)
    first, again, other = run_flappy(env, 7, 800), run_flappy(env, 7, 800), run_flappy(env, 8, 800)
    assert sum(len(x) == 7 for x in first) > 2  # several episodes: reset() replays too
    assert same(first, again) and not same(first, other)


def test_a_slippery_gridworld_replays_by_seed():
    env = gymnasium.make(GRIDWORLD_ID, map="four-rooms")

    def walk(seed: int) -> list[int]:
        env.reset(seed=seed)
        cells = []
        for k in range(300):
            *_, info = env.step(k % 4)
            cells.append(info["cell"])
        return cells

    assert walk(3) == walk(3) != walk(4)


def test_flappy_terminates_on_a_crash_and_truncates_at_max_pipes():
    env = gymnasium.make(FLAPPY_ID, max_pipes=2)
    env.reset(seed=0)
    terminated = truncated = False
    while not (terminated or truncated):  # gliding: into the ground
        _, reward, terminated, truncated, info = env.step(0)
    assert terminated and not truncated and reward == -1.0 and info["score"] == 0
    obs, _ = env.reset(seed=0)
    terminated = truncated = False
    while not (terminated or truncated):
        obs, reward, terminated, truncated, info = env.step(int(pilot(obs, np.zeros(1))[0]))
    assert truncated and not terminated and info["score"] == 2


def test_gridworld_ends_as_its_map_says(corridor):
    env = gymnasium.make(GRIDWORLD_ID, map=corridor)
    env.reset(seed=0)
    rewards = [env.step(1)[1] for _ in range(2)]
    _, reward, terminated, truncated, info = env.step(1)  # into the goal
    assert rewards == [-1.0, -1.0] and reward == 10.0
    assert terminated and not truncated and info["score"] == 100
    env.reset()
    for _ in range(5):
        assert env.step(3)[2:4] == (False, False)  # bumping the left wall
    _, _, terminated, truncated, _ = env.step(3)
    assert truncated and not terminated  # the map's time limit of 6


def test_a_bad_map_is_one_clear_error(tmp_path):
    with pytest.raises(gymnasium.error.Error, match="unknown map 'nowhere'") as caught:
        gymnasium.make(GRIDWORLD_ID, map="nowhere")
    message = str(caught.value)
    assert isinstance(caught.value, MapError) and "\n" not in message
    assert message.startswith(GRIDWORLD_ID) and "dyna-maze" in message  # the shipped maps
    broken = tmp_path / "broken.txt"
    broken.write_text("map:\nS.Q\n..G\n")
    with pytest.raises(game.envs.InvalidMap, match=r"broken\.txt:2:3: .*'Q'"):
        gymnasium.make(GRIDWORLD_ID, map=str(broken))
    with pytest.raises(game.envs.InvalidMap, match="nowhere"):
        gymnasium.make_vec(GRIDWORLD_ID, num_envs=2, map="nowhere")


# -- rendering --------------------------------------------------------------------


def test_rgb_array_frames_show_the_game():
    env = gymnasium.make(FLAPPY_ID, render_mode="rgb_array")
    obs, _ = env.reset(seed=0)
    first = env.render()
    assert first.shape == (512, 432, 3) and first.dtype == np.uint8
    assert len(np.unique(first.reshape(-1, 3), axis=0)) > 50  # sky, pipes, ground, bird
    for _ in range(30):
        obs, *_ = env.step(int(pilot(obs, np.zeros(1))[0]))
    assert not np.array_equal(env.render(), first)  # the world scrolled, the bird moved
    env.close()

    grid = gymnasium.make(GRIDWORLD_ID, render_mode="rgb_array", map="maze-41")
    grid.reset(seed=0)
    frame = grid.render()
    assert frame.dtype == np.uint8 and frame.ndim == 3 and frame.shape[2] == 3
    assert max(frame.shape[:2]) <= 700  # a big maze gets small cells, not a huge frame
    assert frame.std() > 10


def test_a_gridworld_frame_follows_the_agent(corridor):
    env = gymnasium.make(GRIDWORLD_ID, render_mode="rgb_array", map=corridor)
    env.reset(seed=0)
    before = env.render()
    env.step(1)
    after = env.render()
    cell = after.shape[1] // 4  # four cells across
    middle = after.shape[0] // 3  # the grid's row, above the legend
    # The agent's disc left the first cell for the second.
    assert not np.array_equal(before[:middle, :cell], after[:middle, :cell])
    assert not np.array_equal(before[:middle, cell : 2 * cell], after[:middle, cell : 2 * cell])


def test_human_mode_opens_a_window_and_close_releases_it():
    import pygame

    for env_id in (FLAPPY_ID, GRIDWORLD_ID):
        env = gymnasium.make(env_id, render_mode="human")
        assert env.metadata["render_fps"] > 0
        env.reset(seed=0)
        for _ in range(2):
            env.step(0)
        assert env.render() is None
        window = pygame.display.get_surface()
        assert window is not None and window.get_size()[0] > 0
        env.close()
        assert not pygame.display.get_init()


def test_an_unknown_render_mode_is_refused():
    with pytest.raises(ValueError, match="render_mode"):
        game.envs.FlappyBirdEnv(render_mode="ansi")
    with pytest.raises(ValueError, match="render_mode"):
        game.envs.GridworldEnv(render_mode="ansi")


# -- vector environments ----------------------------------------------------------


def test_make_vec_gives_one_batched_env_with_gymnasium_spaces():
    envs = gymnasium.make_vec(FLAPPY_ID, num_envs=5)
    assert isinstance(envs, game.envs.FlappyBirdVectorEnv)
    assert envs.metadata["autoreset_mode"] == AutoresetMode.NEXT_STEP
    assert envs.num_envs == 5 and envs.single_action_space == gymnasium.spaces.Discrete(2)
    assert envs.observation_space.shape == (5, 7) and envs.action_space.shape == (5,)
    obs, infos = envs.reset(seed=0)
    assert obs in envs.observation_space and obs.dtype == np.float32
    assert list(infos["score"]) == [0] * 5
    obs, rewards, terminated, truncated, _ = envs.step(envs.action_space.sample())
    assert obs.shape == (5, 7) and rewards.shape == terminated.shape == truncated.shape == (5,)
    # Each bird on its own course: the next gaps differ.
    assert len(np.unique(obs[:, 3])) == 5

    grid = gymnasium.make_vec(GRIDWORLD_ID, num_envs=3, map="cliff")
    assert isinstance(grid, game.envs.GridworldVectorEnv)
    obs, _ = grid.reset(seed=0)
    assert obs.shape == (3, 48) and np.all(obs.sum(axis=1) == 1)


def lockstep(ours, theirs, actions_of, steps: int, reset_masks: dict[int, np.ndarray]) -> int:
    """Step our vector env and gymnasium's SyncVectorEnv side by side; every result must
    agree exactly. Returns how many episodes ended."""
    a, _ = ours.reset(seed=11)
    b, _ = theirs.reset(seed=11)
    ended = 0
    for t in range(steps):
        assert np.array_equal(a, b), t
        if t in reset_masks:
            options = {"reset_mask": reset_masks[t]}
            a, _ = ours.reset(options=dict(options))
            b, _ = theirs.reset(options=dict(options))
            continue
        actions = actions_of(a, t)
        a, ra, ta, ua, ia = ours.step(actions)
        b, rb, tb, ub, ib = theirs.step(actions)
        assert np.array_equal(ra, rb) and np.array_equal(ta, tb) and np.array_equal(ua, ub), t
        assert np.array_equal(ia["score"], ib["score"]), t
        ended += int((ta | ua).sum())
    return ended


def test_flappy_lanes_are_single_envs_in_gymnasiums_sync_vector_env():
    """Lane i of our vector env, seeded s, flies what FlappyBird-v0 seeded s + i flies,
    crashes, truncations and autoresets included: the lanes scene and FlappyScene agree
    bit for bit, and our autoreset is gymnasium's NEXT_STEP."""
    n = 6
    ours = gymnasium.make_vec(FLAPPY_ID, num_envs=n, max_pipes=3)
    theirs = gymnasium.make_vec(FLAPPY_ID, num_envs=n, vectorization_mode="sync", max_pipes=3)
    assert isinstance(theirs, SyncVectorEnv)
    rng = np.random.default_rng(0)
    mask = np.zeros(n, dtype=bool)
    mask[[1, 4]] = True
    ended = lockstep(
        ours, theirs, lambda obs, t: pilot(obs, rng.normal(0, 0.08, n)), 2500, {1200: mask}
    )
    assert ended > 20


def test_gridworld_lanes_match_single_envs_on_a_deterministic_map(corridor):
    n = 4
    ours = gymnasium.make_vec(GRIDWORLD_ID, num_envs=n, map=corridor)
    theirs = gymnasium.make_vec(GRIDWORLD_ID, num_envs=n, vectorization_mode="sync", map=corridor)
    rng = np.random.default_rng(0)
    ended = lockstep(ours, theirs, lambda obs, t: rng.integers(0, 4, n), 300, {})
    assert ended > 20


def test_next_step_autoreset_starts_the_ended_lane_alone(corridor):
    envs = game.envs.GridworldVectorEnv(2, map=corridor)
    envs.reset(seed=0)
    for _ in range(2):
        obs, *_ = envs.step(np.array([1, 3]))
    obs, rewards, terminated, truncated, _ = envs.step(np.array([1, 3]))
    assert list(terminated) == [True, False] and rewards[0] == 10.0
    assert obs[0].argmax() == 3  # lane 0 shows where it ended: the goal
    # Its next step ignores the action and starts it again; lane 1 goes on.
    obs, rewards, terminated, truncated, _ = envs.step(np.array([1, 3]))
    assert obs[0].argmax() == 0 and rewards[0] == 0.0 and not terminated[0] and not truncated[0]
    assert rewards[1] == -1.0
    obs, *_ = envs.step(np.array([1, 3]))
    assert obs[0].argmax() == 1  # and then it moves


def test_vector_envs_refuse_bad_actions_and_render_modes():
    envs = game.envs.FlappyBirdVectorEnv(3)
    envs.reset(seed=0)
    with pytest.raises(ValueError, match="expected 3 actions"):
        envs.step(np.zeros(2, dtype=np.int64))
    with pytest.raises(ValueError, match="actions must be in 0..1"):
        envs.step(np.array([0, 2, 1]))
    with pytest.raises(ValueError, match="do not render"):
        game.envs.FlappyBirdVectorEnv(3, render_mode="rgb_array")


def test_the_lanes_scene_restores_a_snapshot():
    from game.scenes.flappy_lanes import FlappyLanesScene

    scene = FlappyLanesScene(4, max_score=3)
    scene.reset(5)
    rng = np.random.default_rng(0)
    for _ in range(100):
        scene.step(pilot(scene.observe(), rng.normal(0, 0.05, 4)))
    saved = scene.snapshot()
    actions = [pilot(scene.observe(), rng.normal(0, 0.05, 4)) for _ in range(300)]

    def play() -> list[np.ndarray]:
        return [np.concatenate([scene.observe().ravel(), *scene.step(a)]) for a in actions]

    first = play()
    scene.reset(6)  # another course altogether, then back
    scene.restore(saved)
    assert same(play(), first)
