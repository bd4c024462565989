"""Learning Arcade: watch machines learn to play games, or train them headless.

    python main.py                                   the start menu: watch, play or compare
    python main.py run --scene flappy --brain ga     the window, with options
    python main.py train --scene flappy --brain ga   headless; one JSON line on stdout
    python main.py watch runs/SOME-BRAIN             a saved brain plays fresh courses
    python main.py train --from runs/SOME-BRAIN      a saved learner goes on training
    python main.py figure sutton-8.2                 a figure of the book, run by run
    python main.py sweep --brains hill-climb,dqn --seeds 0-99 --out DIR   Ray, every core

Bad input gets one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # keep stdout for results

# Only what the window needs to open is imported up here; brains that use torch or
# neat-python load them when they are built.
from brains.registry import BRAINS, check_memory
from brains.settings import SettingsError
from game.figures import FIGURE_NAMES
from game.scenes import SCENES, SceneError, gridworld_key, scene_spec, split_scene_key
from game.scenes.gridmap import map_names

if TYPE_CHECKING:
    from brains.base import Brain

EXIT_BAD_INPUT = 2
SPEED_CHOICES = ("1", "2", "4", "8", "16", "32", "64", "max")
# compare's default budget per brain: the GA and NEAT solve Flappy in 2-4 million bird-steps.
COMPARE_STEPS = {"cartpole": 200_000, "flappy": 10_000_000}


def printable(text: str) -> str:
    """`text` with control characters written as escapes: an error that quotes the
    user's input stays one line, whatever the input held (a newline, a carriage return)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (no usage dump) and exit code 2."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: error: {printable(message)}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def fail(message: str) -> NoReturn:
    print(f"main.py: error: {printable(message)}", file=sys.stderr)
    sys.exit(EXIT_BAD_INPUT)


def whole_number(low: int, high: int | None = None):
    """An argparse type: a whole number in [low, high], with a one-line reason if not."""

    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be {low} or more, got {value}")
        if high is not None and value > high:
            raise argparse.ArgumentTypeError(f"must be {high} or less, got {value}")
        return value

    return parse


positive_int = whole_number(1)
seed_int = whole_number(0, 2**63 - 1)


def scene_name(text: str) -> str:
    """--scene: a scene family, cartpole:float32 or gym:ENV_ID (a gridworld's map comes
    with --map)."""
    try:
        family = split_scene_key(text)[0]
    except KeyError as error:
        raise argparse.ArgumentTypeError(error.args[0]) from None
    if family not in SCENES:
        raise argparse.ArgumentTypeError(
            f"unknown scene {text!r}; scenes: flappy, cartpole, cartpole:float32, gridworld "
            "(with --map) or gym:ENV_ID (any gymnasium environment with discrete actions)"
        )
    if family == "gridworld" and ":" in text:
        raise argparse.ArgumentTypeError(f"a gridworld's map goes with --map, not {text!r}")
    return text


def add_map_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--map",
        metavar="NAME|PATH",
        help="gridworld only: a shipped map or a map file (implies --scene gridworld; "
        f"default dyna-maze). Maps: {', '.join(map_names())}",
    )


def add_experiment_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scene",
        type=scene_name,
        help="the game: flappy (default), cartpole, cartpole:float32 (CartPole about twice "
        "as fast, not bit for bit gymnasium's), gridworld, or gym:ENV_ID for a gymnasium "
        "environment with discrete actions, e.g. gym:Acrobot-v1",
    )
    add_map_option(parser)
    parser.add_argument(
        "--brain",
        metavar="NAME[:KEY=VALUE,...]",
        help="the learner and its settings, e.g. ga:hidden=8,mutation=0.1 "
        f"(brains: {', '.join(sorted(BRAINS))}; default ga, value-iteration on a gridworld)",
    )
    parser.add_argument(
        "--seed", type=seed_int, default=0, help="run seed: same seed, same run (default 0)"
    )
    parser.add_argument(
        "--population",
        type=positive_int,
        help="agents played at once (default: the brain's own; ga 200, random-search 50, "
        "hill-climb 4, q-table 1, dqn 8, neat 150, gridworld brains 1)",
    )
    parser.add_argument(
        "--max-generations", type=positive_int, metavar="N", help="stop after N generations"
    )
    parser.add_argument(
        "--max-episodes", type=positive_int, metavar="N", help="stop after N episodes (all agents)"
    )
    parser.add_argument(
        "--max-steps", type=positive_int, metavar="N", help="stop after N environment steps"
    )
    parser.add_argument(
        "--until-solved",
        action="store_true",
        help="stop once the champion passes the scene's solve test, and save it",
    )
    add_neat_config_option(parser)
    parser.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="DIR",
        help="go on training a saved learner (dqn, q-table, q-learning, ...) from its brain "
        "directory; its scene and settings come with it",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("runs"),
        metavar="DIR",
        help="folder for saved brains (default runs/)",
    )


