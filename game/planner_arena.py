"""Planners in play: think, then act, then step (see /work/shared planner protocol).

Each tick the planner first thinks; while it is still planning the tick ends there, so the
window draws and comes back. Once it has decided, its agents act and the scene steps, with
the same episode bookkeeping as the other arenas.

What the planner is given (`attach`) depends on what it plans in: a brain with
`wants_tables = True` (dynamic programming) gets the scene's transition and reward
tables, attached again whenever a changing maze changes; any other planner (tree search)
gets the live scene itself, to snapshot and restore.

Pacing: in the window, a brain with `paced = True` thinks one step (one sweep) every
ANIMATE_EVERY ticks, or one sweep per press of N in step mode (C switches). A sweep carries
the values one cell further from the goal, so at 1x the front moves SWEEPS_PER_SECOND
cells a second, a pace the eye can follow, unless that would take longer than
SPREAD_SECONDS to cross the map (a big maze sweeps faster). Once the front has crossed
the map (again after a maze changes), the remaining sweeps only refine the values and run
every TAIL_EVERY ticks. The speed keys multiply the ticks, and so the sweeps. Other
planners think for THINK_SECONDS each tick, which keeps every frame short. Headless,
planners think in long slices, as fast as they can.

"Solved" and `eval_score` mean what they mean for every other brain: the scene's rule on
`rule.episodes` fresh episodes, and that check's mean. How a planner is checked, cheaply:
- Dynamic programming acts by a fixed table once planned, so its champion (that table) gets
  the learners' own greedy check (game/evaluation.py), once per plan, when planning ends.
- A tree search explores nothing on purpose: every move it plays is its best, as in a
  check, and every episode is a fresh one. So on CartPole and Flappy Bird (whose
  training episodes are drawn as their checks are) each `rule.episodes` episodes it
  plays, one block after another, are a check. A run that ends before a block is full,
  with no check yet, has its block completed by fresh episodes from the EVALUATION
  stream, played by a copy of the planner in a scene of its own (PlannerCheck):
  training is the same with or without them.
- On a gridworld a check starts from every start in the maze's final form, which the
  episodes played (random starts, the first form) do not: a block of them that passes
  the rule only calls for a check, a PlannerCheck of `rule.episodes` fresh episodes, as
  a good generation calls for an evolver's; and a run that ends unchecked is checked.
A PlannerCheck thinks in slices, as training does, so the window keeps drawing.
"""

from __future__ import annotations

import copy
import math
import time
from collections import deque

import numpy as np

from brains.base import Planner
from game.arena import Arena, Budget, ChartSpec
from game.colours import BLUE, GOLD, GREEN, PINK
from game.evaluation import EVALUATION, TRAINING, Verdict, episode_seed
from game.scenes import SolveRule, make_scene


class PlayedCheck:
    """A check made of episodes the planner played: the scores and the rule's verdict, as
    an Evaluation gives them."""

    done = True

    def __init__(self, scores: list[float], rule: SolveRule) -> None:
        self.scores = np.array(scores, dtype=np.float64)
        self.rule = rule

    @property
    def episodes_done(self) -> int:
        return len(self.scores)

    @property
    def score(self) -> float:
        return float(self.scores.mean())

    @property
    def solved(self) -> bool:
        return len(self.scores) == self.rule.episodes and self.rule.judge(self.scores)


