"""Flappy Bird with you in it: alone, alongside a population that keeps evolving, or
against a saved champion.

Your bird flies a scene of its own (so it is never part of the population's fitness), on
the same course as the bots: a course is a pure function of its seed, and both scenes
start on the same seed at the same tick and step together.

- Alongside: you join a generation at its start. If every bot crashes while you still fly,
  the next generation waits for you (it would fly another course); once you crash, the
  bots go on at the window's speed, and "again" joins the next generation (the window runs
  at max until it starts). The bots' generations are the same as without you: they see
  the same seeds in the same order, only later.
- Against: the champion and you start together on a fresh course; a round ends when you
  have crashed and the champion has crashed too or passed your score.
- Solo: you alone, a fresh course each round.
"""

from __future__ import annotations

import numpy as np

from brains.base import Policy
from game.arena import Callback, ChartSpec, EvolutionArena
from game.colours import GOLD, GREEN
from game.evaluation import SHOWCASE, episode_seed
from game.play.base import (
    BOT_COLOUR,
    GRACE_TICKS,
    START_KEYS,
    YOU_COLOUR,
    Card,
    PlayArena,
    Tally,
)
from game.play.human import FLAP_KEYS
from game.scenes.flappy import FLAP, FlappyScene

READY, FLYING, OVER, QUEUED = "ready", "flying", "over", "queued"


