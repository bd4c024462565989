"""Issue 21's views, as a user sees them: in a CartPole race every lane's carts wear its
colour and the counter says whose cart it counts; the carts spread over tracks that fill
the panel; the gridworld's fills are one at a time, its start is plain to see, and value
iteration sweeps slowly enough at 1x to watch the values spread. Pictures of each go to
test-artifacts/."""

from __future__ import annotations

import numpy as np
import pygame
import pytest
from test_app import press

from brains.registry import make_brain
from game.app import App
from game.arena import Budget, brain_shape
from game.compare import CompareArena, split_brain_list
from game.experiment import make_arena
from game.scenes.cartpole import CartPoleScene
from game.ui import lanes as lane_ui
from game.ui.layout import KEY_LINE, PAD, TOP_BAR
from game.views import cartpole_view as cv
from game.views import gridworld_view as gv
from game.views import make_view

SIZE = (1280, 720)


def matching(pixels: np.ndarray, colour, tolerance: int = 3) -> np.ndarray:
    return np.all(np.abs(pixels.astype(int) - colour) <= tolerance, axis=-1)


def cartpole_race(names: str, ticks: int = 120) -> CompareArena:
    shape = brain_shape("cartpole")
    brains = [(name, make_brain(name, shape, None, 0)) for name in split_brain_list(names)]
    arena = CompareArena("cartpole", brains, 0, Budget(max_steps=200_000, until_solved=True))
    for _ in range(ticks):
        arena.tick()
    return arena


def panel_height(app: App) -> int:
    """The height the layout has for the game: the window less the bars and the padding."""
    return app.screen.get_height() - TOP_BAR - KEY_LINE - 2 * PAD


class RecordingView(cv.CartPoleView):
    """The CartPole view, noting what the window hands it for each lane."""

    def __init__(self) -> None:
        super().__init__()
        self.given: list[dict] = []

    def draw(self, surface, rect, scene, highlight, **extras) -> None:
        self.given.append(extras)
        super().draw(surface, rect, scene, highlight, **extras)


# -- CartPole ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "names",
    ["hill-climb,q-table", "random-search,hill-climb,ga", "random-search,hill-climb,q-table,ga"],
)
def test_each_lane_of_a_cartpole_race_draws_its_carts_in_its_colour(names, artifacts):
    arena = cartpole_race(names)
    app = App(arena, make_view("cartpole"), fps=0, size=SIZE)
    app.draw()
    count = len(arena.lanes)
    pygame.image.save(app.screen, artifacts / f"polish_cartpole_compare_{count}.png")
    pixels = pygame.surfarray.array3d(app._game)
    rects = lane_ui.lane_rects(app._game.get_rect(), count, arena.lane_columns)
    for lane, (_, rect) in zip(arena.lanes, rects, strict=True):
        header = cv.Tracks(rect.size, lane.shown.scene.n).header  # below the counter
        carts = pixels[rect.left : rect.right, rect.top + header : rect.bottom]
        assert matching(carts, lane.colour).sum() > 60, f"{lane.label}: no cart in its colour"
        for other in arena.lanes:
            if other is not lane:
                stray = matching(carts, other.colour).sum()
                assert stray == 0, f"{lane.label} has carts in {other.label}'s colour"
    app.close()


def test_the_counter_says_whose_cart_it_counts(monkeypatch):
    arena = cartpole_race("hill-climb,q-table,ga", ticks=30)
    view = RecordingView()
    said: list[str] = []

    def noting(*args) -> list[str]:
        words = counter_words(*args)
        said.append(words[0])
        return words

    counter_words = cv.counter_words
    monkeypatch.setattr(cv, "counter_words", noting)
    app = App(arena, view, fps=0, size=SIZE)
    app.draw()
    assert [extras["name"] for extras in view.given] == ["hill-climb", "q-table", "ga"]
    assert [extras["colour"] for extras in view.given] == [lane.colour for lane in arena.lanes]
    assert said[0].startswith("hill-climb, cart ") and " of 4: steps balanced" in said[0]
    assert said[1] == "q-table: steps balanced (of 500)"
    assert said[2].startswith("ga, cart ") and " of 200: " in said[2]
    app.close()
    # Alone, the carts are numbered; in a match, the side is named and timed.
    assert counter_words(8, 2, 40, None, False)[0] == "cart 3 of 8: steps balanced (of 500)"
    assert counter_words(1, 0, 150, "you", True)[0] == "you: 3.00 s of 10 s balanced"
    assert counter_words(1, 0, 150, None, False)[0] == "steps balanced (of 500)"


