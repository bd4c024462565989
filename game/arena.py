"""One experiment: a scene, a brain, and the loop that feeds one to the other.

The arena advances the simulation in fixed ticks and knows nothing of frames: the window
calls `tick()` as often as its speed setting allows, a headless run calls it as fast as
it can, and both see the same generations for the same seed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from brains.base import BrainShape, Evolver, Policy
from brains.storage import save_brain, unique_directory
from game.evaluation import EVALUATION, TRAINING, Evaluation, episode_seed
from game.metrics import Metrics
from game.scenes import make_scene


@dataclass(frozen=True)
class ChartSpec:
    """A chart in the window: which series, how labelled, in which colours (RGB)."""

    title: str
    x_label: str
    lines: tuple[tuple[str, str, tuple[int, int, int]], ...]  # (series, legend, colour)


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

    def on_generation_end(self, arena: EvolutionArena) -> None: ...

    def on_evaluation_end(self, arena: EvolutionArena, evaluation: Evaluation) -> None: ...


def brain_shape(scene_name: str) -> BrainShape:
    spec = make_scene(scene_name, 1).spec
    return BrainShape(spec.obs_dim, spec.n_actions, spec.name)


class EvolutionArena:
    """A population of agents, one per member of an Evolver's population, generation by
    generation on a fresh course each time (so champions generalise), with the champion
    checked on unseen courses whenever it reaches the solve threshold in training."""

    EVALUATION_SLICE = 1_000  # evaluation ticks per call of tick(), to keep frames short
    can_save = True

    def __init__(
        self,
        scene_name: str,
        brain: Evolver,
        seed: int,
        callbacks: tuple[Callback, ...] = (),
        brain_text: str | None = None,
    ) -> None:
        self.scene_name = scene_name
        self.brain = brain
        self.brain_text = brain_text or brain.name  # as the user wrote it, settings included
        self.seed = seed
        self.scene = make_scene(scene_name, brain.population_size, capped=True)
        self.rule = self.scene.solve_rule
        self.metrics = Metrics()
        self.callbacks = list(callbacks)
        self.evaluation: Evaluation | None = None
        self.last_generation_best_score = 0.0
        self._policy: Policy | None = None
        self._evaluations = 0
        self._champion_evaluated = False  # has the current champion had a greedy evaluation?

    @property
    def title(self) -> str:
        return f"{self.scene.spec.name}: {self.brain.describe()}"

    @property
    def generation(self) -> int:
        """The generation now playing (1 for the first)."""
        return self.metrics.generations + 1

    def tick(self) -> None:
        """One tick of training, or one slice of a pending evaluation."""
        if self.evaluation is not None:
            if self.evaluation.advance(self.EVALUATION_SLICE):
                self._finish_evaluation()
            return
        if self._policy is None:
            self._policy = self.brain.ask()
            self.scene.reset(episode_seed(self.seed, TRAINING, self.metrics.generations))
        scene = self.scene
        living = int(np.count_nonzero(scene.alive))
        _, terminated, truncated = scene.step(self._policy.act(scene.observe()))
        self.metrics.env_steps += living
        ended = terminated | truncated
        if ended.any():
            self.metrics.episode_scores(scene.scores[ended])
        if scene.all_done:
            self._end_generation()

    def finished(self, budget: Budget) -> bool:
        # A pending evaluation may still decide "solved": let it finish first.
        return self.evaluation is None and budget.reached(self.metrics)

    def run(self, budget: Budget) -> None:
        """Train headless until the budget is reached (Ctrl-C propagates to the caller)."""
        while not self.finished(budget):
            self.tick()

    def _end_generation(self) -> None:
        scene, metrics = self.scene, self.metrics
        fitness = scene.returns.copy()
        self.brain.tell(fitness)
        self._policy = None
        self._champion_evaluated = False
        metrics.generations += 1
        g = metrics.generations
        self.last_generation_best_score = float(scene.scores.max())
        metrics.record("best_fitness", g, float(fitness.max()), reduce="max")
        metrics.record("mean_fitness", g, float(fitness.mean()))
        metrics.record("best_score", g, self.last_generation_best_score, reduce="max")
        metrics.record("mean_score", g, float(scene.scores.mean()))
        for callback in self.callbacks:
            callback.on_generation_end(self)
        if self.last_generation_best_score >= self.rule.threshold:
            self.evaluation = self._new_evaluation()

    def _new_evaluation(self) -> Evaluation:
        seed = episode_seed(self.seed, EVALUATION, self._evaluations)
        self._evaluations += 1
        return Evaluation(self.scene_name, self.brain.champion(), seed, self.rule)

    def _finish_evaluation(self) -> None:
        evaluation, metrics = self.evaluation, self.metrics
        assert evaluation is not None
        self.evaluation = None
        self._champion_evaluated = True
        metrics.eval_score = evaluation.mean
        metrics.record("eval_score", metrics.generations, evaluation.mean)
        if evaluation.solved and not metrics.solved:
            metrics.solved = True
            metrics.solved_at = {
                "generation": metrics.generations,
                "env_steps": metrics.env_steps,
                "seconds": round(metrics.seconds(), 2),
            }
        for callback in self.callbacks:
            callback.on_evaluation_end(self, evaluation)

    def evaluate_champion(self) -> None:
        """Finish any pending evaluation; make one if the champion has not had one."""
        if self.evaluation is None and not self._champion_evaluated and self.metrics.generations:
            self.evaluation = self._new_evaluation()
        if self.evaluation is not None:
            self.evaluation.finish()
            self._finish_evaluation()

    # -- what the window and the command line ask of a run ---------------------------

    def hud(self) -> list[tuple[str, str]]:
        m = self.metrics
        alive = int(np.count_nonzero(self.scene.alive))
        items = [
            ("Generation", str(self.generation)),
            ("Alive", f"{alive}/{self.scene.n}"),
            ("Score", str(int(self.scene.scores.max()))),
            ("Best", "-" if m.best_score is None else f"{m.best_score:g}"),
        ]
        if self.evaluation is not None:
            done = self.evaluation.episodes_done
            word = self.scene.spec.episode_name
            items.append(("Checking champion", f"{done}/{self.rule.episodes} {word}s done"))
        elif m.solved and m.solved_at:
            items.append(("Solved", f"gen {m.solved_at['generation']}"))
        elif m.eval_score is not None:
            items.append(("Last check", f"{m.eval_score:.0f} {self.scene.spec.score_name}"))
        return items

    def charts(self) -> list[ChartSpec]:
        unit = self.scene.spec.score_name
        return [
            ChartSpec(
                "Fitness per generation",
                "generation",
                (("best_fitness", "best", (255, 196, 0)), ("mean_fitness", "mean", (90, 170, 255))),
            ),
            ChartSpec(
                f"{unit.capitalize()} per generation",
                "generation",
                (
                    ("best_score", f"best {unit}", (120, 220, 120)),
                    (
                        "eval_score",
                        f"champion, fresh {self.scene.spec.episode_name}s",
                        (240, 110, 160),
                    ),
                ),
            ),
        ]

    def highlight(self) -> int | None:
        """The agent to draw on top: the living one ranked best last generation (row 0 is
        the reigning champion, rows are kept in rank order)."""
        living = np.flatnonzero(self.scene.alive)
        return int(living[0]) if len(living) else None

    def save_best(self, root: Path) -> Path:
        stem = f"{self.scene_name}-{self.brain.name}-seed{self.seed}-gen{self.metrics.generations}"
        stamp = time.strftime("%Y%m%d-%H%M%S")
        return save_brain(self.brain, unique_directory(Path(root), f"{stem}-{stamp}"))