class FlappyPlay(PlayArena):
    claimed_keys = FLAP_KEYS | {"return"}

    def __init__(
        self,
        seed: int,
        bots: EvolutionArena | None = None,
        champion: Policy | None = None,
        bot_name: str | None = None,
    ) -> None:
        mode = "alongside" if bots is not None else "against" if champion is not None else "solo"
        super().__init__("flappy", mode, bot_name)
        self.seed = seed
        self.bots = bots
        self.learning = bots
        self.champion = champion
        self.you = FlappyScene(1)  # no pipe limit: you fly as long as you can
        self.rival = FlappyScene(1) if champion is not None else None
        self.state = READY
        self.rounds = 0
        self.tally = Tally()
        self._round_seed: int | None = None
        self._bot_best = 0  # the best bot's pipes in the round being played
        self._outlived = 0
        self._since_over = 0
        self._scores: tuple[float, float | None] | None = None  # the last round's, for its card
        self._round_open = False  # a round started and not yet scored
        if bots is not None:
            bots.callbacks.append(_GenerationRelay(self))
            for name in ("best_fitness", "mean_fitness"):  # what the bots learned before you
                if name in bots.metrics.series:
                    for x, y in zip(*bots.metrics.series[name].arrays(), strict=True):
                        self.metrics.record(name, float(x), float(y))
        self.keys = (*self.human.keys, ("Enter", "start / again"))
        # Before the first key: your bird waits at the start of the first round's course.
        first = bots.next_course_seed if bots is not None else episode_seed(seed, SHOWCASE, 0)
        self.you.reset(first)
        if self.rival is not None:
            self.rival.reset(first)

    # -- the window's view of it ---------------------------------------------------------

    @property
    def title(self) -> str:
        what = {"solo": "you", "alongside": f"you with {self.bot_name}"}
        return f"flappy: {what.get(self.mode, f'you against {self.bot_name}')}"

    @property
    def scene(self) -> FlappyScene:
        """The scene whose course is drawn: the bots' while you share their tick."""
        if self.rival is not None:
            return self.rival
        if self.bots is not None and (self._in_step() or self.state in (OVER, QUEUED)):
            return self.bots.scene  # once you have crashed, watch the bots fly on
        return self.you

    def view_extras(self) -> dict:
        # Once you have crashed the bots (or the champion) fly on, their score the big one.
        return {"player": self.you} if self.state in (READY, FLYING) else {}

    def highlight(self) -> int | None:
        if self.rival is not None:
            return 0
        if self.bots is not None and self.scene is self.bots.scene:
            return self.bots.highlight()  # the bots' best, ringed, whenever they are drawn
        return None

    @property
    def pace(self) -> str:
        if self.state == FLYING:
            return "human"
        return "fast" if self.state == QUEUED else "free"

    # -- keys ----------------------------------------------------------------------------

    def handle_key(self, name: str) -> bool:
        if self.state == FLYING:
            return self.human.key_down(name)
        if name not in START_KEYS:
            return False
        if self.state == OVER and (self._since_over < GRACE_TICKS or self._round_open):
            return True  # too soon after the crash to mean "again", or the bot flies on
        if self.state in (READY, OVER):
            self._ask_to_fly()
            if self.state == FLYING and name in FLAP_KEYS:
                self.human.key_down(name)  # the key that starts a round is its first flap
        return True

    def _ask_to_fly(self) -> None:
        if self.bots is None:
            self._start_round(episode_seed(self.seed, SHOWCASE, self.rounds))
        elif self.bots.between_generations:
            self._start_round(self.bots.next_course_seed)
        else:
            self.state = QUEUED

    def _start_round(self, seed: int) -> None:
        self.state = FLYING
        self._round_seed = seed
        self.you.reset(seed)
        self.human.clear()
        self._bot_best, self._outlived, self._round_open = 0, 0, True
        if self.rival is not None:
            self.rival.reset(seed)
        self.sound("start")

    # -- ticks ---------------------------------------------------------------------------

    def tick(self) -> None:
        if self.state == READY:
            return  # nothing moves before the first key: the game waits for you
        if self.state == QUEUED and self.bots is not None and self.bots.between_generations:
            self._start_round(self.bots.next_course_seed)
        if self.bots is not None and not self._bots_wait():
            self.bots.tick()
        if self.state == FLYING:
            self._fly()
        elif self.state == OVER:
            self._since_over += 1
            if self.rival is not None and self._round_open:
                self._rival_step()
        self._follow_bots()

    def _fly(self) -> None:
        you = self.you
        before = int(you.scores[0])
        action = self.human.act(you.observe())
        if action[0] == FLAP:
            self.sound("flap")
        you.step(action)
        if self.rival is not None:
            self._rival_step()
        if int(you.scores[0]) > before:
            self.sound("point")
        if not you.alive[0]:
            self._crash()

    def _rival_step(self) -> None:
        rival = self.rival
        assert rival is not None and self.champion is not None
        rival.step(self.champion.act(rival.observe()))
        if self.state == OVER and (not rival.alive[0] or rival.scores[0] > self.you.scores[0]):
            self._end_round()

    def _bots_wait(self) -> bool:
        """While you fly, the bots' next generation waits: it would fly another course."""
        bots = self.bots
        return (
            bots is not None
            and self.state == FLYING
            and bots.between_generations
            and bots.next_course_seed != self._round_seed
        )

    def _in_step(self) -> bool:
        """Do the bots fly your course at your tick (so they are drawn beside you)?"""
        scene = self.bots.scene if self.bots is not None else None
        return (
            scene is not None
            and self._round_seed is not None
            and scene.seed == self._round_seed
            and scene.tick == self.you.tick
        )

    def _follow_bots(self) -> None:
        """The best bot of your round, and how many of them you have outlived."""
        if self.bots is None or self._round_seed is None:
            return
        scene = self.bots.scene
        if scene.seed != self._round_seed:
            return
        self._bot_best = max(self._bot_best, int(scene.scores.max()))
        if self.state == FLYING:
            self._outlived = int(np.count_nonzero(~scene.alive))

    def _crash(self) -> None:
        self.sound("hit")
        self.state = OVER
        self._since_over = 0
        if self.bots is not None:
            self._follow_bots()
        rival = self.rival
        # Against a champion still flying and not yet past you, the round goes on.
        if rival is None or not rival.alive[0] or rival.scores[0] > self.you.scores[0]:
            self._end_round()

    def _end_round(self) -> None:
        self._round_open = False
        score = float(self.you.scores[0])
        bot: float | None = None
        if self.rival is not None:
            bot = float(self.rival.scores[0])
        elif self.bots is not None:
            bot = float(self._bot_best)
        self.rounds += 1
        self.tally.add(score, bot)
        self.metrics.episode_scores(np.array([score]))
        self.metrics.record("you", self.rounds, score, reduce="max")
        if bot is not None:
            self.metrics.record("bot", self.rounds, bot, reduce="max")
        self._scores = (score, bot)

    # -- what the window shows -------------------------------------------------------------

    def card(self) -> Card | None:
        word = "Space, Up or a click"
        if self.state == READY:
            lines = [f"{word} flaps. Fly through the gaps; the ceiling and pipes are fatal."]
            if self.mode == "alongside":
                lines.append(f"You fly the same course as the {self.bots.scene.n} bots.")
            if self.mode == "against":
                lines.append(f"{self.bot_name} flies the same course beside you.")
            return Card("Press a key to start", (*lines, "Your bird is the red one."))
        if self.state == QUEUED:
            return Card(
                "Waiting for the next generation",
                (f"Generation {self.bots.generation} is still flying: fast-forward to its end.",),
            )
        if self.state != OVER:
            return None
        score, bot = self._scores or (float(self.you.scores[0]), None)
        lines = [f"You passed {score:g} pipes. Your best: {self.metrics.best_score or 0:g}."]
        tone = "info"
        if self.mode == "alongside":
            alive = int(np.count_nonzero(self.bots.scene.alive)) if self._in_round() else 0
            lines.append(
                f"Best bot so far: {self._bot_best} pipes"
                + (f", {alive} still flying." if alive else ".")
            )
            lines.append(f"You outlived {self._outlived} of {self.bots.scene.n} bots.")
        elif self.mode == "against":
            if self._round_open:
                lines.append(f"{self.bot_name} is still flying...")
            else:
                winner = self.tally.winner_of(score, bot)
                lines.append(f"{self.bot_name}: {bot:g} pipes. " + _verdict(winner))
                tone = {"human": "good", "bot": "bad"}.get(winner, "info")
        ready = self._since_over >= GRACE_TICKS
        lines.append("Press a key to fly again." if ready else "")
        return Card("Game over", tuple(line for line in lines if line), tone)

    def _in_round(self) -> bool:
        return self.bots is not None and self.bots.scene.seed == self._round_seed

    def hud(self) -> list[tuple[str, str]]:
        now = int(self.you.scores[0]) if self.state == FLYING else 0
        best = max(self.metrics.best_score or 0, now)
        items = [("You", str(int(self.you.scores[0]))), ("Your best", f"{best:g}")]
        if self.mode == "alongside":
            items += [
                ("Best bot", str(self._bot_best)),
                ("Outlived", f"{self._outlived}/{self.bots.scene.n}"),
                ("Generation", self._generation_now()),
            ]
        elif self.mode == "against":
            wins, losses = self.tally.wins()
            items += [("Bot", str(int(self.rival.scores[0]))), ("Rounds won", f"{wins}-{losses}")]
        return items

    def _generation_now(self) -> str:
        """The generation on screen: while the next one waits for you, the one you fly."""
        if self._bots_wait():
            return f"{self.bots.generation - 1} (next waits for you)"
        return str(self.bots.generation)

    def charts(self) -> list[ChartSpec]:
        lines = [("you", "you", YOU_COLOUR)]
        if self.mode != "solo":
            lines.append(("bot", "best bot" if self.bots else self.bot_name or "bot", BOT_COLOUR))
        charts = [ChartSpec("Pipes per round", "round", tuple(lines))]
        if self.bots is not None:
            charts.append(
                ChartSpec(
                    "The bots' fitness per generation",
                    "generation",
                    (("best_fitness", "best", GREEN), ("mean_fitness", "mean", GOLD)),
                )
            )
        return charts

    def result(self) -> dict:
        human = {"score": self.tally.best(self.tally.human), "episodes": self.rounds}
        return self.result_line(human, self.tally.best(self.tally.bot), self.tally.leader())


def _verdict(winner: str) -> str:
    return {"human": "You win!", "bot": "The bot wins.", "tie": "A tie."}[winner]


class _GenerationRelay(Callback):
    """Copies the bots' fitness per generation into the play arena's charts."""

    def __init__(self, play: FlappyPlay) -> None:
        self.play = play

    def on_generation_end(self, arena: EvolutionArena) -> None:
        g, series = arena.metrics.generations, arena.metrics.series
        self.play.metrics.record("best_fitness", g, series["best_fitness"].last, reduce="max")
        self.play.metrics.record("mean_fitness", g, series["mean_fitness"].last)