@pytest.mark.parametrize("names", [None, "dqn", "hill-climb,q-table", "random-search,ga,dqn"])
def test_the_cartpole_scene_fills_most_of_its_panels_height(names, artifacts):
    if names is None or "," not in names:
        brain = make_brain(names or "ga", brain_shape("cartpole"), None, 0)
        arena = make_arena("cartpole", brain, 0)
        for _ in range(60):
            arena.tick()
    else:
        arena = cartpole_race(names, ticks=60)
    app = App(arena, make_view("cartpole"), fps=0, size=SIZE)
    app.draw()
    pygame.image.save(app.screen, artifacts / f"polish_cartpole_{names or 'ga'}.png")
    assert app._game.get_height() >= 0.8 * panel_height(app)
    if hasattr(arena, "can_save"):
        arena.can_save = False
    app.close()


def test_a_few_carts_get_a_track_each_and_a_population_spreads_over_tracks():
    for n, tracks in ((1, 1), (4, 4), (8, 8)):
        assert cv.Tracks((731, 548), n).count == tracks
    crowd = cv.Tracks((731, 548), 200)
    assert 2 <= crowd.count <= cv.MAX_CROWD_TRACKS
    assert len(set(crowd.rails)) == crowd.count  # one above the other, each its own rail


def test_a_population_is_translucent_in_the_lane_colour_and_the_highlight_opaque(artifacts):
    scene = CartPoleScene(200)
    scene.reset(0)
    view, blue = cv.CartPoleView(), (90, 170, 255)
    surface = pygame.Surface((731, 548))
    view.draw(surface, surface.get_rect(), scene, 0, colour=blue, name="ga")
    pygame.image.save(surface, artifacts / "polish_cartpole_crowd.png")
    pixels = pygame.surfarray.array3d(surface)
    header = cv.Tracks(surface.get_size(), 200).header
    below = pixels[:, header:]
    tracks = cv.Tracks(surface.get_size(), 200)
    body = round(cv.CART_W * tracks.scale) * round(cv.CART_H * tracks.scale)
    opaque = matching(below, blue).sum()
    assert 0.8 * body <= opaque <= 1.2 * body, "the highlighted cart alone is opaque"
    bluish = (below[..., 2].astype(int) - below[..., 0]) > 60  # the crowd, blended over sky
    assert bluish.sum() > 4 * body, "no translucent crowd"


# -- Gridworld ---------------------------------------------------------------------------


def grid_app(key: str, brain: str = "value-iteration", sweeps: int | None = None) -> App:
    arena = make_arena(key, make_brain(brain, brain_shape(key), None, 0), 0)
    arena.can_save = False
    if sweeps is None:
        arena.run(Budget(max_episodes=3))
    else:
        while arena.brain.sweeps < sweeps:
            arena.tick()
    return App(arena, make_view("gridworld", arena.scene), fps=0, size=SIZE)


def gold_share(pixels: np.ndarray) -> float:
    """Pixels of the positive value heat (gold blended over the floor)."""
    r, g, b = (pixels[..., i].astype(int) for i in range(3))
    return float(((r > 110) & (g > 90) & (b < 70) & (r > b + 60)).mean())


def test_fills_are_one_at_a_time_and_arrows_go_with_values_or_visits():
    view = gv.GridWorldView()
    seen = []
    for key in "aqhvvhhqaav":
        view.handle_key(key)
        layers = view.layers
        seen.append(layers)
        assert layers["h"] + layers["q"] + layers["v"] <= 1, f"after {key}: {layers}"
        assert not (layers["q"] and layers["a"]), "arrows over the Q triangles"
    view = gv.GridWorldView()
    assert view.layers == {"h": True, "a": True, "q": False, "v": False}
    view.handle_key("q")  # Q replaces the heat and the arrows
    assert view.layers == {"h": False, "a": False, "q": True, "v": False}
    view.handle_key("q")  # ... and pressed again gives them back
    assert view.layers == {"h": True, "a": True, "q": False, "v": False}
    view.handle_key("v")  # the visits are a fill of their own, arrows over them
    assert view.layers == {"h": False, "a": True, "q": False, "v": True}
    view.handle_key("h")  # back to values
    view.handle_key("h")  # H again: a plain floor under the arrows
    assert view.layers == {"h": False, "a": True, "q": False, "v": False}


