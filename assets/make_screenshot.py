"""Make the README's pictures from real runs, not drawings: `make screenshot`.

assets/screenshot.png: Flappy Bird, seed 0 trained headless for a number of generations
(the same run the window would show), the next generation a few seconds into its flight.
assets/compare.png: four brains racing on CartPole, part way through.
assets/gridworld.png: value iteration on the Dyna Maze, eight sweeps in; and
assets/gridworld_race.png: Dyna-Q with 0, 5 and 50 planning steps racing on it.
assets/neat.png: NEAT on Flappy Bird, its species and its champion's network.
assets/dqn.png: a DQN learning CartPole, with its return, loss, mean Q and epsilon.
assets/play.png: your bird (flown by a steady scripted hand) among evolving birds.
assets/menu.png: the start menu, with two saved brains.
All are rendered at 1280x720 by the app's own drawing code. `--only NAME` makes one.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pygame  # noqa: E402

from brains.registry import make_brain  # noqa: E402
from game.app import App  # noqa: E402
from game.arena import Budget, EvolutionArena, brain_shape  # noqa: E402
from game.experiment import make_arena  # noqa: E402
from game.views import make_view  # noqa: E402


def race(out: Path, ticks: int) -> None:
    """The README's second picture: four brains racing on CartPole, part way through."""
    from game.compare import CompareArena, split_brain_list

    names = split_brain_list("random-search,hill-climb,q-table,ga")
    shape = brain_shape("cartpole")
    brains = [(name, make_brain(name, shape, None, 0)) for name in names]
    arena = CompareArena("cartpole", brains, 0, Budget(max_steps=200_000, until_solved=True))
    for _ in range(ticks):
        arena.tick()
    app = App(arena, make_view("cartpole"), fps=0)
    app.draw()
    pygame.image.save(app.screen, out)
    app.close()
    print(f"wrote {out}")


def gridworld(out: Path, race_out: Path) -> None:
    """Value iteration part way through planning, and Dyna-Q racing itself."""
    from game.compare import CompareArena, split_brain_list

    key = "gridworld:dyna-maze"
    arena = make_arena(key, make_brain("value-iteration", brain_shape(key), None, 0), 0)
    for _ in range(8 * arena.ANIMATE_EVERY):  # eight sweeps, as the window shows them at 1x
        arena.tick()
    app = App(arena, make_view("gridworld", arena.scene), fps=0)
    app.draw()
    pygame.image.save(app.screen, out)
    arena.can_save = False
    app.close()
    print(f"wrote {out}")
    names = split_brain_list("dyna-q:n=0,dyna-q:n=5,dyna-q:n=50")
    brains = [(name, make_brain(name, brain_shape(key), None, 0)) for name in names]
    race = CompareArena(key, brains, 0, Budget(max_steps=200_000, until_solved=True))
    for _ in range(1_500):
        race.tick()
    app = App(race, make_view("gridworld", race.scene), fps=0)
    app.draw()
    pygame.image.save(app.screen, race_out)
    app.close()
    print(f"wrote {race_out}")


def neat(out: Path, generations: int) -> None:
    """NEAT some generations into Flappy Bird: species chart and champion network."""
    arena = make_arena("flappy", make_brain("neat", brain_shape("flappy"), None, 0), 0)
    arena.run(Budget(max_generations=generations))
    for _ in range(600):
        arena.tick()
    app = App(arena, make_view("flappy"), fps=0)
    app.speed_index = 2
    app.draw()
    pygame.image.save(app.screen, out)
    arena.can_save = False
    app.close()
    print(f"wrote {out}")


def dqn(out: Path, steps: int) -> None:
    """A DQN some steps into CartPole, its four charts beside the carts."""
    arena = make_arena("cartpole", make_brain("dqn", brain_shape("cartpole"), None, 0), 0)
    arena.run(Budget(max_steps=steps))
    for _ in range(400):  # into the carts' next episodes
        arena.tick()
    app = App(arena, make_view("cartpole"), fps=0)
    app.draw()
    pygame.image.save(app.screen, out)
    arena.can_save = False
    app.close()
    print(f"wrote {out}")


def play(out: Path) -> None:
    """Your bird among a population 15 generations into evolving, a few pipes in."""
    from game.play.flappy_play import FlappyPlay

    bots = EvolutionArena("flappy", make_brain("ga", brain_shape("flappy"), 200, 0), seed=0)
    bots.run(Budget(max_generations=15))
    game = FlappyPlay(0, bots=bots, bot_name="ga")
    game.handle_key("space")
    for _ in range(700):
        obs = game.you.observe()[0]
        if (obs[3] + obs[4]) / 2 < -0.1 and obs[1] > 0:  # flap below the gap's middle
            game.handle_key("space")
        game.tick()
    app = App(game, make_view("flappy"), fps=0)
    app.draw()
    pygame.image.save(app.screen, out)
    pygame.display.quit()  # not app.close(): a picture saves no brain
    print(f"wrote {out}")


def menu(out: Path) -> None:
    """The start menu, with a hill climber and a maze learner saved."""
    import subprocess
    import tempfile

    from game.ui.menu import Menu, menu_entries

    with tempfile.TemporaryDirectory() as runs:
        for options in (
            ["--scene", "cartpole", "--brain", "hill-climb", "--until-solved"],
            ["--map", "cliff", "--brain", "q-learning", "--max-episodes", "300"],
        ):
            command = [sys.executable, str(ROOT / "main.py"), "train", *options, "--quiet"]
            subprocess.run([*command, "--out", runs], check=True, capture_output=True)
        pygame.display.init()
        screen = pygame.display.set_mode((1280, 720))
        Menu(menu_entries(Path(runs))).draw(screen)
        pygame.image.save(screen, out)
    pygame.display.quit()
    print(f"wrote {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generations", type=int, default=30)
    parser.add_argument("--ticks", type=int, default=900, help="ticks into the next generation")
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "screenshot.png")
    parser.add_argument("--race-out", type=Path, default=ROOT / "assets" / "compare.png")
    parser.add_argument("--race-ticks", type=int, default=3_000)
    parser.add_argument("--grid-out", type=Path, default=ROOT / "assets" / "gridworld.png")
    parser.add_argument(
        "--grid-race-out", type=Path, default=ROOT / "assets" / "gridworld_race.png"
    )
    parser.add_argument("--neat-out", type=Path, default=ROOT / "assets" / "neat.png")
    parser.add_argument("--dqn-out", type=Path, default=ROOT / "assets" / "dqn.png")
    parser.add_argument("--play-out", type=Path, default=ROOT / "assets" / "play.png")
    parser.add_argument("--menu-out", type=Path, default=ROOT / "assets" / "menu.png")
    parser.add_argument("--only", choices=("play", "menu"), help="make this picture alone")
    args = parser.parse_args()
    if args.only == "play":
        return play(args.play_out)
    if args.only == "menu":
        return menu(args.menu_out)
    menu(args.menu_out)
    play(args.play_out)
    dqn(args.dqn_out, 20_000)  # seed 0 solves at 6,000 steps and holds every check after
    neat(args.neat_out, 20)
    gridworld(args.grid_out, args.grid_race_out)
    race(args.race_out, args.race_ticks)
    arena = EvolutionArena("flappy", make_brain("ga", brain_shape("flappy"), 200, 0), seed=0)
    arena.run(Budget(max_generations=args.generations))
    for _ in range(args.ticks):
        arena.tick()
    app = App(arena, make_view("flappy"), fps=0)
    app.speed_index = 2  # 4x, as a viewer would likely be watching
    app.draw()
    pygame.image.save(app.screen, args.out)
    arena.can_save = False
    app.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
