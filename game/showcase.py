"""A champion playing fresh episodes, one after another: a saved brain for
`python main.py watch`, a finished lane's champion in a race."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from brains.base import Brain, Planner, Policy
from game.arena import ChartSpec
from game.evaluation import SHOWCASE, episode_seed
from game.metrics import Metrics
from game.scenes import make_scene


class ShowcaseArena:
    """A brain's champion plays greedily, with no episode limit: a brain that has mastered
    the game keeps going for as long as you watch."""

    can_save = False

    def __init__(
        self, scene_name: str, brain: Brain, seed: int, source: Path | None = None
    ) -> None:
        self.brain = brain
        self.seed = seed
        self.source = source
        self.player = f"watching {brain.name}"
        self.keys: tuple[tuple[str, str], ...] = ()  # extra keys for the key line
        # A champion plays the maze its checks used: a changing maze in its changed form.
        self.scene = make_scene(scene_name, 1, capped=False, changed=True)
        if isinstance(brain, Planner) and not getattr(brain, "wants_tables", False):
            brain.attach(self.scene)  # a tree search looks ahead in the scene it plays
        self.policy: Policy = brain.champion()
        self.metrics = Metrics()
        self._playing = False

    @property
    def title(self) -> str:
        where = f" from {self.source.name}" if self.source else ""
        return f"{self.scene.spec.name}: {self.player}{where}"

    def tick(self) -> None:
        scene = self.scene
        if not self._playing:
            scene.reset(episode_seed(self.seed, SHOWCASE, self.metrics.episodes))
            self._playing = True
        scene.step(self.policy.act(scene.observe()))
        self.metrics.env_steps += 1
        if scene.all_done:
            score = float(scene.scores[0])
            self.metrics.episode_scores(np.array([score]))
            self.metrics.record("score", self.metrics.episodes, score, reduce="max")
            self._playing = False

    def hud(self) -> list[tuple[str, str]]:
        m = self.metrics
        scores = self.metrics.series.get("score")
        mean = f"{np.mean(scores.arrays()[1]):.1f}" if scores and len(scores) else "-"
        return [
            (self.scene.spec.episode_name.capitalize(), str(m.episodes + 1)),
            ("Score", str(int(self.scene.scores[0]))),
            ("Best", "-" if m.best_score is None else f"{m.best_score:g}"),
            ("Mean", mean),
        ]

    def charts(self) -> list[ChartSpec]:
        unit, word = self.scene.spec.score_name, self.scene.spec.episode_name
        return [
            ChartSpec(f"{unit.capitalize()} per {word}", word, (("score", unit, (120, 220, 120)),))
        ]

    def highlight(self) -> int | None:
        return 0

    def network(self) -> tuple[int, dict] | None:
        """The watched champion's network, for brains that grow networks (NEAT)."""
        record = getattr(self.brain, "champion_record", None)
        return None if record is None or record() is None else (0, record())

    def has_learned(self) -> bool:
        return False

    def progress_tag(self) -> str:
        return f"ep{self.metrics.episodes}"

    def save_best(self, root: Path) -> Path:
        raise RuntimeError("a watched brain is already saved")
