"""The start menu: its entries are command lines main.py accepts, keys and the mouse
choose them, saved brains join it (bad ones quietly do not), and it fits the window."""

from __future__ import annotations

import itertools
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pygame
import pytest
from conftest import ROOT

from brains.registry import BRAINS
from game.arena import brain_shape
from game.scenes import SCENES, gridworld_key
from game.scenes.gridmap import map_names
from game.ui.layout import KEY_LINE
from game.ui.menu import (
    CHOICE,
    GROUPS,
    GYM_SCENES,
    MAX_SAVED,
    MODES,
    NO_SAVED,
    Choice,
    Menu,
    brains_for,
    choose,
    compose,
    menu_entries,
    scene_keys,
)

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
import main  # noqa: E402

SIZES = [(1280, 720), (900, 560), (700, 900)]
BUILT_IN = [
    ("Watch", "Watch birds evolve", "run --scene flappy --brain ga"),
    ("Watch", "NEAT grows networks", "run --scene flappy --brain neat"),
    ("Watch", "A DQN balances a pole", "run --scene cartpole --brain dqn"),
    ("Watch", "Hill climbing on CartPole", "run --scene cartpole --brain hill-climb"),
    ("Watch", "Values spread through a maze", "run --map dyna-maze"),
    ("Watch", "Dyna-Q plans in a maze", "run --map dyna-maze --brain dyna-q"),
    ("Play", "Fly with the flock", "play --scene flappy --with ga"),
    ("Play", "Fly alone", "play --scene flappy"),
    ("Play", "Balance against a bot", "play --scene cartpole --with hill-climb"),
    ("Play", "Race a planner through a maze", "play --map dyna-maze --with value-iteration"),
    ("Play", "Walk the cliff", "play --map cliff --with q-learning"),
    ("Compare", "Four searchers on CartPole",
     "compare --scene cartpole --brains random-search,hill-climb,ga,dqn"),
    ("Compare", "Dyna-Q with 0, 5 and 50 planning steps",
     "compare --map dyna-maze --brains dyna-q:n=0,dyna-q:n=5,dyna-q:n=50"),
    ("Compare", "GA against NEAT on Flappy Bird", "compare --scene flappy --brains ga,neat"),
]  # fmt: skip


def train(out: Path, *options: str) -> Path:
    """A real saved brain, made the way a user makes one."""
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "train", *options, "--quiet", "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return Path(json.loads(result.stdout)["saved_to"])


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("trained")
    pole = train(out, "--scene", "cartpole", "--brain", "hill-climb", "--max-steps", "5000")
    cliff = train(out, "--map", "cliff", "--brain", "q-learning", "--max-steps", "2000")
    return {"cartpole": pole, "cliff": cliff}


def copy_brain(source: Path, runs: Path, name: str, mtime: float) -> Path:
    target = runs / name
    shutil.copytree(source, target)
    os.utime(target / "brain.json", (mtime, mtime))
    return target


@pytest.fixture
def runs(tmp_path, trained) -> Path:
    """Two good brains (the cliff one newer), and things that are not brains."""
    runs = tmp_path / "runs"
    runs.mkdir()
    copy_brain(trained["cartpole"], runs, "pole-brain", 1_000_000)
    copy_brain(trained["cliff"], runs, "cliff-brain", 2_000_000)
    corrupt = copy_brain(trained["cartpole"], runs, "corrupt", 3_000_000)
    (corrupt / "brain.json").write_text('{"format": "learning-arcade-brain", "vers')
    stranger = copy_brain(trained["cartpole"], runs, "stranger", 3_000_000)
    (stranger / "brain.json").write_text(json.dumps({"format": "something else"}))
    copy_brain(trained["cartpole"], runs, ".half-saved.partial-99", 3_000_000)
    (runs / "empty-folder").mkdir()
    (runs / "notes.txt").write_text("not a brain")
    return runs


@pytest.fixture
def full_runs(tmp_path, trained) -> Path:
    """More brains than the menu shows."""
    runs = tmp_path / "full"
    runs.mkdir()
    for n in range(MAX_SAVED + 2):
        name = f"cartpole-hill-climb-seed{n}-gen9-20261204-21230{n}"
        copy_brain(trained["cartpole"], runs, name, 1_000_000 + n)
    return runs


@pytest.fixture
def window():
    pygame.display.init()
    pygame.font.init()
    yield pygame.display.set_mode((1280, 720), pygame.RESIZABLE)
    pygame.display.quit()


