"""Every mode of the window at three sizes: nothing of the top bar or the key line is left
out, no two pieces of text overlap, and everything is inside the window."""

from __future__ import annotations

import itertools

import pygame
import pytest

from brains.registry import make_brain
from game.app import App
from game.arena import Budget, brain_shape
from game.compare import CompareArena
from game.experiment import make_arena
from game.play.modes import make_play
from game.showcase import ShowcaseArena
from game.views import make_view

SIZES = ((1280, 720), (900, 560), (700, 900))


def trained(scene: str, brain: str, budget: Budget, seed: int = 0):
    arena = make_arena(scene, make_brain(brain, brain_shape(scene), None, seed), seed)
    arena.run(budget)
    return arena


def build(mode: str):
    """(arena, view) of each mode a user can open."""
    if mode == "flappy ga":
        arena = trained("flappy", "ga", Budget(max_generations=2))
    elif mode == "flappy neat":
        arena = trained("flappy", "neat", Budget(max_generations=2))
    elif mode == "cartpole dqn":
        arena = trained("cartpole", "dqn", Budget(max_steps=2_500))
        arena.metrics.solved, arena.metrics.solved_at = True, {"env_steps": 2_000}
    elif mode == "flappy dqn":
        arena = trained("flappy", "dqn", Budget(max_steps=300))
    elif mode == "maze dyna-q":
        arena = trained("gridworld:dyna-maze", "dyna-q", Budget(max_episodes=3))
    elif mode == "maze value-iteration":
        arena = make_arena(
            "gridworld:dyna-maze",
            make_brain("value-iteration", brain_shape("gridworld:dyna-maze"), None, 0),
            0,
        )
    elif mode == "compare":
        names = ("random-search", "hill-climb", "q-table", "ga")
        brains = [(n, make_brain(n, brain_shape("cartpole"), None, 0)) for n in names]
        arena = CompareArena("cartpole", brains, 0, Budget(max_steps=50_000, until_solved=True))
        for _ in range(200):
            arena.tick()
    elif mode == "watch":
        brain = trained("cartpole", "hill-climb", Budget(max_steps=3_000)).brain
        arena = ShowcaseArena("cartpole", brain, 0)
    elif mode == "play flappy":
        brain = make_brain("ga", brain_shape("flappy"), 50, 0)
        arena = make_play("flappy", 0, brain, label="ga")
    elif mode == "play cartpole":
        brain = make_brain("hill-climb", brain_shape("cartpole"), None, 0)
        arena = make_play("cartpole", 0, brain, label="hill-climb")
    elif mode == "play maze":
        key = "gridworld:dyna-maze"
        brain = make_brain("value-iteration", brain_shape(key), None, 0)
        arena = make_play(key, 0, brain, label="value-iteration")
    else:
        raise KeyError(mode)
    scene = arena.scene
    return arena, make_view(scene.spec.name, scene)


MODES = (
    "flappy ga",
    "flappy neat",
    "cartpole dqn",
    "flappy dqn",
    "maze dyna-q",
    "maze value-iteration",
    "compare",
    "watch",
    "play flappy",
    "play cartpole",
    "play maze",
)


def pieces(items) -> int:
    """Text boxes a list of (label, value, ...) draws: a label (if any) and a value."""
    return sum(2 if item[0] else 1 for item in items)


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_shows_all_its_counters_and_keys_at_every_size(mode, tmp_path, artifacts):
    arena, view = build(mode)
    app = App(arena, view, save_root=tmp_path, fps=0)
    for size in SIZES:
        app.screen = pygame.display.set_mode(size)
        app.frames = 0
        app.draw()
        pygame.image.save(app.screen, artifacts / f"layout_{mode.replace(' ', '_')}_{size[0]}.png")
        expected = 1 + pieces(arena.hud()) + pieces(app._badges()) + 2 * len(app.key_line())
        expected += 2 * len(getattr(arena, "lanes", ()))  # each lane's name and status
        boxes = app.text_boxes
        assert len(boxes) == expected, f"{mode} at {size}: something was left out"
        window = app.screen.get_rect()
        for box in boxes:
            assert window.contains(box), f"{mode} at {size}: {box} is outside the window"
        for chart, rect in zip(app.charts, app.chart_rects, strict=True):
            drawn = chart.last_layout  # each chart's title and legend, in the window
            assert drawn is not None and drawn.plot is not None, f"{mode} at {size}: no plot"
            boxes = boxes + [drawn.title.move(rect.topleft)]
            if drawn.legend.width:
                boxes.append(drawn.legend.move(rect.topleft))
        for a, b in itertools.combinations(boxes, 2):
            assert not a.colliderect(b), f"{mode} at {size}: text at {a} overlaps {b}"
    app.running = False
    pygame.display.quit()


def test_the_champions_check_comes_first_in_the_top_bar():
    from game.ui.hud import order_status_first

    items = [("Episodes", "3"), ("Steps", "4,000"), ("Solved", "2,000 steps")]
    assert order_status_first(items)[0] == ("Solved", "2,000 steps")


def test_help_lists_every_key_and_a_screenshot_lands_in_the_save_folder(tmp_path):
    arena, view = build("maze dyna-q")
    app = App(arena, view, save_root=tmp_path, fps=0)
    press = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F1, mod=0, unicode="", scancode=0)
    app.handle(press)
    assert app.show_help
    app.draw()
    keys = dict(app.key_line())
    assert {"H", "A", "Q", "V", "F12", "? / F1", "Esc"} <= keys.keys()
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode=""))
    assert not app.show_help and app.running  # Esc closes the help first
    app.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F12, mod=0, unicode=""))
    shots = list(tmp_path.glob("screenshot-*.png"))
    assert len(shots) == 1 and pygame.image.load(str(shots[0])).get_size() == (1280, 720)
    assert not list(tmp_path.glob(".*"))  # no half-written file left behind
    app.running = False
    pygame.display.quit()
