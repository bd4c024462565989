"""One experiment: a scene, a brain, and the loop that feeds one to the other.

The arena advances the simulation in fixed ticks and knows nothing of frames: the window
calls `tick()` as often as its speed setting allows, a headless run calls it as fast as
it can, and both see the same run for the same seed.

Evolvers learn between generations (EvolutionArena); learners learn every tick
(LearnerArena). Both check their champion greedily on fresh episodes, a slice of ticks
at a time, and decide "solved" by the scene's rule.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from brains.base import Brain, BrainShape, Evolver, Learner, Policy, Transitions
from brains.storage import save_brain, save_brain_into, unique_directory
from game import colours
from game.colours import BLUE, GOLD, GREEN, PINK, Colour
from game.evaluation import (
    EVALUATION,
    TRAINING,
    Evaluation,
    check_words,
    episode_seed,
    reports_worst,
)
from game.metrics import Metrics
from game.scenes import make_scene, saved_scene_meta, split_scene_key
from game.scenes.gridmap import map_label


@dataclass(frozen=True)
class ChartSpec:
    """A chart in the window: which series, how labelled, in which colours (RGB)."""

    title: str
    x_label: str
    # (series, legend, colour), or with a 4th element "right" for a line in other units,
    # drawn against its own axis on the right
    lines: tuple[tuple[str, str, Colour] | tuple[str, str, Colour, str], ...]
    kind: str = "line"  # "stacked": lines[0] names a Metrics stack (sizes of members)
    y_names: tuple[str, str] = ("", "")  # the left and right axes' units, on a two-axis chart
    waiting: str = ""  # the note while nothing is plotted, if not the one the chart derives


@dataclass(frozen=True)
class Budget:
    """When a run stops; None means no limit of that kind."""

    max_generations: int | None = None
    max_episodes: int | None = None
    max_steps: int | None = None
    until_solved: bool = False

    def reached(self, metrics: Metrics) -> bool:
        return (
            (self.until_solved and metrics.solved)
            or (self.max_generations is not None and metrics.generations >= self.max_generations)
            or (self.max_episodes is not None and metrics.episodes >= self.max_episodes)
            or (self.max_steps is not None and metrics.env_steps >= self.max_steps)
        )

    @property
    def unlimited(self) -> bool:
        return self == Budget()


class Callback:
    """Watches a run (progress bars, logs); every hook is optional."""

    def on_generation_end(self, arena: Arena) -> None: ...

    def on_episodes_end(self, arena: Arena, count: int) -> None: ...

    def on_agents_done(self, arena: Arena, agents: np.ndarray) -> None:
        """The agents (indices into the scene) whose episodes ended this tick, in every
        kind of arena, told while the scene's `steps` and `returns` still hold them."""

    def on_evaluation_end(self, arena: Arena, evaluation: Evaluation) -> None: ...


def brain_shape(scene_name: str) -> BrainShape:
    spec = make_scene(scene_name, 1).spec
    # The scene key (with its map, for a gridworld) is what a saved brain is watched on.
    return BrainShape(
        spec.obs_dim,
        spec.n_actions,
        scene_name,
        spec.obs_low,
        spec.obs_high,
        spec.one_hot,
        spec.mirror_signs,
        spec.mirror_actions,
        spec.reward_range,
        spec.brain_settings,
        spec.copyable,
    )