def key(k: int) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="")


def click(pos: tuple[int, int]) -> pygame.event.Event:
    return pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1)


def once(*events: pygame.event.Event):
    """An `events` function for choose(): these events on the first frame, then none."""
    batches = iter([list(events)])
    return lambda: next(batches, [])


# -- the entries ---------------------------------------------------------------------------


def test_the_built_in_entries_and_their_command_lines(tmp_path):
    entries = menu_entries(tmp_path)
    assert [(e.group, e.label, e.argv) for e in entries[: len(BUILT_IN)]] == [
        (group, label, argv.split()) for group, label, argv in BUILT_IN
    ]
    assert all(e.detail and e.enabled for e in entries[: len(BUILT_IN)])
    assert [e.group for e in entries] == sorted((e.group for e in entries), key=GROUPS.index)


def test_every_command_line_is_one_main_py_accepts(tmp_path, full_runs):
    for entry in menu_entries(tmp_path) + menu_entries(full_runs):
        if not entry.enabled:
            continue
        command, *rest = entry.argv
        given = dict(itertools.pairwise(rest))
        assert given.get("--scene", "flappy") in SCENES, entry.label
        assert given.get("--map", "dyna-maze") in map_names(), entry.label
        for option in ("--brain", "--with"):
            assert given.get(option, "ga").partition(":")[0] in BRAINS, entry.label
        for brain in given.get("--brains", "ga").split(","):
            assert brain.partition(":")[0] in BRAINS, entry.label
        args = main.build_parser().parse_args(entry.argv)
        assert args.command == command


def test_with_no_saved_brains_a_line_says_how_to_save_one(tmp_path):
    saved = [e for e in menu_entries(tmp_path / "no-such-folder") if e.group == "Saved brains"]
    assert [(e.label, e.argv, e.enabled) for e in saved] == [(NO_SAVED, [], False)]


def test_saved_brains_can_be_watched_and_played_against(runs):
    saved = [e for e in menu_entries(runs) if e.group == "Saved brains"]
    assert [(e.label, e.argv) for e in saved] == [
        ("Watch cliff-brain", ["watch", str(runs / "cliff-brain")]),  # newest first
        ("Play against cliff-brain", ["play", "--against", str(runs / "cliff-brain")]),
        ("Watch pole-brain", ["watch", str(runs / "pole-brain")]),
        ("Play against pole-brain", ["play", "--against", str(runs / "pole-brain")]),
    ]  # the corrupt and foreign brain.json, the half-saved one and the rest: left out
    assert "q-learning on cliff" in saved[0].detail and "hill-climb" in saved[2].detail


def test_at_most_six_saved_brains_newest_first(full_runs):
    watched = [e.argv[1] for e in menu_entries(full_runs) if e.argv[:1] == ["watch"]]
    newest = sorted(full_runs.iterdir(), key=lambda p: -(p / "brain.json").stat().st_mtime)
    assert watched == [str(path) for path in newest[:MAX_SAVED]]


# -- choosing ------------------------------------------------------------------------------


def test_the_first_entry_is_selected_when_the_menu_opens(tmp_path):
    menu = Menu(menu_entries(tmp_path))
    assert menu.entries[menu.selected].label == "Watch birds evolve"


def test_enter_starts_the_selected_entry(window, tmp_path):
    assert choose(runs=tmp_path, events=once(key(pygame.K_RETURN))) == BUILT_IN[0][2].split()


def test_down_then_enter_starts_the_second_entry(window, tmp_path):
    events = once(key(pygame.K_DOWN), key(pygame.K_RETURN))
    assert choose(runs=tmp_path, events=events) == BUILT_IN[1][2].split()