def test_the_visits_replace_the_value_heat_in_the_picture(artifacts):
    app = grid_app("gridworld:dyna-maze")
    app.draw()
    values = gold_share(pygame.surfarray.array3d(app._game))
    press(pygame.K_v)
    app.frame()
    pygame.image.save(app.screen, artifacts / "polish_dyna_maze_visits_by_key.png")
    visits = gold_share(pygame.surfarray.array3d(app._game))
    assert values > 0.2 and visits < 0.02, (values, visits)  # the agent is gold, the heat gone
    app.close()


@pytest.mark.parametrize("map_name", ["dyna-maze", "maze-21"])
@pytest.mark.parametrize("keys", ["", "a", "q", "v", "h"])
def test_each_fill_of_value_iteration_draws(map_name, keys, artifacts):
    app = grid_app(f"gridworld:{map_name}", sweeps=12)
    if keys == "v":
        app.arena.run(Budget(max_episodes=app.arena.metrics.episodes + 3))
    for key in keys:
        app.view.handle_key(key)
    app.draw()
    name = {"": "values_arrows", "a": "values", "q": "q", "v": "visits_arrows", "h": "plain"}
    pygame.image.save(app.screen, artifacts / f"polish_{map_name}_{name[keys]}.png")
    pixels = pygame.surfarray.array3d(app._game)
    heat, arrows = gold_share(pixels), matching(pixels, gv.ARROW, 2).sum()
    if keys in ("", "a", "q"):
        assert heat > 0.02, "no values drawn"
    else:
        assert heat < 0.01, "the value heat shows under another fill"
    if keys in ("", "v", "h"):
        assert arrows > 100, "no arrows"
    elif keys == "a":
        assert arrows == 0, "arrows drawn after A turned them off"
    app.close()


@pytest.mark.parametrize("map_name", ["dyna-maze", "maze-41"])
def test_the_start_is_outlined_and_tagged_at_every_size(map_name, artifacts):
    app = grid_app(f"gridworld:{map_name}", sweeps=0)
    app.draw()
    pygame.image.save(app.screen, artifacts / f"polish_{map_name}_start.png")
    pixels = pygame.surfarray.array3d(app._game)
    marked = matching(pixels, gv.START_RING, 2)
    assert marked.sum() >= 300, f"the start mark covers {marked.sum()} pixels"
    xs, ys = np.nonzero(marked)
    width, height = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
    assert min(width, height) >= gv.MIN_START, "the start mark is smaller than MIN_START"
    app.close()


def test_a_gridworld_race_draws_each_lanes_agent_in_its_colour(artifacts):
    key = "gridworld:dyna-maze"
    names = split_brain_list("dyna-q:n=0,dyna-q:n=5,dyna-q:n=50")
    brains = [(name, make_brain(name, brain_shape(key), None, 0)) for name in names]
    race = CompareArena(key, brains, 0, Budget(max_steps=200_000, until_solved=True))
    for _ in range(1_500):
        race.tick()
    app = App(race, make_view("gridworld", race.scene), fps=0, size=SIZE)
    app.draw()
    pygame.image.save(app.screen, artifacts / "polish_gridworld_race.png")
    pixels = pygame.surfarray.array3d(app._game)
    rects = lane_ui.lane_rects(app._game.get_rect(), len(race.lanes), race.lane_columns)
    for lane, (_, rect) in zip(race.lanes, rects, strict=True):
        inside = pixels[rect.left : rect.right, rect.top : rect.bottom]
        assert matching(inside, lane.colour).sum() > 100, f"no agent in {lane.label}'s colour"
    app.close()


# -- Pacing ------------------------------------------------------------------------------


def ticks_to_converge(key: str) -> int:
    arena = make_arena(key, make_brain("value-iteration", brain_shape(key), None, 0), 0)
    ticks = 0
    while not arena.brain.converged:
        arena.tick()
        ticks += 1
    return ticks


def test_value_iteration_spreads_slowly_enough_to_watch_at_1x():
    per_second = 60  # the window's ticks a second at 1x (game/app.py TICKS_PER_SECOND)
    small = ticks_to_converge("gridworld:dyna-maze") / per_second
    large = ticks_to_converge("gridworld:maze-41") / per_second
    assert small >= 3.0, f"Dyna-Maze converges in {small:.1f} s at 1x"
    assert large <= 20.0, f"maze-41 takes {large:.1f} s at 1x"  # a big maze sweeps faster
