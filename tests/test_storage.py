"""Brain directories: round trips, atomic writes, and files that must not load."""

from __future__ import annotations

import json
import os
import re
import zipfile

import numpy as np
import pytest

from brains.base import BrainShape, check_from_meta
from brains.ga import GASettings, GeneticAlgorithm
from brains.storage import BrainFileError, load_brain, save_brain, unique_directory

SHAPE = BrainShape(7, 2, "flappy")


@pytest.fixture
def saved(tmp_path):
    ga = GeneticAlgorithm(SHAPE, population=10, seed=1, settings=GASettings(hidden=6))
    ga.tell(np.arange(10, dtype=float))
    return ga, save_brain(ga, tmp_path / "brain")


def test_a_saved_brain_acts_exactly_like_the_original(saved):
    ga, directory = saved
    loaded = load_brain(directory)
    obs = np.random.default_rng(0).normal(size=(500, 7))
    assert np.array_equal(loaded.champion().act(obs), ga.champion().act(obs))
    assert loaded.settings == ga.settings
    assert loaded.shape == SHAPE and loaded.generation == 1


def test_a_brain_is_json_and_npz_only(saved):
    _, directory = saved
    assert sorted(p.name for p in directory.iterdir()) == ["brain.json", "weights.npz"]
    meta = json.loads((directory / "brain.json").read_text())
    assert meta["brain"] == "ga" and meta["network"]["sizes"] == [7, 6, 2]
    with np.load(directory / "weights.npz", allow_pickle=False) as weights:
        assert sorted(weights.files) == ["b0", "b1", "w0", "w1"]


def test_saving_never_overwrites_and_unique_names_count_up(saved, tmp_path):
    ga, directory = saved
    with pytest.raises(FileExistsError):
        save_brain(ga, directory)
    assert unique_directory(tmp_path, "brain").name == "brain-2"


def test_a_failed_save_leaves_nothing_behind(tmp_path):
    class Broken(GeneticAlgorithm):
        def save(self, directory):
            (directory / "brain.json").write_text("{}")
            raise OSError("disk full")

    with pytest.raises(OSError):
        save_brain(Broken(SHAPE, 4, 0), tmp_path / "brain")
    assert list(tmp_path.iterdir()) == []


def corrupt(directory, name, content):
    (directory / name).write_bytes(content if isinstance(content, bytes) else content.encode())


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("brain.json", "{not json", "not valid JSON"),
        ("brain.json", "[]", "not a Learning Arcade brain"),
        ("brain.json", '{"format": "learning-arcade-brain", "version": 99}', "version 99"),
        ("weights.npz", b"PK\x03\x04 truncated", "not a readable weights file"),
        ("weights.npz", b"", "not a readable weights file"),
    ],
)
def test_corrupt_files_give_one_line_naming_the_file(saved, name, content, message):
    _, directory = saved
    corrupt(directory, name, content)
    with pytest.raises(BrainFileError, match=message) as error:
        load_brain(directory)
    text = str(error.value)
    assert "\n" not in text and name in text


def test_pickled_arrays_are_refused(saved):
    _, directory = saved
    np.savez(directory / "weights.npz", w0=np.array([{"evil": 1}], dtype=object))
    with pytest.raises(BrainFileError, match="allow_pickle"):
        load_brain(directory)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"brain": "skynet"}, "unknown brain"),
        ({"obs_dim": -3}, "obs_dim"),
        ({"settings": {"hidden": "lots"}}, "hidden"),
        ({"settings": {"surprise": 1}}, "no setting 'surprise'"),
        ({"scene": 5}, "scene must be a string, got 5"),
        ({"scene": {"gridworld": 1}}, "scene must be a string"),
        ({"map_text": ["map:", "SG"]}, "map_text must be a string"),
        ({"mirror": "yes"}, "mirror must be"),
        ({"mirror": {"signs": [-1], "actions": [1, 0]}}, "mirror must be"),
        ({"mirror": {"signs": [-1] * 7, "actions": [0, 0]}}, "mirror must be"),
        ({"mirror": {"signs": [-1] * 6 + [0.5], "actions": [1, 0]}}, "mirror must be"),
        ({"mirror": {"signs": [1] * 7, "actions": [1, True]}}, "mirror must be"),
        ({"reward_range": [1]}, "reward_range must be"),
        ({"reward_range": [1, 0]}, "reward_range must be"),
        ({"reward_range": ["0", 1]}, "reward_range must be"),
        ({"reward_range": [0, 1e999]}, "reward_range must be"),
    ],
)
def test_bad_metadata_is_refused_with_its_reason(saved, change, message):
    _, directory = saved
    meta = json.loads((directory / "brain.json").read_text())
    meta.update(change)
    (directory / "brain.json").write_text(json.dumps(meta))
    with pytest.raises(BrainFileError, match=message):
        load_brain(directory)


