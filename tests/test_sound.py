"""Sound effects: each one exists and is short, muting silences them, and a machine
without an audio device gets silence instead of an error."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from game.ui.sound import NAMES, VOLUME, Sounds, synthesize


@pytest.fixture
def fresh_mixer():
    """Each test starts and ends with the mixer closed, so formats set here do not leak."""
    pygame.mixer.quit()
    yield
    pygame.mixer.quit()


def test_every_effect_is_a_short_clip_in_range():
    for name, wave in synthesize(44100).items():
        assert 0.03 <= wave.size / 44100 <= 1.0, name
        assert np.max(np.abs(wave)) <= 1.0 and np.all(np.isfinite(wave)), name
    assert {"flap", "point", "hit"} <= set(synthesize(22050)) == set(NAMES)


def test_each_sound_exists_and_lasts_between_30_ms_and_a_second(fresh_mixer):
    sounds = Sounds()
    if not sounds.available:
        pytest.skip("no audio device, not even SDL's dummy one")
    for name in NAMES:
        assert 0.03 <= sounds.length(name) <= 1.0, name


@pytest.mark.parametrize(
    ("frequency", "size", "channels"),
    [(44100, -16, 2), (22050, -16, 1), (48000, 32, 2), (44100, 8, 2), (11025, -8, 1)],
)
def test_samples_match_the_mixers_format(fresh_mixer, frequency, size, channels):
    try:
        pygame.mixer.init(frequency, size, channels)
    except pygame.error:
        pytest.skip("no audio device")
    rate, size, channels = pygame.mixer.get_init()
    sound = Sounds()._sounds["point"]  # the clip as the mixer holds it
    samples = pygame.sndarray.array(sound).astype(np.float64)
    if samples.ndim == 1:
        samples = samples[:, None]
    assert samples.shape[1] == channels
    if abs(size) != 32:  # integers: back to [-1, 1], unsigned ones centred first
        peak = 2 ** (abs(size) - 1) - 1
        samples = (samples - (peak + 1 if size > 0 else 0)) / peak
    expected = synthesize(rate)["point"] * VOLUME
    assert samples.shape[0] == expected.size
    for channel in range(channels):
        assert np.max(np.abs(samples[:, channel] - expected)) < 0.02


def test_toggle_mutes_and_unmutes(fresh_mixer):
    sounds = Sounds()
    if not sounds.available:
        pytest.skip("no audio device")
    sounds.play("flap")
    assert sounds.played == 1
    assert sounds.toggle() is False and sounds.enabled is False
    sounds.play("point")
    sounds.play("hit")
    assert sounds.played == 1  # nothing played while muted
    assert sounds.toggle() is True and sounds.enabled
    sounds.play("hit")
    assert sounds.played == 2


def test_starting_muted_plays_nothing(fresh_mixer):
    sounds = Sounds(enabled=False)
    sounds.play("flap")
    assert sounds.played == 0 and not sounds.enabled


@pytest.fixture
def no_device(fresh_mixer, monkeypatch):
    """pygame.mixer.init fails as it does on a machine with no sound card."""

    def init(*args, **kwargs):
        raise pygame.error("No available audio device")

    monkeypatch.setattr(pygame.mixer, "init", init)


def test_no_audio_device_means_silence_not_an_error(no_device):
    sounds = Sounds()
    assert sounds.available is False
    for name in NAMES:
        sounds.play(name)
        assert sounds.length(name) == 0.0
    assert sounds.played == 0
    assert sounds.toggle() is False and sounds.toggle() is True  # muting still works


def test_an_unknown_sound_is_a_key_error_even_when_silent(no_device):
    with pytest.raises(KeyError, match="flapp"):
        Sounds().play("flapp")
