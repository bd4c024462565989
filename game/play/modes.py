"""The choice of play mode: which arena a scene and a bot make."""

from __future__ import annotations

from brains.base import Brain, Evolver
from game.arena import EvolutionArena
from game.play.base import PlayArena
from game.scenes import split_scene_key


class PlayError(ValueError):
    """A scene and a bot that cannot play together; the message is one line."""


def make_play(
    scene_key: str, seed: int, brain: Brain | None = None, saved: bool = False, label: str = ""
) -> PlayArena:
    """You alone (no brain), alongside a brain that learns as you play, or against a saved
    one (`saved`). `label` names the bot as the user wrote it."""
    kind = split_scene_key(scene_key)[0]
    label = label or (brain.name if brain is not None else "")
    if kind == "gym":
        raise PlayError(
            f"{scene_key} has no keys for a person to play it with; play flappy, cartpole "
            f"or a gridworld, or watch a brain on it: python main.py run --scene {scene_key}"
        )
    if kind == "flappy":
        from game.play.flappy_play import FlappyPlay

        if brain is None:
            return FlappyPlay(seed)
        if saved:
            return FlappyPlay(seed, champion=brain.champion(), bot_name=label)
        if not isinstance(brain, Evolver):
            raise PlayError(
                f"--with on flappy takes a population that evolves (ga, neat, random-search, "
                f"hill-climb), not {brain.name}; a saved {brain.name} plays with --against DIR"
            )
        return FlappyPlay(seed, bots=EvolutionArena(scene_key, brain, seed), bot_name=label)
    if kind == "cartpole":
        from game.play.cartpole_match import CartPoleMatch

        return CartPoleMatch(seed, brain, saved, label, scene_key)
    from game.play.maze_race import MazeRace

    if isinstance(brain, Evolver):
        raise PlayError(
            f"a maze race takes a planner or a learner (value-iteration, q-learning, dyna-q, "
            f"mcts, ...), not {brain.name}, which learns by generations"
        )

    def rebuild(key: str) -> Brain:  # the same bot, new, for a new maze
        from brains.registry import make_brain
        from game.arena import brain_shape

        return make_brain(label, brain_shape(key), None, seed)

    return MazeRace(scene_key, seed, brain, saved, label, None if saved else rebuild)
