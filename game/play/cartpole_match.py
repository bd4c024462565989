"""CartPole, you against a bot: your cart and its cart side by side, from the same start
state, a clock for each, best of three rounds.

A round starts on your first push and ends when both poles are down or both carts have
balanced CartPole-v1's 500 steps; the longer balance wins it. The bot is a saved brain
(`against`) or one that learns while you play (`alongside`): its trainer runs a few ticks
of its own for each tick of the match, and the bot's cart plays the trainer's champion
as it was when the round began. Alone, you play three rounds against your own best.
"""

from __future__ import annotations

import time

from brains.base import Brain, Planner, Policy
from game.arena import ChartSpec
from game.evaluation import SHOWCASE, episode_seed
from game.play.base import (
    BOT_COLOUR,
    GRACE_TICKS,
    START_KEYS,
    YOU_COLOUR,
    Card,
    PlayArena,
    Side,
    Tally,
)
from game.scenes import make_scene
from game.scenes.cartpole import TAU, TIME_LIMIT

ROUNDS = 3
TRAINER_TICKS = 4  # the learning bot's training ticks per tick of the match
TRAINER_SECONDS = 0.004  # ... and at most this long, so frames stay short
READY, PLAYING, BETWEEN, OVER = "ready", "playing", "between", "over"