def add_tensorboard_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tensorboard",
        type=Path,
        metavar="DIR",
        help="also write the checks' scalars for TensorBoard, a subfolder per run "
        "(`tensorboard --logdir DIR`; needs the tensorboard package)",
    )


def add_neat_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--neat-config",
        type=Path,
        metavar="FILE",
        help="your own NEAT config for brain neat (default assets/neat/default.cfg); "
        "inputs, outputs and population size are set for you",
    )


def brain_overrides(args: argparse.Namespace, brains: list[str]) -> dict[str, str]:
    """Settings that come from options of their own, for the brains they concern."""
    if args.neat_config is None:
        return {}
    if not any(text.partition(":")[0].strip() == "neat" for text in brains):
        fail("--neat-config is for brain neat, and no brain neat was asked for")
    return {"config": str(args.neat_config)}


def add_window_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--speed", choices=SPEED_CHOICES, default="1", help="starting speed (default 1)"
    )
    parser.add_argument(
        "--frames", type=positive_int, metavar="N", help="quit after N frames (for scripted runs)"
    )


def build_parser() -> Parser:
    parser = Parser(
        prog="main.py",
        description="Learning Arcade: watch agents learn to play games, or train them headless.",
        epilog="With no command, the start menu opens: pick what to watch, play or compare.",
    )
    commands = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")
    run = commands.add_parser("run", help="open the window and watch a brain learn")
    add_experiment_options(run)
    add_window_options(run)
    train = commands.add_parser(
        "train",
        help="train headless at full speed; prints one JSON line",
        description="Train with no window. A progress bar goes to stderr; the result is one "
        "JSON line on stdout with the keys scene, brain, seed, solved, generations, episodes, "
        "env_steps, wall_seconds, best_score, eval_score and saved_to. With no limit given, "
        "trains until solved. Ctrl-C stops early and still saves the champion. The run's "
        "folder under --out holds its logs, written as it goes (progress.csv, a row per "
        "check; episodes.csv, a row per episode; `python main.py plot` draws them), and the "
        "saved brain.",
    )
    add_experiment_options(train)
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    add_tensorboard_option(train)
    play = commands.add_parser(
        "play",
        help="play a scene yourself, alone, alongside a learning bot or against a saved one",
        description="Play at the keyboard: Flappy Bird with Up, Space or a click, CartPole with "
        "Left/Right, a gridworld with the arrows (one cell per press). Alone, or with a bot: "
        "--with BRAIN learns as you play (Flappy: your bird among its population; CartPole: "
        "its cart beside yours; a maze: it plans, then races you), --against DIR plays a saved "
        "brain. The game waits for your first key. On exit, one JSON line: each side's score "
        "and the winner.",
    )
    play.add_argument("--scene", type=scene_name, help="the game (default cartpole)")
    add_map_option(play)
    play.add_argument("--seed", type=seed_int, default=0, help="seed of the episodes (default 0)")
    bot = play.add_mutually_exclusive_group()
    bot.add_argument(
        "--with",
        dest="with_brain",
        metavar="NAME[:KEY=VALUE,...]",
        help="a bot that learns while you play, e.g. ga (flappy), hill-climb (cartpole), "
        "value-iteration or dyna-q (a maze)",
    )
    bot.add_argument(
        "--against",
        type=Path,
        metavar="DIR",
        help="a saved brain to play against (a directory written by S or train)",
    )
    play.add_argument(
        "--population",
        type=positive_int,
        help="--with: agents the bot plays at once (default: the brain's own)",
    )
    add_neat_config_option(play)
    add_window_options(play)
    compare = commands.add_parser(
        "compare",
        help="race several brains on one task, side by side, with one chart",
        description="Race brains on the same scene and seed. In the window: one panel per "
        "brain and one shared chart against environment steps, and a results table when "
        "every brain has solved or run out of budget. With --headless: every brain on "
        "--seeds seeds, one JSON line per brain and seed on stdout (the keys of train), a "
        "table on stderr. Budget per brain: until solved, at most --max-steps environment "
        "steps (default 200,000 on cartpole; 10,000,000 on flappy, where the evolvers need "
        "a few million bird-steps).",
    )
    compare.add_argument("--scene", type=scene_name, help="the game (default cartpole)")
    add_map_option(compare)
    compare.add_argument(
        "--brains",
        required=True,
        metavar="LIST",
        help="brains to race, comma-separated, each with optional settings: "
        "random-search,hill-climb,q-table,ga or ga:hidden=4,mutation=0.2,q-table",
    )
    compare.add_argument("--seed", type=seed_int, default=0, help="the (first) seed (default 0)")
    compare.add_argument(
        "--max-steps",
        type=positive_int,
        metavar="N",
        help="environment steps each brain may use (default: cartpole 200,000, flappy 10,000,000)",
    )
    compare.add_argument(
        "--full-budget",
        action="store_true",
        help="every brain uses its whole --max-steps, rather than stopping once solved",
    )
    compare.add_argument(
        "--headless", action="store_true", help="no window: race and print results"
    )
    add_neat_config_option(compare)
    compare.add_argument(
        "--seeds",
        type=positive_int,
        default=1,
        metavar="N",
        help="headless: race on N seeds, from --seed on (default 1)",
    )
    compare.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="headless: where the race's folder goes, compare-TIME/ with each brain's logs "
        "per seed and results.jsonl (default runs/)",
    )
    add_tensorboard_option(compare)
    add_window_options(compare)
    add_figure_parser(commands)
    add_sweep_parser(commands)
    add_plot_parser(commands)
    watch = commands.add_parser(
        "watch", help="a saved brain plays fresh episodes, in the window or recorded to a video"
    )
    watch.add_argument(
        "directory", type=Path, metavar="DIR", help="a brain directory written by S or train"
    )
    watch.add_argument(
        "--seed", type=seed_int, default=0, help="seed of the courses played (default 0)"
    )
    watch.add_argument(
        "--map", metavar="NAME|PATH", help="gridworld: play on this map, not the brain's own"
    )
    watch.add_argument(
        "--record",
        type=Path,
        metavar="FILE",
        help="record the champion playing to FILE, a .gif or an .mp4 (the game, no charts)",
    )
    watch.add_argument(
        "--headless",
        action="store_true",
        help="with --record: no window, record as fast as the game draws",
    )
    watch.add_argument(
        "--episodes",
        type=positive_int,
        default=1,
        metavar="N",
        help="--headless --record: stop after N episodes (default 1; at most "
        "--frames frames, default 30 s of video)",
    )
    watch.add_argument("--quiet", action="store_true", help="--headless: no progress bar")
    watch.add_argument(
        "--scene",
        type=scene_name,
        help="another scene of the brain's game to play on: a cartpole brain on "
        "cartpole:float32, or the other way round (default: the brain's own)",
    )
    add_window_options(watch)
    return parser