class Arena:
    """What every arena shares: counters, greedy checks of the champion, saving."""

    # A check plays in slices, one per call of tick(), so a window's frames stay short:
    # at most this many ticks or this many seconds, whichever comes first.
    EVALUATION_SLICE = 1_000
    EVALUATION_SECONDS = 0.004
    can_save = True

    def __init__(
        self,
        scene_name: str,
        brain: Brain,
        seed: int,
        agents: int,
        callbacks: tuple[Callback, ...] = (),
        brain_text: str | None = None,
        checks: bool = True,
    ) -> None:
        self.scene_name = scene_name
        self.brain = brain
        self.brain_text = brain_text or brain.name  # as the user wrote it, settings included
        self.seed = seed
        self.scene = make_scene(scene_name, agents, capped=True)
        self.rule = self.scene.solve_rule
        self.metrics = Metrics()
        self.callbacks = list(callbacks)
        self.evaluation: Evaluation | None = None
        # Off in a figure's runs, which chart training alone and never stop at a solve.
        self.checks = checks
        self._evaluations = 0
        self._champion_evaluated = False  # has the champion had a check since it last changed?

    @property
    def title(self) -> str:
        return f"{self.scene.spec.name}: {self.brain.describe()}"

    def tick(self) -> None:
        """One tick of training, or one slice of a pending evaluation."""
        start = time.perf_counter()
        if self.evaluation is not None:
            if self.evaluation.advance(self.EVALUATION_SLICE, self.EVALUATION_SECONDS):
                self._finish_evaluation()
            self.metrics.checking += time.perf_counter() - start
        else:
            self.train_tick()
        self.metrics.busy += time.perf_counter() - start

    def train_tick(self) -> None:
        raise NotImplementedError

    def finished(self, budget: Budget) -> bool:
        # A pending evaluation may still decide "solved": let it finish first.
        return self.evaluation is None and budget.reached(self.metrics)

    def run(self, budget: Budget) -> None:
        """Train headless until the budget is reached (Ctrl-C propagates to the caller)."""
        while not self.finished(budget):
            self.tick()

    def start_evaluation(self) -> None:
        if not self.checks:
            return
        seed = episode_seed(self.seed, EVALUATION, self._evaluations)
        self._evaluations += 1
        self.evaluation = Evaluation(self.scene_name, self.brain.champion(), seed, self.rule)

    def _finish_evaluation(self) -> None:
        evaluation, metrics = self.evaluation, self.metrics
        assert evaluation is not None
        self.evaluation = None
        self._champion_evaluated = True
        metrics.eval_score = evaluation.score
        metrics.record("eval_score", self.chart_x(), evaluation.score)
        if evaluation.solved and not metrics.solved:
            metrics.solved = True
            metrics.solved_at = {
                "generation": metrics.generations,
                "episodes": metrics.episodes,
                "env_steps": metrics.env_steps,
                # Time in this run's own ticks: the same as wall time for a run alone,
                # and still fair when several race in one window.
                "seconds": round(metrics.busy, 2),
                "training_seconds": round(metrics.busy - metrics.checking, 2),
            }
        for callback in self.callbacks:
            callback.on_evaluation_end(self, evaluation)

    def check_pending(self) -> bool:
        """Would `evaluate_champion` play episodes (a check under way, or one owed)?"""
        owed = not self._champion_evaluated and self.has_learned() and self.checks
        return self.evaluation is not None or owed

    def evaluate_champion(self) -> None:
        """Finish any pending evaluation; make one if the champion has not had one."""
        if self.evaluation is None and not self._champion_evaluated and self.has_learned():
            self.start_evaluation()
        if self.evaluation is not None:
            self.evaluation.finish()
            self._finish_evaluation()

    def has_learned(self) -> bool:
        """Has training changed the brain yet (is there anything worth saving)?"""
        raise NotImplementedError

    def chart_x(self) -> float:
        """Where on the charts' x axis the run is now."""
        raise NotImplementedError

    def progress_tag(self) -> str:
        """How far the run got, for names of saved brains: gen12, ep340."""
        raise NotImplementedError

    def run_stem(self) -> str:
        """The start of the names of this run's folders: scene (and map), brain, seed."""
        name, map_name = split_scene_key(self.scene_name)
        scene = f"{name}-{map_label(map_name)}" if map_name else name
        return f"{scene}-{self.brain.name}-seed{self.seed}"

    def save_best(self, root: Path) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        directory = unique_directory(Path(root), f"{self.run_stem()}-{self.progress_tag()}-{stamp}")
        return save_brain(self.brain, directory, saved_scene_meta(self.scene_name))

    def save_into(self, folder: Path) -> Path:
        """Save the brain into this run's own folder, beside its logs (`train`)."""
        return save_brain_into(self.brain, folder, saved_scene_meta(self.scene_name))

    def check_status(self) -> list[tuple[str, str]]:
        """The top bar's word on the champion's latest check."""
        m = self.metrics
        if self.evaluation is not None:
            done, word = self.evaluation.episodes_done, self.scene.spec.episode_name
            return [("Checking champion", f"{done}/{self.rule.episodes} {word}s done")]
        if m.solved and m.solved_at:
            if m.generations:
                return [("Solved", f"gen {m.solved_at['generation']}")]
            return [("Solved", f"{m.solved_at['env_steps']:,} steps")]
        if m.eval_score is not None:
            score = f"{m.eval_score:.0f} {self.scene.spec.score_name}"
            return [("Last check", score + self.worst_of())]
        return []

    def worst_of(self) -> str:
        """What labels add where a check reports its worst episode (Flappy): ", worst of 5"."""
        worst = reports_worst(self.scene, self.rule)
        return f", worst of {self.rule.episodes}" if worst else ""

    def check_words(self) -> str:
        """What a check's number is: "worst of 5 fresh courses", "fresh episodes"."""
        return check_words(self.scene, self.rule)


