"""Monte-Carlo tree search (UCT) in the real simulator, with its rollouts batched.

Kocsis and Szepesvari (2006), "Bandit based Monte-Carlo planning": grow a tree of the
states reachable from now, descend it by the UCB1 rule, expand a leaf, estimate its value
by random play, and back the returns up. The most visited first move is played; then the
tree is dropped and the next move searched afresh (the planner protocol).

The model is the live scene itself (anything with `n`, `alive`, `snapshot()`,
`restore()`, `step()`), never disturbed: the search plays in a private copy. Scenes hold
many agents in arrays, so a leaf is expanded in one batched step: its state is loaded
into `rollouts_per_action` lanes per action (`make_lanes` and `load_lanes`), the first
step tries every action at once, and all those lanes then play their random rollouts
together, one scene step per tick for all of them. A scene without lanes is searched
one rollout at a time in a deep copy (same tree, same statistics, slower).

Every action's rollouts replay the same random action sequences (common random
numbers), so moves are compared on equal luck.

Two details that decide whether it works:
- A node stores the reward earned on the step into it; a child's value is that reward
  plus the discounted value of what follows. On CartPole every step pays 1, so leaving
  the step's reward out cannot be seen; in a maze it hides the goal and the pits.
- Equal choices are broken at random: ties to the lowest index pin a maze agent against
  a wall, trying the same useless move for ever.

Values are compared after scaling to [0, 1] by the smallest and largest seen in the tree
(as MuZero does), so one exploration constant suits CartPole's step counts, Flappy Bird's
pipes and a maze's step costs alike.

Random rollouts see only as far as random play lasts. On CartPole that is about 20
steps, too short to see a drifting cart reach the end of the track in time, so there the
rollouts imitate the search's own moves (rollout_policy="imitate", see Imitation).
"""

from __future__ import annotations

import copy
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from brains.base import BrainShape, Planner, shape_from_meta, write_brain


@dataclass
class MCTSSettings:
    simulations: int = 200  # rollouts per move: the search budget
    depth: int = 20  # random steps in each rollout after the expanded move
    # UCB1 constant c, on values scaled to [0, 1]. Large, because only the move at the
    # root is played: comparing its moves on many samples each beats a deep narrow tree
    # (CartPole, 10 episodes: 10/10 full at 2, 8-9/10 at 0.5 or 1).
    exploration: float = 2.0
    discount: float = 1.0  # per step, in the tree and in the rollouts
    # Lanes per action when a leaf is expanded, all played at once: many, since one batched
    # step costs about the same for 16 lanes as for 4 (CartPole's hardest start, 6 seeds:
    # 6/6 full episodes at 8, 4/6 at 4).
    rollouts_per_action: int = 8
    rollout_weights: str = ""  # chance of each action in rollouts, e.g. "0.9/0.1"; empty: uniform
    # "random": rollouts act at random (by rollout_weights). "imitate": they follow a
    # linear policy fitted to the moves the search has chosen so far (once it has chosen
    # IMITATE_AFTER), acting at random with chance rollout_epsilon, so they last and see
    # far (see Imitation).
    rollout_policy: str = "random"
    rollout_epsilon: float = 0.3
    batched: bool = True  # rollouts in lanes of one scene when it can; off: one at a time
    # How a node's rollouts make its value: "mean" (UCT), or "max", the best return seen:
    # in a deterministic scene any rollout's return is one the agent can get for sure.
    backup: str = "mean"

    def check(self) -> str | None:
        if self.simulations < 1:
            return f"simulations must be at least 1, got {self.simulations}"
        if self.depth < 0:
            return f"depth must be 0 or more, got {self.depth}"
        if not 0 <= self.exploration < math.inf:
            return f"exploration must be 0 or more, got {self.exploration}"
        if not 0 <= self.discount <= 1:
            return f"discount must be between 0 and 1, got {self.discount}"
        if self.backup not in ("mean", "max"):
            return f"backup must be mean or max, got {self.backup!r}"
        if self.rollout_policy not in ("random", "imitate"):
            return f"rollout_policy must be random or imitate, got {self.rollout_policy!r}"
        if not 0 <= self.rollout_epsilon <= 1:
            return f"rollout_epsilon must be between 0 and 1, got {self.rollout_epsilon}"
        if self.rollouts_per_action < 1:
            return f"rollouts_per_action must be at least 1, got {self.rollouts_per_action}"
        if self.rollout_weights:
            try:
                weights = [float(part) for part in self.rollout_weights.split("/")]
            except ValueError:
                return f"rollout_weights={self.rollout_weights!r} must be numbers separated by /"
            if any(not 0 <= w < math.inf for w in weights) or sum(weights) <= 0:
                return "rollout_weights must be 0 or more and not all 0"
        return None