def add_sweep_parser(commands) -> None:
    sweep = commands.add_parser(
        "sweep",
        help="every trial (brain x setting x seed) as a Ray task, on all cores or a cluster",
        description="Run every trial of a study as a Ray task: on all local cores, or on the "
        "Ray cluster at --address (or RAY_ADDRESS). Each trial is `train` with its seed; "
        "results go to DIR/results.jsonl, each trial's brain and logs to DIR/runs/, a table "
        "to stderr. A killed sweep goes on with --resume.",
    )
    sweep.add_argument("--scene", type=scene_name, help="the game (default cartpole)")
    add_map_option(sweep)
    sweep.add_argument(
        "--brains", required=True, metavar="A,B,...", help="the brains, with settings if any"
    )
    sweep.add_argument(
        "--seeds", required=True, metavar="0-99", help="seeds: a range, a list, or both (0-9,20)"
    )
    sweep.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="BRAIN:KEY=V1/V2,...",
        help="settings to try for a brain, every combination (e.g. dqn:lr=0.001/0.003); "
        "may be given once per brain",
    )
    sweep.add_argument("--population", type=positive_int, help="agents per trial (brain's own)")
    add_neat_config_option(sweep)
    sweep.add_argument(
        "--max-steps",
        type=positive_int,
        metavar="N",
        help="budget of each trial in environment steps (default: compare's for the scene)",
    )
    sweep.add_argument(
        "--full-budget", action="store_true", help="trials use all of --max-steps, solved or not"
    )
    sweep.add_argument("--out", type=Path, required=True, metavar="DIR", help="the sweep's folder")
    sweep.add_argument(
        "--resume", action="store_true", help="go on with the sweep in --out: skip finished trials"
    )
    sweep.add_argument(
        "--address", metavar="HOST:PORT", help="a Ray cluster's address (default: RAY_ADDRESS, "
        "else a local Ray on this machine's cores)",
    )  # fmt: skip
    sweep.add_argument(
        "--workers", type=positive_int, metavar="N", help="local Ray: cores to use (default all)"
    )
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")


