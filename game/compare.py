"""Racing brains on one task: several arenas side by side, one shared chart.

Each brain gets its own lane: its own scene on the same seed, its own arena. The lanes
tick together; callbacks copy what each learns into one Metrics object, always against
environment steps, so methods that learn per generation and methods that learn per step
share an x axis. Headless, `race` runs every brain on every seed and summarises.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brains.base import Brain
from game import colours
from game.arena import Arena, Budget, Callback, ChartSpec
from game.evaluation import Evaluation
from game.experiment import make_arena
from game.metrics import Metrics
from game.scenes import split_scene_key
from game.showcase import ShowcaseArena


def lane_colour(index: int) -> tuple[int, int, int]:
    return colours.nth(index)


def split_brain_list(text: str) -> list[str]:
    """ "ga:hidden=8,mutation=0.1,q-table" -> ["ga:hidden=8,mutation=0.1", "q-table"].

    Commas separate brains and also a brain's settings; an item with "=" but no ":" is
    one more setting of the brain before it."""
    brains: list[str] = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        if "=" in item and ":" not in item and brains:
            brains[-1] += "," + item
        else:
            brains.append(item)
    return brains


class _Relay(Callback):
    """Copies one lane's progress into the race's shared metrics."""

    def __init__(self, race: CompareArena, lane: int) -> None:
        self.race, self.lane = race, lane

    def on_generation_end(self, arena: Arena) -> None:
        best = arena.metrics.series["best_fitness"].last
        self.race.metrics.record(f"lane{self.lane}", arena.metrics.env_steps, best)

    def on_episodes_end(self, arena: Arena, count: int) -> None:
        # Learners race on their mean return, gridworld brains on steps per episode.
        series = arena.metrics.series[getattr(arena, "race_series", "return_average")]
        self.race.metrics.record(f"lane{self.lane}", arena.metrics.env_steps, series.last)

    def on_evaluation_end(self, arena: Arena, evaluation: Evaluation) -> None:
        self.race.metrics.record(f"check{self.lane}", arena.metrics.env_steps, evaluation.score)


# What each scene's view draws a lane with: its colour (carts, the maze's agent) and, for
# CartPole's counter, whose carts they are. Flappy Bird's view takes neither.
LANE_EXTRAS: dict[str, tuple[str, ...]] = {
    "cartpole": ("colour", "name"),
    "gridworld": ("colour",),
    "gym": ("colour", "name"),
}


class LaneView:
    """What the window draws for a lane: the arena playing in it (the learner, or once the
    lane is done its champion), attribute for attribute, whose `view_extras()` adds the
    lane's colour and label. The arenas stay unaware of the race they run in."""

    def __init__(self, lane: Lane, extras: tuple[str, ...]) -> None:
        self._lane, self._extras = lane, extras

    def __getattr__(self, name: str) -> Any:
        lane = self.__dict__["_lane"]
        return getattr(lane.showcase or lane.arena, name)

    def view_extras(self) -> dict[str, Any]:
        lane = self._lane
        playing = lane.showcase or lane.arena
        own = playing.view_extras() if hasattr(playing, "view_extras") else {}
        given = {"colour": lane.colour, "name": lane.label}
        return {**own, **{key: given[key] for key in self._extras}}


@dataclass
class Lane:
    label: str  # the brain as the user wrote it
    arena: Arena
    colour: tuple[int, int, int]
    done: bool = False
    # Once a lane is done its champion keeps playing in the panel, outside the race's counts.
    showcase: ShowcaseArena | None = None
    extras: tuple[str, ...] = ()  # what the lane's view is told of it (LANE_EXTRAS)

    @property
    def shown(self) -> LaneView:
        return LaneView(self, self.extras)

    def status(self) -> str:
        m = self.arena.metrics
        if m.solved and m.solved_at:
            at = m.solved_at
            return f"solved in {at['env_steps']:,} steps, {at['seconds']:.2f} s"
        if self.done:
            return f"not solved in {m.env_steps:,} steps"
        best = "-" if m.best_score is None else f"{m.best_score:g}"
        return f"{m.env_steps:,} steps, best {best}"


