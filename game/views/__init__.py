"""Views draw a scene's state onto a pygame Surface, one view per scene."""

from __future__ import annotations

from typing import Any


def make_view(scene_name: str, scene: Any = None) -> Any:
    """The view for a scene; a gridworld's view takes its size from `scene`."""
    # Imported here so that the scenes and headless runs never import pygame.
    if scene_name == "flappy":
        from game.views.flappy_view import FlappyView

        return FlappyView()
    if scene_name == "cartpole":
        from game.views.cartpole_view import CartPoleView

        return CartPoleView()
    if scene_name.startswith("gym:"):
        from game.views.gym_view import GymView

        return GymView(scene)
    if scene_name == "gridworld":
        from game.views.gridworld_view import GridWorldView

        return GridWorldView(scene)
    raise KeyError(f"no view for scene {scene_name!r}")
