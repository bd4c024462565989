"""Write the generated mazes shipped in assets/maps/: `python assets/maps/make_mazes.py`."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from game.scenes.mazegen import maze_text  # noqa: E402

MAZES = {  # name: (rows, cols, seed, loops)
    "maze-21": (21, 21, 1, 0.0),
    "maze-41": (41, 41, 2, 0.05),
}

if __name__ == "__main__":
    for name, (rows, cols, seed, loops) in MAZES.items():
        text = maze_text(rows, cols, seed, loops, title=f"{name}: a generated maze (ours)")
        (HERE / f"{name}.txt").write_text(f"; made by make_mazes.py\n{text}")
        print(f"wrote {name}.txt")
