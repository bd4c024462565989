"""The choice of arena for a brain: the one place that knows every kind of arena.

The arena modules import `game.arena` for their base classes; none of them imports
another to build it, so they form no import circle. The command line, a race and the
benchmarks ask here.
"""

from __future__ import annotations

from brains.base import Brain, Evolver, Learner, Planner
from game.arena import Arena, EvolutionArena, LearnerArena
from game.grid_arena import GridLearnerArena
from game.planner_arena import PlannerArena
from game.scenes import split_scene_key


def make_arena(scene_name: str, brain: Brain, seed: int, **kwargs) -> Arena:
    """The arena that suits the brain: generations for evolvers, ticks for learners (a
    check per episode on a gridworld), think-then-act for planners."""
    if isinstance(brain, Evolver):
        return EvolutionArena(scene_name, brain, seed, **kwargs)
    if isinstance(brain, Learner):
        if split_scene_key(scene_name)[0] == "gridworld":
            return GridLearnerArena(scene_name, brain, seed, **kwargs)
        return LearnerArena(scene_name, brain, seed, **kwargs)
    if isinstance(brain, Planner):
        return PlannerArena(scene_name, brain, seed, **kwargs)
    raise TypeError(f"brain {brain.name} is neither an evolver, a learner nor a planner")
