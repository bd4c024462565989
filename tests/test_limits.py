"""A population too large for the machine is refused in one line, with what it would
need, before anything is built: a typo of a few zeros must not exhaust the memory."""

from __future__ import annotations

import pytest
from test_cli import main_py

import brains.registry as registry
from brains.registry import make_brain
from brains.settings import SettingsError
from game.arena import brain_shape


@pytest.mark.parametrize(
    "args",
    [
        ("train", "--population", "100000000", "--max-generations", "1"),
        ("train", "--brain", "neat", "--population", "100000000", "--max-generations", "1"),
        ("train", "--scene", "cartpole", "--brain", "dqn", "--population", "100000000"),
        ("run", "--scene", "cartpole", "--brain", "ppo", "--population", "100000000"),
        ("play", "--scene", "flappy", "--with", "ga", "--population", "100000000"),
    ],
)
def test_a_population_that_cannot_fit_is_one_line(args, tmp_path):
    result = main_py(*args, "--frames", "1") if args[0] != "train" else main_py(*args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "a population of 100,000,000 would need about" in lines[0]
    assert "GB of memory is free" in lines[0]


def test_the_estimate_grows_with_the_population_and_free_memory_decides(monkeypatch):
    shape = brain_shape("flappy")
    monkeypatch.setattr(registry, "free_memory", lambda: 10 * 2**20)  # 10 MB free
    make_brain("ga", shape, 200, 0)  # a few hundred kilobytes: fine
    with pytest.raises(SettingsError, match=r"population of 100,000 would need about 0.4 GB"):
        make_brain("ga", shape, 100_000, 0)
    monkeypatch.setattr(registry, "free_memory", lambda: None)  # unknown: no refusal
    make_brain("random-search", brain_shape("cartpole"), 100_000, 0)
