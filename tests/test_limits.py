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


def test_an_out_folder_that_cannot_be_made_fails_before_the_work(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    for command in (["train", "--max-generations", "1"], ["run", "--frames", "1"]):
        result = main_py(*command, "--out", str(tmp_path / "a-file" / "runs"), cwd=tmp_path)
        assert result.returncode == 2 and result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1 and "--out" in result.stderr


def test_a_save_that_fails_after_training_rescues_the_brain(tmp_path, monkeypatch, capsys):
    from game import saving, training
    from game.arena import Budget
    from game.experiment import make_arena

    arena = make_arena("cartpole", make_brain("hill-climb", brain_shape("cartpole"), None, 0), 0)
    save_best = arena.save_best
    failing = {"left": 1}

    def full_disk(root):
        if failing["left"]:
            failing["left"] -= 1
            raise OSError(28, "No space left on device")
        return save_best(root)

    monkeypatch.setattr(arena, "save_best", full_disk)
    monkeypatch.setattr(saving, "RESCUE", tmp_path / "rescued")
    result = training.train(arena, Budget(max_generations=2), tmp_path / "runs", progress=False)
    said = capsys.readouterr().err
    assert "Could not save to" in said and "No space left on device" in said
    assert result["saved_to"].startswith(str(tmp_path / "rescued"))
    assert (tmp_path / "rescued").is_dir() and not (tmp_path / "runs").exists()


def test_a_map_of_two_thousand_by_two_thousand_is_refused_with_what_it_would_take(tmp_path):
    rows = ["S" + "." * 1998 + "G"] + ["." * 2000] * 1999
    (tmp_path / "big.txt").write_text("title: big\nmap:\n" + "\n".join(rows) + "\n")
    result = main_py("train", "--map", str(tmp_path / "big.txt"), "--max-episodes", "1")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "4,000,000 cells, more than 100,000: its tables alone would take about" in (
        result.stderr
    )


def test_the_windows_save_on_a_full_disk_rescues_the_brain(tmp_path, monkeypatch, capsys):
    from game import saving
    from game.app import App
    from game.experiment import make_arena
    from game.views import make_view

    arena = make_arena("cartpole", make_brain("hill-climb", brain_shape("cartpole"), None, 0), 0)
    save_best = arena.save_best

    def full_disk(root):
        if root == tmp_path / "runs":
            raise OSError(28, "No space left on device")
        return save_best(root)

    monkeypatch.setattr(arena, "save_best", full_disk)
    monkeypatch.setattr(saving, "RESCUE", tmp_path / "rescued")
    app = App(arena, make_view("cartpole"), save_root=tmp_path / "runs", fps=0, speed=None)
    app.run(max_frames=30)  # closing saves what was learned
    assert "saved to" in capsys.readouterr().err
    assert app.saved_path is not None and app.saved_path.parent == tmp_path / "rescued"