class CompareArena:
    """Lanes that tick together. A lane stops once solved or out of budget; the race is
    over when every lane has stopped."""

    can_save = False

    def __init__(
        self,
        scene_name: str,
        brains: list[tuple[str, Brain]],
        seed: int,
        budget: Budget,
        showcase: bool = True,
        checks: bool = True,
    ) -> None:
        """`showcase`: a lane that is done keeps its champion playing in its panel (the
        window's race); a figure's race has no panels to fill. `checks`: champions are
        checked on fresh episodes (off for a figure, which charts training alone)."""
        self.scene_name = scene_name
        self.seed = seed
        self.budget = budget
        self.showcase = showcase
        self.metrics = Metrics()
        self.lanes: list[Lane] = []
        extras = LANE_EXTRAS.get(split_scene_key(scene_name)[0], ())
        for i, (label, brain) in enumerate(brains):
            arena = make_arena(scene_name, brain, seed, brain_text=label, checks=checks)
            arena.callbacks.append(_Relay(self, i))
            self.lanes.append(Lane(label, arena, lane_colour(i), extras=extras))
        # Two tracks fill the panel one above the other; else lanes go in a square grid.
        two_tracks = split_scene_key(scene_name)[0] == "cartpole" and len(brains) == 2
        self.lane_columns: int | None = 1 if two_tracks else None
        self.scene = self.lanes[0].arena.scene
        self.spec = self.scene.spec

    @property
    def title(self) -> str:
        return f"{self.scene_name}: {len(self.lanes)} brains racing"

    def tick(self) -> None:
        for lane in self.lanes:
            if lane.showcase is not None:
                lane.showcase.tick()
                continue
            if lane.done:
                continue
            lane.arena.tick()
            if lane.arena.finished(self.budget):
                lane.done = True
                if self.showcase:
                    lane.showcase = ShowcaseArena(self.scene_name, lane.arena.brain, self.seed)
                self.metrics.version += 1

    @property
    def all_done(self) -> bool:
        return all(lane.done for lane in self.lanes)

    def finished(self, budget: Budget) -> bool:
        return self.all_done

    def has_learned(self) -> bool:
        return False

    def progress_tag(self) -> str:
        return ""

    def hud(self) -> list[tuple[str, str]]:
        solved = sum(lane.arena.metrics.solved for lane in self.lanes)
        steps = sum(lane.arena.metrics.env_steps for lane in self.lanes)
        return [
            ("Brains", str(len(self.lanes))),
            ("Solved", f"{solved}/{len(self.lanes)}"),
            ("Steps, all lanes", f"{steps:,}"),
        ]

    def charts(self) -> list[ChartSpec]:
        # Evolvers race on fitness, the others on return (or steps): with both in the race,
        # fitness gets its own axis on the right.
        evolving = [getattr(lane.arena.brain, "kind", "") == "evolver" for lane in self.lanes]
        mixed = any(evolving) and not all(evolving)
        lines = tuple(
            (f"lane{i}", lane.label, lane.colour, "right" if mixed and evolving[i] else "left")
            for i, lane in enumerate(self.lanes)
        )
        checks = tuple((f"check{i}", lane.label, lane.colour) for i, lane in enumerate(self.lanes))
        if mixed:
            title = "Return per episode, or best fitness per generation"
        else:  # the chart, and its note while it waits, name what the race is on
            title = "Best fitness per generation" if evolving[0] else "Mean return per episode"
        title = getattr(self.lanes[0].arena, "race_title", title)
        others = [lane.arena for lane, e in zip(self.lanes, evolving, strict=True) if not e]
        steps = others and getattr(others[0], "race_series", "") == "episode_steps"
        names = ("steps per episode" if steps else "mean return", "best fitness")
        # Evolvers are checked only once they score enough in training, which can take long.
        rule = self.lanes[0].arena.rule
        waiting = (
            f"waiting for the first check, made once a generation's best scores "
            f"{rule.threshold:g} {self.spec.score_name}"
            if all(evolving)
            else ""
        )
        return [
            ChartSpec(title, "environment steps", lines, y_names=names if mixed else ("", "")),
            ChartSpec(
                f"Greedy policy, {self.lanes[0].arena.check_words()}",
                "environment steps",
                checks,
                waiting=waiting,
            ),
        ]

    def highlight(self) -> int | None:
        return None

    def results(self) -> list[list[str]]:
        """The results table: one row per lane."""
        rows = []
        for lane in self.lanes:
            m = lane.arena.metrics
            at = m.solved_at or {}
            rows.append(
                [
                    lane.label,
                    "yes" if m.solved else "no",
                    f"{at['env_steps']:,}" if at else "-",
                    f"{at['episodes']:,}" if at else "-",
                    f"{at['seconds']:.2f}" if at else "-",
                    "-" if m.eval_score is None else f"{m.eval_score:.0f}",
                ]
            )
        return rows

    RESULT_HEADERS = ["brain", "solved", "steps to solve", "episodes", "seconds", "last check"]

    def save_best(self, root: Path) -> Path:
        raise RuntimeError("a race saves nothing; train a brain to keep it")


def summarise(results: list[dict]) -> list[list[str]]:
    """Table rows per brain over seeds: fraction solved, then median [min-max] of the
    steps, episodes and seconds that solving took."""

    def spread(values: list[float], fmt: str) -> str:
        if not values:
            return "-"
        low, middle, high = (
            fmt.format(v) for v in (min(values), statistics.median(values), max(values))
        )
        return f"{middle} [{low}-{high}]"

    rows = []
    for brain in dict.fromkeys(r["brain"] for r in results):
        runs = [r for r in results if r["brain"] == brain]
        solved = [r for r in runs if r["solved"]]
        rows.append(
            [
                brain,
                f"{len(solved)}/{len(runs)}",
                spread([r["env_steps"] for r in solved], "{:,.0f}"),
                spread([r["episodes"] for r in solved], "{:,.0f}"),
                spread([r["wall_seconds"] for r in solved], "{:.2f}"),
            ]
        )
    return rows


SUMMARY_HEADERS = ["brain", "solved", "env steps to solve", "episodes", "seconds"]


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    cells = [headers] + rows
    widths = [max(len(str(row[i])) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
