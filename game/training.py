"""Headless training: the arena at full speed, a progress bar on stderr, one result dict."""

from __future__ import annotations

import sys
import time
from contextlib import nullcontext
from pathlib import Path

from tqdm import tqdm

from brains.base import Learner
from game.arena import Arena, Budget, Callback
from game.evaluation import Evaluation
from game.interrupts import second_interrupt_quits
from game.run_log import RunLog
from game.saving import save_or_rescue

RESULT_KEYS = (
    "scene",
    "brain",
    "seed",
    "solved",
    "generations",
    "episodes",
    "env_steps",
    "wall_seconds",
    "best_score",
    "eval_score",
    "saved_to",
)


class ProgressBar(Callback):
    """One bar step per generation (evolvers) or per episode (learners), with the latest
    scores beside it."""

    def __init__(self, arena: Arena, budget: Budget, enabled: bool) -> None:
        evolver = arena.brain.kind == "evolver"
        self.bar = tqdm(
            total=budget.max_generations if evolver else budget.max_episodes,
            unit="gen" if evolver else "ep",
            desc=f"{arena.scene_name} {arena.brain.name}",
            file=sys.stderr,
            disable=not enabled,
            dynamic_ncols=True,
        )

    def on_generation_end(self, arena: Arena) -> None:
        m = arena.metrics
        self.bar.update(1)
        self.bar.set_postfix(
            best=f"{arena.last_generation_best_score:g}",
            check="-" if m.eval_score is None else f"{m.eval_score:.0f}",
            steps=f"{m.env_steps:.3g}",
            refresh=False,
        )

    def on_episodes_end(self, arena: Arena, count: int) -> None:
        m = arena.metrics
        self.bar.update(count)
        self.bar.set_postfix(
            best="-" if m.best_score is None else f"{m.best_score:g}",
            check="-" if m.eval_score is None else f"{m.eval_score:.0f}",
            steps=f"{m.env_steps:.3g}",
            refresh=False,
        )

    def on_evaluation_end(self, arena: Arena, evaluation: Evaluation) -> None:
        if self.bar.disable:
            return
        verdict = "solved" if evaluation.solved else "not yet"
        word, unit = arena.scene.spec.episode_name, arena.scene.spec.score_name
        if getattr(evaluation, "worst_counts", False) and not evaluation.solved:
            # The check stopped there: the other courses were not flown to their end.
            below = f"{evaluation.rule.threshold:g}"
            scores = f"a {word} ended at {evaluation.score:g} {unit}, below {below}"
        else:
            scores = " ".join(f"{s:g}" for s in evaluation.scores)
        self.bar.write(
            f"champion after {arena.progress_tag()} on fresh {word}s: {scores} ({verdict})",
            file=sys.stderr,  # stdout is kept for the one JSON line
        )

    def close(self) -> None:
        self.bar.close()


def train(
    arena: Arena,
    budget: Budget,
    out: Path | None,
    progress: bool = True,
    logs: RunLog | None = None,
) -> dict:
    """Train until the budget (or Ctrl-C), save the champion under `out` (unless None),
    return the result line. With `logs`, the run's logs are written as it goes, and the
    champion is saved into their folder, the run's own, rather than a new one."""
    if not arena.has_learned():
        arena.metrics.started = time.perf_counter()  # the clock starts with training
    bar = ProgressBar(arena, budget, progress)
    arena.callbacks.append(bar)
    if logs is not None:
        arena.callbacks.append(logs)
    interrupted = False
    try:
        arena.run(budget)
        if progress and arena.check_pending():
            # A check can take a while (a tree search plays 20 fresh CartPole episodes):
            # say what the pause is.
            bar.bar.write("Checking the champion on fresh episodes...", file=sys.stderr)
        arena.evaluate_champion()  # eval_score must describe the brain being saved
    except KeyboardInterrupt:
        interrupted = True
    finally:
        bar.close()
        if logs is not None:
            arena.callbacks.remove(logs)
            logs.close()
    saved_to = None
    if out is not None and arena.has_learned():
        with second_interrupt_quits() if interrupted else nullcontext():
            if logs is None:
                path, note = save_or_rescue(arena.save_best, out)
            else:
                path, note = save_or_rescue(arena.save_into, logs.folder, arena.save_best)
        saved_to = None if path is None else str(path)
        if note:
            print(note if path else f"main.py: error: {note}", file=sys.stderr)
    if interrupted:
        print(
            "Interrupted: stopped early" + (f", saved to {saved_to}" if saved_to else ""),
            file=sys.stderr,
        )
    return result_line(arena, saved_to)


def result_line(arena: Arena, saved_to: str | None) -> dict:
    """The JSON line of a run (`train`, or a window's `run` once it closes): the keys of
    RESULT_KEYS, and a planner's extras."""
    m = arena.metrics
    # eval_score describes the brain saved: a learner may save its best-checked version.
    kept = arena.brain.saved_check() if isinstance(arena.brain, Learner) else None
    if saved_to and kept is not None and m.eval_score is not None and kept != m.eval_score:
        print(
            f"Saved the brain as it was at its best check ({kept:g}); the last check "
            f"scored {m.eval_score:g}",
            file=sys.stderr,
        )
    result = {
        "scene": arena.scene_name,
        "brain": arena.brain_text,
        "seed": arena.seed,
        "solved": m.solved,
        "generations": m.generations if arena.brain.kind == "evolver" else None,
        "episodes": m.episodes,
        "env_steps": m.env_steps,
        "wall_seconds": round(m.seconds(), 3),
        "best_score": m.best_score,
        "eval_score": m.eval_score if kept is None else kept,
        "saved_to": saved_to,
    }
    assert tuple(result) == RESULT_KEYS
    extras = getattr(arena, "result_extras", None)  # e.g. a DP planner's state values
    if extras is not None:
        result.update(extras())
    return result