def add_plot_parser(commands) -> None:
    from game.run_files import BANDS, X_AXES, Y_AXES

    plot = commands.add_parser(
        "plot",
        help="draw learning curves of runs from their logs into a PNG",
        description="Learning curves from the logs that train and compare --headless write: "
        "one curve per brain and settings, the mean over its seeds with a band from the "
        "lowest to the highest. Give run folders, or folders of them (a compare-TIME/ "
        "folder, runs/). Prints one JSON line: the PNG's path and the runs of each curve.",
    )
    plot.add_argument("folders", type=Path, nargs="+", metavar="RUN_DIR", help="runs to plot")
    plot.add_argument(
        "--out",
        type=Path,
        metavar="FILE.png",
        help="the PNG (default: curves-Y.png in the folder given, or here if several)",
    )
    plot.add_argument(
        "--x", choices=tuple(X_AXES), default="env_steps", help="the x axis (default env_steps)"
    )
    plot.add_argument(
        "--y",
        choices=tuple(Y_AXES),
        default="eval",
        help="eval: the checks' scores (default); return: the mean training return",
    )
    plot.add_argument(
        "--band",
        choices=BANDS,
        default="minmax",
        help="the band around each mean: min to max over seeds (default) or one std",
    )


def figure_name(text: str) -> str:
    if text not in FIGURE_NAMES:
        raise argparse.ArgumentTypeError(
            f"unknown figure {text!r}; figures: {', '.join(FIGURE_NAMES)}"
        )
    return text


def add_figure_parser(commands) -> None:
    figure = commands.add_parser(
        "figure",
        help="reproduce a figure of the books and blogs the app teaches",
        description="Reproduce a figure by real runs of the app's brains, with the book's "
        "settings and number of runs. In the window the curves draw themselves run by run; "
        "with --headless, a table of the book's numbers beside ours on stderr and one JSON "
        "line on stdout (figure, runs, x_label, y_label, x, series). Either way the plot is "
        "written as a PNG into --out (each figure: docs/figures.md).",
    )
    figure.add_argument("name", type=figure_name, metavar="NAME", help=", ".join(FIGURE_NAMES))
    figure.add_argument(
        "--runs",
        type=positive_int,
        metavar="R",
        help="runs to average (trials, for a histogram); default: the book's",
    )
    figure.add_argument(
        "--seed", type=seed_int, default=0, help="the first run's seed; run i uses seed + i"
    )
    figure.add_argument("--headless", action="store_true", help="no window: run, print, plot")
    figure.add_argument("--quiet", action="store_true", help="headless: no progress bar")
    figure.add_argument(
        "--out",
        type=Path,
        default=Path("runs"),
        metavar="DIR",
        help="folder for the PNG, figure-NAME.png (default runs/)",
    )
    add_window_options(figure)
    figure.set_defaults(speed=None)  # each figure's own: a sweep a tick, or max


def resolve_scene(args: argparse.Namespace, default: str) -> None:
    """args.scene becomes the scene key: "gridworld:MAP" for a gridworld, its map read
    now, so that a bad map is one line before anything starts."""
    scene = args.scene or ("gridworld" if args.map else default)
    if args.map is not None and scene != "gridworld":
        fail(f"--map applies only to --scene gridworld, not {scene}")
    key = gridworld_key(args.map) if args.map is not None else scene
    try:
        scene_spec(key)
    except SceneError as error:
        fail(str(error))
    args.scene = key


def resolve_experiment(args: argparse.Namespace) -> None:
    resolve_scene(args, "flappy")
    if args.brain is None:
        args.brain = "value-iteration" if args.scene.startswith("gridworld") else "ga"


def budget_from(args: argparse.Namespace):
    from game.arena import Budget

    return Budget(args.max_generations, args.max_episodes, args.max_steps, args.until_solved)


def trial_of(args: argparse.Namespace, text: str):
    """The trial the options describe, for brain `text` (game/trial.py: what `train` runs
    once and `sweep` many times)."""
    from game.arena import Budget
    from game.trial import Trial

    overrides = tuple(brain_overrides(args, [text]).items())
    budget = budget_from(args) if hasattr(args, "max_generations") else Budget()
    return Trial(args.scene, text, args.seed, budget, args.population, overrides)


def new_brain(args: argparse.Namespace, text: str) -> Brain:
    """The brain `text` names, for args.scene; a bad name or setting is one line."""
    from game.trial import new_brain as trial_brain

    try:
        return trial_brain(trial_of(args, text))
    except (SettingsError, ValueError) as error:
        fail(str(error))


def build_arena(args: argparse.Namespace):
    """A new brain's arena, built as a sweep's trial builds it."""
    from game.trial import trial_arena

    brain = new_brain(args, args.brain)
    check_generations(brain, args)
    return trial_arena(trial_of(args, args.brain), brain)


def check_generations(brain: Brain, args: argparse.Namespace) -> None:
    if brain.kind != "evolver" and args.max_generations is not None:
        fail(
            f"--max-generations does not apply to {brain.name}, which learns every step; "
            "use --max-episodes or --max-steps"
        )


