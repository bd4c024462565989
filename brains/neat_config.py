"""NEAT config files: read, checked key by key, fitted to the scene, handed to neat-python.

neat-python accepts misspelt keys in [DefaultGenome] silently (the default is used) and
starts networks unconnected when `initial_connection` is missing, and its other errors
are multi-line. Here every key of every section is checked against neat-python's own
lists first, and any problem becomes one SettingsError line naming the file, line and key.

The scene decides num_inputs and num_outputs, and --population decides pop_size: those
keys may be left out of a file, and values that disagree are replaced, not obeyed.
"""

from __future__ import annotations

import configparser
import difflib
import math
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from brains.neat_network import ACTIVATIONS, AGGREGATIONS
from brains.settings import SettingsError

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "neat"
SECTIONS = (
    "NEAT",
    "DefaultGenome",
    "DefaultSpeciesSet",
    "DefaultStagnation",
    "DefaultReproduction",
)
SET_BY_APP = {
    ("NEAT", "pop_size"),
    ("NEAT", "fitness_criterion"),
    ("NEAT", "fitness_threshold"),
    ("NEAT", "no_fitness_termination"),
    ("DefaultGenome", "num_inputs"),
    ("DefaultGenome", "num_outputs"),
}
# Our loop steps neat one generation at a time and judges "solved" itself.
APP_VALUES = {
    "fitness_criterion": "max",
    "fitness_threshold": "1e308",
    "no_fitness_termination": "True",
}


# neat-python's choices; the partial ones take a fraction: "partial_direct 0.5".
CONNECTIVITY = (
    "unconnected",
    "fs_neat_nohidden",
    "fs_neat",
    "fs_neat_hidden",
    "full_nodirect",
    "full",
    "full_direct",
    "partial_nodirect",
    "partial",
    "partial_direct",
)


def _connection_ok(value: str) -> bool:
    words = value.split()
    if not words or words[0] not in CONNECTIVITY:
        return False
    if not words[0].startswith("partial"):
        return len(words) == 1
    try:
        return len(words) == 2 and 0.0 <= float(words[1]) <= 1.0
    except ValueError:
        return False


def default_config(scene: str) -> Path:
    """The config shipped for a scene, or the general one."""
    own = ASSETS / f"{scene}.cfg"
    return own if own.is_file() else ASSETS / "default.cfg"


def known_keys() -> dict[str, set[str]]:
    """Every key neat-python 2.0 reads in each section."""
    return {section: set(types) for section, types in key_types().items()}


