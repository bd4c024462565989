"""Sound effects computed at start-up with NumPy: chirps, dings and thuds, no files.

The sounds are made by this code, so nothing is downloaded, shipped or licensed, and they
work offline on every machine. A machine with no audio device gets a silent Sounds object
rather than an error: sound is a garnish, never a reason for the window not to open.
"""

from __future__ import annotations

import numpy as np
import pygame

NAMES = ("flap", "point", "hit", "start", "win", "lose")
VOLUME = 0.4  # of full scale: effects sit under the player's own music, if any


def _tone(rate: int, seconds: float, start_hz: float, end_hz: float | None = None) -> np.ndarray:
    """A sine sweeping from start_hz to end_hz, with a 4 ms attack and an exponential fade
    (the fade is what makes it sound struck rather than switched on and off)."""
    t = np.arange(int(rate * seconds)) / rate
    hz = np.linspace(start_hz, start_hz if end_hz is None else end_hz, t.size)
    wave = np.sin(2 * np.pi * np.cumsum(hz) / rate)  # phase integrates frequency: no clicks
    attack = np.minimum(1.0, t / 0.004)
    return wave * attack * np.exp(-t * 5.0 / seconds)


def _notes(rate: int, seconds: float, *hz: float) -> np.ndarray:
    return np.concatenate([_tone(rate, seconds, f) for f in hz])


def synthesize(rate: int) -> dict[str, np.ndarray]:
    """Every effect as mono float samples in [-1, 1] at `rate` samples per second."""
    noise = np.random.default_rng(0).uniform(-1.0, 1.0, int(rate * 0.22))
    muffled = np.convolve(noise, np.ones(24) / 24, mode="same")  # a moving average: a low rumble
    thud = _tone(rate, 0.22, 140, 45) + 2.5 * muffled * np.exp(-np.arange(noise.size) / rate * 18)
    waves = {
        "flap": _tone(rate, 0.09, 380, 880),
        "point": np.concatenate([_tone(rate, 0.07, 988), _tone(rate, 0.2, 1319)]),
        "hit": thud,
        "start": _notes(rate, 0.09, 523, 659, 784),
        "win": _notes(rate, 0.11, 523, 659, 784, 1047),
        "lose": _notes(rate, 0.16, 392, 330, 262),
    }
    return {name: wave / np.max(np.abs(wave)) for name, wave in waves.items()}


def _to_buffer(wave: np.ndarray, size: int, channels: int) -> bytes:
    """Samples in the mixer's own format (pygame.mixer.get_init()): a mismatch would play
    at the wrong pitch or as noise."""
    wave = np.repeat((wave * VOLUME)[:, None], channels, axis=1)  # interleaved channels
    if abs(size) == 32:  # pygame-ce's only 32-bit format is float (get_init says -32)
        return wave.astype(np.float32).tobytes()
    bits = abs(size)
    peak = 2 ** (bits - 1) - 1
    samples = np.round(wave * peak).astype(np.int64)
    if size > 0:  # unsigned: silence sits at the middle of the range
        samples += peak + 1
    return samples.astype(f"{'u' if size > 0 else 'i'}{bits // 8}").tobytes()


class Sounds:
    """The game's effects, played by name. Silent, never failing, without an audio device."""

    def __init__(self, enabled: bool = True) -> None:
        self._enabled = enabled
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        self.played = 0  # effects actually started: what tests count
        try:
            if pygame.mixer.get_init() is None:
                pygame.mixer.init()
            rate, size, channels = pygame.mixer.get_init()
            for name, wave in synthesize(rate).items():
                self._sounds[name] = pygame.mixer.Sound(buffer=_to_buffer(wave, size, channels))
        except (pygame.error, NotImplementedError, TypeError, ValueError):
            # No device, no SDL_mixer in this pygame build, or a format we cannot write.
            self._sounds = {}

    @property
    def available(self) -> bool:
        return bool(self._sounds)

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        self._enabled = value
        if not value:
            for sound in self._sounds.values():
                sound.stop()

    def toggle(self) -> bool:
        """Mute or unmute; returns whether sound is now on."""
        self.enabled = not self._enabled
        return self._enabled

    def length(self, name: str) -> float:
        """Seconds the effect lasts as the mixer plays it (0.0 without a device)."""
        self._check(name)
        sound = self._sounds.get(name)
        return sound.get_length() if sound else 0.0

    def play(self, name: str) -> None:
        """Start an effect; does nothing when muted or without a device. An unknown name
        is a KeyError on every machine, so a typo is caught where there is no sound too."""
        self._check(name)
        if self._enabled and name in self._sounds:
            self._sounds[name].play()
            self.played += 1

    @staticmethod
    def _check(name: str) -> None:
        if name not in NAMES:
            raise KeyError(f"no sound {name!r}; sounds: {', '.join(NAMES)}")
