"""A first Ctrl-C stops the work and saves the champion; a second one, while that save
is under way, ends the process at once. The save is left incomplete, and so invisible:
it is written under a hidden name and renamed into place only when whole."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

STOPPED = 130  # the exit code of a process stopped by Ctrl-C


def _quit_now(signum: int, frame: object) -> None:
    os._exit(STOPPED)  # no unwinding: the user asked twice


@contextmanager
def second_interrupt_quits() -> Iterator[None]:
    """Within this block, Ctrl-C quits at once rather than raising KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only
        return
    previous = signal.signal(signal.SIGINT, _quit_now)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
