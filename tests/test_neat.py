"""NEAT: the brain follows the scene, its batched networks agree with neat-python's, the
champion survives a save, it learns, and bad config files get one line."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import warnings
from pathlib import Path

import neat
import numpy as np
import pytest

from brains.neat_brain import NEAT, NEATSettings
from brains.neat_config import read_config
from brains.neat_network import BatchedNetworks, NEATPolicy, record_from_genome
from brains.registry import make_brain
from brains.settings import SettingsError
from brains.storage import BrainFileError, load_brain, save_brain
from game.arena import Budget, EvolutionArena, brain_shape

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "assets" / "neat" / "default.cfg"


def config_with(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """The default config with `key = value` lines replaced (or added to the section)."""
    lines = DEFAULT.read_text().splitlines()
    for key, value in edits:
        for i, line in enumerate(lines):
            if line.split("=")[0].strip() == key:
                lines[i] = f"{key} = {value}"
                break
        else:
            at = lines.index("[DefaultGenome]") + 1
            lines.insert(at, f"{key} = {value}")
    path = tmp_path / "neat.cfg"
    path.write_text("\n".join(lines) + "\n")
    return path


def reference_outputs(genome, config, observations: np.ndarray) -> np.ndarray:
    net = neat.nn.FeedForwardNetwork.create(genome, config)
    return np.array([net.activate(row.tolist()) for row in observations])


@pytest.mark.parametrize("scene", ["flappy", "cartpole"])
def test_inputs_and_outputs_follow_the_scene(scene):
    shape = brain_shape(scene)
    brain = make_brain("neat", shape, 20, seed=0)
    genome_config = brain.config.genome_config
    assert (genome_config.num_inputs, genome_config.num_outputs) == (
        shape.obs_dim,
        shape.n_actions,
    )
    assert brain.config.pop_size == 20 and brain.population_size == 20
    actions = brain.ask().act(np.zeros((20, shape.obs_dim), dtype=np.float32))
    assert actions.shape == (20,) and set(actions.tolist()) <= set(range(shape.n_actions))


def grown_genomes(tmp_path: Path, count: int = 40, mutations: int = 25):
    """Genomes with hidden nodes, every activation, mean and sum, some links disabled."""
    path = config_with(
        tmp_path,
        ("activation_options", " ".join(["tanh", "sigmoid", "relu", "sin", "gauss", "abs"])),
        ("activation_mutate_rate", "0.5"),
        ("aggregation_options", "sum mean"),
        ("aggregation_mutate_rate", "0.3"),
        ("node_add_prob", "0.6"),
        ("conn_add_prob", "0.8"),
        ("enabled_mutate_rate", "0.2"),
        ("response_mutate_rate", "0.5"),
        ("response_mutate_power", "0.5"),
    )
    config, _ = read_config(path, 7, 2, count)
    random.seed(1)
    population = neat.Population(config, seed=1)
    genomes = list(population.population.values())
    for genome in genomes:
        for _ in range(mutations):
            genome.mutate(config.genome_config)
    return config, genomes


def test_batched_networks_equal_neat_python_for_grown_genomes(tmp_path):
    config, genomes = grown_genomes(tmp_path)
    assert max(len(g.nodes) for g in genomes) > 6, "mutation should have grown hidden nodes"
    assert any(not c.enabled for g in genomes for c in g.connections.values())
    observations = np.random.default_rng(0).normal(0, 1.5, (len(genomes), 7))
    ours = BatchedNetworks([record_from_genome(g, config) for g in genomes]).outputs(observations)
    expected = np.array(
        [
            reference_outputs(g, config, row[None])[0]
            for g, row in zip(genomes, observations, strict=True)
        ]
    )
    np.testing.assert_allclose(ours, expected, rtol=1e-9, atol=1e-12)
    # One network acting for many agents gives each agent what neat-python gives it.
    single = BatchedNetworks([record_from_genome(genomes[0], config)]).outputs(observations)
    np.testing.assert_allclose(
        single, reference_outputs(genomes[0], config, observations), rtol=1e-9, atol=1e-12
    )


def test_json_champion_round_trips_to_the_same_network(tmp_path):
    brain = make_brain("neat", brain_shape("flappy"), 30, seed=3)
    arena = EvolutionArena("flappy", brain, seed=3)
    arena.run(Budget(max_generations=3))
    directory = save_brain(brain, tmp_path / "champion")
    assert not (directory / "weights.npz").exists()
    meta = json.loads((directory / "brain.json").read_text())
    assert meta["genome"]["connections"] and "[DefaultGenome]" in meta["neat_config"]["text"]
    loaded = load_brain(directory)
    observations = np.random.default_rng(1).normal(0, 1, (50, 7)).astype(np.float32)
    expected = reference_outputs(brain.best_genome, brain.config, observations.astype(float))
    ours = loaded.champion().networks.outputs(observations.astype(float))
    np.testing.assert_allclose(ours, expected, rtol=1e-9, atol=1e-12)
    assert np.array_equal(loaded.champion().act(observations), expected.argmax(axis=1))


def test_a_hostile_genome_fails_to_load_with_one_line(tmp_path):
    brain = make_brain("neat", brain_shape("cartpole"), 10, seed=0)
    directory = save_brain(brain, tmp_path / "b")
    meta = json.loads((directory / "brain.json").read_text())
    meta["genome"]["nodes"][0]["activation"] = "__import__('os').system"
    (directory / "brain.json").write_text(json.dumps(meta))
    with pytest.raises(BrainFileError) as error:
        load_brain(directory)
    assert "activation" in str(error.value) and "\n" not in str(error.value)
    meta["genome"] = {"inputs": [], "outputs": [], "nodes": [], "connections": []}
    (directory / "brain.json").write_text(json.dumps(meta))
    with pytest.raises(BrainFileError, match="inputs"):
        load_brain(directory)


def test_a_short_headless_run_raises_best_fitness():
    brain = make_brain("neat", brain_shape("flappy"), 50, seed=0)
    arena = EvolutionArena("flappy", brain, seed=0)
    arena.run(Budget(max_generations=8))
    best = arena.metrics.series["best_fitness"].arrays()[1]
    mean = arena.metrics.series["mean_fitness"].arrays()[1]
    assert best[-3:].max() > 5 * best[0]  # from a few pipes to dozens
    assert mean[-3:].mean() > 2 * mean[0]
    assert arena.metrics.series["species"].last >= 1
    assert sum(brain.species_sizes.values()) == 50


def test_same_seed_same_run_even_beside_another_neat_brain():
    def run(neighbour: bool) -> list[float]:
        brain = make_brain("neat", brain_shape("cartpole"), 20, seed=5)
        other = make_brain("neat", brain_shape("cartpole"), 20, seed=9) if neighbour else None
        arena = EvolutionArena("cartpole", brain, seed=5)
        for _ in range(4):
            arena.run(Budget(max_generations=arena.metrics.generations + 1))
            if other is not None:
                other.ask()
                other.tell(np.arange(20.0))
        return arena.metrics.series["best_fitness"].arrays()[1].tolist()

    assert run(False) == run(True)


@pytest.mark.parametrize(
    "edits, words",
    [
        ((("wieght_mutate_rate", "0.8"),), ["wieght_mutate_rate", "weight_mutate_rate", ":"]),
        ((("weight_mutate_rate", "lots"),), ["weight_mutate_rate", "lots"]),
        ((("initial_connection", "sideways"),), ["initial_connection"]),
        ((("aggregation_options", "sum max"),), ["aggregation_options"]),
        ((("feed_forward", "False"),), ["feed_forward"]),
        ((("reset_on_extinction", "False"),), ["reset_on_extinction"]),
    ],
)
def test_config_errors_are_one_line_naming_the_key(tmp_path, edits, words):
    if edits[0][0] == "reset_on_extinction":
        path = tmp_path / "neat.cfg"
        path.write_text(
            DEFAULT.read_text().replace(
                "reset_on_extinction    = True", "reset_on_extinction = False"
            )
        )
    else:
        path = config_with(tmp_path, *edits)
    with pytest.raises(SettingsError) as error:
        NEAT(brain_shape("flappy"), 10, 0, NEATSettings(config=str(path)))
    message = str(error.value)
    assert "\n" not in message and message.startswith(str(path))
    for word in words:
        assert word in message


def test_a_config_without_initial_connection_is_refused(tmp_path):
    path = tmp_path / "neat.cfg"
    path.write_text(
        "\n".join(x for x in DEFAULT.read_text().splitlines() if "initial_connection" not in x)
    )
    with pytest.raises(SettingsError, match="initial_connection is missing"):
        read_config(path, 7, 2, 10)


def test_the_command_line_gives_one_line_and_exit_2_for_a_bad_config(tmp_path):
    path = config_with(tmp_path, ("conn_add_probb", "0.5"))
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "train",
            "--brain",
            "neat",
            "--neat-config",
            str(path),
            "--max-generations",
            "1",
            "--quiet",
            "--out",
            str(tmp_path / "runs"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "conn_add_probb" in result.stderr


def test_train_prints_the_json_line_and_saves_a_loadable_champion(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "train",
            "--scene",
            "cartpole",
            "--brain",
            "neat",
            "--neat-config",
            str(DEFAULT),
            "--population",
            "30",
            "--max-generations",
            "2",
            "--quiet",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["brain"] == "neat" and line["generations"] == 2
    loaded = load_brain(line["saved_to"])
    assert loaded.champion().act(np.zeros((3, 4), dtype=np.float32)).shape == (3,)


def test_more_species_than_the_population_can_feed_does_not_stop_the_run(tmp_path):
    # At this threshold nearly every genome is a species of its own; neat-python then
    # refuses to breed (each species needs 2 places), and the brain merges species.
    path = config_with(tmp_path, ("compatibility_threshold", "0.3"))
    brain = NEAT(brain_shape("flappy"), 8, 0, NEATSettings(config=str(path)))
    arena = EvolutionArena("flappy", brain, seed=0)
    arena.run(Budget(max_generations=12))
    assert arena.metrics.generations == 12
    assert sum(brain.species_sizes.values()) == 8
    assert brain.config.species_set_config.compatibility_threshold == 0.3


def config_in(tmp_path: Path, section: str, key: str, value: str) -> tuple[Path, int]:
    """The default config with `key = value` set in [section]; (file, the key's line)."""
    lines = DEFAULT.read_text().splitlines()
    for i, line in enumerate(lines):
        if line.split("=")[0].strip() == key:
            lines[i] = f"{key} = {value}"
            break
    else:
        i = lines.index(f"[{section}]") + 1
        lines.insert(i, f"{key} = {value}")
    path = tmp_path / "neat.cfg"
    path.write_text("\n".join(lines) + "\n")
    return path, i + 1


@pytest.mark.parametrize(
    "section, key, value",
    [
        ("DefaultReproduction", "elitism", "1000"),
        ("DefaultReproduction", "min_species_size", "0"),
        ("DefaultReproduction", "min_species_size", "31"),
        ("DefaultReproduction", "survival_threshold", "1.5"),
        ("DefaultSpeciesSet", "compatibility_threshold", "-1"),
        ("DefaultSpeciesSet", "compatibility_threshold", "nan"),
        ("DefaultSpeciesSet", "compatibility_threshold", "0"),
        ("DefaultGenome", "conn_add_prob", "1.5"),
        ("DefaultGenome", "weight_mutate_rate", "-0.1"),
        ("DefaultGenome", "bias_min_value", "40"),
        ("DefaultGenome", "weight_init_stdev", "-1"),
        ("DefaultGenome", "weight_init_mean", "inf"),
        ("DefaultGenome", "enabled_default", "maybe"),
        ("DefaultGenome", "weight_init_type", "cauchy"),
        ("DefaultGenome", "single_structural_mutation", "perhaps"),
        ("DefaultGenome", "structural_mutation_surer", "sometimes"),
        ("DefaultStagnation", "species_fitness_func", "best"),
        ("DefaultStagnation", "max_stagnation", "-3"),
        ("DefaultStagnation", "species_elitism", "2.5"),
    ],
)
def test_values_out_of_range_are_one_line_naming_file_line_and_key(tmp_path, section, key, value):
    path, line = config_in(tmp_path, section, key, value)
    with pytest.raises(SettingsError) as error:
        read_config(path, 7, 2, 30)
    message = str(error.value)
    assert message.startswith(f"{path}:{line}: [{section}] {key}"), message
    assert "\n" not in message and "{self" not in message


def test_a_config_parsing_error_keeps_its_line_number(tmp_path):
    path = tmp_path / "neat.cfg"
    lines = DEFAULT.read_text().splitlines()
    at = lines.index("[DefaultGenome]") + 1
    lines.insert(at, "num_hidden 3")  # no '='
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SettingsError) as error:
        read_config(path, 7, 2, 30)
    assert str(error.value).startswith(f"{path}:{at + 1}:") and "\n" not in str(error.value)


