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


# Each loaded only by what needs it: ray by `sweep`, imageio by recording, matplotlib by
# PNG plots, torch by the brains that learn with it.
HEAVY = {"torch", "ray", "imageio", "matplotlib"}


def test_headless_training_loads_neither_pygame_nor_torch():
    modules = loaded_modules(
        "import main; from game.arena import EvolutionArena; import game.training; "
        "import game.trial; import game.run_log"
    )
    assert "pygame" not in modules and not modules & HEAVY


def test_the_window_does_not_load_torch():
    modules = loaded_modules(
        "import main; import game.app; import game.views.flappy_view; import game.recording"
    )
    assert "pygame" in modules and not modules & HEAVY


def test_pygame_is_pygame_ce():
    import pygame

    assert getattr(pygame, "IS_CE", False), "plain pygame is installed; this app needs pygame-ce"


def project_imports(path: Path, modules: set[str]) -> set[str]:
    """Modules of `modules` that a file imports anywhere, at the top or in a function;
    `from package import module` counts as the module alone."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            inner = {f"{node.module}.{alias.name}" for alias in node.names} & modules
            names |= inner if len(inner) == len(node.names) else {node.module, *inner}
    return names & modules


def test_the_project_has_no_import_circle():
    modules = {}
    for folder in ("game", "brains"):
        for path in (ROOT / folder).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    graph = {name: project_imports(path, set(modules)) for name, path in modules.items()}

    def reaches(start: str) -> set[str]:
        seen, todo = set(), list(graph[start])
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(graph[name])
        return seen

    circles = sorted(name for name in graph if name in reaches(name))
    assert not circles, f"modules that import themselves through others: {circles}"
