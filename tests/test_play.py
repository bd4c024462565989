"""Playing with the bots: a person's keys drive a bird, a cart or a walker in the same
scene as the bots, the bots learn as they would alone, and the winner is named right."""

from __future__ import annotations

import json

import numpy as np
import pygame
import pytest
from conftest import ROOT

from brains.registry import make_brain
from game.app import App
from game.arena import Budget, EvolutionArena, brain_shape
from game.experiment import make_arena
from game.play.cartpole_match import ROUNDS, CartPoleMatch
from game.play.flappy_play import FlappyPlay
from game.play.human import HumanPolicy
from game.play.maze_race import MazeRace
from game.play.modes import make_play
from game.views import make_view

ONE = np.zeros((1, 7), dtype=np.float32)


def key_event(kind: int, key: int) -> pygame.event.Event:
    return pygame.event.Event(kind, key=key, mod=0, unicode="", scancode=0)


def press(key: int) -> None:
    pygame.event.post(key_event(pygame.KEYDOWN, key))


def tap(key: int) -> None:
    """Down and up within one frame: shorter than any frame."""
    press(key)
    pygame.event.post(key_event(pygame.KEYUP, key))


def pilot(play: FlappyPlay) -> bool:
    """A steady hand: flap while falling below the middle of the next gap."""
    obs = play.you.observe()[0]
    return bool((obs[3] + obs[4]) / 2 < -0.1 and obs[1] > 0)


def fly(play: FlappyPlay, ticks: int, steer: bool = True, until_crash: bool = False) -> None:
    for _ in range(ticks):
        if steer and play.state == "flying" and pilot(play):
            play.handle_key("space")
        play.tick()
        if until_crash and play.state != "flying":
            return


# -- the person's keys ---------------------------------------------------------------------


def test_a_tap_shorter_than_a_step_still_pushes_the_cart_once():
    human = HumanPolicy("cartpole")
    human.key_down("left")
    human.key_up("left")  # released before the cart stepped
    assert human.act(ONE[:, :4]).tolist() == [0]
    human.key_down("right")  # held: it pushes right until released
    assert [int(human.act(ONE[:, :4])[0]) for _ in range(3)] == [1, 1, 1]
    human.key_up("right")
    assert sorted(int(human.act(ONE[:, :4])[0]) for _ in range(2)) == [0, 1]  # hands off


def test_each_press_flaps_once_and_presses_between_steps_are_queued():
    human = HumanPolicy("flappy")
    assert human.act(ONE).tolist() == [0]
    human.key_down("space")
    human.key_down("up")  # two presses before one step: two flaps, one a step
    assert [int(human.act(ONE)[0]) for _ in range(3)] == [1, 1, 0]
    assert not human.key_down("x")


def test_a_walker_moves_one_cell_per_press_and_waits_between():
    race = MazeRace("gridworld:dyna-maze", 0)
    start = int(race.you.scene.cell[0])
    race.tick()
    assert race.state == "ready" and race.you.scene.steps[0] == 0  # it waits for a key
    race.handle_key("up")
    for _ in range(10):
        race.tick()
    assert int(race.you.scene.cell[0]) == start - 9 and race.you.scene.steps[0] == 1


def test_the_window_passes_a_tap_within_one_frame_to_the_cart():
    match = CartPoleMatch(0)
    app = App(match, make_view("cartpole"), fps=0)
    tap(pygame.K_LEFT)  # starts the round, and pushes left
    app.frame()
    match.tick()
    assert match.state == "playing" and match.you.scene.steps[0] == 1
    assert match.you.scene.cart_states()[0, 1] < 0, "the tap did not push left"
    app.close()


# -- Flappy Bird -----------------------------------------------------------------------------


def test_your_bird_waits_for_a_key_flaps_scores_dies_and_flies_again(artifacts):
    play = FlappyPlay(0)
    app = App(play, make_view("flappy"), fps=0, speed=None)  # max: yet you play at 1x
    for _ in range(3):
        app.frame()
    assert play.state == "ready" and play.you.tick == 0 and play.card() is not None
    press(pygame.K_SPACE)
    app.frame()
    assert play.state == "flying" and app.effective_speed == 1
    assert not app.paused, "Space flaps in Flappy Bird; P pauses"

    def by_keys(ticks: int, steer: bool = True) -> None:
        """Key events through the window, as a person's hand sends them."""
        for _ in range(ticks):
            if steer and play.state == "flying" and pilot(play):
                app.handle(key_event(pygame.KEYDOWN, pygame.K_UP))
                app.handle(key_event(pygame.KEYUP, pygame.K_UP))
            play.tick()
            if not steer and play.state != "flying":
                return

    by_keys(1_500)
    assert play.state == "flying" and play.you.scores[0] >= 10
    pygame.image.save(app.screen, artifacts / "play_flappy_solo.png")
    by_keys(400, steer=False)  # hands off: it falls
    assert play.state == "over" and play.rounds == 1
    sounds = {what for kind, what in play.pop_events() if kind == "sound"}
    assert {"flap", "point", "hit"} <= sounds
    assert play.card().title == "Game over"
    app.handle(key_event(pygame.KEYDOWN, pygame.K_SPACE))  # too soon after the crash
    assert play.state == "over"
    for _ in range(40):
        play.tick()
    app.handle(key_event(pygame.KEYDOWN, pygame.K_SPACE))
    assert play.state == "flying" and play.you.scores[0] == 0
    assert play.result()["human"] == {"score": play.metrics.best_score, "episodes": 1}
    press(pygame.K_m)  # M: sound off, and said so on the key line
    app.frame()
    assert not app.sounds.enabled and ("M", "sound on") in app.key_line()
    app.close()