class EvolutionArena(Arena):
    """A population of agents, one per member of an Evolver's population, generation by
    generation on a fresh course each time (so champions generalise), with the champion
    checked on unseen courses whenever it reaches the solve threshold in training."""

    # Only the living are observed and run through their networks: late in a generation a
    # few birds of a thousand fly on. Off, every agent is (the same actions, more work).
    LIVING_ONLY = True

    def __init__(self, scene_name: str, brain: Evolver, seed: int, **kwargs) -> None:
        super().__init__(scene_name, brain, seed, brain.population_size, **kwargs)
        self.brain: Evolver = brain
        self.last_generation_best_score = 0.0
        self._policy: Policy | None = None
        self._subset: Callable[[np.ndarray], Policy] | None = None  # the policy's, if it has one
        # (the living agents, the policy of those alone), made again when one dies
        self._acting: tuple[np.ndarray, Policy] | None = None
        self._fitness: np.ndarray | None = None  # of a generation bred but not yet reported

    @property
    def generation(self) -> int:
        """The generation now playing (1 for the first)."""
        return self.metrics.generations + 1

    @property
    def between_generations(self) -> bool:
        """Has one generation ended (and its champion's check, if any) and the next not
        begun? The next tick starts it, on `next_course_seed`."""
        return self._policy is None and self.evaluation is None and self._fitness is None

    @property
    def next_course_seed(self) -> int:
        """The seed of the course the next generation to start will fly."""
        return episode_seed(self.seed, TRAINING, self.metrics.generations)

    def train_tick(self) -> None:
        if self._fitness is not None:  # the generation that ended last tick, reported
            self._report_generation()
        else:
            self._play(1)

    def _play(self, ticks: float, steps: float = math.inf, episodes: float = math.inf) -> None:
        """Play up to `ticks` ticks of the generation (starting one if none is under way),
        stopping early when it ends or when env_steps or episodes reach `steps` or
        `episodes`. The window plays one tick a call, a headless run a generation."""
        if self._policy is None:
            self._policy = self.brain.ask()
            self._subset = getattr(self._policy, "subset", None)
            self.scene.reset(self.next_course_seed)
            self._acting = None
        scene, m, actions = self.scene, self.metrics, self._actions
        while ticks > 0 and m.env_steps < steps and m.episodes < episodes:
            ticks -= 1
            living = scene.living()
            _, terminated, truncated = scene.step(actions(living))
            m.env_steps += len(living)
            # No agent starts again within a generation: episodes ended if the living shrank.
            if len(scene.living()) < len(living):
                ended = terminated | truncated
                m.episode_scores(scene.scores[ended])
                for callback in self.callbacks:
                    callback.on_agents_done(self, np.flatnonzero(ended))
                if scene.all_done:
                    self._end_generation()
                    return

    def finished(self, budget: Budget) -> bool:
        return self._fitness is None and super().finished(budget)  # reported, then done

    def run(self, budget: Budget) -> None:
        """Train headless until the budget is reached: a generation's ticks in one timed
        loop (`_play`), without the bookkeeping that `tick` and `finished` do every tick
        (a tenth of a tick of a few birds), the same ticks as `tick` plays."""
        steps = math.inf if budget.max_steps is None else budget.max_steps
        episodes = math.inf if budget.max_episodes is None else budget.max_episodes
        while not self.finished(budget):
            if self.evaluation is None and self._fitness is None:
                start = time.perf_counter()
                try:
                    self._play(math.inf, steps, episodes)
                finally:
                    self.metrics.busy += time.perf_counter() - start
            else:
                self.tick()

    def _actions(self, living: np.ndarray) -> np.ndarray:
        """Every agent's action, computed for the living alone. Within a generation agents
        only ever die, so the living are the same set until their number drops."""
        policy, scene, subset = self._policy, self.scene, self._subset
        assert policy is not None
        if not self.LIVING_ONLY or subset is None or len(living) == scene.n:
            return policy.act(scene.observe())
        if self._acting is None or len(self._acting[0]) != len(living):
            self._acting = (living, subset(living))
        chosen = self._acting[1].act(scene.observe(living))
        if getattr(scene, "steps_living", False):
            return chosen  # the scene takes the living's actions as they are
        actions = np.zeros(scene.n, dtype=np.int64)
        actions[living] = chosen
        return actions

    def _end_generation(self) -> None:
        """Breed, on the tick the last agent's episode ends. The generation is reported on
        the next tick (_report_generation): in the window breeding a thousand genomes and
        redrawing the charts then fall on two frames, not one."""
        self._fitness = self.scene.returns.copy()
        self.brain.tell(self._fitness)
        self._policy = None
        self._champion_evaluated = False

    def _report_generation(self) -> None:
        scene, metrics, fitness = self.scene, self.metrics, self._fitness
        assert fitness is not None
        self._fitness = None
        metrics.generations += 1
        g = metrics.generations
        self.last_generation_best_score = float(scene.scores.max())
        metrics.record("best_fitness", g, float(fitness.max()), reduce="max")
        metrics.record("mean_fitness", g, float(fitness.mean()))
        metrics.record("best_score", g, self.last_generation_best_score, reduce="max")
        metrics.record("mean_score", g, float(scene.scores.mean()))
        species = getattr(self.brain, "species_sizes", None)
        if species is not None:  # an evolver that speciates (NEAT): sizes after breeding
            metrics.record("species", g, len(species))
            metrics.record_stack("species_sizes", g, species)
        for callback in self.callbacks:
            callback.on_generation_end(self)
        if self.last_generation_best_score >= self.rule.threshold:
            self.start_evaluation()

    def _finish_evaluation(self) -> None:
        assert self.evaluation is not None
        # The champion was checked between generations, so it is still the brain's own.
        self.brain.checked(self.evaluation.score)
        super()._finish_evaluation()

    def has_learned(self) -> bool:
        return self.metrics.generations > 0

    def chart_x(self) -> float:
        return self.metrics.generations

    def progress_tag(self) -> str:
        return f"gen{self.metrics.generations}"

    def hud(self) -> list[tuple[str, str]]:
        m = self.metrics
        alive = int(np.count_nonzero(self.scene.alive))
        return [
            ("Generation", str(self.generation)),
            ("Alive", f"{alive}/{self.scene.n}"),
            ("Score", str(int(self.scene.scores.max()))),
            ("Best", "-" if m.best_score is None else f"{m.best_score:g}"),
            *self.check_status(),
        ]

    def charts(self) -> list[ChartSpec]:
        unit = self.scene.spec.score_name
        species = []
        if getattr(self.brain, "speciates", False):
            species = [
                ChartSpec(
                    "Species (sizes, stacked)",
                    "generation",
                    (("species_sizes", "one band per species", GOLD),),
                    kind="stacked",
                )
            ]
        return [
            ChartSpec(
                "Fitness per generation",
                "generation",
                (("best_fitness", "best", GOLD), ("mean_fitness", "mean", BLUE)),
            ),
            ChartSpec(
                f"{unit.capitalize()} per generation",
                "generation",
                (
                    ("best_score", f"best {unit}", GREEN),
                    ("eval_score", f"champion, {self.check_words()}", PINK),
                ),
            ),
            *species,
        ]

    def network(self) -> tuple[int, dict] | None:
        """(version, champion network as plain data) for brains that grow networks; the
        version changes whenever the champion does."""
        record = getattr(self.brain, "champion_record", None)
        if record is None or record() is None:
            return None
        return self.brain.champion_changes, record()

    def highlight(self) -> int | None:
        """The agent to draw on top: the living one ranked best last generation (row 0 is
        the reigning champion, rows are kept in rank order)."""
        living = np.flatnonzero(self.scene.alive)
        return int(living[0]) if len(living) else None


