"""Training killed with SIGKILL, at random moments and in the middle of saving, leaves
only complete brains behind: whatever is in the folder loads, and the newest plays and
goes on training."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_cli import ROOT, main_py

from brains.storage import META_FILE, load_brain
from game.run_files import read_episodes, read_progress

TRAIN = ["train", "--scene", "cartpole", "--brain", "q-table", "--max-episodes", "40", "--quiet"]
ENV = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}


def visible_brains(out: Path) -> list[Path]:
    """The brains a user (or the menu) sees: folders holding brain.json. A run's folder
    holds its logs from the start and its brain once saved: a save in progress is a hidden
    `.brain.partial-PID` folder inside it, whose files move up brain.json last."""
    return sorted(p for p in out.iterdir() if (p / META_FILE).is_file()) if out.exists() else []


def run_folders(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if not p.name.startswith(".")) if out.exists() else []


def kill_after(argv: list[str], seconds: float) -> None:
    process = subprocess.Popen(argv, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    time.sleep(seconds)
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_fifty_kills_at_random_moments_leave_only_complete_brains(tmp_path):
    out = tmp_path / "runs"
    chance = random.Random(7)
    for _ in range(50):
        # Start-up takes about half a second and a run about as long again: the kills
        # land before training, during it, while saving, and after the process is done.
        kill_after([sys.executable, "main.py", *TRAIN, "--out", str(out)], chance.uniform(0.3, 1.2))
    brains = visible_brains(out)
    assert brains, "no run got as far as saving in 50 tries"
    for directory in brains:
        load_brain(directory)  # complete: it loads
    for folder in run_folders(out):  # saved or not, a run's logs read: no torn row in them
        read_progress(folder)
        read_episodes(folder)
    newest = max(brains, key=lambda p: (p / META_FILE).stat().st_mtime)
    assert main_py("watch", str(newest), "--frames", "2").returncode == 0
    going_on = main_py("train", "--from", str(newest), "--max-episodes", "5", "--quiet",
                       "--out", str(tmp_path / "more"))  # fmt: skip
    assert going_on.returncode == 0, going_on.stderr


SLOW_SAVE = """
import os, sys, time
sys.path.insert(0, os.getcwd())
import numpy as np
np.savez = (lambda save: lambda *a, **k: (save(*a, **k), time.sleep(30)))(np.savez)
sys.argv = ["main.py", *sys.argv[1:]]
import main
main.main(sys.argv[1:])
"""


def test_a_kill_in_the_middle_of_a_save_leaves_no_half_brain(tmp_path):
    out = tmp_path / "runs"
    script = tmp_path / "slow_save.py"
    script.write_text(SLOW_SAVE)  # the weights are written, then the save stalls
    for _ in range(3):
        argv = [sys.executable, str(script), *TRAIN, "--out", str(out)]
        process = subprocess.Popen(argv, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 60
        saving = "*/.*partial*/weights.npz"  # inside the run's folder
        while not any(out.glob(saving)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any(out.glob(saving)), "the save never began"
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert visible_brains(out) == []  # half a brain is never where a brain would be
    finished = main_py(*TRAIN, "--out", str(out))
    assert finished.returncode == 0, finished.stderr
    (brain,) = visible_brains(out)
    load_brain(brain)


def test_a_second_ctrl_c_quits_at_once(tmp_path):
    argv = [sys.executable, "main.py", "train", "--until-solved", "--population", "300",
            "--quiet", "--out", str(tmp_path)]  # fmt: skip
    process = subprocess.Popen(argv, cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
    time.sleep(2.5)  # training under way
    process.send_signal(signal.SIGINT)
    time.sleep(0.01)
    process.send_signal(signal.SIGINT)  # while the first is still saving
    start = time.monotonic()
    _, stderr = process.communicate(timeout=30)
    assert time.monotonic() - start < 5
    # 130 ("Stopped."), or -2: a second KeyboardInterrupt that reached the interpreter ends
    # the process as SIGINT would; either way at once and without a traceback.
    assert process.returncode in (0, 130, -signal.SIGINT), stderr
    assert "Traceback" not in stderr, stderr