def _line_numbers(text: str) -> dict[tuple[str, str], int]:
    """(section, key) -> line number, for messages."""
    where: dict[tuple[str, str], int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
        elif stripped and stripped[0] not in "#;" and not line[0].isspace():
            key = stripped.split("=", 1)[0].split(":", 1)[0].strip().lower()
            where.setdefault((section, key), number)
    return where


def read_config(path: Path, n_inputs: int, n_outputs: int, population: int) -> tuple[Any, str]:
    """(neat.Config, the text it was built from) for a scene of this shape."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(f"{path}: no such NEAT config file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: cannot read NEAT config ({error})") from None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as error:
        line = getattr(error, "lineno", None)
        if line is None and getattr(error, "errors", None):  # ParsingError: (line, text) pairs
            line = error.errors[0][0]
        reason = " ".join(str(error).split())
        raise SettingsError(
            f"{path}{f':{line}' if line else ''}: not a config file ({reason})"
        ) from None
    lines = _line_numbers(text)
    known = known_keys()

    def at(section: str, key: str) -> str:
        line = lines.get((section, key))
        return f"{path}:{line}" if line else str(path)

    for section in parser.sections():
        if section not in known:
            raise SettingsError(
                f"{path}: unknown section [{section}]; sections: " + ", ".join(SECTIONS)
            )
        for key in parser[section]:
            if key not in known[section]:
                near = difflib.get_close_matches(key, sorted(known[section]), 1)
                hint = f" (did you mean {near[0]}?)" if near else ""
                raise SettingsError(f"{at(section, key)}: [{section}] has no key {key!r}{hint}")
    for section in SECTIONS:
        if section not in parser:
            raise SettingsError(f"{path}: section [{section}] is missing")
    if "initial_connection" not in parser["DefaultGenome"]:
        raise SettingsError(
            f"{path}: [DefaultGenome] initial_connection is missing (neat-python would start "
            "every network unconnected); e.g. initial_connection = full_direct"
        )
    genome = parser["DefaultGenome"]
    checks = [
        (
            "initial_connection",
            _connection_ok,
            "must be one of " + " ".join(CONNECTIVITY) + " (partial ones with a fraction 0..1)",
        ),
        ("num_hidden", lambda v: v.strip().isdigit(), "must be a whole number, 0 or more"),
        ("feed_forward", lambda v: v.strip().lower() in ("true", "1", "yes", "on"), "must be True"),
        (
            "activation_default",
            lambda v: v.strip() in ACTIVATIONS or v.strip() == "random",
            "must be one of " + " ".join(ACTIVATIONS),
        ),
        (
            "activation_options",
            lambda v: all(name in ACTIVATIONS for name in v.split()),
            "may list only " + " ".join(ACTIVATIONS),
        ),
        (
            "aggregation_default",
            lambda v: v.strip() in AGGREGATIONS,
            "must be one of " + " ".join(AGGREGATIONS) + " (the batched networks need it linear)",
        ),
        (
            "aggregation_options",
            lambda v: all(name in AGGREGATIONS for name in v.split()),
            "may list only " + " ".join(AGGREGATIONS) + " (the batched networks need it linear)",
        ),
    ]
    for key, ok, rule in checks:
        if key in genome and not ok(genome[key]):
            raise SettingsError(f"{at('DefaultGenome', key)}: [DefaultGenome] {key} {rule}")
    _check_values(parser, at, population)
    reset = parser["NEAT"].get("reset_on_extinction", "").strip().lower()
    if reset not in ("true", "1", "yes", "on"):
        raise SettingsError(
            f"{at('NEAT', 'reset_on_extinction')}: [NEAT] reset_on_extinction must be True "
            "(the arena plays on after every species dies out)"
        )
    parser["NEAT"]["pop_size"] = str(population)
    for key, value in APP_VALUES.items():
        parser["NEAT"][key] = value
    genome["num_inputs"], genome["num_outputs"] = str(n_inputs), str(n_outputs)
    return _build(parser, path, at), _text(parser)


BOOLEANS = ("true", "false", "yes", "no", "on", "off", "1", "0")


def key_types() -> dict[str, dict[str, type]]:
    """The type neat-python parses each key as (str for its free-text ones)."""
    from neat.genes import DefaultConnectionGene, DefaultNodeGene

    genome: dict[str, type] = {
        "num_inputs": int,
        "num_outputs": int,
        "num_hidden": int,
        "feed_forward": bool,
        "compatibility_disjoint_coefficient": float,
        "compatibility_weight_coefficient": float,
        "conn_add_prob": float,
        "conn_delete_prob": float,
        "node_add_prob": float,
        "node_delete_prob": float,
        "single_structural_mutation": bool,
        "structural_mutation_surer": str,
        "initial_connection": str,
    }
    for gene in (DefaultNodeGene, DefaultConnectionGene):
        genome |= {p.name: p.value_type for p in gene.get_config_params()}
    return {
        "NEAT": {
            "pop_size": int,
            "fitness_criterion": str,
            "fitness_threshold": float,
            "reset_on_extinction": bool,
            "no_fitness_termination": bool,
            "seed": int,
        },
        "DefaultGenome": genome,
        "DefaultSpeciesSet": {"compatibility_threshold": float},
        "DefaultStagnation": {
            "species_fitness_func": str,
            "max_stagnation": int,
            "species_elitism": int,
        },
        "DefaultReproduction": {
            "elitism": int,
            "survival_threshold": float,
            "min_species_size": int,
        },
    }


def _rule(key: str, value: str, kind: type, population: int) -> str | None:
    """Why neat-python would choke on this value (during the run, if not at once), or None."""
    text = value.strip()
    if kind is bool:
        return None if text.lower() in BOOLEANS else "must be True or False"
    if kind is int:
        try:
            number: float = int(text)
        except ValueError:
            return "must be a whole number"
        if key == "seed":
            return None
        least = 1 if key == "min_species_size" else 0
        if number < least:
            return f"must be {least} or more"
        if key in ("elitism", "min_species_size") and number > population:
            return f"must be at most the population ({population})"
        return None
    if kind is float:
        try:
            number = float(text)
        except ValueError:
            return "must be a number"
        if not math.isfinite(number):
            return "must be a finite number"
        if key == "compatibility_threshold" and number <= 0:
            return "must be more than 0"
        fraction = key.endswith(("_rate", "_prob", "_add")) or key == "survival_threshold"
        if fraction and not 0.0 <= number <= 1.0:
            return "must be between 0 and 1"
        spread = key.endswith(("_stdev", "_mutate_power", "_coefficient"))
        if spread and number < 0:
            return "must be 0 or more"
        return None
    if key.endswith("_init_type"):
        known = ("gauss", "normal", "uniform")
        return None if any(w in text.lower() for w in known) else "must be gaussian or uniform"
    if key == "enabled_default":
        allowed = (*BOOLEANS, "random", "none")
        return None if text.lower() in allowed else "must be True, False or random"
    if key == "structural_mutation_surer":
        allowed = (*BOOLEANS, "default")
        return None if text.lower() in allowed else "must be True, False or default"
    if key == "species_fitness_func":
        from neat.math_util import stat_functions

        return None if text in stat_functions else "must be one of " + " ".join(stat_functions)
    return None


def _check_values(parser: configparser.ConfigParser, at: Any, population: int) -> None:
    """Each value in the range neat-python can work with: it checks few itself, and some
    only when a generation breeds (a traceback mid-run, or a message with a literal
    `{self.name}` in it)."""
    types = key_types()
    for section in SECTIONS:
        values = parser[section]
        for key, value in values.items():
            if (section, key) in SET_BY_APP:
                continue
            problem = _rule(key, value, types[section][key], population)
            if problem:
                raise SettingsError(
                    f"{at(section, key)}: [{section}] {key} {problem}, not {value.strip()!r}"
                )
        for key in values:
            if key.endswith("_min_value"):
                top = key.removesuffix("_min_value") + "_max_value"
                if top in values and float(values[key]) > float(values[top]):
                    raise SettingsError(
                        f"{at(section, key)}: [{section}] {key} ({values[key].strip()}) is more "
                        f"than {top} ({values[top].strip()})"
                    )


def _text(parser: configparser.ConfigParser) -> str:
    lines = []
    for section in parser.sections():
        lines.append(f"[{section}]")
        lines += [f"{key} = {value}" for key, value in parser[section].items()]
        lines.append("")
    return "\n".join(lines)


def config_from_text(text: str) -> Any:
    """A neat.Config from text this module wrote (the temp file is removed at once)."""
    import neat

    handle, name = tempfile.mkstemp(suffix=".cfg", text=True)
    try:
        with os.fdopen(handle, "w") as file:
            file.write(text)
        return neat.Config(
            neat.DefaultGenome,
            neat.DefaultReproduction,
            neat.DefaultSpeciesSet,
            neat.DefaultStagnation,
            name,
        )
    finally:
        os.unlink(name)


def _build(parser: configparser.ConfigParser, path: Path, at: Any) -> Any:
    """neat.Config from checked text; what neat-python still refuses (a value that does
    not parse, a missing key) becomes one line naming the key where it can."""
    try:
        return config_from_text(_text(parser))
    except Exception as error:  # neat raises RuntimeError, ValueError, AssertionError, ...
        message = " ".join(str(error).split()) or type(error).__name__
    known = known_keys()
    for section in SECTIONS:
        for key in sorted(known[section], key=len, reverse=True):
            if re.search(rf"\b{re.escape(key)}\b", message):
                where = at(section, key) if key in parser[section] else str(path)
                raise SettingsError(f"{where}: [{section}] {key}: {message}")
    raise SettingsError(f"{path}: {message}")