def resumed_arena(args: argparse.Namespace):
    """--from DIR: a saved learner goes on learning, on its own scene (its own map) with
    its own settings. Not on another map: the check it kept as its best was on its own."""
    from game.experiment import make_arena

    given = {
        "--scene": args.scene,
        "--map": args.map,
        "--brain": args.brain,
        "--neat-config": args.neat_config,
    }
    for option, value in given.items():
        if value is not None:
            fail(f"{option} cannot go with --from: the saved brain brings its own")
    brain, scene = load_saved(args.source, None)
    if brain.kind != "learner":
        learners = ", ".join(sorted(name for name, cls in BRAINS.items() if cls.kind == "learner"))
        fail(
            f"{args.source}: {brain.name} is not a learner and cannot go on training "
            f"(--from takes {learners}); `python main.py watch {args.source}` plays it"
        )
    check_generations(brain, args)
    population = args.population or type(brain).default_population
    try:
        check_memory(
            brain.name, population, type(brain).bytes_per_agent(brain.shape, brain.settings)
        )
    except SettingsError as error:
        fail(str(error))
    brain.go_on(population, args.seed)
    return make_arena(scene, brain, args.seed, brain_text=brain.name)


def experiment_arena(args: argparse.Namespace):
    """The arena `run` and `train` ask for: a new brain, or a saved one going on (--from)."""
    if args.source is not None:
        return resumed_arena(args)
    resolve_experiment(args)
    return build_arena(args)


def make_window(arena, args: argparse.Namespace, save_root: Path, budget=None, recorder=None):
    """The window (an App), with the view of the arena's scene, ready to run; with a
    `recorder` (a VideoWriter), every frame of the game is recorded until it closes."""
    from game.app import App
    from game.views import make_view

    speed = None if args.speed == "max" else int(args.speed)
    return App(
        arena,
        make_view(arena.scene.spec.name, arena.scene),
        save_root=save_root,
        speed=speed,
        budget=budget,
        recorder=recorder,
    )


def open_window(arena, args: argparse.Namespace, save_root: Path, budget=None) -> None:
    make_window(arena, args, save_root, budget).run(max_frames=args.frames)


def command_run(args: argparse.Namespace) -> int:
    from game.training import result_line

    writable_folder(args.out)  # S and closing save there: know now that they can
    arena = experiment_arena(args)
    budget = budget_from(args)
    app = make_window(arena, args, args.out, None if budget.unlimited else budget)
    try:
        app.run(max_frames=args.frames)
    finally:  # closed, Esc, --frames or Ctrl-C: the run is reported as train reports it
        saved = None if app.saved_path is None else str(app.saved_path)
        print(json.dumps(result_line(arena, saved)), flush=True)
    return 0


def load_saved(
    directory: Path, map_arg: str | None, scene_arg: str | None = None
) -> tuple[Brain, str]:
    """(brain, scene key) of a saved brain: its own scene, or for a gridworld brain the
    map `map_arg` names, or `scene_arg`, a key of the brain's own family (a CartPole brain
    plays on cartpole or cartpole:float32). Anything wrong is a one-line failure."""
    from brains.storage import META_FILE, BrainFileError, load_brain, read_meta
    from game.scenes import scene_from_brain

    try:
        meta = read_meta(directory)
        brain = load_brain(directory)
    except BrainFileError as error:
        fail(str(error))
    scene = brain.shape.scene
    try:
        name, _ = split_scene_key(scene)
    except KeyError:
        name = scene
    if name not in SCENES:
        fail(
            f"{directory}: the brain was trained on scene {scene!r}, which is not one of: "
            + ", ".join(sorted(SCENES))
        )
    if scene_arg is not None:
        if split_scene_key(scene_arg)[0] != name:
            fail(f"--scene {scene_arg}: {directory} plays {name}")
        if name != "gridworld":  # a gridworld brain's map is its own, or --map
            scene = scene_arg
    if map_arg is not None:
        if name != "gridworld":
            fail(f"--map applies only to gridworld brains; this one plays {name}")
        scene = gridworld_key(map_arg)
    try:
        if map_arg is None:  # the map as the brain file gives it, never a path it names
            scene = scene_from_brain(scene, meta.get("map_text"), str(directory / META_FILE))
        spec = scene_spec(scene)
    except SceneError as error:
        fail(str(error))
    if (spec.obs_dim, spec.n_actions) != (brain.shape.obs_dim, brain.shape.n_actions):
        fail(
            f"{directory}: brain expects {brain.shape.obs_dim} inputs and "
            f"{brain.shape.n_actions} actions, scene {scene} has {spec.obs_dim} and "
            f"{spec.n_actions}"
        )
    return brain, scene