def test_keys_move_up_down_and_between_groups(tmp_path):
    menu = Menu(menu_entries(tmp_path))
    label = lambda: menu.entries[menu.selected].label  # noqa: E731
    for k, expected in [
        (pygame.K_s, "NEAT grows networks"),
        (pygame.K_DOWN, "A DQN balances a pole"),
        (pygame.K_RIGHT, "Balance against a bot"),  # the same place in the next group
        (pygame.K_RIGHT, "GA against NEAT on Flappy Bird"),
        (pygame.K_DOWN, "The book's Figure 8.2, run by run"),
        (pygame.K_DOWN, "SARSA against Q-learning"),
        (pygame.K_DOWN, "Scene"),  # on into your choice
        (pygame.K_UP, "SARSA against Q-learning"),
        (pygame.K_UP, "The book's Figure 8.2, run by run"),
        (pygame.K_UP, "GA against NEAT on Flappy Bird"),
        (pygame.K_LEFT, "Balance against a bot"),
        (pygame.K_w, "Fly alone"),
        (pygame.K_UP, "Fly with the flock"),
        (pygame.K_UP, "Dyna-Q plans in a maze"),  # up and down run through the groups
    ]:
        assert menu.handle(key(k)) is None
        assert label() == expected, k
    assert menu.handle(key(pygame.K_SPACE)) == ["run", "--map", "dyna-maze", "--brain", "dyna-q"]


def test_from_start_right_goes_on_only_to_something_that_starts(tmp_path, runs):
    for folder, expected in [(tmp_path, "Start"), (runs, "Play against pole-brain")]:
        menu = Menu(menu_entries(folder))
        menu.selected = next(i for i, e in enumerate(menu.entries) if e.label == "Start")
        menu.handle(key(pygame.K_RIGHT))  # the hint line is not an entry; a saved brain is
        assert menu.entries[menu.selected].label == expected


def test_right_and_left_move_between_a_saved_brains_buttons(runs):
    menu = Menu(menu_entries(runs))
    menu.draw(pygame.Surface((1280, 720)))
    menu.selected = next(i for i, e in enumerate(menu.entries) if e.label == "Watch pole-brain")
    menu.handle(key(pygame.K_RIGHT))
    assert menu.entries[menu.selected].label == "Play against pole-brain"
    menu.handle(key(pygame.K_LEFT))
    assert menu.entries[menu.selected].label == "Watch pole-brain"


def test_a_click_on_a_row_starts_it(window, runs):
    menu = Menu(menu_entries(runs))
    menu.draw(window)  # choose() lays the same entries out the same way in this window
    for label in ("Walk the cliff", "Play against pole-brain"):
        index = next(i for i, e in enumerate(menu.entries) if e.label == label)
        chosen = choose(window, runs, events=once(click(menu.rects[index].center)))
        assert chosen == menu.entries[index].argv


def test_hovering_selects_and_a_click_elsewhere_does_nothing(tmp_path):
    menu = Menu(menu_entries(tmp_path))
    menu.draw(pygame.Surface((1280, 720)))
    motion = pygame.event.Event(
        pygame.MOUSEMOTION, pos=menu.rects[8].center, rel=(0, 0), buttons=()
    )
    assert menu.handle(motion) is None and menu.selected == 8
    assert menu.handle(click((2, 2))) is None and menu.selected == 8
    hint = menu.rects[-1]  # the disabled "no saved brains" line
    assert menu.handle(click(hint.center)) is None and menu.selected == 8


@pytest.mark.parametrize(
    "event",
    [key(pygame.K_ESCAPE), pygame.event.Event(pygame.QUIT)],
    ids=["escape", "window closed"],
)
def test_escape_or_closing_the_window_quits(window, tmp_path, event):
    assert choose(runs=tmp_path, events=once(key(pygame.K_DOWN), event)) is None


def test_max_frames_ends_the_menu(window, tmp_path):
    assert choose(runs=tmp_path, max_frames=3, events=lambda: []) is None


def test_choose_opens_its_own_window_when_given_none(tmp_path):
    pygame.display.quit()
    try:
        assert choose(runs=tmp_path, max_frames=1) is None
        assert pygame.display.get_surface().get_size() == (1280, 720)
    finally:
        pygame.display.quit()


# -- your choice ---------------------------------------------------------------------------

MAPS = [gridworld_key(name) for name in map_names()]


def pick(menu: Menu, field: str) -> int:
    """Select the CHOICE row of `field` ("" for Start) and return its index."""
    menu.selected = next(
        i for i, e in enumerate(menu.entries) if e.group == CHOICE and e.field == field
    )
    return menu.selected


def test_your_choice_offers_every_scene_and_opens_on_watch_ga_flappy():
    choice = Choice()
    assert scene_keys() == ["flappy", "cartpole", *MAPS, *GYM_SCENES]
    assert GYM_SCENES == ("gym:Acrobot-v1", "gym:MountainCar-v0")
    assert (choice.scene, choice.brain, choice.mode) == ("flappy", "ga", "watch")
    assert choice.argv() == ["run", "--scene", "flappy", "--brain", "ga"]


