"""`watch DIR --record FILE`: a champion's clip as a GIF or an MP4, with or without a window,
written whole or not at all; a file that cannot be written is one line before any play."""

from __future__ import annotations

import json

import imageio.v3 as iio
import pygame
import pytest
from test_cli import main_py

from game.recording import RecordError, VideoWriter


@pytest.fixture(scope="module")
def saved_brain(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("runs")
    trained = main_py(
        "train", "--scene", "cartpole", "--brain", "hill-climb", "--max-generations", "3",
        "--quiet", "--out", str(out),
    )  # fmt: skip
    assert trained.returncode == 0, trained.stderr
    return json.loads(trained.stdout)["saved_to"]


@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_headless_record_writes_a_clip_of_the_episodes(saved_brain, tmp_path, suffix):
    video = tmp_path / "clips" / f"champion{suffix}"
    result = main_py(
        "watch", saved_brain, "--record", str(video), "--headless", "--episodes", "2", "--quiet"
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["recorded"] == str(video) and line["episodes"] == 2 and len(line["scores"]) == 2
    frames = iio.imread(video, index=None)
    assert len(frames) == line["frames"] > 1
    # Two ticks a frame: the clip covers the two episodes (CartPole's score is its steps).
    assert line["frames"] >= sum(line["scores"]) // 2 - 2
    assert frames.shape[-1] == 3 and frames.std() > 10  # a picture, not a blank
    assert [p.name for p in video.parent.iterdir()] == [video.name]  # no partial left


def test_frames_caps_a_clip_of_a_champion_that_never_loses(saved_brain, tmp_path):
    video = tmp_path / "short.gif"
    result = main_py(
        "watch", saved_brain, "--record", str(video), "--headless", "--episodes", "50",
        "--frames", "12", "--quiet",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["frames"] == 12 == len(iio.imread(video, index=None))


def test_the_window_records_what_it_shows(saved_brain, tmp_path):
    video = tmp_path / "window.gif"
    result = main_py("watch", saved_brain, "--record", str(video), "--frames", "8")
    assert result.returncode == 0, result.stderr
    assert len(iio.imread(video, index=None)) == 8
    assert f"Recorded 8 frames to {video}" in result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--record", "clip.avi"], "a .gif or an .mp4"),
        (["--headless"], "--headless goes with --record"),
        (["--record", "/proc/no/such/clip.gif"], "--record /proc/no/such/clip.gif"),
    ],
)
def test_bad_record_options_are_one_line(saved_brain, tmp_path, args, says):
    result = main_py("watch", saved_brain, *args, "--frames", "3", cwd=tmp_path)
    assert result.returncode == 2 and says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_failed_clip_leaves_nothing_behind(tmp_path):
    writer = VideoWriter(tmp_path / "none.gif")
    with pytest.raises(RecordError, match="no frame"):
        writer.finish()
    writer = VideoWriter(tmp_path / "half.mp4")
    writer.add(pygame.Surface((33, 21)))  # odd sizes are scaled to even for H.264
    writer.abandon()
    assert list(tmp_path.iterdir()) == []