def test_your_bird_flies_the_bots_course_and_is_drawn_in_its_own_colour(artifacts, tmp_path):
    from game.views import flappy_art as art

    brain = make_brain("ga", brain_shape("flappy"), 60, 1)
    play = FlappyPlay(1, bots=EvolutionArena("flappy", brain, 1), bot_name="ga")
    app = App(play, make_view("flappy"), fps=0, save_root=tmp_path)
    play.handle_key("space")
    fly(play, 60)
    assert play.scene is play.bots.scene and play.bots.scene.tick == play.you.tick
    assert play.bots.scene.seed == play.you.seed
    app.draw()
    pygame.image.save(app.screen, artifacts / "play_flappy_alongside.png")
    pixels = pygame.surfarray.array3d(app._game).astype(int)
    red = np.all(np.abs(pixels - art.PLAYER_BODY) <= 12, axis=-1).mean()
    yellow = np.all(np.abs(pixels - art.BIRD_BODY) <= 40, axis=-1).mean()
    assert red > 0.0001 and yellow > 0.0001, "your red bird and the yellow bots are not both drawn"
    app.close()


def test_the_bots_evolve_the_same_generations_with_you_as_without_you():
    alone = EvolutionArena("flappy", make_brain("ga", brain_shape("flappy"), 40, 3), 3)
    alone.run(Budget(max_generations=6))
    bots = EvolutionArena("flappy", make_brain("ga", brain_shape("flappy"), 40, 3), 3)
    play = FlappyPlay(3, bots=bots, bot_name="ga")
    play.handle_key("space")
    crashes = 0
    for tick in range(100_000):
        if bots.metrics.generations >= 6:
            break
        if play.state == "flying" and (tick % 700 < 500) and pilot(play):
            play.handle_key("space")  # flies a while, then lets go: crashes and rejoins
        if play.state == "over" and play._since_over > 40:
            crashes += 1
            play.handle_key("space")
        play.tick()
    assert crashes >= 2 and play.rounds >= 2
    for name in ("best_fitness", "mean_fitness"):
        ours = bots.metrics.series[name].arrays()[1][:6]
        assert np.array_equal(ours, alone.metrics.series[name].arrays()[1][:6]), name
    line = play.result()
    assert line["mode"] == "alongside" and line["bot"]["brain"] == "ga"
    assert line["winner"] in ("human", "bot", "tie")


def test_against_a_champion_the_round_ends_once_you_crash_and_it_passes_you():
    brain = make_brain("ga", brain_shape("flappy"), 50, 0)
    arena = EvolutionArena("flappy", brain, 0)
    arena.run(Budget(max_generations=12))
    play = FlappyPlay(0, champion=brain.champion(), bot_name="ga")
    play.handle_key("space")
    fly(play, 2_000, steer=False)  # you fall at once; the champion flies on
    assert play.state == "over" and play.rounds == 1
    assert play.tally.human == [0.0] and play.tally.bot[0] >= 1
    assert play.result()["winner"] == "bot"


# -- CartPole ----------------------------------------------------------------------------------


def saved_hill_climber(tmp_path):
    from brains.storage import load_brain

    brain = make_brain("hill-climb", brain_shape("cartpole"), None, 0)
    arena = EvolutionArena("cartpole", brain, 0)
    arena.run(Budget(until_solved=True, max_steps=200_000))
    assert arena.metrics.solved
    return load_brain(arena.save_best(tmp_path))