class PlannerCheck(Verdict):
    """A planner that plans in the scene itself plays fresh episodes in a check scene of
    its own (independent episodes, every start of a maze, as Evaluation's), judged with
    the scores of episodes it already played (`played`). Each advance() thinks for at
    most about `seconds`, so the window keeps drawing. A copy of the planner plays them:
    its generator and whatever it keeps from move to move stay as they were, so what it
    does in training is the same with or without checks."""

    def __init__(
        self,
        scene_name: str,
        planner: Planner,
        seed: int,
        rule: SolveRule,
        played: list[float],
        seconds: float,
    ) -> None:
        self.planner, self.rule, self.seconds = copy.deepcopy(planner), rule, seconds
        self.played = np.array(played, dtype=np.float64)
        fresh = rule.episodes - len(played)
        assert fresh > 0, "a check of played episodes alone is a PlayedCheck"
        self.scene = make_scene(scene_name, fresh, capped=True, independent=True)
        self.scene.reset(seed)
        self.planner.attach(self.scene)

    @property
    def done(self) -> bool:
        return self.scene.all_done

    @property
    def episodes_done(self) -> int:
        return len(self.played) + int(np.count_nonzero(~self.scene.alive))

    def advance(self, max_ticks: int, seconds: float = math.inf) -> bool:
        """Think and play up to `max_ticks` moves within about its `seconds` (or the
        caller's, if fewer); True once every episode is over."""
        scene, planner = self.scene, self.planner
        deadline = time.perf_counter() + min(self.seconds, seconds)
        for _ in range(max_ticks):
            if scene.all_done:
                break
            if not planner.think(max(deadline - time.perf_counter(), 0.0)):
                break  # out of time for this slice: the next call goes on thinking
            scene.step(planner.act(scene.observe()))
            if time.perf_counter() >= deadline:
                break
        return scene.all_done

    def finish(self) -> None:
        self.seconds = math.inf
        while not self.advance(10_000):
            pass

    @property
    def scores(self) -> np.ndarray:
        return np.concatenate([self.played, self.scene.scores.astype(np.float64)])