def test_weights_of_the_wrong_shape_or_with_nan_are_refused(saved):
    _, directory = saved
    np.savez(
        directory / "weights.npz",
        w0=np.zeros((3, 3)),
        b0=np.zeros(6),
        w1=np.zeros((6, 2)),
        b1=np.zeros(2),
    )
    with pytest.raises(BrainFileError, match="shape"):
        load_brain(directory)
    np.savez(
        directory / "weights.npz",
        w0=np.full((7, 6), np.nan),
        b0=np.zeros(6),
        w1=np.zeros((6, 2)),
        b1=np.zeros(2),
    )
    with pytest.raises(BrainFileError, match="NaN"):
        load_brain(directory)


def test_missing_things_are_named(tmp_path):
    with pytest.raises(BrainFileError, match="no such directory"):
        load_brain(tmp_path / "nowhere")
    with pytest.raises(BrainFileError, match="no brain.json"):
        load_brain(tmp_path)


def test_a_folder_of_saved_brains_names_the_newest_in_its_error(saved, tmp_path):
    ga, first = saved  # tmp_path/brain
    (tmp_path / "notes").mkdir()  # not a brain: not named
    with pytest.raises(BrainFileError, match=re.escape(f"holds one saved brain: {first}")):
        load_brain(tmp_path)
    second = save_brain(ga, tmp_path / "later")
    newer = (first / "brain.json").stat().st_mtime + 10
    os.utime(second / "brain.json", (newer, newer))
    newest = re.escape(f"no brain.json); it holds 2 saved brains, the newest: {second}")
    with pytest.raises(BrainFileError, match=newest + "$"):
        load_brain(tmp_path)


@pytest.mark.parametrize(
    ("brain", "scene", "change", "message"),
    [
        (
            "dqn",
            "cartpole",
            {"env_steps": -5},
            "env_steps must be a whole number, 0 or more; got -5",
        ),
        ("dqn", "cartpole", {"updates": True}, "updates must be a whole number"),
        ("q-table", "cartpole", {"epsilon": 7}, "epsilon must be a number from 0 to 1; got 7"),
        ("q-learning", "gridworld:sutton-4x4", {"episodes": "lots"}, "episodes must be a whole"),
    ],
)
def test_a_learners_counters_are_checked_before_it_goes_on(tmp_path, brain, scene, change, message):
    from brains.registry import make_brain
    from game.arena import Budget, brain_shape
    from game.experiment import make_arena

    arena = make_arena(scene, make_brain(brain, brain_shape(scene), None, 0), 0)
    arena.run(Budget(max_steps=1_200))
    directory = save_brain(arena.brain, tmp_path / "brain")
    meta = json.loads((directory / "brain.json").read_text())
    (directory / "brain.json").write_text(json.dumps(meta | change))
    with pytest.raises(BrainFileError, match=re.escape(message)):
        load_brain(directory)


def test_a_huge_unreadable_or_bottomless_brain_json_is_one_line(saved, monkeypatch):
    import brains.storage as storage

    _, directory = saved
    monkeypatch.setattr(storage, "MAX_META", 1_000)
    meta = directory / "brain.json"
    meta.write_text(" " * 2_000 + "{}")
    with pytest.raises(BrainFileError, match="more than a brain's 1,000"):
        load_brain(directory)
    monkeypatch.setattr(storage, "MAX_META", 64 * 2**20)
    meta.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(BrainFileError, match="nested too deeply|not valid JSON"):
        load_brain(directory)


def test_an_array_that_claims_gigabytes_is_refused_before_it_is_read(saved):
    _, directory = saved
    header = {"descr": "<f8", "fortran_order": False, "shape": (100_000, 100_000)}
    with (
        zipfile.ZipFile(directory / "weights.npz", "w") as archive,
        archive.open("w0.npy", "w") as member,
    ):
        np.lib.format.write_array_header_1_0(member, header)
        member.write(b"\0" * 64)  # 64 bytes of the 80 GB it claims
    with pytest.raises(BrainFileError, match="claims 80,000,000,000 bytes"):
        load_brain(directory)


def test_symlinks_out_of_the_brain_are_refused_in_one_line(saved, tmp_path):
    _, directory = saved
    (directory / "weights.npz").unlink()
    (directory / "weights.npz").symlink_to("/dev/zero")  # endless: never read
    with pytest.raises(BrainFileError, match="weights.npz: not a regular file"):
        load_brain(directory)
    (directory / "weights.npz").unlink()
    (tmp_path / "big.bin").write_bytes(b"\0" * 4096)
    (directory / "weights.npz").symlink_to(tmp_path / "big.bin")  # not an archive
    with pytest.raises(BrainFileError, match="not a readable weights file"):
        load_brain(directory)
    (directory / "brain.json").unlink()
    (directory / "brain.json").symlink_to("/dev/zero")
    with pytest.raises(BrainFileError, match="not a brain directory"):
        load_brain(directory)


def test_a_saved_check_is_read_as_score_and_older_files_mean_still_count():
    assert check_from_meta({"checked": {"score": 37.0, "env_steps": 4000}}) == {
        "score": 37.0,
        "env_steps": 4000,
    }
    # brain.json files saved before a check's number could be its worst episode
    assert check_from_meta({"checked": {"mean": 480.5, "episodes": 12}}) == {
        "score": 480.5,
        "episodes": 12,
    }
    assert check_from_meta({"checked": {"score": float("nan")}}) is None