def test_the_cartpole_match_times_both_carts_from_one_start_best_of_three(tmp_path, artifacts):
    bot = saved_hill_climber(tmp_path)
    match = make_play("cartpole", 4, bot, saved=True, label="hill-climb")
    assert isinstance(match, CartPoleMatch)
    app = App(match, make_view("cartpole"), fps=0)
    you, them = match.you.scene, match.bot.scene
    assert np.array_equal(you.cart_states(), them.cart_states())  # the same start state
    for round_ in range(ROUNDS):
        assert match.handle_key("right")
        assert match.state == "playing"
        for _ in range(600):
            match.tick()
            if match.state != "playing":
                break
        assert you.steps[0] < 100 and them.steps[0] == 500  # hands off falls; the bot holds
        if round_ == 0:
            app.draw()
            pygame.image.save(app.screen, artifacts / "play_cartpole_against.png")
            assert "s" in match.you.status() and "s" in match.bot.status()  # each has a clock
        if match.state == "over":
            break
        for _ in range(40):
            match.tick()
    assert match.state == "over" and match.tally.wins() == (0, 2)  # decided in two rounds
    line = match.result()
    assert line["winner"] == "bot" and line["bot"]["score"] == 500
    assert line["human"]["episodes"] == 2
    assert match.card().title.startswith("Match over: hill-climb wins")
    app.close()


def test_a_bot_that_learns_while_you_play_gets_better(artifacts, tmp_path):
    brain = make_brain("hill-climb", brain_shape("cartpole"), None, 2)
    match = make_play("cartpole", 2, brain, label="hill-climb")
    match.handle_key("left")
    for _ in range(10_000):
        match.tick()
        if match.state == "between" and match._since > 2_000:  # the bot trains meanwhile
            match.handle_key("left")
        if match.state == "over":
            break
    assert match.trainer.metrics.env_steps > 10_000
    assert max(match.tally.bot) > 100, "the learning bot never balanced long"
    app = App(match, make_view("cartpole"), fps=0, save_root=tmp_path)
    app.draw()
    pygame.image.save(app.screen, artifacts / "play_cartpole_alongside.png")
    app.close()
    saved = list(tmp_path.iterdir())  # closing the window keeps what the bot learned
    assert len(saved) == 1 and saved[0].name.startswith("cartpole-hill-climb")


# -- the maze race ---------------------------------------------------------------------------


def walk(race: MazeRace, detour: int = 0) -> None:
    """The person walks a shortest path, after `detour` wasted moves into a wall."""
    moves = {0: "up", 1: "right", 2: "down", 3: "left"}
    scene = race.you.scene
    here = int(scene.cell[0])
    blocked = next(a for a in range(4) if scene.layout.next_cell[here, a] == here)
    for _ in range(detour):  # into a wall: a step spent, no cell gained
        race.handle_key(moves[blocked])
        race.tick()
    while scene.alive[0]:
        here = int(scene.cell[0])
        nexts = scene.layout.next_cell[here]
        best = min(range(4), key=lambda a: scene.layout.distance[nexts[a]] % 10**6)
        race.handle_key(moves[best])
        race.tick()


@pytest.mark.parametrize(("detour", "winner"), [(0, "tie"), (3, "bot")])
def test_the_maze_race_names_the_right_winner(detour, winner, artifacts):
    brain = make_brain("value-iteration", brain_shape("gridworld:dyna-maze"), None, 0)
    race = make_play("gridworld:dyna-maze", 0, brain, label="value-iteration")
    assert race.homework.startswith("value-iteration planned in") and race.state == "ready"
    walk(race, detour)
    for _ in range(400):
        if race.state == "over":
            break
        race.tick()
    assert race.state == "over"
    assert race.tally.human == [14 + detour] and race.tally.bot == [14]
    assert race.result()["winner"] == winner
    if detour:
        app = App(race, make_view("gridworld", race.scene), fps=0)
        race.handle_key("p")
        app.draw()
        pygame.image.save(app.screen, artifacts / "play_maze_race.png")
        app.close()


def test_a_learner_does_its_homework_a_slice_at_a_time_then_its_planned_path_leads_home():
    brain = make_brain("q-learning", brain_shape("gridworld:cliff"), None, 0)
    race = make_play("gridworld:cliff", 0, brain, label="q-learning")
    assert race.state == "homework" and race.pace == "fast" and "learning" in race.card().title
    assert not race.handle_key("left") or race.state == "homework"  # no racing yet
    for _ in range(10_000):
        if race.state != "homework":
            break
        race.tick()
    assert race.state == "ready" and "passed its check" in race.homework
    path = race.planned_path()
    goal = race.bot.scene.layout.goal
    assert goal[path[-1]] and len(path) == 14  # the 13-step path along the cliff


def test_a_fall_off_the_cliff_is_shown_with_its_reward():
    race = MazeRace("gridworld:cliff", 0)
    race.handle_key("right")  # from the start, right is the cliff
    race.tick()
    messages = [what for kind, what in race.pop_events() if kind == "message"]
    assert messages == ["You fell in a pit: reward -100, back to the start"]
    assert race.you.scene.returns[0] == -100 and race.you.scene.alive[0]