def rollout_probabilities(settings: MCTSSettings, n_actions: int) -> np.ndarray | None:
    """The rollout policy's action probabilities; None for uniform."""
    if not settings.rollout_weights:
        return None
    weights = np.array([float(part) for part in settings.rollout_weights.split("/")])
    if len(weights) != n_actions:
        raise ValueError(
            f"rollout_weights has {len(weights)} values, the scene has {n_actions} actions"
        )
    return weights / weights.sum()


IMITATE_AFTER = 200  # moves chosen before rollouts imitate them (a fit needs many)


class Imitation:
    """The search's own moves, fitted by a linear policy for its rollouts to follow.

    Random rollouts on CartPole drop the pole in about 20 steps: the search sees 0.4 s
    ahead, and a cart drifting toward the track's end is seen only once it is a few
    centimetres from it, too late to turn (episodes of 460-494 steps). A policy that
    copies the search's moves balances the pole, so its rollouts last the whole depth;
    with some random moves they end sooner the nearer and faster the cart runs at the
    end, which the search then avoids: the end of the track comes into sight up to a
    rollout's depth ahead (100 steps, 2 s). (The search as expert, the rollout policy
    its apprentice: Anthony et al. 2017, "Thinking fast and slow with deep learning and
    tree search".)

    The fit is least squares of one-hot moves on the observations (and a constant),
    kept as running sums, so it costs the same after a thousand moves as after ten."""

    def __init__(self, obs_dim: int, n_actions: int) -> None:
        self.xtx = np.zeros((obs_dim + 1, obs_dim + 1))
        self.xty = np.zeros((obs_dim + 1, n_actions))
        self.moves = 0
        self.low = np.full(obs_dim, np.inf)  # the range of the observations recorded
        self.high = np.full(obs_dim, -np.inf)
        self.weights: np.ndarray | None = None  # [obs_dim + 1, n_actions] once fitted
        self._fitted_at = 0

    def record(self, observation: np.ndarray, action: int) -> None:
        np.minimum(self.low, observation, out=self.low)
        np.maximum(self.high, observation, out=self.high)
        x = np.append(observation.astype(np.float64), 1.0)
        self.xtx += np.outer(x, x)
        self.xty[:, action] += x
        self.moves += 1

    def fit(self) -> None:
        """Refit on every move recorded, once there are enough and some are new."""
        if self.moves < IMITATE_AFTER or self.moves == self._fitted_at:
            return
        # A ridge relative to the features' scale: observations that never vary (a
        # constant) must not make the system singular.
        ridge = 1e-6 * np.trace(self.xtx) / len(self.xtx)
        self.weights = np.linalg.solve(self.xtx + ridge * np.eye(len(self.xtx)), self.xty)
        self._fitted_at = self.moves

    def act(self, observations: np.ndarray) -> np.ndarray:
        assert self.weights is not None
        # Trusted only where moves were seen: beyond, a line fitted on a narrow range
        # (the cart's first centimetres) would push ever harder.
        seen = np.clip(observations, self.low, self.high)
        scores = seen @ self.weights[:-1] + self.weights[-1]
        return np.argmax(scores, axis=1)


class Node:
    """A state reached by a sequence of moves. `state` is whatever the simulator stores
    (a snapshot and a row in it); `reward` is what the step into this node paid."""

    __slots__ = ("state", "reward", "done", "visits", "total", "best", "children")

    def __init__(self, state: Any, reward: float, done: bool) -> None:
        self.state = state
        self.reward = reward
        self.done = done
        self.visits = 0
        self.total = 0.0  # sum of the returns that followed this node, over its visits
        self.best = -math.inf  # the largest of those returns
        self.children: list[Node] | None = None

    def value(self, discount: float, best: bool = False) -> float:
        """The return of moving into this node: its reward plus what followed, on
        average or, with `best`, at best."""
        if self.visits == 0:
            return self.reward
        if best:
            return self.reward + discount * self.best
        return self.reward + discount * self.total / self.visits


