"""Virtualenvs for benchmark peers, kept apart from the app's .venv.

A peer that needs what the app must not have (plain pygame beside pygame-ce, a library used
only to be timed against) gets its own venv under bench/, made on first use with the same
Python and the same constraints file, and reinstalled only when its requirements or the
constraints change (a stamp records them).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = REPO_ROOT / "constraints.txt"


def normalise(name: str) -> str:
    """A package name as PEP 503 compares them: pip lists e.g. `stable_baselines3`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_packages(python: Path) -> dict[str, str]:
    """Normalised name -> version of everything installed in the venv of `python`."""
    out = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {normalise(p["name"]): p["version"] for p in json.loads(out)}


def cpu_torch_problems(packages: dict[str, str]) -> list[str]:
    """CUDA wheels (several GB) or a non-CPU torch: what the constraints exist to prevent,
    and a different build than the app's."""
    problems = []
    cuda = sorted(name for name in packages if name.startswith("nvidia-"))
    if cuda:
        problems.append(f"CUDA packages were installed: {', '.join(cuda)}")
    torch = packages.get("torch")
    if torch is not None and "+cpu" not in torch:
        problems.append(f"torch {torch} is not the CPU build")
    return problems


@dataclass(frozen=True)
class BenchVenv:
    path: Path
    requirements: tuple[str, ...]
    stamp_name: str
    problems: Callable[[dict[str, str]], list[str]]  # what is wrong with an install

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    def fingerprint(self) -> str:
        """What the stamp records: the requirements and the constraints they were installed
        under, so editing either one triggers a reinstall."""
        constraints = CONSTRAINTS.read_bytes() if CONSTRAINTS.exists() else b""
        digest = hashlib.sha256(constraints).hexdigest()[:16]
        return " ".join(self.requirements) + f" constraints-sha256:{digest}\n"

    def ensure(self, quiet: bool = True) -> Path:
        """Create and fill the venv unless its stamp says it is up to date; return its python."""
        python, stamp = self.python, self.path / self.stamp_name
        if python.exists() and stamp.exists() and stamp.read_text() == self.fingerprint():
            return python
        if self.path.exists() and not python.exists():
            shutil.rmtree(self.path)  # a half-made venv: start again
        if not python.exists():
            # The interpreter running the benchmark (its base, when that is the app's
            # venv), so the peer and the app run on the same Python.
            subprocess.run([sys.executable, "-m", "venv", str(self.path)], check=True)
        # Plain pip: it is already configured (find-links, extra indexes). The constraints
        # pin torch to its CPU build in case anything asks for torch.
        command = [str(python), "-m", "pip", "install", "-c", str(CONSTRAINTS), *self.requirements]
        if quiet:
            command.insert(4, "--quiet")
        subprocess.run(command, check=True)
        problems = self.problems(installed_packages(python))
        if problems:
            raise RuntimeError(f"{self.path}: " + "; ".join(problems))
        stamp.write_text(self.fingerprint())
        return python


def run_json_lines(
    command: list[str], env: dict[str, str], timeout_s: float, stream_progress: bool
) -> list[dict] | str:
    """Run a peer's process and return the JSON objects it printed one per line, or the
    reason it gave none ("killed" past `timeout_s`, or its exit code). Its progress goes
    to our stderr when `stream_progress`, else nowhere."""
    try:
        completed = subprocess.run(
            command,
            env=env,
            stdout=subprocess.PIPE,
            stderr=None if stream_progress else subprocess.DEVNULL,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "killed"
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode != 0 or not lines:
        return f"exit code {completed.returncode}"
    return [json.loads(line) for line in lines]
