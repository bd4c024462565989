"""Brain settings from text: `ga:hidden=8,mutation=0.1` -> ("ga", GASettings(hidden=8, ...)).

Each brain keeps its hyperparameters in one dataclass; this module turns user text into
it with the field's own type, and says exactly which key or value is wrong when it can't.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, TypeVar

T = TypeVar("T")


class SettingsError(ValueError):
    """A brain setting that does not exist or does not parse; the message is one line."""


def split_brain_arg(text: str) -> tuple[str, dict[str, str]]:
    """ "ga:hidden=8,mutation=0.1" -> ("ga", {"hidden": "8", "mutation": "0.1"})."""
    name, _, rest = text.partition(":")
    name = name.strip()
    if not name:
        raise SettingsError(f"brain name missing in {text!r}")
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in rest.split(","))):
        key, eq, value = item.partition("=")
        if not eq or not key.strip() or not value.strip():
            raise SettingsError(f"brain setting {item!r} is not key=value")
        pairs[key.strip()] = value.strip()
    return name, pairs


def _convert(kind: Any, key: str, value: Any) -> Any:
    if kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"setting {key}={value!r} must be true or false")
    if kind in (int, float):
        if isinstance(value, bool):
            raise SettingsError(f"setting {key}={value!r} must be a number")
        try:
            number = kind(value) if kind is float else int(str(value), 10)
        except (ValueError, TypeError, OverflowError):  # text, null, a list: not a number
            what = "a whole number" if kind is int else "a number"
            raise SettingsError(f"setting {key}={value!r} must be {what}") from None
        if kind is float and number != number:  # NaN would poison every comparison
            raise SettingsError(f"setting {key}={value!r} must be a number")
        return number
    if kind is str:
        return str(value)
    raise SettingsError(f"setting {key} has an unsupported type {kind}")


def build_settings(cls: type[T], values: dict[str, Any], brain: str) -> T:
    """Fill dataclass `cls` from `values` (text or JSON values); unknown keys are errors."""
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - fields)
    if unknown:
        raise SettingsError(
            f"brain {brain} has no setting {unknown[0]!r}; its settings are: "
            + ", ".join(sorted(fields))
        )
    converted = {key: _convert(hints[key], key, value) for key, value in values.items()}
    settings = cls(**converted)
    check = getattr(settings, "check", None)
    if check is not None:
        problem = check()
        if problem:
            raise SettingsError(f"brain {brain}: {problem}")
    return settings


def per_observation(text: str, kind: type, key: str, count: int) -> tuple:
    """One number for each of a scene's `count` observations, written with "/" (commas
    already separate settings): "8/8/10/10" (or "8x8x10x10" for whole numbers) ->
    (8, 8, 10, 10). A ValueError names the setting when the text does not fit."""
    parts = text.replace("x", "/").split("/") if kind is int else text.split("/")
    try:
        values = tuple(kind(part) for part in parts)
    except ValueError:
        raise ValueError(f"{key}={text!r} must be {count} numbers separated by /") from None
    if len(values) != count:
        raise ValueError(f"{key} has {len(values)} values, the scene has {count} observations")
    return values


def layer_sizes_problem(hidden: str) -> str | None:
    """What is wrong with a `hidden` setting ("64/64": layer sizes separated by /), if anything."""
    try:
        sizes = [int(part) for part in hidden.split("/") if part]
    except ValueError:
        return f"hidden={hidden!r} must be layer sizes separated by /, e.g. 64/64"
    if not sizes or min(sizes) < 1:
        return f"hidden={hidden!r} must list at least one layer size of 1 or more"
    return None


def input_scale_problem(input_scale: str) -> str | None:
    """What is wrong with an `input_scale` setting ("2.4/2/0.21/2", "" for none), if anything."""
    if not input_scale:
        return None
    try:
        scale = [float(part) for part in input_scale.split("/")]
    except ValueError:
        scale = [0.0]
    if not all(0 < size < float("inf") for size in scale):
        return f"input_scale={input_scale!r} must be positive numbers separated by /"
    return None