@pytest.mark.parametrize("scene", scene_keys())
def test_only_brains_that_support_the_scene_are_offered(scene):
    shape = brain_shape(scene)
    watched = brains_for(scene)
    assert watched == [name for name, cls in BRAINS.items() if cls.supports(shape) is None]
    assert brains_for(scene, "compare") == watched
    played = brains_for(scene, "play")
    kinds = {BRAINS[name].kind for name in played}
    if scene == "flappy":
        assert kinds == {"evolver"} and "dqn" in watched
    elif scene == "cartpole":
        assert played == watched
    elif scene.startswith("gym:"):  # watched and raced, never played
        assert played == [] and "mcts" not in watched and "dqn" in watched
    else:
        assert kinds == {"planner", "learner"} and "ga" in watched


def test_brains_that_do_not_fit_are_left_out():
    assert "q-table" not in brains_for(gridworld_key("cliff"))
    assert "q-table" in brains_for("cartpole")
    assert "value-iteration" not in brains_for("flappy")
    assert "value-iteration" in brains_for(gridworld_key("dyna-maze"))
    assert brains_for("flappy", "play") == ["ga", "neat", "random-search", "hill-climb"]


def test_every_composed_command_line_is_one_main_py_accepts():
    parser = main.build_parser()
    for scene in scene_keys():
        for mode in MODES:
            for brain in brains_for(scene, mode):
                argv = compose(scene, brain, mode)
                args = parser.parse_args(argv)
                assert args.command == {"watch": "run", "play": "play"}.get(mode, mode)
                if scene in ("flappy", "cartpole") or scene.startswith("gym:"):
                    assert args.scene == scene
                else:
                    assert args.map == scene.partition(":")[2]
                if mode == "compare":
                    raced = args.brains.split(",")
                    assert raced[0] == brain and len(set(raced)) == 3, argv
                    assert set(raced) <= set(brains_for(scene)), argv
                else:
                    assert (args.brain if mode == "watch" else args.with_brain) == brain


def test_compare_races_the_chosen_brain_against_two_others():
    assert compose("cartpole", "dqn", "compare")[-1] == "dqn,random-search,hill-climb"
    assert compose("cartpole", "hill-climb", "compare")[-1] == "hill-climb,random-search,dqn"
    assert compose("flappy", "ga", "compare")[-1] == "ga,neat,hill-climb"
    assert compose(MAPS[0], "sarsa", "compare") == [
        "compare", "--map", map_names()[0], "--brains", "sarsa,value-iteration,dyna-q"
    ]  # fmt: skip


def test_a_new_scene_starts_from_its_first_brain_and_keeps_the_mode():
    choice = Choice()
    choice.change("mode", 1)
    choice.change("mode", 1)
    choice.change("brain", 1)
    assert (choice.brain, choice.mode) == ("neat", "compare")
    choice.change("scene", 1)
    assert (choice.scene, choice.brain, choice.mode) == ("cartpole", "hill-climb", "compare")
    choice.change("scene", 1)
    assert (choice.scene, choice.brain, choice.mode) == (MAPS[0], "value-iteration", "compare")
    choice.change("scene", -3)  # round the ends
    assert (choice.scene, choice.brain, choice.mode) == (
        "gym:MountainCar-v0",
        "hill-climb",
        "compare",
    )


def test_a_gymnasium_scene_is_watched_or_raced_never_played():
    choice = Choice()
    choice.change("mode", 1)
    assert choice.mode == "play"
    choice.change("scene", -1)  # round to the last scene, a gymnasium environment
    assert (choice.scene, choice.mode) == ("gym:MountainCar-v0", "watch")
    assert choice.options("mode") == ["watch", "compare"]
    assert choice.argv() == ["run", "--scene", "gym:MountainCar-v0", "--brain", "hill-climb"]
    assert choice.summary() == "Watch hill-climb on MountainCar-v0"


def test_play_alongside_swaps_a_brain_that_cannot_play_for_one_that_can():
    choice = Choice()
    while choice.brain != "dqn":
        choice.change("brain", 1)
    choice.change("mode", 1)
    assert (choice.mode, choice.brain) == ("play", "ga")
    assert choice.argv() == ["play", "--scene", "flappy", "--with", "ga"]
    seen = set()
    for _ in range(10):
        choice.change("brain", 1)
        seen.add(choice.brain)
    assert seen == {"ga", "neat", "random-search", "hill-climb"}


