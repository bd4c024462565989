"""Shared set-up: no screen and no sound on test machines, so SDL gets dummy drivers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def artifacts() -> Path:
    """Where tests leave files worth looking at (rendered frames)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session", autouse=True)
def runs_folder_untouched():
    """Tests write into temporary folders, never into the repository's runs/ (a user's
    saved brains live there)."""
    runs = ROOT / "runs"
    before = set(runs.iterdir()) if runs.is_dir() else set()
    yield
    after = set(runs.iterdir()) if runs.is_dir() else set()
    assert not after - before, f"tests wrote into runs/: {sorted(p.name for p in after - before)}"
