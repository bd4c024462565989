"""Make assets/screenshot.png for the README from a real run, not a drawing.

Trains seed 0 headless for a number of generations (the same run the window would show),
lets the next generation fly for a few seconds, and renders one 1280x720 frame with the
app's own drawing code: `make screenshot`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pygame  # noqa: E402

from brains.registry import make_brain  # noqa: E402
from game.app import App  # noqa: E402
from game.arena import Budget, EvolutionArena, brain_shape  # noqa: E402
from game.views import make_view  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generations", type=int, default=30)
    parser.add_argument("--ticks", type=int, default=900, help="ticks into the next generation")
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "screenshot.png")
    args = parser.parse_args()
    arena = EvolutionArena("flappy", make_brain("ga", brain_shape("flappy"), 200, 0), seed=0)
    arena.run(Budget(max_generations=args.generations))
    for _ in range(args.ticks):
        arena.tick()
    app = App(arena, make_view("flappy"), fps=0)
    app.speed_index = 2  # 4x, as a viewer would likely be watching
    app.draw()
    pygame.image.save(app.screen, args.out)
    arena.can_save = False
    app.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
