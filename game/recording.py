"""Pictures and videos of what the window shows: screenshots, and clips of a champion
playing (`python main.py watch DIR --record out.gif`), with or without a window.

A video is the scene's view drawn frame by frame, as rl-zoo's record_video records an
environment's frames: the game alone, without the charts. GIFs go through Pillow and MP4s
through imageio-ffmpeg (the `media` extra). Like every file the app writes, a picture or a
video appears whole or not at all: it is written under a hidden temporary name and renamed.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import pygame

VIDEO_FPS = 30
TICKS_PER_FRAME = 2  # 60 ticks a second at 1x (the window's rate), shown at 30 frames
VIDEO_SUFFIXES = (".gif", ".mp4")
DEFAULT_SECONDS = 30  # a clip's length when the champion never loses


class RecordError(Exception):
    """A video that cannot be written; the message is one line."""


def partial_path(path: Path) -> Path:
    """The hidden name a file is written under before it is renamed to `path`; it keeps
    the suffix, which says the format."""
    return path.with_name(f".{path.stem}.partial{path.suffix}")


def save_image(surface: pygame.Surface, path: Path) -> Path:
    """`surface` as a PNG at `path`, written whole or not at all; raises OSError or
    pygame.error."""
    partial = partial_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(surface, str(partial))
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def check_video_path(path: Path) -> None:
    """Refuse now, in one line, a video that could not be written at the end."""
    if path.suffix.lower() not in VIDEO_SUFFIXES:
        raise RecordError(
            f"--record {path}: a video is a .gif or an .mp4, not {path.suffix or 'no suffix'!r}"
        )
    try:
        import imageio  # noqa: F401
    except ImportError:
        raise RecordError(
            "--record needs imageio, which `make run` installs (the media extra): "
            "pip install 'imageio' 'imageio-ffmpeg'"
        ) from None
    if path.suffix.lower() == ".mp4":
        try:
            import imageio_ffmpeg  # noqa: F401
        except ImportError:
            raise RecordError(
                f"--record {path}: an .mp4 needs imageio-ffmpeg (pip install imageio-ffmpeg); "
                "a .gif needs nothing more"
            ) from None
    if path.is_dir():
        raise RecordError(f"--record {path}: a folder is there, not a file")
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RecordError(f"--record {path}: {error.strerror or error}") from None
    if not os.access(folder, os.W_OK):
        raise RecordError(f"--record {path}: the folder {folder} is not writable")


class VideoWriter:
    """Frames in, a video file out. `add` takes a pygame Surface; every frame takes the
    first one's size (a window can be resized mid-clip). `finish` renames the finished
    file into place; `abandon` leaves nothing behind."""

    def __init__(self, path: Path, fps: int = VIDEO_FPS) -> None:
        import imageio.v2 as imageio

        check_video_path(path)
        self.path, self.fps = path, fps
        self.partial = partial_path(path)
        self.size: tuple[int, int] | None = None
        self.frames = 0
        if path.suffix.lower() == ".gif":
            self._writer: Any = imageio.get_writer(
                self.partial, mode="I", duration=1000 / fps, loop=0
            )
        else:  # H.264 in yuv420p wants even sizes; add() scales frames to them
            self._writer = imageio.get_writer(
                self.partial, fps=fps, codec="libx264", macro_block_size=1, quality=7
            )

    def add(self, surface: pygame.Surface) -> None:
        if self.size is None:
            w, h = surface.get_size()
            self.size = (w + w % 2, h + h % 2)
        if surface.get_size() != self.size:
            surface = pygame.transform.smoothscale(surface, self.size)
        pixels = pygame.surfarray.array3d(surface).swapaxes(0, 1)  # [h, w, 3] as images are
        self._writer.append_data(np.ascontiguousarray(pixels))
        self.frames += 1

    def finish(self) -> Path:
        """Close the file and give it its name; with no frame added, nothing is written
        and RecordError says so."""
        try:
            self._writer.close()
            if not self.frames:
                raise RecordError(f"--record {self.path}: no frame was recorded")
            os.replace(self.partial, self.path)
        except OSError as error:
            self.abandon()
            raise RecordError(f"--record {self.path}: {error.strerror or error}") from None
        except BaseException:
            self.abandon()
            raise
        return self.path

    def abandon(self) -> None:
        with contextlib.suppress(Exception):  # the file is deleted either way
            self._writer.close()
        self.partial.unlink(missing_ok=True)


def record_headless(
    arena: Any,
    view: Any,
    path: Path,
    episodes: int = 1,
    max_frames: int | None = None,
    speed: int = 1,
    progress: bool = True,
) -> dict[str, Any]:
    """The arena (a champion playing) drawn by `view` into a video at `path`, with no
    window: until `episodes` episodes end or `max_frames` frames (DEFAULT_SECONDS of
    video if not given). Ctrl-C ends the clip early and still writes it. Returns what
    was recorded, for the command's JSON line."""
    pygame.font.init()
    w, h = view.world_size
    canvas = pygame.Surface((w, h))
    limit = max_frames if max_frames is not None else DEFAULT_SECONDS * VIDEO_FPS
    writer = VideoWriter(path)
    started = time.perf_counter()
    bar = _progress_bar(limit, path) if progress else None
    try:
        try:
            while writer.frames < limit and arena.metrics.episodes < episodes:
                for _ in range(TICKS_PER_FRAME * speed):
                    arena.tick()
                    if arena.metrics.episodes >= episodes:
                        break
                _draw(view, canvas, arena)
                writer.add(canvas)
                if bar is not None:
                    bar.update(1)
        except KeyboardInterrupt:
            pass  # the clip so far is kept
        saved = writer.finish()
    finally:
        if bar is not None:
            bar.close()
    return {
        "recorded": str(saved),
        "frames": writer.frames,
        "fps": writer.fps,
        "episodes": int(arena.metrics.episodes),
        "scores": _episode_scores(arena),
        "wall_seconds": round(time.perf_counter() - started, 3),
    }


def _episode_scores(arena: Any) -> list[float]:
    series = arena.metrics.series.get("score")
    return [] if series is None else [float(y) for y in series.arrays()[1]]


def _draw(view: Any, canvas: pygame.Surface, arena: Any) -> None:
    extras = arena.view_extras() if hasattr(arena, "view_extras") else {}
    view.draw(canvas, canvas.get_rect(), arena.scene, arena.highlight(), **extras)


def _progress_bar(total: int, path: Path) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=f"recording {path.name}", unit="frame", leave=False)