class PlannerArena(Arena):
    THINK_SECONDS = 0.004  # per tick in the window: frames stay short
    HEADLESS_THINK_SECONDS = 0.05
    WINDOW_TICKS_PER_SECOND = 60  # the window's ticks per second at 1x (game/app.py)
    SWEEPS_PER_SECOND = 4.0  # at 1x, while the values spread
    SPREAD_SECONDS = 12.0  # ... unless crossing the map would take longer than this
    ANIMATE_EVERY = 15  # ticks per sweep while the values spread; set per map in __init__
    TAIL_EVERY = 2  # ticks per sweep once they have crossed the map
    AVERAGE_OVER = 100

    def __init__(self, scene_name: str, brain: Planner, seed: int, **kwargs) -> None:
        super().__init__(scene_name, brain, seed, getattr(brain, "population_size", 1), **kwargs)
        self.brain: Planner = brain
        self._paced = bool(getattr(brain, "paced", False))
        self.headless = False
        self.stepping = False  # the window's step mode: think once per press of N
        self._step_requests = 0
        self._ticks = 0
        self._decided = False
        self._thought = False
        self._restarts = 0
        self._played: list[float] = []  # scores of the block of episodes under way
        self._checked = False  # has the current plan had a check?
        # Are the episodes played drawn as a check's are? Not a maze's (see the top).
        self._played_is_check = not self.scene.spec.one_hot
        self._recent: deque[float] = deque(maxlen=self.AVERAGE_OVER)
        self._score_sum = 0.0
        self._sweeps_seen = 0
        self._restart_scene()
        self._tables = bool(getattr(brain, "wants_tables", False))
        self._layout_version = getattr(self.scene, "layout_version", 0)
        self._span = self._front_span()
        self._attach()
        rate = max(self.SWEEPS_PER_SECOND, self._span / self.SPREAD_SECONDS)
        self.ANIMATE_EVERY = max(1, round(self.WINDOW_TICKS_PER_SECOND / rate))
        if self.scene.spec.one_hot:  # a gridworld: races chart steps per episode
            self.race_series, self.race_title = "episode_steps", "Steps per episode"
        # Stepping is for planners that sweep (dynamic programming); a tree search just plays.
        self.keys: tuple[tuple[str, str], ...] = (
            (("N", "next sweep"), ("C", "step / continuous")) if self._paced else ()
        )

    def _attach(self) -> None:
        if self._tables:
            self.brain.attach(self.scene.tabular_model())  # type: ignore[attr-defined]
        else:
            self.brain.attach(self.scene)
        # The values spread again, at the pace the eye follows, after a maze changes too.
        self._spread_until = getattr(self.brain, "sweeps", 0) + self._span
        self._decided = False
        self._played = []
        self._checked = False  # a new plan, to be checked afresh

    def _front_span(self) -> int:
        """Sweeps the values take to reach every cell: the most moves from any cell to a
        goal, in any form of the maze (one sweep per move). Without a map, a few."""
        layouts = getattr(self.scene, "layouts", ())
        spans = [int(layout.distance.max()) for layout in layouts]
        return max(spans) + 1 if spans else 10

    def _restart_scene(self) -> None:
        self.scene.reset(episode_seed(self.seed, TRAINING, self._restarts))
        self._restarts += 1

    # -- thinking ------------------------------------------------------------------------

    def run(self, budget: Budget) -> None:
        self.headless = True
        super().run(budget)

    def _think(self) -> bool:
        brain = self.brain
        paced = bool(getattr(brain, "paced", False))
        if self.headless:
            decided = brain.think(self.HEADLESS_THINK_SECONDS)
        elif paced and self._decided:
            decided = brain.think(0.0)  # planning is done; this returns at once
        elif self.stepping:
            if not self._step_requests:
                return False
            self._step_requests -= 1
            decided = brain.think(0.0)
        elif paced:
            self._ticks += 1
            spreading = getattr(brain, "sweeps", 0) < self._spread_until
            if self._ticks % (self.ANIMATE_EVERY if spreading else self.TAIL_EVERY):
                return False
            decided = brain.think(0.0)
        else:
            decided = brain.think(self.THINK_SECONDS)
        self._thought = True
        self._decided = decided
        self._record_sweeps()
        return decided

    def _record_sweeps(self) -> None:
        sweeps = getattr(self.brain, "sweeps", None)
        if sweeps is None or sweeps == self._sweeps_seen:
            return
        self._sweeps_seen = sweeps
        delta = getattr(self.brain, "delta", math.inf)
        if math.isfinite(delta):
            # A log scale: the changes shrink geometrically, and the chart should show it.
            self.metrics.record("delta", sweeps, math.log10(max(delta, 1e-12)))

    def handle_key(self, key: str) -> bool:
        """The window's keys: N thinks once (one sweep) in step mode, C switches modes."""
        if not self._paced:
            return False
        if key == "n":
            self.stepping = True
            self._step_requests += 1
            return True
        if key == "c":
            self.stepping = not self.stepping
            self._step_requests = 0
            return True
        return False

    # -- acting --------------------------------------------------------------------------

    def train_tick(self) -> None:
        if not self._think():
            return
        scene, metrics = self.scene, self.metrics
        playing = scene.alive.copy()
        actions = self.brain.act(scene.observe())
        if not getattr(self.brain, "paced", False):
            self._decided = False  # a tree search thinks afresh for every move
        _, terminated, truncated = scene.step(actions)
        metrics.env_steps += int(np.count_nonzero(playing))
        ended = terminated | truncated
        if ended.any():
            self._episodes_ended(ended)
        if hasattr(scene, "reset_agents"):
            scene.reset_agents(ended)
        elif scene.all_done:
            self._restart_scene()
        if self._tables and self._decided and not self._checked and self.evaluation is None:
            self._checked = True  # planned: its table is the champion, checked once
            self.start_evaluation()
        version = getattr(scene, "layout_version", 0)
        if self._tables and version != self._layout_version:
            self._layout_version = version
            self._attach()  # the maze changed: plan again in the new tables

    def _episodes_ended(self, ended: np.ndarray) -> None:
        scene, metrics = self.scene, self.metrics
        scores = scene.scores[ended].astype(np.float64)
        metrics.episode_scores(scores)
        for steps in scene.steps[ended]:
            metrics.record("episode_steps", metrics.episodes, float(steps))
        for score, value in zip(scores, scene.returns[ended], strict=True):
            self._recent.append(float(value))
            self._played.append(float(score))
            self._score_sum += float(score)
            metrics.record("return", metrics.env_steps, float(value))
            metrics.record("return_average", metrics.env_steps, float(np.mean(self._recent)))
            metrics.record("score", metrics.episodes, float(score))
            if len(self._played) == self.rule.episodes:
                self._block_played()
        metrics.record("mean_score", metrics.episodes, self.mean_score)
        agents = np.flatnonzero(ended)
        for callback in self.callbacks:
            callback.on_agents_done(self, agents)
            callback.on_episodes_end(self, len(agents))

    @property
    def mean_score(self) -> float | None:
        """The mean score of every episode played (not a check: see eval_score)."""
        episodes = self.metrics.episodes
        return self._score_sum / episodes if episodes else None

    # -- checks ----------------------------------------------------------------------------

    def _block_played(self) -> None:
        """`rule.episodes` episodes played since the last block: a check, or a call for one."""
        block, self._played = self._played, []
        if not self.checks or self._tables or self.evaluation is not None:
            return  # a table is checked when planned; a check under way is enough
        if self._played_is_check:
            self.evaluation = PlayedCheck(block, self.rule)
            self._finish_evaluation()
        elif self.rule.judge(np.array(block)):
            self._start_planner_check([])

    def _start_planner_check(self, played: list[float]) -> None:
        seed = episode_seed(self.seed, EVALUATION, self._evaluations)
        self._evaluations += 1
        seconds = self.HEADLESS_THINK_SECONDS if self.headless else self.THINK_SECONDS
        self.evaluation = PlannerCheck(
            self.scene_name, self.brain, seed, self.rule, played, seconds
        )

    def _finish_evaluation(self) -> None:
        super()._finish_evaluation()
        self._checked = True

    # -- what the window and the results show --------------------------------------------

    def check_pending(self) -> bool:
        owed = not self._checked and self.checks and self._thought
        return self.evaluation is not None or owed

    def evaluate_champion(self) -> None:
        """Finish a check under way; else, if the plan has had none, check it now: a
        table greedily, a tree search on the block of episodes under way completed by
        fresh ones (on a maze, on fresh episodes alone)."""
        if self.evaluation is None and not self._checked and self.checks and self._thought:
            if self._tables:
                self.start_evaluation()
            else:
                played = self._played if self._played_is_check else []
                self._played = []
                self._start_planner_check(played)
        if self.evaluation is not None:
            self.evaluation.finish()
            self._finish_evaluation()

    def has_learned(self) -> bool:
        return self._thought

    def chart_x(self) -> float:
        return self.metrics.episodes

    def progress_tag(self) -> str:
        return f"ep{self.metrics.episodes}"

    def result_extras(self) -> dict:
        """Extra keys for the JSON line of `train`: a DP planner's final state values."""
        grid = getattr(self.brain, "values_grid", None)
        return {"values": grid()} if grid is not None else {}

    def hud(self) -> list[tuple[str, str]]:
        m = self.metrics
        mode = "step (N)" if self.stepping else "continuous"
        if self._decided and getattr(self.brain, "paced", False):
            mode = "done, walking"
        mean = "-" if self.mean_score is None else f"{self.mean_score:.0f}"
        status = getattr(self.brain, "status", lambda: [])()
        checks = self.check_status()
        if m.solved_at and self.evaluation is None:
            checks = [("Solved", f"episode {m.solved_at['episodes']}")]
        return [
            *status,
            ("Mode", mode),
            ("Episodes", f"{m.episodes:,}"),
            ("Mean score", mean),
            *checks,
        ]

    def charts(self) -> list[ChartSpec]:
        unit, word = self.scene.spec.score_name, self.scene.spec.episode_name
        charts = [
            ChartSpec(
                f"Score per episode ({unit})",
                "episode",
                (
                    ("score", "score", BLUE),
                    ("mean_score", "mean so far", GREEN),
                    ("eval_score", f"check ({self.rule.episodes} {word}s)", PINK),
                ),
            )
        ]
        if hasattr(self.brain, "sweeps"):
            charts.insert(
                0,
                ChartSpec(
                    "Largest value change per sweep (log10)",
                    "sweep",
                    (("delta", "log10 largest change", GOLD),),
                ),
            )
        return charts

    def highlight(self) -> int | None:
        return 0 if self.scene.alive[0] else None
