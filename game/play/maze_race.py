"""A maze race: you and an agent from the same start, fewer steps to the goal wins.

Each side walks a scene of its own on the same map, from the same start. Your arrows move
you one cell a press; the agent moves every AGENT_MOVE_TICKS ticks, so you can watch it
walk. A bot given with --with first does its homework: a planner plans (dynamic
programming until its values converge), a learner learns until it walks a shortest path
or has used PREPARE_STEPS steps, and a tree search plans each move as it walks. A saved
brain (--against) walks the map it was trained on. P shows the agent's planned path: its
greedy moves from where it stands, followed through the maze. N draws a new random maze
(with assets/maps/make_mazes.py's generator), and a bot that learns does its homework
again.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from brains.base import Brain, Planner, Policy
from game.arena import Budget, ChartSpec
from game.evaluation import SHOWCASE, episode_seed
from game.play.base import (
    BOT_COLOUR,
    GRACE_TICKS,
    YOU_COLOUR,
    Card,
    PlayArena,
    Side,
    Tally,
)
from game.play.human import MOVE_KEYS
from game.scenes import gridworld_key, make_scene, split_scene_key
from game.scenes.gridmap import register_saved_map
from game.scenes.mazegen import maze_text

AGENT_MOVE_TICKS = 8  # 7.5 moves a second at 60 ticks a second
PREPARE_STEPS = 50_000  # a learner's homework: until it passes its check, or this many steps
PREPARE_SECONDS = 20.0  # ... or this much of its own time
HOMEWORK_SLICE = 0.004  # seconds of homework a tick: frames stay short
MAX_PATH = 400  # cells of the planned path drawn at most
RANDOM_MAZE = (13, 21)  # rows, columns: two of them fit side by side
HOMEWORK, READY, RACING, OVER = "homework", "ready", "racing", "over"


class MazeRace(PlayArena):
    claimed_keys = frozenset({"p", "n", "return"})

    def __init__(
        self,
        scene_key: str,
        seed: int,
        brain: Brain | None = None,
        saved: bool = False,
        label: str = "",
        rebuild: Callable[[str], Brain] | None = None,
    ) -> None:
        mode = "solo" if brain is None else "against" if saved else "alongside"
        super().__init__(scene_key, mode, label or (brain.name if brain else None))
        self.seed = seed
        self.rebuild = rebuild  # a new bot for a new maze (None: this bot knows one maze)
        self.tally = Tally(higher_wins=False)
        self.races = 0
        self.mazes = 0
        self.show_path = False
        self.homework = ""
        self._setup(scene_key, brain)
        self.keys = (
            *self.human.keys,
            *((("P", "agent's path"),) if brain is not None else ()),
            ("N", "new maze"),
            ("Enter", "race again"),
        )

    def _setup(self, scene_key: str, brain: Brain | None) -> None:
        self.scene_key = scene_key
        self.brain = brain
        # Both sides race the maze in its final form: a changing maze (blocking, shortcut)
        # as it is once changed, the form a trained bot knows and its checks judged.
        self.you = Side("you", make_scene(scene_key, 1, capped=False, changed=True), YOU_COLOUR)
        self.lanes = [self.you]
        self.bot: Side | None = None
        self._policy: Policy | None = None
        self._trainer = None  # a learner's homework, a slice a tick
        self.homework = ""
        if brain is not None:
            scene = make_scene(scene_key, 1, capped=False, changed=True)
            self.bot = Side(self.bot_name or brain.name, scene, BOT_COLOUR, brain)
            self.lanes.append(self.bot)
        self.scene = self.you.scene
        scene = self.you.scene
        self.lane_columns = 1 if scene.cols >= 2 * scene.rows else None  # a wide maze: stacked
        # Neither side may wander for ever: past this many steps it is out of time.
        longest = int(scene.layout.distance[scene.starts].max())
        for side in self.lanes:
            side.scene.time_limit = min(side.scene.time_limit, 3 * max(longest, 1) + 20)
        self._deal()
        if brain is not None:
            self._start_homework(brain, self.bot.scene)

    def _start_homework(self, brain: Brain, scene) -> None:
        """The bot gets ready to race: a tree search looks ahead in the scene it walks,
        dynamic programming plans in the maze's tables, a learner learns (a slice of ticks
        at a time, so the window keeps drawing); a saved brain is ready."""
        if isinstance(brain, Planner) and not getattr(brain, "wants_tables", False):
            brain.attach(scene)
            self.homework = f"{brain.name} plans each move as it walks."
        elif isinstance(brain, Planner):
            brain.attach(scene.tabular_model())
            start = time.perf_counter()
            while not brain.think(1.0):
                pass
            sweeps = getattr(brain, "sweeps", 0)
            took = time.perf_counter() - start
            self.homework = f"{brain.name} planned in {sweeps:,} sweeps ({took:.1f} s)."
        elif self.mode == "alongside":
            from game.experiment import make_arena

            self._trainer = make_arena(self.scene_key, brain, self.seed)
            self._homework_clock = 0.0
            self.state = HOMEWORK
            return
        self._policy = brain.champion()

    def _do_homework(self) -> None:
        trainer = self._trainer
        start = time.perf_counter()
        budget = Budget(until_solved=True, max_steps=PREPARE_STEPS)
        while not trainer.finished(budget) and time.perf_counter() - start < HOMEWORK_SLICE:
            trainer.tick()
        self._homework_clock += time.perf_counter() - start
        if not trainer.finished(budget) and self._homework_clock < PREPARE_SECONDS:
            return
        m = trainer.metrics
        how = "passed its check" if m.solved else "is not sure of the way"
        self.homework = f"{self.brain.name} learned for {m.env_steps:,} steps and {how}."
        self._trainer = None
        self._policy = self.brain.champion()
        self.state = READY
        self.sound("start")

    def _deal(self) -> None:
        """Both sides at the same start."""
        seed = episode_seed(self.seed, SHOWCASE, self.races)
        for side in self.lanes:
            side.scene.reset(seed)
            side.metrics.solved = False
        self.human.clear()
        self.state = READY
        self._ticks = 0
        self._since = 0
        self._label()

    # -- keys ----------------------------------------------------------------------------

    def handle_key(self, name: str) -> bool:
        if self.state == HOMEWORK:
            return name in ("return", "p", "n", *MOVE_KEYS)  # the bot is still learning
        if name == "p" and self.bot is not None:
            self.show_path = not self.show_path
            return True
        if name == "n":
            self.new_maze()
            return True
        if self.state == OVER:
            if name in ("return", *MOVE_KEYS) and self._since >= GRACE_TICKS:
                self.races += 1
                self._deal()
            return name in ("return", *MOVE_KEYS)
        if name not in MOVE_KEYS:
            return name == "return"
        if self.state == READY:
            self.state = RACING
            self.sound("start")
        return self.human.key_down(name)

    def new_maze(self) -> None:
        if self.mode == "against" or (self.brain is not None and self.rebuild is None):
            self.message(f"{self.bot_name} knows only its own maze: a new one needs --with")
            return
        self.mazes += 1
        rows, cols = RANDOM_MAZE
        maze_seed = episode_seed(self.seed, SHOWCASE, 10_000 + self.mazes)
        text = maze_text(rows, cols, seed=maze_seed, loops=0.08, title="a random maze")
        key = gridworld_key(register_saved_map(text, "a random maze", f"random-{self.mazes}"))
        brain = self.rebuild(key) if self.brain is not None and self.rebuild else None
        self._setup(key, brain)
        self.message("A new maze")

    # -- ticks ---------------------------------------------------------------------------

    def tick(self) -> None:
        if self.state == HOMEWORK:
            self._do_homework()
            return
        if self.state == OVER:
            self._since += 1
        if self.state != RACING:
            return
        self._ticks += 1
        you = self.you.scene
        if you.alive[0] and self.human.pending:
            rewards, _, _ = you.step(self.human.act(you.observe()))
            self._fell(self.you, float(rewards[0]), "You")
            if not you.alive[0] and you.scores[0] > 0:
                self.sound("point")
        bot = self.bot
        if bot is not None and bot.scene.alive[0] and self._ticks % AGENT_MOVE_TICKS == 0:
            rewards, _, _ = bot.scene.step(self._policy.act(bot.scene.observe()))
            self._fell(bot, float(rewards[0]), bot.label)
        self._label()
        if not any(side.scene.alive[0] for side in self.lanes):
            self._end_race()

    def _fell(self, side: Side, reward: float, who: str) -> None:
        """A step into a pit (off the cliff) is shown with what it cost."""
        scene = side.scene
        gm = scene.map
        if not scene.layout.pit.any() or reward != gm.pit_reward or reward == gm.step_reward:
            return
        where = "back to the start" if gm.pits_restart else "the end"
        self.message(f"{who} fell in a pit: reward {reward:g}, {where}")
        if side is self.you:
            self.sound("hit")

    def _end_race(self) -> None:
        you, bot = self._steps_to_goal(self.you), None
        if self.bot is not None:
            bot = self._steps_to_goal(self.bot)
        winner = self.tally.add(you, bot)
        number = len(self.tally.human)
        if you is not None:
            self.metrics.record("you", number, you)
            self.metrics.episode_scores(np.array([you]))
        if bot is not None:
            self.metrics.record("bot", number, bot)
        if self.bot is not None:
            self.you.metrics.solved = winner == "human"
            self.bot.metrics.solved = winner == "bot"
            self.sound("win" if winner == "human" else "lose" if winner == "bot" else "point")
        self.state = OVER
        self._since = 0

    @staticmethod
    def _steps_to_goal(side: Side) -> float | None:
        scene = side.scene
        return float(scene.steps[0]) if scene.scores[0] > 0 else None

    def _label(self) -> None:
        for side in self.lanes:
            scene = side.scene
            done = ""
            if not scene.alive[0]:
                done = ", at the goal" if scene.scores[0] > 0 else ", out of time"
            side.words = f"{int(scene.steps[0])} steps, return {scene.returns[0]:g}{done}"
        self.you.extras["note"] = "you: the arrows move you one cell"
        if self.bot is not None:
            self.bot.extras["path"] = self.planned_path() if self.show_path else None

    def planned_path(self) -> list[int]:
        """The cells the agent's greedy moves lead through from where it stands (the sure
        moves; on a slippery map, where it means to go)."""
        assert self.bot is not None
        scene = self.bot.scene
        q = getattr(self.brain, "tables", lambda: {})().get("q")
        if q is None or not scene.alive[0]:
            return []
        layout = scene.layout
        cell, path = int(scene.cell[0]), [int(scene.cell[0])]
        while len(path) < MAX_PATH and not (layout.goal[cell] or layout.pit[cell]):
            row = q[cell]
            cell = int(layout.next_cell[cell, int(np.argmax(row))])
            if cell == path[-1] or cell in path[:-1]:
                break  # stuck against a wall or in a loop: the plan ends here
            path.append(cell)
        return path

    # -- what the window shows -------------------------------------------------------------

    @property
    def pace(self) -> str:
        if self.state == HOMEWORK:
            return "fast"  # as many slices of homework as fit in each frame
        playing = self.state == RACING and self.you.scene.alive[0]
        return "human" if playing else "free"

    @property
    def title(self) -> str:
        maze = split_scene_key(self.scene_key)[1] or ""
        maze = "a random maze" if maze.startswith("saved:random") else maze
        who = "you" if self.bot is None else f"you against {self.bot_name}"
        return f"{maze}: {who}"

    def card(self) -> Card | None:
        if self.state == HOMEWORK:
            m = self._trainer.metrics
            check = "" if m.eval_score is None else f", its last check {m.eval_score:.0f}%"
            return Card(
                f"{self.bot_name} is learning the maze",
                (
                    f"{m.env_steps:,} steps, {m.episodes:,} episodes{check}.",
                    "The race starts when it is ready.",
                ),
            )
        if self.state == READY:
            lines = [
                "The arrows move you one cell a press. Reach a goal in as few steps as you can."
            ]
            if self.bot is not None:
                lines += [
                    f"{self.bot_name} starts where you start. Fewer steps wins.",
                    self.homework,
                    "P shows its planned path.",
                ]
            lines.append("N draws a new random maze.")
            return Card("Press an arrow to start", tuple(line for line in lines if line))
        if self.state != OVER:
            return None
        you, bot = self.tally.human[-1], self.tally.bot[-1]
        lines = [f"You: {_steps(you)}."]
        tone = "info"
        if self.bot is not None:
            winner = self.tally.winner_of(you, bot)
            verdict = {"human": "You win!", "bot": f"{self.bot_name} wins.", "tie": "A tie."}
            lines.append(f"{self.bot_name}: {_steps(bot)}. {verdict[winner]}")
            tone = {"human": "good", "bot": "bad"}.get(winner, "info")
            wins = self.tally.wins()
            lines.append(f"Races won: you {wins[0]}, {self.bot_name} {wins[1]}.")
        if self._since >= GRACE_TICKS:
            lines.append("Enter or an arrow: race again. N: a new maze.")
        return Card("Race over", tuple(lines), tone)

    def hud(self) -> list[tuple[str, str]]:
        you = self.you.scene
        items = [("Race", str(self.races + 1)), ("You", f"{int(you.steps[0])} steps")]
        if self.bot is not None:
            wins = self.tally.wins()
            items += [
                ("Bot", f"{int(self.bot.scene.steps[0])} steps"),
                ("Won", f"{wins[0]}-{wins[1]}"),
            ]
        best = self.tally.best(self.tally.human)
        items.append(("Your best", "-" if best is None else f"{best:g} steps"))
        return items

    def charts(self) -> list[ChartSpec]:
        lines = [("you", "you", YOU_COLOUR)]
        if self.bot is not None:
            lines.append(("bot", self.bot_name, BOT_COLOUR))
        return [ChartSpec("Steps to the goal per race", "race", tuple(lines))]

    def result(self) -> dict:
        human = {"score": self.tally.best(self.tally.human), "episodes": len(self.tally.human)}
        bot = self.tally.best(self.tally.bot) if self.bot is not None else None
        return self.result_line(human, bot, self.tally.leader())


def _steps(steps: float | None) -> str:
    return "no goal reached" if steps is None else f"{steps:g} steps to the goal"