class LearnerArena(Arena):
    """A learner playing `population_size` agents at once, learning from every tick.
    Agents that finish start again at once where the scene allows it (CartPole's carts);
    otherwise the scene restarts when all are done (Flappy's shared course). The greedy
    policy is checked on fresh episodes every CHECK_EVERY environment steps, unless a
    subclass turns CHECKS_BY_STEPS off and checks at its own moments."""

    CHECK_EVERY = 2_000  # environment steps between greedy checks
    CHECKS_BY_STEPS = True
    DIAGNOSE_EVERY = 250  # environment steps between samples of the brain's diagnostics
    AVERAGE_OVER = 100  # episodes in the moving average of returns

    def __init__(self, scene_name: str, brain: Learner, seed: int, **kwargs) -> None:
        super().__init__(scene_name, brain, seed, brain.population_size, **kwargs)
        self.brain: Learner = brain
        self._observations: np.ndarray | None = None
        self._restarts = 0
        self._recent: deque[float] = deque(maxlen=self.AVERAGE_OVER)
        self._next_check = self.CHECK_EVERY
        self._next_diagnosis = 0

    def train_tick(self) -> None:
        scene, metrics = self.scene, self.metrics
        if self._observations is None:
            self._restart_scene()
        obs = self._observations
        playing = scene.alive.copy()
        actions = self.brain.act(obs)
        rewards, terminated, truncated = scene.step(actions)
        next_obs = scene.observe()
        self.brain.observe(
            Transitions(
                obs[playing],
                actions[playing],
                rewards[playing],
                next_obs[playing],
                terminated[playing],
                truncated[playing],
                np.flatnonzero(playing),
            )
        )
        metrics.env_steps += int(np.count_nonzero(playing))
        self._champion_evaluated = False
        ended = terminated | truncated
        if ended.any():
            self._episodes_ended(ended)
        if hasattr(scene, "reset_agents"):
            scene.reset_agents(ended)
            next_obs = scene.observe()
        elif scene.all_done:
            self._restart_scene()
            next_obs = self._observations
        self._observations = next_obs
        if metrics.env_steps >= self._next_diagnosis:
            self._next_diagnosis = metrics.env_steps + self.DIAGNOSE_EVERY
            for key, value in self.brain.diagnostics().items():
                metrics.record(key, metrics.env_steps, value)
        if self.CHECKS_BY_STEPS and metrics.env_steps >= self._next_check:
            self._next_check = (metrics.env_steps // self.CHECK_EVERY + 1) * self.CHECK_EVERY
            self.start_evaluation()

    def _finish_evaluation(self) -> None:
        assert self.evaluation is not None
        self.brain.checked(self.evaluation.score)  # before callbacks that may save it
        super()._finish_evaluation()

    def _restart_scene(self) -> None:
        self.scene.reset(episode_seed(self.seed, TRAINING, self._restarts))
        self._restarts += 1
        self._observations = self.scene.observe()

    def _episodes_ended(self, ended: np.ndarray) -> None:
        scene, metrics = self.scene, self.metrics
        metrics.episode_scores(scene.scores[ended])
        for value in scene.returns[ended]:
            self._recent.append(float(value))
            metrics.record("return", metrics.env_steps, float(value))
            metrics.record("return_average", metrics.env_steps, float(np.mean(self._recent)))
        count = int(np.count_nonzero(ended))
        self.brain.end_episodes(count)
        agents = np.flatnonzero(ended)
        for callback in self.callbacks:
            callback.on_agents_done(self, agents)
            callback.on_episodes_end(self, count)

    def has_learned(self) -> bool:
        return self.metrics.env_steps > 0

    def chart_x(self) -> float:
        return self.metrics.env_steps

    def progress_tag(self) -> str:
        return f"ep{self.metrics.episodes}"

    def hud(self) -> list[tuple[str, str]]:
        m = self.metrics
        average = f"{np.mean(self._recent):.0f}" if self._recent else "-"
        return [
            ("Episodes", f"{m.episodes:,}"),
            ("Steps", f"{m.env_steps:,}"),
            (f"Mean of last {self.AVERAGE_OVER}", average),
            *self.brain.status(),
            *self.check_status(),
        ]

    def charts(self) -> list[ChartSpec]:
        score = self.scene.spec.score_name
        # CartPole's return is its score (a point a step); elsewhere (Flappy's pipes) the
        # greedy check is in other units, on an axis of its own.
        check = ("eval_score", f"greedy check{self.worst_of()}", PINK)
        own_axis = score != "steps"
        returns = ChartSpec(
            "Return per episode",
            "environment steps",
            (
                ("return", "return", BLUE),
                ("return_average", f"mean of last {self.AVERAGE_OVER}", GOLD),
                (*check, "right") if own_axis else check,
            ),
            y_names=("return", f"check ({score})") if own_axis else ("", ""),
        )
        extra = [
            ChartSpec(
                title,
                "environment steps",
                # A chart of one line takes the next colour; lines of one chart differ.
                tuple(
                    (key, legend, colours.nth(i + 2 + j)) for j, (key, legend) in enumerate(lines)
                ),
            )
            for i, (title, lines) in enumerate(self.brain.diagnostic_charts())
        ]
        return [returns, *extra]

    def highlight(self) -> int | None:
        return 0 if self.scene.alive[0] else None
