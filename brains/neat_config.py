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
    """Every key neat-python 2.0 reads in each section (from its own parameter lists where
    it exposes them; the small sections' lists are copied from its source)."""
    from neat.config import Config
    from neat.genes import DefaultConnectionGene, DefaultNodeGene

    genome = {
        "num_inputs",
        "num_outputs",
        "num_hidden",
        "feed_forward",
        "compatibility_disjoint_coefficient",
        "compatibility_weight_coefficient",
        "conn_add_prob",
        "conn_delete_prob",
        "node_add_prob",
        "node_delete_prob",
        "single_structural_mutation",
        "structural_mutation_surer",
        "initial_connection",
    }
    for gene in (DefaultNodeGene, DefaultConnectionGene):
        genome |= {p.name for p in gene.get_config_params()}
    return {
        "NEAT": {p.name for p in Config._Config__params},  # type: ignore[attr-defined]
        "DefaultGenome": genome,
        "DefaultSpeciesSet": {"compatibility_threshold"},
        "DefaultStagnation": {"species_fitness_func", "max_stagnation", "species_elitism"},
        "DefaultReproduction": {"elitism", "survival_threshold", "min_species_size"},
    }


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
        reason = str(error).splitlines()[0]
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
