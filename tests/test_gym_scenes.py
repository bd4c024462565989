"""Our brains on gymnasium's environments (`--scene gym:ENV_ID`): they learn there, the
window shows the environment's own frames, and what cannot be a scene says why in a line."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pygame
import pytest
from test_cli import main_py

from game.arena import Budget
from game.experiment import make_arena
from game.scenes import make_scene, scene_spec
from game.training import train


def test_an_environment_becomes_a_scene_with_its_own_spaces_and_threshold():
    spec = scene_spec("gym:Acrobot-v1")
    assert (spec.obs_dim, spec.n_actions) == (6, 3)
    assert spec.obs_low[:4] == (-1.0, -1.0, -1.0, -1.0) and spec.copyable is False
    scene = make_scene("gym:Acrobot-v1", 3)
    assert scene.solve_rule.threshold == -100.0  # Acrobot-v1's spec.reward_threshold
    assert not scene.solve_rule.judge(np.full(20, -101.0))


def test_same_seed_same_episodes_and_agents_play_their_own():
    def play(seed: int) -> tuple[np.ndarray, np.ndarray]:
        scene = make_scene("gym:MountainCar-v0", 3)
        scene.reset(seed)
        first = scene.observe()
        for _ in range(50):
            scene.step(np.array([0, 1, 2]))
        return first, scene.observe()

    a, b, other = play(7), play(7), play(8)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], other[0])
    assert len({tuple(row) for row in a[0]}) == 3  # each agent its own start


def test_an_agent_that_finishes_stays_done_and_can_start_again():
    scene = make_scene("gym:CartPole-v1", 2)
    scene.reset(0)
    steps = 0
    while scene.alive.any() and steps < 600:
        scene.step(np.zeros(2, dtype=int))  # always left: the pole falls in a few steps
        steps += 1
    assert steps < 600 and np.array_equal(scene.returns, scene.steps)
    assert scene.steps.max() == steps
    rewards, *_ = scene.step(np.zeros(2, dtype=int))
    assert not rewards.any()  # the done pay nothing
    scene.reset_agents(np.array([True, False]))
    assert scene.alive.tolist() == [True, False] and scene.returns[0] == 0


@pytest.mark.parametrize("brain", ["hill-climb", "dqn"])
def test_brains_solve_acrobot(brain):
    """Acrobot-v1 is solved at a mean return of -100 over fresh episodes; hill climbing
    gets there in about 7,000 steps, DQN in about 24,000 (seed 0)."""
    arena = make_arena("gym:Acrobot-v1", _brain(brain), seed=0, brain_text=brain)
    result = train(arena, Budget(max_steps=60_000, until_solved=True), out=None, progress=False)
    assert result["solved"], result
    assert result["eval_score"] >= -100


def _brain(name: str):
    from brains.registry import make_brain
    from game.arena import brain_shape

    return make_brain(name, brain_shape("gym:Acrobot-v1"), None, 0)


@pytest.mark.parametrize(
    ("scene", "says"),
    [
        ("gym:Nope-v9", "doesn't exist"),
        ("gym:Pendulum-v1", "discrete actions"),
        ("gym:", "needs an environment id"),
    ],
)
def test_what_cannot_be_a_scene_is_one_line(scene, says):
    result = main_py("train", "--scene", scene, "--max-steps", "10")
    assert result.returncode == 2
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_planners_that_copy_the_scene_are_refused():
    result = main_py("train", "--scene", "gym:Acrobot-v1", "--brain", "mcts", "--max-steps", "9")
    assert result.returncode == 2 and "cannot be copied" in result.stderr


def test_lunar_lander_plays_where_box2d_installs(tmp_path):
    result = main_py(
        "train", "--scene", "gym:LunarLander-v3", "--brain", "dqn", "--max-steps", "400",
        "--quiet", "--out", str(tmp_path),
    )  # fmt: skip
    if importlib.util.find_spec("Box2D") is None:  # `make` may not find a wheel for it
        assert result.returncode == 2 and "not installed" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    else:
        assert result.returncode == 0, result.stderr
        line = json.loads(result.stdout)
        assert line["scene"] == "gym:LunarLander-v3" and line["env_steps"] == 400


def test_window_shows_the_environment_frames(tmp_path, artifacts):
    from game.app import App
    from game.ui import theme
    from game.views import make_view

    theme.font(22).render("cached before the view", True, theme.TEXT)  # as the menu leaves it
    arena = make_arena("gym:Acrobot-v1", _brain("ga"), seed=0, brain_text="ga")
    view = make_view(arena.scene.spec.name, arena.scene)  # draws a frame to learn its size
    theme.font(22).render("still usable: gymnasium did not quit pygame", True, theme.TEXT)
    app = App(arena, view, save_root=tmp_path)
    for _ in range(3):
        arena.tick()
    for _ in range(3):
        app.frame()
    pygame.image.save(app.screen, str(artifacts / "gym-acrobot-window.png"))
    frame = app._game
    pixels = pygame.surfarray.array3d(frame)
    # gymnasium draws Acrobot on white: the panel shows its frames, not our background.
    assert (pixels >= 250).all(axis=2).mean() > 0.3
    assert app.view.world_size[0] == 500  # Acrobot's frames are 500 x 500
    app.close()


def test_watch_and_compare_open_on_a_gym_scene(tmp_path):
    trained = main_py(
        "train", "--scene", "gym:Acrobot-v1", "--brain", "hill-climb", "--max-steps", "2000",
        "--quiet", "--out", str(tmp_path),
    )  # fmt: skip
    assert trained.returncode == 0, trained.stderr
    saved = json.loads(trained.stdout)["saved_to"]
    assert main_py("watch", saved, "--frames", "5").returncode == 0
    raced = main_py(
        "compare", "--scene", "gym:Acrobot-v1", "--brains", "random-search,hill-climb",
        "--frames", "5",
    )  # fmt: skip
    assert raced.returncode == 0, raced.stderr


def test_a_race_lane_shows_one_agent_with_a_caption_that_fits():
    from game.ui import theme
    from game.views.gym_view import GymView

    scene = make_scene("gym:Acrobot-v1", 4)
    scene.reset(0)
    view = GymView(scene)
    font = theme.font(16)
    assert view.caption(scene, 2, 2000, font).startswith("agent 3 of 4: return 0 after 0")
    assert font.size(view.caption(scene, 2, 120, font))[0] <= 120
    surface = pygame.Surface((300, 300))
    view.draw(surface, surface.get_rect(), scene, 2, colour=(255, 0, 0), name="dqn")
    assert view.shown(scene, 2)[0] == 2  # the highlighted agent first
