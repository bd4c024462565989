"""Brain directories: brain.json (settings, shape, counters) beside weights.npz.

Nothing here unpickles: JSON is parsed, arrays are read with allow_pickle=False, and every
value is checked before use, so a brain directory from a stranger can fail to load but
cannot run code. Saving writes into a hidden temporary directory and renames it into
place, so a crash never leaves half a brain behind.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from brains.base import Brain
from brains.registry import brain_class
from brains.settings import SettingsError, build_settings

META_FILE = "brain.json"
WEIGHTS_FILE = "weights.npz"
FORMAT = "learning-arcade-brain"
FORMAT_VERSION = 1
MAX_TEXT = 1_000_000  # a saved map's text: a 100,000-cell map with room for comments
# brain.json: a NEAT champion at its limits (10,000 nodes, 100,000 links) and a map's text
MAX_META = 64 * 2**20
MAX_WEIGHTS = 512 * 2**20  # weights.npz, unpacked: the largest Q-table is 160 MB


class BrainFileError(ValueError):
    """A brain directory that cannot be loaded; the message is one line naming the file."""


def save_brain(brain: Brain, directory: Path, extra: dict[str, Any] | None = None) -> Path:
    """Write `brain` to a new directory (atomically); refuses to overwrite one. `extra`
    joins brain.json (what the scene needs to be played again, e.g. a map's text)."""
    directory = Path(directory)
    if directory.exists():
        raise FileExistsError(f"{directory} already exists")
    directory.parent.mkdir(parents=True, exist_ok=True)
    temporary = _staged(brain, directory.parent / f".{directory.name}.partial-{os.getpid()}", extra)
    try:
        os.rename(temporary, directory)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return directory


def _staged(brain: Brain, temporary: Path, extra: dict[str, Any] | None) -> Path:
    """The brain's files, brain.json with the format's marks, in a new hidden folder."""
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    try:
        brain.save(temporary)
        meta_path = temporary / META_FILE
        meta = json.loads(meta_path.read_text())
        meta = {"format": FORMAT, "version": FORMAT_VERSION, **meta, **(extra or {})}
        meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return temporary


def save_brain_into(brain: Brain, folder: Path, extra: dict[str, Any] | None = None) -> Path:
    """Write `brain` into an existing folder that holds other files (a run's logs): it is
    saved whole into a hidden folder inside, then its files move up one by one, brain.json
    last, so the folder reads as a brain only once every file of it is in place. Refuses a
    folder that already holds a brain or a file of the same name."""
    folder = Path(folder)
    if (folder / META_FILE).exists():
        raise FileExistsError(f"{folder / META_FILE} already exists")
    staged = _staged(brain, folder / f".brain.partial-{os.getpid()}", extra)
    try:
        names = sorted(path.name for path in staged.iterdir())
        taken = [name for name in names if (folder / name).exists()]
        if taken:
            raise FileExistsError(f"{folder / taken[0]} already exists")
        names.remove(META_FILE)
        for name in [*names, META_FILE]:
            os.rename(staged / name, folder / name)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return folder


def unique_directory(root: Path, stem: str) -> Path:
    """root/stem, or root/stem-2, -3 ... if that is taken."""
    candidate, n = root / stem, 1
    while candidate.exists():
        n += 1
        candidate = root / f"{stem}-{n}"
    return candidate


def _saved_brains_hint(directory: Path) -> str:
    """Where `directory` holds saved brains (as `train --out` leaves them), name the
    newest: the likely meaning of a user who passed the folder rather than a brain."""
    try:
        brains = [
            child
            for child in directory.iterdir()
            # a hidden .NAME.partial-PID is a save cut short: never a brain to point at
            if not child.name.startswith(".") and (child / META_FILE).is_file()
        ]
        if not brains:
            return ""
        newest = max(brains, key=lambda child: (child / META_FILE).stat().st_mtime)
    except OSError:  # unreadable, or changed while we looked: no hint rather than a traceback
        return ""
    held = "one saved brain" if len(brains) == 1 else f"{len(brains)} saved brains, the newest"
    return f"; it holds {held}: {newest}"


def _read_meta(directory: Path) -> dict[str, Any]:
    path = directory / META_FILE
    if not directory.is_dir():
        raise BrainFileError(f"{directory}: not a brain directory (no such directory)")
    if not path.is_file():
        hint = _saved_brains_hint(directory)
        raise BrainFileError(f"{directory}: not a brain directory (no {META_FILE}){hint}")
    try:
        size = path.stat().st_size
        if size > MAX_META:  # read whole, a huge file would take the memory with it
            raise BrainFileError(f"{path}: {size:,} bytes, more than a brain's {MAX_META:,}")
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BrainFileError(f"{path}: not valid JSON ({error})") from None
    except RecursionError:
        raise BrainFileError(f"{path}: not valid JSON (nested too deeply)") from None
    except OSError as error:
        raise BrainFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise BrainFileError(f"{path}: not a Learning Arcade brain (format is not {FORMAT!r})")
    if meta.get("version") != FORMAT_VERSION:
        raise BrainFileError(f"{path}: brain format version {meta.get('version')!r} unsupported")
    for key in ("obs_dim", "n_actions"):
        value = meta.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100_000:
            raise BrainFileError(f"{path}: {key} must be a positive whole number, got {value!r}")
    if not isinstance(meta.get("scene", ""), str):
        raise BrainFileError(f"{path}: scene must be a string, got {meta['scene']!r:.60}")
    if not isinstance(meta.get("map_text", ""), str) or len(meta.get("map_text", "")) > MAX_TEXT:
        raise BrainFileError(f"{path}: map_text must be a string of at most {MAX_TEXT:,} chars")
    if not isinstance(meta.get("settings", {}), dict):
        raise BrainFileError(f"{path}: settings must be a JSON object")
    if "mirror" in meta and not _is_mirror(meta["mirror"], meta["obs_dim"], meta["n_actions"]):
        raise BrainFileError(
            f'{path}: mirror must be {{"signs": one of 1 or -1 per observation, '
            f'"actions": the action numbers swapped in pairs}}, got {meta["mirror"]!r:.60}'
        )
    if "reward_range" in meta and not _is_range(meta["reward_range"]):
        raise BrainFileError(
            f"{path}: reward_range must be [least, most] reward of one step, two finite "
            f"numbers, got {meta['reward_range']!r:.60}"
        )
    return meta


def _is_range(pair: Any) -> bool:
    if not isinstance(pair, list) or len(pair) != 2:
        return False
    if any(type(value) not in (int, float) or not math.isfinite(value) for value in pair):
        return False
    return pair[0] <= pair[1]


def _is_mirror(mirror: Any, obs_dim: int, n_actions: int) -> bool:
    if not isinstance(mirror, dict):
        return False
    signs, actions = mirror.get("signs"), mirror.get("actions")
    if not isinstance(signs, list) or not isinstance(actions, list):
        return False
    if len(signs) != obs_dim or any(type(sign) not in (int, float) for sign in signs):
        return False
    if not all(sign in (1, -1) for sign in signs):
        return False
    if not all(type(a) is int for a in actions) or sorted(actions) != list(range(n_actions)):
        return False
    return all(actions[actions[a]] == a for a in actions)  # a mirror undoes itself


def _check_sizes(path: Path) -> None:
    """Read each array's header before its data: an array whose header claims more than
    the archive holds (gigabytes, say) is refused before any memory is set aside."""
    total = 0
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            total += info.file_size
            if total > MAX_WEIGHTS:
                raise BrainFileError(f"{path}: more than {MAX_WEIGHTS:,} bytes of weights")
            with archive.open(info) as member:
                major, _ = np.lib.format.read_magic(member)
                read_header = (
                    np.lib.format.read_array_header_1_0
                    if major == 1
                    else np.lib.format.read_array_header_2_0
                )
                shape, _, dtype = read_header(member)
            claimed = math.prod(shape) * dtype.itemsize
            if claimed > info.file_size:
                raise BrainFileError(
                    f"{path}: array {info.filename!r} claims {claimed:,} bytes, "
                    f"the file holds {info.file_size:,}"
                )


def _regular_file(path: Path) -> None:
    """A weights file must be a file: a device (/dev/zero) would be read for ever."""
    if not path.exists():
        raise BrainFileError(f"{path}: missing")
    if not path.is_file():
        raise BrainFileError(f"{path}: not a regular file")


def _read_weights(path: Path) -> dict[str, np.ndarray]:
    _regular_file(path)
    try:
        _check_sizes(path)
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except BrainFileError:
        raise  # already one line naming the file
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, KeyError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise BrainFileError(f"{path}: not a readable weights file ({reason})") from None
    for key, array in arrays.items():
        if array.dtype.kind not in "fiu":
            raise BrainFileError(f"{path}: array {key!r} is not numeric ({array.dtype})")
        if not np.all(np.isfinite(array)):
            raise BrainFileError(f"{path}: array {key!r} holds NaN or infinite values")
    return arrays


def _read_torch(path: Path) -> dict:
    """A torch state saved by a brain, loaded with weights_only=True: tensors and plain
    values only, so a hostile file cannot run code."""
    _regular_file(path)
    if not zipfile.is_zipfile(path):
        raise BrainFileError(f"{path}: not a torch weights file (torch.save writes a zip archive)")
    import torch  # only DQN brains get here

    try:
        with warnings.catch_warnings():  # torch warns about odd files; the error says it all
            warnings.simplefilter("ignore")
            state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises many kinds for corrupt or foreign files
        text = str(error).strip()
        if text.startswith("Weights only load failed"):
            reason = "it holds Python objects, not only weights, and loading those could run code"
        else:
            reason = text.splitlines()[0][:160] if text else type(error).__name__
        raise BrainFileError(f"{path}: not a readable torch weights file ({reason})") from None
    if not isinstance(state, dict):
        raise BrainFileError(f"{path}: holds a {type(state).__name__}, not a dict of weights")
    return state


def read_meta(directory: Path | str) -> dict[str, Any]:
    """brain.json, checked (BrainFileError with a one-line reason otherwise)."""
    return _read_meta(Path(directory))


def load_brain(directory: Path | str) -> Brain:
    """Load a saved brain, or raise BrainFileError with a one-line reason."""
    directory = Path(directory)
    meta = _read_meta(directory)
    name = meta.get("brain")
    try:
        cls = brain_class(str(name))
        settings = build_settings(cls.Settings, meta.get("settings", {}), str(name))
    except (KeyError, SettingsError) as error:
        message = error.args[0] if error.args else str(error)
        raise BrainFileError(f"{directory / META_FILE}: {message}") from None
    weights_file = getattr(cls, "weights_file", WEIGHTS_FILE)
    if weights_file is None:  # everything is in brain.json (NEAT's genome)
        weights = {}
    elif weights_file.endswith(".pt"):
        weights = _read_torch(directory / weights_file)
    else:
        weights = _read_weights(directory / weights_file)
    try:
        return cls.from_saved(meta, weights, settings)
    except ValueError as error:
        raise BrainFileError(f"{directory}: {error}") from None