@dataclass
class Expansion:
    """One expanded leaf: a child per action, and every lane's rollout.

    Lane j tried action j % n_actions first; `first_rewards[j]` is what that step paid,
    `returns[j]` the discounted sum of what the rollout earned after it."""

    children: list[Node]
    first_rewards: np.ndarray
    returns: np.ndarray


class _Rollouts:
    """Expands leaves and plays rollouts for one agent of the live scene."""

    def __init__(self, scene: Any, lanes: int, n_actions: int, settings: MCTSSettings) -> None:
        self.n_actions = n_actions
        self.lanes = lanes
        self.first_actions = np.tile(np.arange(n_actions), lanes // n_actions)
        self.depth = settings.depth
        self.discount = settings.discount
        self.probabilities = rollout_probabilities(settings, n_actions)
        self.epsilon = settings.rollout_epsilon
        self.imitation: Imitation | None = None  # set by the planner for "imitate"

    def random_actions(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray | None]:
        """Rollout actions [depth, lanes], and where imitating lanes act at random
        instead (None: every lane always does). Every action's lanes replay the same
        random sequences (common random numbers): actions are compared on the same
        luck, so the difference between their values is less noisy."""
        shape = (self.depth, self.lanes // self.n_actions)
        if self.probabilities is None:
            actions = rng.integers(0, self.n_actions, shape)
        else:
            actions = rng.choice(self.n_actions, size=shape, p=self.probabilities)
        explore = None
        if self.imitation is not None and self.imitation.weights is not None:
            explore = rng.random(shape) < self.epsilon
            explore[:, : shape[1] // 2] = True  # the first half of the lanes: all random
            explore = np.repeat(explore, self.n_actions, axis=1)
        return np.repeat(actions, self.n_actions, axis=1), explore

    def best_of_both(self, returns: np.ndarray, explore: np.ndarray | None) -> np.ndarray:
        """Where half the lanes imitate: each action's lanes all take the larger of its
        two halves' mean returns. Either policy's mean is a return the agent can expect
        by playing it, so the better is too (Bertsekas's rollout with several base
        policies): an imitation fitted badly (it can be, early on) loses to random
        play instead of leading the search astray."""
        per_row = returns.reshape(-1, self.n_actions)
        half = len(per_row) // 2
        if explore is None or half == 0:  # one lane per action: it imitates
            return returns
        best = np.maximum(per_row[:half].mean(axis=0), per_row[half:].mean(axis=0))
        return np.tile(best, len(per_row))

    def root(self, snapshot: Any, agent: int) -> Any:
        """The state of the root node: `agent` in the live scene's snapshot."""
        raise NotImplementedError

    def expand(self, state: Any, rng: np.random.Generator) -> Expansion:
        raise NotImplementedError


class _BatchedRollouts(_Rollouts):
    """All lanes in one private scene of `lanes` agents; a state is (snapshot, row)."""

    def __init__(self, scene: Any, lanes: int, n_actions: int, settings: MCTSSettings) -> None:
        super().__init__(scene, lanes, n_actions, settings)
        self.scene = scene.make_lanes(lanes)
        self.rows = np.empty(lanes, dtype=np.int64)

    def root(self, snapshot: Any, agent: int) -> Any:
        return (snapshot, agent)

    def expand(self, state: Any, rng: np.random.Generator) -> Expansion:
        scene, (snapshot, row) = self.scene, state
        self.rows.fill(row)
        scene.load_lanes(snapshot, self.rows)
        first_rewards, _, _ = scene.step(self.first_actions)
        after = scene.snapshot()  # lanes 0..n_actions-1 hold the children's states
        done = ~scene.alive
        children = [
            Node((after, a), float(first_rewards[a]), bool(done[a])) for a in range(self.n_actions)
        ]
        returns = np.zeros(self.lanes)
        weight = 1.0
        actions, explore = self.random_actions(rng)
        for t in range(self.depth):
            live = scene.alive.copy()
            if not live.any():
                break
            step = actions[t]
            if explore is not None:
                step = np.where(explore[t], step, self.imitation.act(scene.observe()))
            rewards, _, _ = scene.step(step)
            returns += weight * np.where(live, rewards, 0.0)
            weight *= self.discount
        return Expansion(children, first_rewards, self.best_of_both(returns, explore))


class _SerialRollouts(_Rollouts):
    """One rollout at a time in a deep copy of the live scene; a state is a full snapshot
    and the agent planned for is `agent` (the others idle along with action 0)."""

    def __init__(self, scene: Any, lanes: int, n_actions: int, settings: MCTSSettings) -> None:
        super().__init__(scene, lanes, n_actions, settings)
        self.scene = copy.deepcopy(scene)
        self.agent = 0
        self.actions = np.zeros(scene.n, dtype=np.int64)

    def root(self, snapshot: Any, agent: int) -> Any:
        self.agent = agent
        return snapshot

    def _step(self, action: int) -> float:
        was_alive = bool(self.scene.alive[self.agent])
        self.actions[self.agent] = action
        rewards, _, _ = self.scene.step(self.actions)
        return float(rewards[self.agent]) if was_alive else 0.0

    def expand(self, state: Any, rng: np.random.Generator) -> Expansion:
        scene, agent = self.scene, self.agent
        first_rewards = np.zeros(self.lanes)
        returns = np.zeros(self.lanes)
        children = []
        actions, explore = self.random_actions(rng)
        for lane in range(self.lanes):
            scene.restore(state)
            first_rewards[lane] = self._step(int(self.first_actions[lane]))
            if lane < self.n_actions:
                done = not scene.alive[agent]
                children.append(Node(scene.snapshot(), first_rewards[lane], done))
            weight = 1.0
            for t in range(self.depth):
                if not scene.alive[agent]:
                    break
                action = int(actions[t, lane])
                if explore is not None and not explore[t, lane]:
                    action = int(self.imitation.act(scene.observe()[agent : agent + 1])[0])
                returns[lane] += weight * self._step(action)
                weight *= self.discount
        return Expansion(children, first_rewards, self.best_of_both(returns, explore))


class MCTS(Planner):
    """UCT over the scene's own simulator, one agent at a time, rollouts batched."""

    name = "mcts"
    Settings = MCTSSettings
    default_population = 1  # a planner has no population; kept for make_brain
    # The class defaults are tuned on CartPole. A bird must see a pipe coming, 60 ticks
    # and more ahead, and random rollouts that flap half the time hit the ceiling; "max"
    # backs up the one rollout that got through, which the bird can then fly for sure.
    scene_defaults: ClassVar[dict[str, dict[str, str]]] = {
        # Random rollouts see CartPole 0.4 s ahead, and a cart that drifts runs off the
        # track before its end is in sight (1 episode in 30 at the class defaults). The
        # rollouts imitate the search's moves, so they balance and see 2 s ahead; one
        # expansion of 100 rollouts per action spends the 200 simulations in one
        # batched step of 200 lanes (see docs/benchmarks.md, "MCTS on CartPole").
        "cartpole": {
            "rollout_policy": "imitate",
            "depth": "100",
            "rollouts_per_action": "100",
        },
        "flappy": {
            "simulations": "128",
            "depth": "60",
            "rollouts_per_action": "32",
            "rollout_weights": "0.97/0.03",
            "backup": "max",
        },
        # A maze pays only at the goal, far away: many long rollouts, run in wide batches,
        # and "max" keeps the one that got there (moves are sure on most maps; a slippery
        # map does better with backup=mean).
        "gridworld": {
            "simulations": "2048",
            "depth": "60",
            "rollouts_per_action": "128",
            "discount": "0.95",
            "backup": "max",
        },
    }

    @classmethod
    def supports(cls, shape: BrainShape) -> str | None:
        if shape.copyable:
            return None
        return "it looks ahead in copies of the scene, and this one cannot be copied"

    def __init__(
        self,
        shape: BrainShape,
        population: int = 1,
        seed: int = 0,
        settings: MCTSSettings | None = None,
    ) -> None:
        self.settings = settings or MCTSSettings()
        problem = self.settings.check()
        if problem:
            raise ValueError(problem)
        self.shape = shape
        rollout_probabilities(self.settings, shape.n_actions)  # the weights fit the scene
        self.rng = np.random.default_rng(seed)
        self._best = self.settings.backup == "max"
        # The moves chosen, for rollouts to imitate: kept across attach (what the search
        # has learned to do), not saved (it is relearned in the first moves).
        self.imitation: Imitation | None = None
        if self.settings.rollout_policy == "imitate":
            self.imitation = Imitation(shape.obs_dim, shape.n_actions)
        self.scene: Any = None
        self.rollouts: _Rollouts | None = None
        self.batched = False
        self.moves = 0  # moves decided since attach
        self.last_visits = np.zeros(shape.n_actions, dtype=np.int64)
        self.last_values = np.zeros(shape.n_actions)
        self.simulations_done = 0  # in all, for simulations per second
        self.seconds_thinking = 0.0
        self._new_move()
        # Values seen in the tree, to scale them to [0, 1] for UCB.
        self._low, self._high = math.inf, -math.inf

    def describe(self) -> str:
        s = self.settings
        return f"MCTS, {s.simulations} simulations, depth {s.depth}"

    # -- the planner protocol -------------------------------------------------------

    def attach(self, model: Any) -> None:
        """The live scene to plan in; it is only ever read (snapshot), never stepped."""
        s, n_actions = self.settings, self.shape.n_actions
        # An expansion plays no more rollouts than the whole budget: with 100 per action,
        # simulations=50 plays 25 per action, not 100.
        per_action = min(s.rollouts_per_action, max(1, s.simulations // n_actions))
        lanes = n_actions * per_action
        self.scene = model
        self.rollouts = None
        if s.batched:
            try:
                self.rollouts = _BatchedRollouts(model, lanes, n_actions, s)
                self.batched = True
            except (AttributeError, NotImplementedError):
                pass  # a scene without lanes: search it one rollout at a time
        if self.rollouts is None:
            self.rollouts = _SerialRollouts(model, lanes, n_actions, s)
            self.batched = False
        self.rollouts.imitation = self.imitation
        self.moves = 0
        self._new_move()

    def think(self, seconds: float) -> bool:
        """Search for at most about `seconds` (one leaf expansion may overrun it);
        True once every living agent's move is decided."""
        if self.scene is None:
            raise RuntimeError("MCTS.think before attach: the planner needs a scene")
        start = time.perf_counter()
        if self._agents is None:  # a new move: search from the scene as it is now
            self._snapshot = self.scene.snapshot()
            self._agents = [int(i) for i in np.flatnonzero(self.scene.alive)]
            self._decided = np.zeros(self.scene.n, dtype=np.int64)
            if self.imitation is not None:
                self._observations = self.scene.observe()
                self.imitation.fit()
        while self._agents:
            if self._root is None:
                self._root = Node(self.rollouts.root(self._snapshot, self._agents[0]), 0.0, False)
                self._budget = 0
                self._low, self._high = math.inf, -math.inf
            while self._budget < self.settings.simulations:
                self._simulate()
                if time.perf_counter() - start >= seconds:
                    break
            if self._budget < self.settings.simulations:
                break
            agent = self._agents.pop(0)
            self._decided[agent] = self._choose()
            if self.imitation is not None:
                self.imitation.record(self._observations[agent], int(self._decided[agent]))
            self._root = None
        self.seconds_thinking += time.perf_counter() - start
        return not self._agents

    def act(self, observations: np.ndarray) -> np.ndarray:
        """The decided moves (searching to the end first if think() has not), then the
        tree is dropped: the next think() searches from the new state."""
        if self.scene is None:
            raise RuntimeError("MCTS.act before attach: the planner needs a scene")
        while not self.think(math.inf):
            pass
        actions = self._decided
        self.moves += 1
        self._new_move()
        return actions

    def champion(self) -> MCTS:
        return self  # the policy is the search itself, in the attached scene

    # -- the search -------------------------------------------------------------------

    def _new_move(self) -> None:
        self._agents: list[int] | None = None
        self._snapshot: Any = None
        self._decided = np.zeros(0, dtype=np.int64)
        self._root: Node | None = None
        self._budget = 0
        self._observations = np.zeros((0, self.shape.obs_dim), dtype=np.float32)

    def _simulate(self) -> None:
        """Descend by UCB to a leaf, expand it with all lanes, back the returns up."""
        discount, best = self.settings.discount, self._best
        node, path = self._root, [self._root]
        while node.children is not None and not node.done:
            node = self._select(node)
            path.append(node)
        lanes = self.rollouts.lanes
        if node.done:
            total = top = 0.0  # nothing follows an end; the visit still counts
        else:
            expansion = self.rollouts.expand(node.state, self.rng)
            node.children = expansion.children
            n_actions = len(node.children)
            per_child = expansion.returns.reshape(-1, n_actions)
            for a, child in enumerate(node.children):
                child.visits = per_child.shape[0]
                child.total = float(per_child[:, a].sum())
                child.best = float(per_child[:, a].max())
                self._see(child.value(discount, best))
            returns = expansion.first_rewards + discount * expansion.returns
            total, top = float(returns.sum()), float(returns.max())
        for child in reversed(path):
            child.visits += lanes
            child.total += total
            child.best = max(child.best, top)
            self._see(child.value(discount, best))
            total = lanes * child.reward + discount * total
            top = child.reward + discount * top
        self._budget += lanes
        self.simulations_done += lanes

    def _see(self, value: float) -> None:
        if value < self._low:
            self._low = value
        if value > self._high:
            self._high = value

    def _select(self, node: Node) -> Node:
        """The child with the highest UCB1 score; equal scores are broken at random."""
        discount, c, best_backup = self.settings.discount, self.settings.exploration, self._best
        spread = self._high - self._low
        log_visits = math.log(node.visits)
        best, chosen = -math.inf, []
        for child in node.children:
            value = child.value(discount, best_backup)
            scaled = (value - self._low) / spread if spread > 0 else 0.5
            score = scaled + c * math.sqrt(log_visits / child.visits)
            if score > best:
                best, chosen = score, [child]
            elif score == best:
                chosen.append(child)
        return chosen[0] if len(chosen) == 1 else chosen[self.rng.integers(len(chosen))]

    def _choose(self) -> int:
        """The root's most visited action; ties go to the higher value, then at random."""
        root, discount = self._root, self.settings.discount
        visits = np.array([child.visits for child in root.children])
        values = np.array([child.value(discount, self._best) for child in root.children])
        self.last_visits, self.last_values = visits, values
        best = np.flatnonzero(visits == visits.max())
        best = best[values[best] == values[best].max()]
        return int(best[self.rng.integers(len(best))])

    # -- what the window shows --------------------------------------------------------

    def root_visits(self) -> np.ndarray:
        """Visits per action at the root: of the search under way, else the last one."""
        if self._root is not None and self._root.children is not None:
            return np.array([child.visits for child in self._root.children])
        return self.last_visits.copy()

    @property
    def simulations_per_second(self) -> float:
        if self.seconds_thinking <= 0:
            return 0.0
        return self.simulations_done / self.seconds_thinking

    def status(self) -> list[tuple[str, str]]:
        names = self.shape.n_actions
        visits = " / ".join(str(int(v)) for v in self.root_visits())
        return [
            ("Simulations/s", f"{self.simulations_per_second:,.0f}"),
            (f"Root visits ({names} actions)", visits),
            ("Rollouts", "batched" if self.batched else "one at a time"),
        ]

    def diagnostics(self) -> dict[str, float]:
        result = {"simulations_per_second": self.simulations_per_second}
        for a, v in enumerate(self.root_visits()):
            result[f"visits_{a}"] = float(v)
        return result

    def diagnostic_charts(self) -> list[tuple[str, list[tuple[str, str]]]]:
        return [("Search speed", [("simulations_per_second", "simulations/s")])]

    # -- saving: settings only, the tree is rebuilt every move ------------------------

    def save(self, directory: Path) -> None:
        write_brain(directory, self, {"moves": self.moves}, {})  # an empty weights.npz

    @classmethod
    def from_saved(cls, meta: dict[str, Any], arrays: Any, settings: MCTSSettings) -> MCTS:
        return cls(shape_from_meta(meta), settings=settings)


@dataclass
class Episode:
    """One episode played by a planner: its score, return, length and thinking time."""

    score: float
    total_reward: float
    steps: int
    seconds: float

    @property
    def ms_per_move(self) -> float:
        return 1000 * self.seconds / max(self.steps, 1)


def play_episodes(
    planner: Planner, scene: Any, episodes: int, seed: int, max_steps: int | None = None
) -> list[Episode]:
    """Play `episodes` episodes of agent 0 (seeds seed, seed+1, ...) headless: attach,
    think until decided, act, step; at most `max_steps` steps each when given."""
    played = []
    for episode in range(episodes):
        scene.reset(seed + episode)
        planner.attach(scene)
        steps, seconds, total = 0, 0.0, 0.0
        while not scene.all_done and (max_steps is None or steps < max_steps):
            start = time.perf_counter()
            while not planner.think(math.inf):
                pass
            actions = planner.act(scene.observe())
            seconds += time.perf_counter() - start
            rewards, _, _ = scene.step(actions)
            total += float(rewards[0])
            steps += 1
        played.append(Episode(float(scene.scores[0]), total, steps, seconds))
    return played
