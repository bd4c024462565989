"""A small headless run learns, and the same seed gives the same run however it is driven."""

from __future__ import annotations

import numpy as np

from brains.registry import make_brain
from game.arena import Budget, EvolutionArena, brain_shape
from game.evaluation import Evaluation
from game.scenes.flappy import FlappyScene


def arena(seed: int, population: int = 100, brain: str = "ga") -> EvolutionArena:
    return EvolutionArena(
        "flappy", make_brain(brain, brain_shape("flappy"), population, seed), seed
    )


def test_birds_learn_to_fly_further_within_thirty_generations():
    run = arena(seed=0)
    run.run(Budget(max_generations=30))
    best = run.metrics.series["best_score"].arrays()[1]
    mean_fitness = run.metrics.series["mean_fitness"].arrays()[1]
    assert best[-5:].mean() >= 10  # random birds pass one or two pipes
    assert best[-5:].mean() >= 3 * best[:5].mean()
    assert mean_fitness[-5:].mean() >= 2 * mean_fitness[:5].mean()


def test_counters_add_up():
    run = arena(seed=1, population=50)
    run.run(Budget(max_generations=4))
    m = run.metrics
    assert m.generations == 4
    assert m.episodes == 4 * 50  # every bird's life is one episode
    assert m.env_steps > 4 * 50  # every bird flew at least one tick
    assert m.best_score == max(run.metrics.series["best_score"].arrays()[1])


def test_budgets_stop_the_run():
    for budget, check in (
        (Budget(max_episodes=120), lambda m: 120 <= m.episodes < 150),  # mid-generation
        (Budget(max_steps=5_000), lambda m: 5_000 <= m.env_steps < 5_000 + 50),
    ):
        run = arena(seed=2, population=50)
        run.run(budget)
        assert check(run.metrics), run.metrics


def history(run: EvolutionArena) -> list[np.ndarray]:
    return [run.metrics.series[name].arrays()[1] for name in ("best_fitness", "mean_fitness")]


def test_evaluations_do_not_change_what_training_sees():
    plain, checked = arena(seed=3, population=40), arena(seed=3, population=40)
    plain.run(Budget(max_generations=6))
    checked.rule = type(checked.rule)(episodes=5, threshold=1, every_episode=True)  # check often
    checked.run(Budget(max_generations=6))
    assert checked._evaluations > 0
    for a, b in zip(history(plain), history(checked), strict=True):
        assert np.array_equal(a, b)


def test_a_champion_that_passes_the_rule_is_marked_solved():
    run = arena(seed=4, population=40)
    run.rule = type(run.rule)(episodes=5, threshold=1, every_episode=True)
    run.run(Budget(max_generations=40, until_solved=True))
    assert run.metrics.solved
    assert run.metrics.solved_at["generation"] == run.metrics.generations
    assert run.metrics.eval_score >= 1


def test_a_check_plays_in_short_slices_and_the_same_episodes_however_sliced():
    brain = make_brain("ga", brain_shape("flappy"), 50, 0)
    whole = Evaluation("flappy", brain.champion(), 5, FlappyScene.solve_rule)
    whole.finish()
    sliced = Evaluation("flappy", brain.champion(), 5, FlappyScene.solve_rule)
    ticks = 0
    assert not sliced.advance(1_000, seconds=0.0)  # a slice, not the whole check
    ticks += 1
    while not sliced.advance(1_000, seconds=0.0):  # out of time at once: 16 ticks a slice
        ticks += 1
        assert sliced.scene.tick == 16 * ticks
    assert np.array_equal(sliced.scores, whole.scores)


def test_a_failed_check_stops_at_its_first_course_below_the_threshold():
    """Flappy's birds pass the same pipes at the same tick, so the first course to end
    has the fewest pipes: the check stops there with the verdict and the worst course
    that playing every course to its end gives."""
    run = arena(seed=1, population=100)
    run.checks = False
    run.run(Budget(max_generations=12))  # a champion that flies 8 to 66 pipes
    early = Evaluation("flappy", run.brain.champion(), 8, FlappyScene.solve_rule)
    early.finish()
    whole = Evaluation("flappy", run.brain.champion(), 8, FlappyScene.solve_rule)
    whole.worst_counts = False  # play every course to its end
    whole.finish()
    assert early.done and not early.solved and not whole.solved
    assert np.count_nonzero(early.scene.alive) == 4  # four courses were still being flown
    assert early.scene.tick < whole.scene.tick / 3
    assert early.score == whole.scores.min() == 8
    assert whole.score == whole.scores.mean()


def test_a_check_without_a_failure_plays_every_course_to_its_end():
    run = arena(seed=1, population=100)
    run.checks = False
    run.run(Budget(max_generations=12))
    rule = type(FlappyScene.solve_rule)(episodes=5, threshold=1, every_episode=True)
    check = Evaluation("flappy", run.brain.champion(), 8, rule)
    check.finish()
    assert check.solved and check.scene.all_done
    assert check.score == check.scores.min() == 8
