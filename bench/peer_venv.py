"""The peer's own virtualenv, and running the peer (neat-python on flappy-bird-gymnasium) in it.

flappy-bird-gymnasium depends on plain `pygame`, which must never be installed beside
`pygame-ce` in the app's `.venv` (both install the `pygame` package and overwrite each
other). So the peer lives in `bench/.peer-venv` and runs as a subprocess; this module only
uses the standard library, so the app's venv can import it.

    from bench.peer_venv import ensure_peer_venv, run_peer
    results = run_peer(seeds=[0, 1, 2, 3, 4], max_generations=300, timeout_s=600)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PEER_VENV = REPO_ROOT / "bench" / ".peer-venv"
PEER_SCRIPT = REPO_ROOT / "bench" / "peer_neat_flappy.py"
CONSTRAINTS = REPO_ROOT / "constraints.txt"
REQUIREMENTS = ("flappy-bird-gymnasium==0.4.0", "neat-python==2.0.0")
STAMP_NAME = ".peer-installed"

# Extra seconds past `timeout_s` before the subprocess is killed: the peer stops itself at
# `timeout_s` (checked between genomes), so this only covers start-up and a stuck process.
KILL_GRACE_S = 60.0


def _venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _install_fingerprint() -> str:
    """What the stamp records: the requirements and the constraints they were installed
    under, so editing either one triggers a reinstall."""
    constraints = CONSTRAINTS.read_bytes() if CONSTRAINTS.exists() else b""
    digest = hashlib.sha256(constraints).hexdigest()[:16]
    return " ".join(REQUIREMENTS) + f" constraints-sha256:{digest}\n"


def _installed_packages(python: Path) -> dict[str, str]:
    """Name (lower case) -> version of everything installed in the venv of `python`."""
    out = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {p["name"].lower(): p["version"] for p in json.loads(out)}


def _check_installed(python: Path) -> None:
    """Fail loudly if the install pulled in what it must not: pygame-ce next to pygame, or a
    CUDA torch (several GB of nvidia-* wheels) that the constraints were meant to prevent."""
    packages = _installed_packages(python)
    problems = []
    if "pygame" not in packages:
        problems.append("plain pygame is missing")
    if "pygame-ce" in packages:
        problems.append("pygame-ce is installed beside pygame")
    cuda = sorted(name for name in packages if name.startswith("nvidia-"))
    if cuda:
        problems.append(f"CUDA packages were installed: {', '.join(cuda)}")
    torch = packages.get("torch")
    if torch is not None and "+cpu" not in torch:
        problems.append(f"torch {torch} is not the CPU build")
    if problems:
        raise RuntimeError(f"peer venv {PEER_VENV}: " + "; ".join(problems))


def ensure_peer_venv(quiet: bool = True) -> Path:
    """Create and fill `bench/.peer-venv` unless its stamp says it is up to date; return the
    path of its python executable."""
    python = _venv_python(PEER_VENV)
    stamp = PEER_VENV / STAMP_NAME
    fingerprint = _install_fingerprint()
    if python.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return python

    if PEER_VENV.exists() and not python.exists():
        shutil.rmtree(PEER_VENV)  # a half-made venv: start again
    if not python.exists():
        # The interpreter running the benchmark (its base, when that is the app's venv),
        # so the peer and the app run on the same Python.
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)

    # Plain pip: it is already configured (find-links, extra indexes). The constraints pin
    # torch to the CPU build in case anything ever asks for torch.
    command = [str(python), "-m", "pip", "install", "-c", str(CONSTRAINTS), *REQUIREMENTS]
    if quiet:
        command.insert(4, "--quiet")
    subprocess.run(command, check=True)
    _check_installed(python)
    stamp.write_text(fingerprint)
    return python


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
        try:
            completed = subprocess.run(
                command,
                env=peer_env(),
                stdout=subprocess.PIPE,
                stderr=None if stream_progress else subprocess.DEVNULL,
                text=True,
                timeout=timeout_s + KILL_GRACE_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            results.append(_failed_result(seed, "killed", timeout_s + KILL_GRACE_S))
            continue
        lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
        if completed.returncode != 0 or not lines:
            elapsed = time.perf_counter() - start
            results.append(_failed_result(seed, f"exit code {completed.returncode}", elapsed))
            continue
        results.extend(json.loads(line) for line in lines)
    return results


if __name__ == "__main__":
    # `python bench/peer_venv.py` only sets up the venv and says what it holds.
    peer_python = ensure_peer_venv(quiet=False)
    print(peer_python)
    for name, version in sorted(_installed_packages(peer_python).items()):
        print(f"{name}=={version}")
