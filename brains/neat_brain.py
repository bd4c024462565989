"""NEAT (NeuroEvolution of Augmenting Topologies, Stanley and Miikkulainen 2002) on top of
neat-python: networks that grow nodes and connections, with the population split into
species so new structure gets a few generations to prove itself.

Our arena owns the loop. neat-python is stepped one generation at a time: we evaluate
`population.population` in the scene, set every genome's fitness, then call
`run(no-op, 1)`, which breeds and speciates. The population's networks are run together
by brains.neat_network.BatchedNetworks, not one by one by neat-python.

neat-python draws from Python's global `random`. Each brain keeps its own random state and
swaps it in only while neat-python works, so two NEAT brains racing in one window, or a
GA beside them, do not change each other's runs.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from brains.base import BrainShape, Evolver, shape_from_meta, write_brain
from brains.neat_config import default_config, read_config
from brains.neat_network import BatchedNetworks, NEATPolicy, check_record, record_from_genome
from brains.settings import SettingsError


@dataclass
class NEATSettings:
    # The NEAT config file; empty means the one shipped for the scene (assets/neat/).
    # On the command line: --neat-config FILE.
    config: str = ""

    def check(self) -> str | None:
        return None


@dataclass(frozen=True)
class SavedChampion:
    """What brain.json holds of a NEAT run: the champion, checked, and where it got to."""

    record: dict[str, Any]
    fitness: float
    generation: int
    config_text: str


class NEAT(Evolver):
    name = "neat"
    Settings = NEATSettings
    default_population = 150
    weights_file = None  # the champion is all in brain.json
    speciates = True

    @classmethod
    def bytes_per_agent(cls, shape: BrainShape, settings: NEATSettings) -> int:
        # neat-python's genomes are Python objects, a node and a link at a time: tens of
        # kilobytes each as they grow (and their networks, batched, beside them).
        return 50_000 + 64 * shape.obs_dim * shape.n_actions

    def __init__(
        self,
        shape: BrainShape,
        population: int,
        seed: int,
        settings: NEATSettings | None = None,
        *,
        saved: SavedChampion | None = None,
    ) -> None:
        """A population bred from the config file, or, with `saved`, a loaded champion
        that only plays (no config file is read, nothing breeds)."""
        self.settings = settings or NEATSettings()
        self.shape = shape
        self.population: Any = None
        self.config: Any = None
        self.config_text = ""
        self.config_path = ""
        self._random: Any = None  # neat-python's random state between generations
        self._size = 1
        self.best_genome: Any = None  # deep copy of the last generation's champion
        self.best_record: dict[str, Any] | None = None
        self.best_fitness = float("-inf")
        self.species_sizes: dict[int, int] = {}
        self.champion_changes = 0  # counts new champions, so views redraw only then
        self._generation = 0
        self._asked: list[Any] = []
        if saved is not None:
            self.config_text = saved.config_text
            self.best_record, self.best_fitness = saved.record, saved.fitness
            self._generation, self.champion_changes = saved.generation, 1
            return
        if population < 2:
            raise ValueError(f"brain neat needs a population of 2 or more, got {population}")
        self._start(population, seed)

    def _start(self, population: int, seed: int) -> None:
        import neat

        shape = self.shape
        path = Path(self.settings.config) if self.settings.config else default_config(shape.family)
        self.config, self.config_text = read_config(
            path, shape.obs_dim, shape.n_actions, population
        )
        self.config_path = str(path)
        outer = random.getstate()
        try:
            self.population = neat.Population(self.config, seed=seed)
        except Exception as error:  # a config neat-python parsed but cannot start from
            reason = " ".join(str(error).split()) or type(error).__name__
            raise SettingsError(f"{path}: neat-python cannot start from it ({reason})") from None
        finally:
            self._random = random.getstate()
            random.setstate(outer)
        self._size = population
        self._record_species()

    @property
    def population_size(self) -> int:
        return self._size

    @property
    def generation(self) -> int:
        return self._generation

    def describe(self) -> str:
        return f"NEAT, {len(self.species_sizes)} species"

    def ask(self) -> NEATPolicy:
        if self.population is None:
            raise RuntimeError("a loaded NEAT brain only plays its champion; train a new one")
        genomes = list(self.population.population.values())
        if len(genomes) != self._size:
            raise RuntimeError(f"neat-python bred {len(genomes)} genomes, expected {self._size}")
        # The last champion, if it survived as an elite, plays in row 0 (drawn on top).
        if self.best_genome is not None:
            first = [g for g in genomes if g.key == self.best_genome.key]
            genomes = first + [g for g in genomes if g.key != self.best_genome.key]
        self._asked = genomes
        records = [record_from_genome(g, self.config) for g in genomes]
        return NEATPolicy(BatchedNetworks(records))

    def tell(self, fitness: np.ndarray) -> None:
        fitness = np.asarray(fitness, dtype=np.float64)
        if fitness.shape != (len(self._asked),):
            raise ValueError(f"expected {len(self._asked)} fitness values, got {fitness.shape}")
        for genome, value in zip(self._asked, fitness, strict=True):
            genome.fitness = float(value)
        best = self._asked[int(np.argmax(fitness))]  # the first of equals: the old champion
        if self.best_genome is None or best.key != self.best_genome.key:
            self.champion_changes += 1
        self.best_genome = copy.deepcopy(best)  # neat-python overwrites elites' fitness
        self.best_record = record_from_genome(best, self.config)
        self.best_fitness = float(fitness.max())
        outer = random.getstate()
        random.setstate(self._random)
        try:
            self._breed()
        except SettingsError:
            raise
        except Exception as error:  # what the config checks did not foresee: one line
            reason = " ".join(str(error).split()) or type(error).__name__
            raise SettingsError(
                f"{self.config_path}: neat-python could not breed generation "
                f"{self._generation + 1} with this config ({reason})"
            ) from None
        finally:
            self._random = random.getstate()
            random.setstate(outer)
        self._asked = []
        self._generation += 1
        self._record_species()

    def _breed(self) -> None:
        """One neat-python generation. When there are more species than the population
        can give each its minimum size (a small population, a low compatibility
        threshold), neat-python refuses to breed: species are then merged for this
        generation by speciating afresh with a doubled threshold, rather than stopping."""
        species_config = self.config.species_set_config
        threshold = species_config.compatibility_threshold
        try:
            for _ in range(20):
                try:
                    self.population.run(lambda genomes, config: None, 1)
                    return
                except RuntimeError as error:
                    if "per-species minima" not in str(error):
                        raise
                # Speciating again from scratch: neat-python keeps every old species
                # that still has a nearest member, so re-speciating in place cannot merge.
                species_config.compatibility_threshold *= 2
                population = self.population
                population.species = self.config.species_set_type(
                    species_config, population.reporters
                )
                population.species.speciate(
                    self.config, population.population, population.generation
                )
            raise SettingsError(
                f"{self.config_path}: NEAT could not breed: more species than the population "
                f"({self._size}) can hold; raise [DefaultSpeciesSet] compatibility_threshold"
            )
        finally:
            species_config.compatibility_threshold = threshold

    def _record_species(self) -> None:
        species = self.population.species.species
        self.species_sizes = {int(k): len(s.members) for k, s in sorted(species.items())}

    def champion(self) -> NEATPolicy:
        record = self.best_record
        if record is None:  # nothing told yet: any genome of the first generation
            genome = next(iter(self.population.population.values()))
            record = record_from_genome(genome, self.config)
        return NEATPolicy(BatchedNetworks([record]))

    def champion_record(self) -> dict[str, Any] | None:
        """The champion network as plain data (for the network view), once there is one."""
        return self.best_record

    # -- saving ---------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        extra = {
            "generation": self._generation,
            "fitness": self.best_fitness if np.isfinite(self.best_fitness) else None,
            "genome": self.best_record
            or record_from_genome(next(iter(self.population.population.values())), self.config),
            "neat_config": {"file": self.config_path, "text": self.config_text},
        }
        write_brain(directory, self, extra, None)

    @classmethod
    def from_saved(
        cls, meta: dict[str, Any], arrays: dict[str, np.ndarray], settings: NEATSettings
    ) -> NEAT:
        """The saved champion, rebuilt from brain.json alone (checked: a hostile file fails
        with one line). It plays; it does not breed, so no config file is read."""
        shape = shape_from_meta(meta)
        record = check_record(meta.get("genome"), shape.obs_dim, shape.n_actions)
        BatchedNetworks([record])  # fails now, not in the window, if it cannot be built
        saved = meta.get("neat_config")
        fitness, generation = meta.get("fitness"), meta.get("generation")
        champion = SavedChampion(
            record=record,
            fitness=float(fitness) if isinstance(fitness, int | float) else float("-inf"),
            generation=generation if isinstance(generation, int) else 0,
            config_text=saved.get("text", "") if isinstance(saved, dict) else "",
        )
        return cls(shape, 1, 0, settings, saved=champion)