def test_neat_python_failing_mid_run_is_one_settings_error_line(monkeypatch):
    brain = make_brain("neat", brain_shape("cartpole"), 10, seed=0)
    brain.ask()

    def refuse(*args, **kwargs):
        raise RuntimeError("Invalid min/max\nconfiguration")

    monkeypatch.setattr(brain.population, "run", refuse)
    with pytest.raises(SettingsError) as error:
        brain.tell(np.arange(10.0))
    assert "\n" not in str(error.value) and "configuration" in str(error.value)


def test_the_reported_elitism_config_exits_2_with_one_line(tmp_path):
    path, _ = config_in(tmp_path, "DefaultReproduction", "elitism", "1000")
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "train", "--brain", "neat"]
        + ["--neat-config", str(path), "--max-generations", "5", "--quiet"]
        + ["--out", str(tmp_path / "runs")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "elitism" in result.stderr


def test_our_layering_is_neat_pythons_on_random_graphs():
    from neat.graphs import feed_forward_layers

    from brains.neat_network import layers_of

    rng = random.Random(0)
    for _ in range(500):  # cycles, self-loops, bias neurons, dead ends, disabled links
        inputs = [-i - 1 for i in range(rng.randint(1, 4))]
        nodes = list(range(rng.randint(1, 3) + rng.randint(0, 8)))
        outputs = nodes[: rng.randint(1, min(3, len(nodes)))]
        links = {(rng.choice(inputs + nodes), rng.choice(nodes)) for _ in range(rng.randint(0, 20))}
        record = {
            "inputs": inputs,
            "outputs": outputs,
            "connections": [{"in": a, "out": b, "enabled": rng.random() < 0.8} for a, b in links],
        }
        enabled = [(c["in"], c["out"]) for c in record["connections"] if c["enabled"]]
        expected = feed_forward_layers(inputs, outputs, enabled)[0]
        assert layers_of(record) == [sorted(layer) for layer in expected]


def chain_genome(length: int, n_inputs: int, n_outputs: int) -> dict:
    """Input -1 -> hidden nodes -> output 0, `length` nodes long; the other outputs, with
    no inputs, are a layer of their own before it (as neat-python has them)."""
    keys = list(range(n_outputs)) + list(range(n_outputs, n_outputs + length - 1))
    node = {"bias": 0.0, "response": 1.0, "activation": "identity", "aggregation": "sum"}
    path = [-1, *reversed(keys[n_outputs:]), 0]
    return {
        "inputs": [-i - 1 for i in range(n_inputs)],
        "outputs": list(range(n_outputs)),
        "nodes": [{"key": k, **node} for k in keys],
        "connections": [
            {"in": a, "out": b, "weight": 1.0, "enabled": True}
            for a, b in zip(path, path[1:], strict=False)
        ],
    }


def test_a_deep_hostile_genome_is_refused_at_once_and_a_deep_legal_one_plays(tmp_path):
    brain = make_brain("neat", brain_shape("cartpole"), 10, seed=0)
    directory = save_brain(brain, tmp_path / "b")
    meta = json.loads((directory / "brain.json").read_text())
    meta["genome"] = chain_genome(9_000, 4, 2)
    (directory / "brain.json").write_text(json.dumps(meta))
    with pytest.raises(BrainFileError) as error:
        load_brain(directory)
    assert "layers deep" in str(error.value) and "\n" not in str(error.value)
    meta["genome"] = chain_genome(99, 4, 2)  # 100 layers: the most allowed
    (directory / "brain.json").write_text(json.dumps(meta))
    observations = np.array([[0.3, 0, 0, 0], [-0.7, 0, 0, 0]])
    outputs = load_brain(directory).champion().networks.outputs(observations)
    np.testing.assert_allclose(outputs[:, 0], [0.3, -0.7])  # identity all the way through


def test_a_huge_response_gives_finite_outputs_and_no_warnings():
    node = {"bias": 0.0, "response": 1e308, "activation": "identity", "aggregation": "sum"}
    record = {  # output 0 = h1 - h2 = inf - inf; output 1 = 1e308 * 1e308 * x
        "inputs": [-1],
        "outputs": [0, 1],
        "nodes": [{"key": k, **node} for k in range(4)],
        "connections": [
            {"in": a, "out": b, "weight": w, "enabled": True}
            for a, b, w in [(-1, 2, 1.0), (-1, 3, 1.0), (2, 0, 1.0), (3, 0, -1.0), (2, 1, 1.0)]
        ],
    }
    observations = np.array([[5.0], [-5.0], [0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for networks in (BatchedNetworks([record]), BatchedNetworks([record] * 3)):
            outputs = networks.outputs(observations)
            assert np.isfinite(outputs).all()
            assert NEATPolicy(networks).act(observations).tolist() == [1, 0, 0]


def test_a_loaded_champion_is_built_by_the_constructor_with_every_attribute(tmp_path):
    brain = make_brain("neat", brain_shape("cartpole"), 10, seed=0)
    brain.ask()
    brain.tell(np.arange(10.0))
    loaded = load_brain(save_brain(brain, tmp_path / "b"))
    assert set(vars(loaded)) == set(vars(brain))
    assert loaded.population is None and loaded.population_size == 1
    assert (loaded.generation, loaded.best_fitness) == (1, 9.0)
    assert loaded.champion_record() == brain.champion_record()
    assert "[DefaultGenome]" in loaded.config_text and loaded.describe() == "NEAT, 0 species"


def test_the_neat_benchmark_times_solving_with_flappy_solves_own_run():
    # In a child process: the benchmarks pin BLAS to one thread on import.
    code = (
        "import json, bench.flappy_solve as s, bench.neat_vs_ga as n\n"
        "assert not hasattr(n, 'solve') and n.solve_ours is s.solve_ours\n"
        "print(json.dumps(s.solve_ours(0, 'neat', 10, 1)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    run = json.loads(result.stdout)
    assert run["generations"] == 1 and 0.0 <= run["checking"] <= 1.0 and "best_score" in run
