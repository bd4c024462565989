"""The layers of DESIGN.md hold: scenes and brains never load pygame, the window never
loads torch, and the app's pygame is pygame-ce."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def imports_of(folder: Path) -> set[str]:
    names = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module.split(".")[0])
    return names


def test_brains_never_import_pygame_or_game():
    assert not imports_of(ROOT / "brains") & {"pygame", "game"}


def test_scenes_never_import_pygame():
    assert "pygame" not in imports_of(ROOT / "game" / "scenes")


def loaded_modules(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stdout.split())


def test_headless_training_loads_neither_pygame_nor_torch():
    modules = loaded_modules(
        "import main; from game.arena import EvolutionArena; import game.training"
    )
    assert "pygame" not in modules and "torch" not in modules


def test_the_window_does_not_load_torch():
    modules = loaded_modules("import main; import game.app; import game.views.flappy_view")
    assert "pygame" in modules and "torch" not in modules


def test_pygame_is_pygame_ce():
    import pygame

    assert getattr(pygame, "IS_CE", False), "plain pygame is installed; this app needs pygame-ce"