def test_keys_change_the_values_and_enter_starts_them(tmp_path):
    menu = Menu(menu_entries(tmp_path))
    assert menu.entries[menu.selected].label == "Watch birds evolve"  # still the first
    pick(menu, "scene")
    for k in (pygame.K_RIGHT, pygame.K_DOWN, pygame.K_RIGHT, pygame.K_RIGHT, pygame.K_LEFT):
        assert menu.handle(key(k)) is None
    assert menu.entries[menu.selected].field == "brain"
    assert (menu.choice.scene, menu.choice.brain) == ("cartpole", "q-table")
    for k in (pygame.K_s, pygame.K_d, pygame.K_d):  # down to mode, then play, then compare
        menu.handle(key(k))
    expected = ["compare", "--scene", "cartpole", "--brains", "q-table,random-search,hill-climb"]
    menu.draw(pygame.Surface((1280, 720)))
    assert menu.footer == "python main.py " + shlex.join(expected)
    assert menu.handle(key(pygame.K_RETURN)) == expected  # Enter on any of its rows
    menu.handle(key(pygame.K_DOWN))
    assert menu.entries[menu.selected].label == "Start"
    assert "q-table against random-search and hill-climb" in menu.entries[menu.selected].detail
    assert menu.handle(key(pygame.K_KP_ENTER)) == expected


def test_clicks_on_the_arrows_change_the_values_and_start_starts(window, tmp_path):
    menu = Menu(menu_entries(tmp_path))
    menu.draw(window)  # choose() lays the same entries out the same way in this window
    rows = {e.field: i for i, e in enumerate(menu.entries) if e.group == CHOICE}
    clicks = [
        # back round, past the gymnasium environments, to the last map
        *[click(menu.arrows[rows["scene"]][0].center)] * (len(GYM_SCENES) + 1),
        click(menu.rects[rows["scene"]].center),  # the value itself: selects only
        click(menu.arrows[rows["brain"]][1].center),
        click(menu.arrows[rows["mode"]][1].center),
    ]
    for event in clicks:
        assert menu.handle(event) is None
    assert menu.choice.argv() == ["play", "--map", map_names()[-1], "--with", "q-learning"]
    menu.draw(window)
    assert menu.footer == "python main.py " + shlex.join(menu.choice.argv())
    assert menu.handle(click(menu.rects[rows[""]].center)) == menu.choice.argv()
    chosen = choose(window, tmp_path, events=once(*clicks, click(menu.rects[rows[""]].center)))
    assert chosen == ["play", "--map", map_names()[-1], "--with", "q-learning"]


# -- the look ------------------------------------------------------------------------------


def overlapping(rects: list[pygame.Rect]) -> list[tuple[pygame.Rect, pygame.Rect]]:
    return [(a, b) for a, b in itertools.combinations(rects, 2) if a.colliderect(b)]


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("saved", ["none", "full"])
def test_the_menu_fits_the_window_without_overlaps(size, saved, tmp_path, full_runs, artifacts):
    pygame.font.init()
    menu = Menu(menu_entries(full_runs if saved == "full" else tmp_path))
    if saved == "full":  # show the look of a selected button too
        menu.selected = next(i for i, e in enumerate(menu.entries) if e.label.startswith("Play a"))
    else:  # and of a chosen value, a long one
        pick(menu, "scene")
        lefts = [pygame.K_LEFT] * (2 + len(GYM_SCENES))  # round past gymnasium's to the maps
        for k in [*lefts, pygame.K_DOWN, *[pygame.K_LEFT] * 2, pygame.K_DOWN]:
            menu.handle(key(k))
        menu.handle(key(pygame.K_LEFT))
        assert menu.choice.argv() == [
            "compare", "--map", "shortcut-maze", "--brains",
            "policy-evaluation,value-iteration,dyna-q",
        ]  # fmt: skip
    surface = pygame.Surface(size)
    menu.draw(surface)
    pygame.image.save(surface, artifacts / f"menu_{size[0]}x{size[1]}_{saved}.png")
    assert len(menu.rects) == len(menu.entries) and set(menu.headings) == set(GROUPS)
    body = pygame.Rect(0, 0, size[0], size[1] - KEY_LINE)  # above the line of keys
    everything = [*menu.rects, *menu.headings.values(), *menu.cards]
    assert all(body.contains(rect) for rect in everything)
    buttons = [r for r in menu.rects if any(card.contains(r) for card in menu.cards)]
    assert len(buttons) == (MAX_SAVED * 2 if saved == "full" else 0)
    rows = [r for r in menu.rects if r not in buttons]
    assert not overlapping([*rows, *menu.headings.values(), *menu.cards])
    assert not overlapping(buttons)
    assert sorted(menu.arrows) == [i for i, e in enumerate(menu.entries) if e.field]
    for index, (left, right) in menu.arrows.items():
        assert menu.rects[index].contains(left) and menu.rects[index].contains(right)
        assert left.right < right.left and min(left.size) >= 20
    assert menu.footer == "python main.py " + shlex.join(menu.entries[menu.selected].argv)


