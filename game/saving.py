"""Saving that never loses the work: if the chosen folder cannot take the brain (a full
disk, a folder gone read-only during the run), it goes to the temporary folder instead,
and the user is told where."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

RESCUE = Path(tempfile.gettempdir()) / "learning-arcade-rescued"


def save_or_rescue(
    save: Callable[[Path], Path], root: Path, rescue: Callable[[Path], Path] | None = None
) -> tuple[Path | None, str]:
    """Call `save(root)`, or if that fails `rescue(RESCUE)` (by default `save` again):
    (where it went, or None if neither could be written; a one-line note for the user, ""
    when all went as asked)."""
    try:
        return save(root), ""
    except OSError as error:
        reason = error.strerror or str(error)
    try:
        rescued = (rescue or save)(RESCUE)
    except OSError as second:
        return None, (
            f"could not save to {root} ({reason}) nor to {RESCUE} ({second.strerror or second})"
        )
    return rescued, f"Could not save to {root} ({reason}); saved to {rescued} instead"


def write_text_atomic(path: Path, text: str) -> None:
    """Write `path` whole or not at all: a hidden temporary file beside it, renamed into
    place (a reader never sees half of it, a crash never leaves half of it)."""
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