def command_watch(args: argparse.Namespace) -> int:
    from game.recording import RecordError, VideoWriter, check_video_path, record_headless
    from game.showcase import ShowcaseArena

    if args.headless and args.record is None:
        fail("--headless goes with --record FILE: without a window, watch only records")
    try:
        if args.record is not None:
            check_video_path(args.record)  # before the brain plays, not after
    except RecordError as error:
        fail(str(error))
    brain, scene = load_saved(args.directory, args.map, args.scene)
    arena = ShowcaseArena(scene, brain, args.seed, source=args.directory)
    speed = 1 if args.speed in (None, "max") else int(args.speed)
    try:
        if args.headless:
            from game.views import make_view

            result = record_headless(
                arena,
                make_view(arena.scene.spec.name, arena.scene),
                args.record,
                episodes=args.episodes,
                max_frames=args.frames,
                speed=speed,
                progress=not args.quiet,
            )
            print(f"Recorded {result['frames']} frames to {args.record}", file=sys.stderr)
            print(json.dumps(result), flush=True)
            return 0
        recorder = None if args.record is None else VideoWriter(args.record)
        app = make_window(arena, args, Path("runs"), recorder=recorder)
        app.run(max_frames=args.frames)
    except RecordError as error:
        fail(str(error))
    return 0


def command_train(args: argparse.Namespace) -> int:
    from game.arena import Budget
    from game.trial import RunFolderError, train_logged

    writable_folder(args.out)  # before the work, not after it
    check_tensorboard(args)
    arena = experiment_arena(args)
    budget = budget_from(args)
    if budget.unlimited:
        print("No limit given: training until solved (Ctrl-C stops and saves).", file=sys.stderr)
        budget = Budget(until_solved=True)
    try:  # the same code as each trial of a sweep (game/trial.py)
        result = train_logged(
            arena, budget, args.out, not args.quiet, args.tensorboard, announce=True
        )
    except RunFolderError as error:
        fail(str(error))
    print(json.dumps(result), flush=True)
    return 0


def check_tensorboard(args: argparse.Namespace) -> None:
    """--tensorboard: fail now, in one line, if it cannot be written."""
    from game.run_log import tensorboard_missing

    if args.tensorboard is None:
        return
    missing = tensorboard_missing()
    if missing:
        fail(missing)
    if args.tensorboard.exists() and not args.tensorboard.is_dir():
        fail(f"--tensorboard {args.tensorboard}: a file is there, not a folder")


def open_run_log(arena, folder: Path, tensorboard: Path | None, name: str):
    """The run log of `arena` into `folder`, and into tensorboard/name if asked; a folder
    that cannot take it is one line."""
    from game.run_log import RunLog

    try:
        return RunLog(arena, folder, None if tensorboard is None else tensorboard / name)
    except OSError as error:
        fail(f"cannot write the run's logs into {folder}: {error.strerror or error}")


def command_play(args: argparse.Namespace) -> int:
    from game.play.modes import PlayError, make_play

    brain, label = None, ""
    if args.against is not None:
        if args.population is not None:
            fail("--population goes with --with: a saved brain plays one agent against you")
        brain, args.scene = load_saved(args.against, args.map, args.scene)
        label = brain.name
    else:
        resolve_scene(args, "cartpole")
        if args.with_brain is not None:
            brain, label = new_brain(args, args.with_brain), args.with_brain
        elif args.population is not None:
            fail("--population goes with --with: alone, you play one agent")
    try:
        arena = make_play(args.scene, args.seed, brain, saved=args.against is not None, label=label)
    except (PlayError, SettingsError) as error:
        fail(str(error))
    try:
        open_window(arena, args, Path("runs"))
    finally:  # closed, Esc, --frames or Ctrl-C: the score is reported all the same
        print(json.dumps(arena.result()), flush=True)
    return 0


