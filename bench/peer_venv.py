"""The peer's own virtualenv, and running the peer (neat-python on flappy-bird-gymnasium) in it.

flappy-bird-gymnasium depends on plain `pygame`, which must never be installed beside
`pygame-ce` in the app's `.venv` (both install the `pygame` package and overwrite each
other). So the peer lives in `bench/.peer-venv` and runs as a subprocess; this module only
uses the standard library, so the app's venv can import it.

    from bench.peer_venv import ensure_peer_venv, run_peer
    results = run_peer(seeds=[0, 1, 2, 3, 4], max_generations=300, timeout_s=600)
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.venvs import (
    REPO_ROOT,
    BenchVenv,
    cpu_torch_problems,
    installed_packages,
    run_json_lines,
)

PEER_VENV = REPO_ROOT / "bench" / ".peer-venv"
PEER_SCRIPT = REPO_ROOT / "bench" / "peer_neat_flappy.py"
REQUIREMENTS = ("flappy-bird-gymnasium==0.4.0", "neat-python==2.0.0")
STAMP_NAME = ".peer-installed"

# Extra seconds past `timeout_s` before the subprocess is killed: the peer stops itself at
# `timeout_s` (checked between genomes), so this only covers start-up and a stuck process.
KILL_GRACE_S = 60.0


def _peer_problems(packages: dict[str, str]) -> list[str]:
    """Plain pygame must be there and pygame-ce must not: they overwrite each other."""
    problems = cpu_torch_problems(packages)
    if "pygame" not in packages:
        problems.append("plain pygame is missing")
    if "pygame-ce" in packages:
        problems.append("pygame-ce is installed beside pygame")
    return problems


PEER = BenchVenv(PEER_VENV, REQUIREMENTS, STAMP_NAME, _peer_problems)


def ensure_peer_venv(quiet: bool = True) -> Path:
    """Create and fill `bench/.peer-venv` unless it is up to date; return its python."""
    return PEER.ensure(quiet)


def peer_env() -> dict[str, str]:
    """The environment for the peer: headless SDL, and no pygame banner on stdout (stdout
    carries the JSON results)."""
    env = dict(os.environ)
    env.update(
        SDL_VIDEODRIVER="dummy",
        SDL_AUDIODRIVER="dummy",
        PYGAME_HIDE_SUPPORT_PROMPT="1",
    )
    env.pop("PYTHONPATH", None)  # nothing from the app's environment leaks into the peer
    return env


def _failed_result(seed: int, reason: str, wall_seconds: float) -> dict:
    """A seed whose process gave no result. Numbers, not None, so callers can still sum
    and compare them; the true generations and steps are unknown."""
    return {
        "seed": seed,
        "solved": False,
        "generations": 0,
        "wall_seconds": wall_seconds,
        "env_steps": 0,
        "best_score": 0,
        "stop_reason": reason,
    }


def run_peer(
    seeds: list[int],
    max_generations: int,
    timeout_s: float,
    population: int = 100,
    stream_progress: bool = True,
) -> list[dict]:
    """Evolve the peer once per seed, each in its own subprocess in the peer venv, and
    return one result dict per seed (keys: seed, solved, generations, wall_seconds,
    env_steps, best_score, plus the peer's extras such as stop_reason).

    `timeout_s` caps each seed's wall time: the peer stops itself there and reports
    `stop_reason: "time_limit"`; a process that overruns by KILL_GRACE_S is killed and
    reported as `stop_reason: "killed"`. Progress goes to this process's stderr when
    `stream_progress`, otherwise it is discarded.
    """
    python = ensure_peer_venv()
    results: list[dict] = []
    for seed in seeds:
        command = [
            str(python),
            str(PEER_SCRIPT),
            "--seeds",
            str(seed),
            "--max-generations",
            str(max_generations),
            "--population",
            str(population),
            "--time-limit",
            str(timeout_s),
        ]
        # One process per seed: a killed seed loses only its own result, and every seed
        # starts from the same fresh interpreter.
        start = time.perf_counter()
        found = run_json_lines(command, peer_env(), timeout_s + KILL_GRACE_S, stream_progress)
        if isinstance(found, str):
            found = [_failed_result(seed, found, time.perf_counter() - start)]
        results.extend(found)
    return results


if __name__ == "__main__":
    # `python -m bench.peer_venv` only sets up the venv and says what it holds.
    peer_python = ensure_peer_venv(quiet=False)
    print(peer_python)
    for name, version in sorted(installed_packages(peer_python).items()):
        print(f"{name}=={version}")