def test_a_key_draws_a_new_random_maze_and_the_bot_plans_it_again():
    brain = make_brain("value-iteration", brain_shape("gridworld:dyna-maze"), None, 0)
    race = make_play("gridworld:dyna-maze", 0, brain, label="value-iteration")
    race.handle_key("n")
    scene = race.you.scene
    assert (scene.rows, scene.cols) == (
        13,
        21,
    ) and race.title == "a random maze: you against value-iteration"
    assert race.bot.scene.map is scene.map and "planned" in race.homework
    walk(race)
    for _ in range(2_000):
        if race.state == "over":
            break
        race.tick()
    assert race.result()["winner"] == "tie"  # both walk a shortest path


# -- the command line --------------------------------------------------------------------------


def test_play_prints_one_json_line_on_exit():
    from test_cli import main_py

    done = main_py(
        "play", "--scene", "flappy", "--with", "ga", "--population", "20", "--frames", "5"
    )
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stdout.strip().splitlines()[-1])
    assert line == {
        "scene": "flappy",
        "mode": "alongside",
        "human": {"score": None, "episodes": 0},
        "bot": {"brain": "ga", "score": None},
        "winner": None,  # no round was played
    }
    assert done.stdout.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--scene", "flappy", "--with", "dqn"], "--with on flappy takes a population"),
        (["--scene", "cartpole", "--population", "3"], "--population goes with --with"),
        (["--against", str(ROOT / "assets")], "assets"),
    ],
)
def test_play_refuses_what_cannot_play_in_one_line(args, error):
    from test_cli import main_py

    done = main_py("play", *args, "--frames", "1")
    assert done.returncode == 2 and error in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and done.stdout == ""


# -- what a review found ---------------------------------------------------------------------


def test_a_bot_that_never_reaches_the_goal_runs_out_of_time_and_the_race_ends():
    key = "gridworld:dyna-maze"
    lost = make_brain("q-learning", brain_shape(key), None, 0)  # untrained: pushes up for ever
    race = make_play(key, 0, lost, saved=True, label="lost")
    walk(race)
    for _ in range(20_000):
        if race.state == "over":
            break
        race.tick()
    assert race.state == "over" and race.bot.status().endswith("out of time")
    assert race.tally.human == [14] and race.tally.bot == [None]
    assert race.result()["winner"] == "human"


def test_a_tree_search_bot_balances_its_own_cart():
    brain = make_brain("mcts:simulations=50", brain_shape("cartpole"), None, 0)
    match = make_play("cartpole", 0, brain, label="mcts")
    assert match.trainer is None  # nothing to train: it looks ahead in its own cart
    match.handle_key("left")
    for _ in range(300):
        match.tick()
    assert match.bot.scene.steps[0] >= 200


def test_your_rounds_are_not_counted_as_the_learning_bots_episodes():
    brain = make_brain("hill-climb", brain_shape("cartpole"), None, 0)
    match = make_play("cartpole", 0, brain, label="hill-climb")
    ticks = []
    tick = match.trainer.tick
    match.trainer.tick = lambda: (ticks.append(1), tick())
    match.handle_key("left")
    for _ in range(300):
        match.tick()
    assert match.tally.human, "no round ended"
    alone = make_arena("cartpole", make_brain("hill-climb", brain_shape("cartpole"), None, 0), 0)
    for _ in ticks:
        alone.tick()
    assert match.trainer.metrics.episodes == alone.metrics.episodes
    assert match.trainer.metrics.best_score == alone.metrics.best_score


def test_keys_pressed_while_paused_do_not_fly_the_bird_on_resuming():
    play = FlappyPlay(0)
    app = App(play, make_view("flappy"), fps=0)
    press(pygame.K_SPACE)
    app.frame()
    play.tick()  # the first flap, the start key's
    assert not play.human.pending
    press(pygame.K_p)
    for _ in range(5):
        press(pygame.K_UP)
    app.frame()
    assert app.paused and not play.human.pending
    app.close()


def test_play_takes_the_scene_of_the_saved_brain_and_refuses_another(tmp_path):
    from test_cli import main_py

    done = main_py(
        "train",
        "--scene",
        "cartpole",
        "--brain",
        "hill-climb",
        "--max-steps",
        "2000",
        "--quiet",
        "--out",
        str(tmp_path),
    )
    saved = json.loads(done.stdout)["saved_to"]
    same = main_py("play", "--scene", "cartpole", "--against", saved, "--frames", "2")
    assert same.returncode == 0 and json.loads(same.stdout)["mode"] == "against"
    other = main_py("play", "--scene", "flappy", "--against", saved, "--frames", "2")
    assert other.returncode == 2 and "plays cartpole" in other.stderr


def test_a_gymnasium_scene_cannot_be_played_and_says_so_in_one_line():
    from test_cli import main_py

    result = main_py("play", "--scene", "gym:Acrobot-v1", "--frames", "3")
    assert result.returncode == 2 and "no keys for a person" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