def command_compare(args: argparse.Namespace) -> int:
    from brains.registry import make_brain
    from game.arena import Budget, brain_shape
    from game.compare import CompareArena, split_brain_list

    resolve_scene(args, "cartpole")
    brains = split_brain_list(args.brains)
    if not brains:
        fail("--brains: give at least one brain")
    max_steps = args.max_steps or COMPARE_STEPS.get(split_scene_key(args.scene)[0], 200_000)
    budget = Budget(max_steps=max_steps, until_solved=not args.full_budget)
    shape = brain_shape(args.scene)
    overrides = brain_overrides(args, brains)

    def build(seed: int) -> list:
        try:
            return [(text, make_brain(text, shape, None, seed, overrides)) for text in brains]
        except (SettingsError, ValueError) as error:
            fail(str(error))

    if not args.headless:
        for option in ("out", "tensorboard"):
            if getattr(args, option) is not None:
                fail(f"--{option} goes with --headless: the window's race keeps no logs")
        race = CompareArena(args.scene, build(args.seed), args.seed, budget)
        open_window(race, args, Path("runs"))
        return 0
    from brains.storage import unique_directory
    from game.compare import SUMMARY_HEADERS, format_table, summarise
    from game.run_files import RESULTS_FILE
    from game.run_log import LineFile, folder_name, new_race_folder
    from game.training import train

    build(args.seed)  # bad brains fail now, before any racing
    out = args.out or Path("runs")
    writable_folder(out)
    check_tensorboard(args)
    try:
        race_folder = new_race_folder(out)
        results_file = LineFile(race_folder / RESULTS_FILE)
    except OSError as error:
        fail(f"--out {out}: cannot make the race's folder ({error.strerror or error})")
    print(f"Logs: {race_folder}", file=sys.stderr)
    results = []
    seeds = range(args.seed, args.seed + args.seeds)
    try:
        for seed in seeds:
            race = CompareArena(args.scene, build(seed), seed, budget)
            for lane in race.lanes:
                folder = unique_directory(race_folder, f"{folder_name(lane.label)}-seed{seed}")
                name = f"{race_folder.name}/{folder.name}"
                logs = open_run_log(lane.arena, folder, args.tensorboard, name)
                result = train(lane.arena, budget, out=None, progress=False, logs=logs)
                results.append(result)
                print(json.dumps(result), flush=True)
                results_file.add(json.dumps({**result, "logs": folder.name}))
                results_file.flush()
                print(
                    f"{lane.label} seed {seed}: solved={result['solved']} "
                    f"steps={result['env_steps']:,}",
                    file=sys.stderr,
                )
    except KeyboardInterrupt:
        print("Interrupted: the table covers the runs that finished.", file=sys.stderr)
    results_file.close()
    print(format_table(SUMMARY_HEADERS, summarise(results)), file=sys.stderr)
    return 0


def command_sweep(args: argparse.Namespace) -> int:
    from game.arena import Budget
    from game.compare import split_brain_list
    from game.sweep import (
        SweepError,
        SweepFolder,
        parse_grid,
        parse_seeds,
        plan_trials,
        run_sweep,
        trial_key,
    )
    from game.sweep_report import sweep_table
    from game.trial import Trial, new_brain

    resolve_scene(args, "cartpole")
    brains = split_brain_list(args.brains)
    if not brains:
        fail("--brains: give at least one brain")
    if args.address is not None and args.workers is not None:
        fail("--workers is for a local Ray; a cluster has the cores it has")
    max_steps = args.max_steps or COMPARE_STEPS.get(args.scene, 200_000)
    budget = Budget(max_steps=max_steps, until_solved=not args.full_budget)
    overrides = tuple(brain_overrides(args, brains).items())
    template = Trial(args.scene, "", 0, budget, args.population, overrides)
    try:
        trials = plan_trials(template, brains, parse_grid(args.grid), parse_seeds(args.seeds))
        for trial in {t.brain: t for t in trials}.values():  # a bad brain fails now, once
            new_brain(trial)
        writable_folder(args.out)
        folder = SweepFolder(args.out, args.resume)
    except (SweepError, SettingsError, ValueError) as error:
        fail(str(error))
    known = {t.key for t in trials}
    scenes = sorted({str(line.get("scene")) for line in folder.results} - {args.scene})
    if scenes:
        fail(
            f"--resume: {folder.results_path} holds trials on {scenes[0]}, not "
            f"{args.scene}: give the same --scene, or a new --out"
        )
    strays = sorted(folder.done() - known)
    if strays:
        fail(
            f"--resume: {folder.results_path} holds trials this sweep does not name, "
            f"such as {strays[0]!r}: give the same --brains, --grid and --seeds"
        )
    skipped = len(folder.done())
    if skipped:
        print(f"Resuming: {skipped} of {len(trials)} trials done already.", file=sys.stderr)

    def report(trial, result: dict) -> None:
        print(json.dumps(result), flush=True)

    try:
        finished, failed = run_sweep(
            trials, folder, args.address, args.workers, not args.quiet, on_result=report
        )
    except SweepError as error:
        fail(str(error))
    except KeyboardInterrupt:
        print(
            f"Interrupted: {len(folder.results)} of {len(trials)} trials are in "
            f"{folder.results_path}; --resume goes on.",
            file=sys.stderr,
        )
        return 130
    results = [line for line in folder.results if trial_key(line) in known]
    print(sweep_table(results), file=sys.stderr)
    plot_sweep(results, args.out / "curves.png")
    if failed:
        print(
            f"{failed} trials failed: see {folder.failures_path}; --resume tries them again",
            file=sys.stderr,
        )
    return 1 if failed else 0


