"""What every play mode shares: the person's controls, the card over the game, the
sounds and messages for the window, the tally of rounds, and the result line.

A play arena is driven by the window like any arena; on top of that the window reads:
- `pace`: "human" while the person plays (the window holds 1x whatever its speed),
  "fast" while the person waits for the bots (the window runs at max), else "free";
- `card()`: a message to draw over the game, or None;
- `pop_events()`: ("sound", name) and ("message", text) to play and show once;
- `claimed_keys`: keys the arena takes before the window's own (Space flaps);
- `handle_key(name)` and `handle_key_up(name)`: key events, by pygame's key names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.colours import BLUE, PINK, Colour
from game.metrics import Metrics
from game.play.human import HumanPolicy

YOU_COLOUR: Colour = PINK  # your cart, your agent, your line in the charts
BOT_COLOUR: Colour = BLUE

START_KEYS = frozenset({"return", "space", "up", "down", "mouse", "left", "right"})
GRACE_TICKS = 30  # after a game over, keys wait this long: a last frantic flap is no restart


@dataclass(frozen=True)
class Card:
    """A panel over the game: a title and a few lines; `tone` is "info", "good" or "bad"."""

    title: str
    lines: tuple[str, ...] = ()
    tone: str = "info"


@dataclass
class Tally:
    """Rounds played: each side's score per round, and who won it."""

    higher_wins: bool = True  # pipes and steps balanced: more is better; steps to a goal: fewer
    human: list[float | None] = field(default_factory=list)
    bot: list[float | None] = field(default_factory=list)

    def add(self, human: float | None, bot: float | None) -> str:
        self.human.append(human)
        self.bot.append(bot)
        return self.winner_of(human, bot)

    def winner_of(self, human: float | None, bot: float | None) -> str:
        """ "human", "bot" or "tie"; None is a round not finished (no goal reached)."""
        if human is None or bot is None:
            if human is None and bot is None:
                return "tie"
            return "bot" if human is None else "human"
        if human == bot:
            return "tie"
        return "human" if (human > bot) == self.higher_wins else "bot"

    def wins(self) -> tuple[int, int]:
        results = [self.winner_of(h, b) for h, b in zip(self.human, self.bot, strict=True)]
        return results.count("human"), results.count("bot")

    def leader(self) -> str:
        """Who won more rounds: "human", "bot" or "tie"."""
        human, bot = self.wins()
        return "tie" if human == bot else "human" if human > bot else "bot"

    def best(self, scores: list[float | None]) -> float | None:
        done = [s for s in scores if s is not None]
        if not done:
            return None
        return max(done) if self.higher_wins else min(done)


class Side:
    """One panel of a match, drawn as a lane of a race: a person's or a bot's own scene.
    `metrics.solved` lights the label: the winner of the last round."""

    def __init__(self, label: str, scene: Any, colour: Colour, brain: Any = None) -> None:
        self.label, self.scene, self.colour, self.brain = label, scene, colour, brain
        self.metrics = Metrics()
        self.words = ""  # the label's status: a clock, steps, the round's result
        self.extras: dict[str, Any] = {}

    @property
    def shown(self) -> Side:  # what the window draws for a lane (a race's lane may differ)
        return self

    @property
    def arena(self) -> Side:
        return self

    def status(self) -> str:
        return self.words

    def highlight(self) -> int | None:
        return 0

    def view_extras(self) -> dict[str, Any]:
        return {"colour": self.colour, **self.extras}


class PlayArena:
    """The parts of a play mode that do not depend on the scene."""

    claimed_keys: frozenset[str] = frozenset()

    def __init__(self, scene_name: str, mode: str, bot_name: str | None) -> None:
        self.scene_name = scene_name
        self.mode = mode  # "solo", "alongside" or "against"
        self.bot_name = bot_name
        self.human = HumanPolicy(scene_name)
        self.metrics = Metrics()
        self.keys: tuple[tuple[str, str], ...] = self.human.keys
        self._events: list[tuple[str, str]] = []

    # -- what the window reads ---------------------------------------------------------

    @property
    def pace(self) -> str:
        return "free"

    def card(self) -> Card | None:
        return None

    def pop_events(self) -> list[tuple[str, str]]:
        events, self._events = self._events, []
        return events

    def sound(self, name: str) -> None:
        self._events.append(("sound", name))

    def message(self, text: str) -> None:
        self._events.append(("message", text))

    def handle_key(self, name: str) -> bool:
        return self.human.key_down(name)

    def handle_key_up(self, name: str) -> bool:
        return self.human.key_up(name)

    def highlight(self) -> int | None:
        return None

    all_done = False  # a race's results table: a match shows its cards instead

    # -- what a play mode reports --------------------------------------------------------

    def result(self) -> dict:
        """The line `play` prints on exit: each side's score and who won."""
        raise NotImplementedError

    def result_line(self, human: dict, bot_score: float | None, winner: str) -> dict:
        bot = None if self.mode == "solo" else {"brain": self.bot_name, "score": bot_score}
        played = human.get("episodes", 0) > 0
        return {
            "scene": self.scene_name,
            "mode": self.mode,
            "human": human,
            "bot": bot,
            "winner": winner if played and self.mode != "solo" else None,  # None: no round
        }

    # -- what the window's save key and closing ask of every arena ------------------------
    # A bot that learns while you play (`learning`, its arena) can be kept: S saves it, and
    # closing the window does. Anything else is already saved, or has nothing to save.

    learning: Any = None

    @property
    def can_save(self) -> bool:  # type: ignore[override]
        return self.learning is not None

    def has_learned(self) -> bool:
        return self.learning is not None and self.learning.has_learned()

    def progress_tag(self) -> str:
        return self.learning.progress_tag() if self.learning is not None else ""

    def finished(self, budget: object) -> bool:
        return False

    def save_best(self, root: Path) -> Path:
        if self.learning is None:
            raise RuntimeError("play saves nothing here: no bot learns")
        return self.learning.save_best(root)