def test_a_resized_window_is_laid_out_again(tmp_path):
    menu = Menu(menu_entries(tmp_path))
    menu.draw(pygame.Surface((1280, 720)))
    wide = [rect.copy() for rect in menu.rects]
    menu.draw(pygame.Surface((700, 900)))
    assert menu.rects != wide and all(rect.right <= 700 for rect in menu.rects)


def test_choose_follows_the_window_when_it_is_resized(window, tmp_path):
    small = Menu(menu_entries(tmp_path))
    small.draw(pygame.Surface((700, 900)))
    target = small.rects[4].center  # where "Values spread..." is in the small window only
    frames = iter([[]])

    def events() -> list[pygame.event.Event]:
        if next(frames, None) is not None:  # the first frame: the user resizes the window
            pygame.display.set_mode((700, 900), pygame.RESIZABLE)
            return [pygame.event.Event(pygame.VIDEORESIZE, size=(700, 900), w=700, h=900)]
        return [click(target)]

    assert choose(runs=tmp_path, events=events, max_frames=5) == BUILT_IN[4][2].split()


# -- the menu starts every mode ------------------------------------------------------------


def test_the_menu_starts_each_mode_and_comes_back_after_it(monkeypatch, tmp_path, capsys):
    from game.app import App

    entries = [e for e in menu_entries(tmp_path) if e.enabled]
    picks = iter([e.argv for e in entries])
    monkeypatch.setattr("game.ui.menu.choose", lambda *a, **k: next(picks, None))
    opened = []
    run = App.run

    def two_frames(app: App, max_frames: int | None = None) -> None:
        opened.append(type(app.arena).__name__)
        run(app, max_frames=2)

    monkeypatch.setattr(App, "run", two_frames)
    monkeypatch.chdir(tmp_path)  # anything a window saves on closing lands here
    assert main.main([]) == 0
    kinds = dict(zip((e.label for e in entries), opened, strict=True))
    assert kinds["Watch birds evolve"] == "EvolutionArena"
    assert kinds["A DQN balances a pole"] == "LearnerArena"
    assert kinds["Values spread through a maze"] == "PlannerArena"
    assert kinds["Fly with the flock"] == "FlappyPlay"
    assert kinds["Balance against a bot"] == "CartPoleMatch"
    assert kinds["Race a planner through a maze"] == "MazeRace"
    assert kinds["Four searchers on CartPole"] == "CompareArena"
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    plays = [line for line in lines if "mode" in line]  # `run` reports its runs too
    assert {line["mode"] for line in plays} == {"solo", "alongside"}


def test_your_choice_starts_each_mode(monkeypatch, tmp_path, capsys):
    from game.app import App

    cliff = gridworld_key("cliff")
    picks = [
        compose(cliff, "sarsa", "watch"),
        compose("cartpole", "random-search", "play"),
        compose(gridworld_key("four-rooms"), "dyna-q", "play"),
        compose("flappy", "neat", "compare"),
    ]
    choices = iter(picks)
    monkeypatch.setattr("game.ui.menu.choose", lambda *a, **k: next(choices, None))
    opened = []
    run = App.run

    def two_frames(app: App, max_frames: int | None = None) -> None:
        opened.append(type(app.arena).__name__)
        run(app, max_frames=2)

    monkeypatch.setattr(App, "run", two_frames)
    monkeypatch.chdir(tmp_path)
    assert main.main([]) == 0
    assert opened == ["GridLearnerArena", "CartPoleMatch", "MazeRace", "CompareArena"]
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    plays = [line for line in lines if "mode" in line]  # `run` reports its runs too
    assert [line["mode"] for line in plays] == ["alongside", "alongside"]