def plot_sweep(results: list[dict], out: Path) -> None:
    """The sweep's learning curves, a band per brain over its seeds, from the trials'
    logs; a plot that cannot be drawn is said, and the sweep's results stand."""
    from game.figures.plot import PlotError
    from game.run_files import RunFileError
    from game.run_plot import plot_runs

    folders = [Path(r["saved_to"]) for r in results if r.get("saved_to")]
    folders = [f for f in folders if f.is_dir()]  # on a cluster: on the node that ran it
    if not folders:
        return
    try:
        plot_runs(folders, out, "env_steps", "eval", "minmax")
    except (RunFileError, PlotError) as error:
        print(f"No plot: {error}", file=sys.stderr)
        return
    print(f"Learning curves saved to {out}", file=sys.stderr)


def writable_folder(folder: Path) -> None:
    """Fail now, in one line, if `folder` cannot take files: not after the work."""
    if folder.exists() and not folder.is_dir():
        fail(f"--out {folder}: a file is there, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"--out {folder}: {error.strerror or error}")
    if not os.access(folder, os.W_OK):
        fail(f"--out {folder}: the folder is not writable")


def command_figure(args: argparse.Namespace) -> int:
    from game.arena import Budget
    from game.figures.plot import PlotError, save_png
    from game.figures.registry import FIGURES

    figure = FIGURES[args.name](args.runs, args.seed)
    writable_folder(args.out)
    if not args.headless:
        from game.figures.arena import FigureArena

        args.speed = args.speed or figure.window_speed
        arena = FigureArena(figure)
        try:
            open_window(arena, args, args.out, budget=Budget(max_episodes=figure.runs))
        except PlotError as error:
            fail(str(error))
        return 0
    from game.figures.headless import measures_table, run_figure

    try:
        run_figure(figure, progress=not args.quiet)
    except KeyboardInterrupt:
        print("Interrupted: the figure covers the runs that finished.", file=sys.stderr)
    data = figure.data()
    if not data.series:
        print("No run finished: nothing to plot.", file=sys.stderr)
        return 130
    print(figure.source, file=sys.stderr)
    print(measures_table(figure), file=sys.stderr)
    try:
        path = save_png(figure, args.out / f"figure-{figure.name}.png")
    except PlotError as error:
        print(json.dumps(data.to_json()), flush=True)  # the numbers are not lost
        fail(str(error))
    print(f"Plot saved to {path}", file=sys.stderr)
    print(json.dumps(data.to_json()), flush=True)
    return 0


def command_plot(args: argparse.Namespace) -> int:
    from game.figures.plot import PlotError
    from game.run_files import RunFileError
    from game.run_plot import plot_runs

    out = args.out
    if out is None:
        folder = args.folders[0] if len(args.folders) == 1 else Path(".")
        out = folder / f"curves-{args.y}.png"
    if out.suffix.lower() != ".png":
        fail(f"--out {out}: the plot is a PNG; give a name ending in .png")
    try:
        drawn = plot_runs(args.folders, out, args.x, args.y, args.band)
    except (RunFileError, PlotError) as error:
        fail(str(error))
    print(f"Plot saved to {out}", file=sys.stderr)
    print(json.dumps(drawn), flush=True)
    return 0


def _stop_like_ctrl_c(signum: int, frame: object) -> None:
    """A polite `kill` stops a run the way Ctrl-C does: it still saves."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        return menu()
    parser = build_parser()
    if argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["run", *argv]  # options alone are `run` with those options
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["run"])
    signal.signal(signal.SIGTERM, _stop_like_ctrl_c)
    commands = {
        "run": command_run,
        "train": command_train,
        "watch": command_watch,
        "compare": command_compare,
        "play": command_play,
        "figure": command_figure,
        "sweep": command_sweep,
        "plot": command_plot,
    }
    try:
        return commands[args.command](args)
    except SettingsError as error:  # e.g. a NEAT config neat-python refuses mid-run
        fail(str(error))
    except KeyboardInterrupt:  # Ctrl-C or kill in a window: it has saved on its way out
        print("Stopped.", file=sys.stderr)
        return 130


def menu(max_rounds: int | None = None) -> int:
    """`python main.py` alone: the start menu. What you pick opens; closing it (Esc)
    brings the menu back, so you switch scene, brain or mode without restarting."""
    from game.ui.menu import choose

    rounds = 0
    while max_rounds is None or rounds < max_rounds:
        rounds += 1
        argv = choose()
        if argv is None:
            return 0
        code = main(argv)
        if code == 130:  # Ctrl-C: quit, not back to the menu
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