class CartPoleMatch(PlayArena):
    lane_columns = 1  # a track is wide: your cart above the bot's

    def __init__(
        self,
        seed: int,
        brain: Brain | None = None,
        saved: bool = False,
        label: str = "",
        scene_key: str = "cartpole",  # or cartpole:float32
    ) -> None:
        mode = "solo" if brain is None else "against" if saved else "alongside"
        super().__init__(scene_key, mode, label or (brain.name if brain else None))
        self.seed = seed
        self.brain = brain
        self.trainer = None
        # A tree search learns nothing: it looks ahead in the bot's own cart, below.
        planner = isinstance(brain, Planner) and not getattr(brain, "wants_tables", False)
        if mode == "alongside" and not planner:
            from game.experiment import make_arena

            self.trainer = self.learning = make_arena(scene_key, brain, seed, brain_text=label)
            self.metrics = self.trainer.metrics  # its learning curves, and the rounds
        self.you = Side("you", make_scene(scene_key, 1), YOU_COLOUR)
        self.lanes = [self.you]
        self.bot: Side | None = None
        if brain is not None:
            self.bot = Side(self.bot_name or brain.name, make_scene(scene_key, 1), BOT_COLOUR)
            self.lanes.append(self.bot)
            if planner:
                brain.attach(self.bot.scene)
        for side in self.lanes:
            side.extras.update(clock=True, name=side.label)
        self.scene = self.you.scene
        self.tally = Tally()
        self.matches = 0
        self.rounds = 0  # played in this match
        self.state = READY
        self._policy: Policy | None = None
        self._since = 0
        self._deal()
        self.keys = (*self.human.keys, ("Enter", "next round"))

    # -- rounds --------------------------------------------------------------------------

    def _deal(self) -> None:
        """Both carts at the same start state: one seed, the same first draw."""
        seed = episode_seed(self.seed, SHOWCASE, len(self.tally.human))
        for side in self.lanes:
            side.scene.reset(seed)
            side.metrics.solved = False
        self.human.clear()
        self._label()

    def handle_key(self, name: str) -> bool:
        if self.state == PLAYING:
            return self.human.key_down(name)
        if name not in START_KEYS:
            return False
        if self.state in (BETWEEN, OVER) and self._since < GRACE_TICKS:
            return True
        if self.state == OVER:
            self.rounds = 0
            self.matches += 1
        if self.state in (BETWEEN, OVER):
            self._deal()
        self.state = PLAYING
        if self.bot is not None:
            self._policy = self.brain.champion()
        self.human.key_down(name)  # the key that starts the round is its first push
        self.sound("start")
        return True

    def tick(self) -> None:
        if self.state == READY:
            return  # nothing moves before your first push
        self._train()
        if self.state != PLAYING:
            self._since += 1
            return
        you = self.you.scene
        if you.alive[0]:
            you.step(self.human.act(you.observe()))
            if not you.alive[0]:
                self.sound("hit" if you.steps[0] < TIME_LIMIT else "point")
        if self.bot is not None and self.bot.scene.alive[0]:
            scene = self.bot.scene
            scene.step(self._policy.act(scene.observe()))
        self._label()
        if not any(side.scene.alive[0] for side in self.lanes):
            self._end_round()

    def _train(self) -> None:
        if self.trainer is None:
            return
        deadline = time.perf_counter() + TRAINER_SECONDS
        for _ in range(TRAINER_TICKS):
            self.trainer.tick()
            if time.perf_counter() > deadline:
                break

    def _end_round(self) -> None:
        you = float(self.you.scene.steps[0])
        bot = float(self.bot.scene.steps[0]) if self.bot is not None else None
        winner = self.tally.add(you, bot)
        self.rounds += 1
        number = len(self.tally.human)
        self.metrics.record("you", number, you, reduce="max")
        if bot is not None:
            self.metrics.record("bot", number, bot, reduce="max")
            self.you.metrics.solved = winner == "human"
            self.bot.metrics.solved = winner == "bot"
        self._since = 0
        wins = self._match_wins()
        decided = self.bot is not None and max(wins) * 2 > ROUNDS
        self.state = OVER if self.rounds >= ROUNDS or decided else BETWEEN
        if self.state == OVER and self.bot is not None:
            self.sound("win" if wins[0] > wins[1] else "lose" if wins[1] > wins[0] else "point")

    def _match_wins(self) -> tuple[int, int]:
        """Rounds won in this match by you and by the bot."""
        played = slice(len(self.tally.human) - self.rounds, None)
        pairs = zip(self.tally.human[played], self.tally.bot[played], strict=True)
        results = [self.tally.winner_of(h, b) for h, b in pairs]
        return results.count("human"), results.count("bot")

    def _label(self) -> None:
        for side in self.lanes:
            steps = int(side.scene.steps[0])
            down = "" if side.scene.alive[0] or self.state == READY else ", done"
            side.words = f"{steps * TAU:5.2f} s{down}"

    # -- what the window shows -------------------------------------------------------------

    @property
    def pace(self) -> str:
        return "human" if self.state == PLAYING and self.you.scene.alive[0] else "free"

    @property
    def title(self) -> str:
        if self.mode == "solo":
            return "cartpole: you"
        return f"cartpole: you against {self.bot_name}"

    def card(self) -> Card | None:
        number = self.rounds + 1
        if self.state == READY:
            who = f" and {self.bot_name}'s" if self.bot is not None else ""
            lines = [
                "Left and Right push the cart; keep the pole up and the cart on the track.",
                f"Your cart{who} start from the same state. Best of {ROUNDS} rounds.",
            ]
            if self.mode == "alongside":
                lines.append(f"{self.bot_name} learns while you play.")
            return Card(f"Round {number}: push Left or Right to start", tuple(lines))
        if self.state == PLAYING:
            return None
        you, bot = self.tally.human[-1], self.tally.bot[-1]
        lines = [f"You balanced {you * TAU:.2f} s ({you:g} steps)."]
        tone = "info"
        if self.bot is not None:
            winner = self.tally.winner_of(you, bot)
            lines.append(f"{self.bot_name}: {bot * TAU:.2f} s ({bot:g} steps). " + _verdict(winner))
            tone = {"human": "good", "bot": "bad"}.get(winner, "info")
        ready = self._since >= GRACE_TICKS
        if self.state == BETWEEN:
            title = f"Round {self.rounds} of {ROUNDS}"
            lines.append(f"Push Left or Right for round {number}." if ready else "")
        else:
            wins = self._match_wins()
            title = "Match over"
            if self.bot is not None:
                verdict = "you win" if wins[0] > wins[1] else "it's a draw"
                if wins[1] > wins[0]:
                    verdict = f"{self.bot_name} wins"
                title = f"Match over: {verdict}, {wins[0]}-{wins[1]}"
                tone = "good" if wins[0] > wins[1] else "bad" if wins[1] > wins[0] else "info"
            lines.append("Push Left or Right for a new match." if ready else "")
        return Card(title, tuple(line for line in lines if line), tone)

    def hud(self) -> list[tuple[str, str]]:
        items = [
            ("Round", f"{min(self.rounds + 1, ROUNDS)}/{ROUNDS}"),
            ("You", f"{int(self.you.scene.steps[0])}"),
        ]
        if self.bot is not None:
            wins = self._match_wins()
            items += [("Bot", f"{int(self.bot.scene.steps[0])}"), ("Won", f"{wins[0]}-{wins[1]}")]
        if self.trainer is not None:
            items += [("Bot trained", f"{self.trainer.metrics.env_steps:,} steps")]
            items += self.trainer.check_status()
        return items

    def charts(self) -> list[ChartSpec]:
        lines = [("you", "you", YOU_COLOUR)]
        if self.bot is not None:
            lines.append(("bot", self.bot_name, BOT_COLOUR))
        rounds = ChartSpec("Steps balanced per round", "round", tuple(lines))
        learning = self.trainer.charts()[:1] if self.trainer is not None else []
        return [rounds, *learning]

    def result(self) -> dict:
        human = {"score": self.tally.best(self.tally.human), "episodes": len(self.tally.human)}
        bot = self.tally.best(self.tally.bot) if self.bot is not None else None
        return self.result_line(human, bot, self.tally.leader())


def _verdict(winner: str) -> str:
    return {"human": "You win the round.", "bot": "The bot wins the round.", "tie": "A tie."}[
        winner
    ]
