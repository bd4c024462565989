"""Gridworlds for N agents: mazes read from map files (see gridmap.py), stepped together.

The classic tabular worlds of Sutton and Barto (2018): moves up, right, down and left;
walls and the edge stop a move (the agent stays, paying the step reward); goals end the
episode; pits cost and end it or send the agent back to the start. With `slip` a move
goes sideways instead (to each perpendicular direction with probability slip / 2).
Mazes with an `after:` grid change to it once the scene has run `change_at` ticks in
which some agent moved (the Blocking and Shortcut mazes); agents share one grid, so
they share one clock.

Observation: the agent's cell, one-hot over every cell of the grid (rows x cols, walls
included, so cell (r, c) is index r * cols + c). Tabular brains recover the index with an
argmax; networks play it as any vector.

Score: 100 x (shortest path length from the episode's start) / (steps taken) when the
goal is reached, else 0. So 100 is a shortest path, and "solved" (deterministic maps)
means the greedy policy scores 100 from every start: it walks a shortest path. On a
slippery map no path is sure, and "solved" means reaching the goal in each of 20 episodes.

The model, as transition and reward tables, is `tabular_model()`: what the dynamic
programming planners plan in. A tree search plans in the scene itself: `make_lanes` and
`load_lanes` copy one agent's state (cell, start, counts, the maze's clock and walls) into
many lanes of a private scene, which play its rollouts together.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from brains.tabular_model import TabularModel
from game.scenes.base import Scene, SceneSpec, SolveRule
from game.scenes.gridmap import GOAL, PIT, START, WALL, GridMap

ACTIONS = ("up", "right", "down", "left")
MOVES = ((-1, 0), (0, 1), (1, 0), (0, -1))
PERFECT = 100  # the score of a shortest path


@dataclass(frozen=True)
class Layout:
    """One grid's tables, per cell index."""

    wall: np.ndarray  # bool [S]
    goal: np.ndarray  # bool [S]
    pit: np.ndarray  # bool [S]
    enter_reward: np.ndarray  # float [S]: paid on moving into the cell
    next_cell: np.ndarray  # int [S, 4]: where each move leads (itself when blocked)
    distance: np.ndarray  # int [S]: shortest moves to a goal, -1 where none


def build_layout(grid: np.ndarray, gm: GridMap) -> Layout:
    rows, cols = grid.shape
    flat = grid.ravel()
    wall, goal, pit = flat == WALL, flat == GOAL, flat == PIT
    enter = np.full(flat.size, gm.step_reward)
    enter[goal] = gm.goal_reward
    enter[pit] = gm.pit_reward
    for letter, reward in gm.cell_rewards.items():
        enter[flat == letter] = reward
    r, c = np.divmod(np.arange(flat.size), cols)
    next_cell = np.empty((flat.size, 4), dtype=np.int64)
    for a, (dr, dc) in enumerate(MOVES):
        nr, nc = r + dr, c + dc
        inside = (nr >= 0) & (nr < rows) & (nc >= 0) & (nc < cols)
        target = np.where(inside, nr * cols + nc, 0)
        blocked = ~inside | wall[target]
        next_cell[:, a] = np.where(blocked, np.arange(flat.size), target)
    return Layout(wall, goal, pit, enter, next_cell, _distances(next_cell, wall, goal, pit))


def _distances(next_cell: np.ndarray, wall, goal, pit) -> np.ndarray:
    """Breadth-first search back from the goals over sure moves, never through a pit."""
    s = len(wall)
    predecessors: list[list[int]] = [[] for _ in range(s)]
    passable = ~(wall | goal | pit)
    for cell in np.flatnonzero(passable).tolist():
        for target in set(next_cell[cell].tolist()) - {cell}:
            predecessors[target].append(cell)
    distance = np.full(s, -1, dtype=np.int64)
    queue = deque(np.flatnonzero(goal).tolist())
    distance[goal] = 0
    while queue:
        cell = queue.popleft()
        for before in predecessors[cell]:
            if distance[before] < 0:
                distance[before] = distance[cell] + 1
                queue.append(before)
    return distance


@lru_cache(maxsize=32)
def layouts_of(gm: GridMap) -> tuple[Layout, ...]:
    return tuple(build_layout(grid, gm) for grid in gm.layouts)


@lru_cache(maxsize=32)
def make_spec(gm: GridMap) -> SceneSpec:
    rows, cols = gm.shape
    rewards = [gm.step_reward, gm.goal_reward, *gm.cell_rewards.values()]
    if any((layout == PIT).any() for layout in gm.layouts):
        rewards.append(gm.pit_reward)
    return SceneSpec(
        name="gridworld",
        obs_names=tuple(f"at {r},{c}" for r in range(rows) for c in range(cols)),
        obs_low=(0.0,) * (rows * cols),
        obs_high=(1.0,) * (rows * cols),
        action_meanings=ACTIONS,
        reward_range=(min(rewards), max(rewards)),
        score_name="% of shortest path",
        one_hot=True,
        brain_settings=gm.brain_settings,
    )


@dataclass(frozen=True)
class GridSnapshot:
    cell: np.ndarray
    start: np.ndarray
    alive: np.ndarray
    steps: np.ndarray
    returns: np.ndarray
    scores: np.ndarray
    clock: int
    layout: int
    rng_state: dict


class GridWorldScene(Scene):
    """N agents on one map. `final_layout` starts a changing maze in its changed form (the
    greedy checks use it: a maze is solved by a policy that has adapted to the change) and
    spreads the agents over the starts in turn, so a check covers every start. `changed`
    starts in the changed form only (a champion is watched on the maze it was checked on)."""

    def __init__(
        self, gm: GridMap, n: int, final_layout: bool = False, changed: bool = False
    ) -> None:
        super().__init__(n)
        self.map = gm
        self.rows, self.cols = gm.shape
        self.spec = make_spec(gm)
        self.layouts = layouts_of(gm)
        self.starts = np.flatnonzero(gm.layouts[0].ravel() == START)
        self.final_layout = final_layout
        self.changed = changed or final_layout
        deterministic = gm.slip == 0
        self.solve_rule = SolveRule(
            episodes=min(len(self.starts), 50) if len(self.starts) > 1 else 5,
            threshold=PERFECT if deterministic else 1,
            every_episode=True,
        )
        if not deterministic:
            self.solve_rule = SolveRule(episodes=20, threshold=1, every_episode=True)
        self.time_limit = gm.time_limit
        if final_layout and deterministic:
            # A longer walk cannot score 100: the check need not wait for the time limit.
            longest = int(self.layouts[-1].distance[self.starts].max())
            self.time_limit = min(gm.time_limit, 2 * max(longest, 1) + 10)
        self.rng = np.random.default_rng(0)
        self.cell = np.zeros(n, dtype=np.int64)
        self.start = np.zeros(n, dtype=np.int64)  # each agent's start this episode
        self.clock = 0  # ticks with a move since reset: changing mazes change on it
        self.layout_index = 0
        self.visits = np.zeros(self.rows * self.cols, dtype=np.int64)  # for the view
        self.count_visits = True  # off in a planner's lanes: rollouts are not visits
        self.layout_version = 0  # bumps whenever the grid changes

    @property
    def layout(self) -> Layout:
        return self.layouts[self.layout_index]

    def reset(self, seed: int | None = None) -> None:
        self.rng = np.random.default_rng(seed)
        self.clock = 0
        self._set_layout(len(self.layouts) - 1 if self.changed else 0)
        if self.final_layout:
            self.start[:] = self.starts[np.arange(self.n) % len(self.starts)]
        else:
            self.start[:] = self.rng.choice(self.starts, self.n)
        self.cell[:] = self.start
        self.alive.fill(True)
        self.steps.fill(0)
        self.returns.fill(0.0)
        self.scores.fill(0)
        self.visits.fill(0)
        np.add.at(self.visits, self.cell, 1)

    def reset_agents(self, agents: np.ndarray) -> None:
        """Start new episodes for the agents in the boolean mask (the grid keeps its clock)."""
        if not agents.any():
            return
        index = np.flatnonzero(agents)
        self.start[index] = self.rng.choice(self.starts, len(index))
        self.cell[index] = self.start[index]
        self.alive[index] = True
        self.steps[index] = 0
        self.returns[index] = 0.0
        self.scores[index] = 0
        np.add.at(self.visits, self.cell[index], 1)

    def _set_layout(self, index: int) -> None:
        if index != self.layout_index:
            self.layout_version += 1
        self.layout_index = index

    def step(self, actions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Action -1 waits: the agent neither moves nor spends a step (a person at the
        keyboard between key presses); brains never send it."""
        actions = np.asarray(actions, dtype=np.int64)
        moving = self.alive & (actions >= 0)
        layout = self.layout
        actions = np.maximum(actions, 0)
        if self.map.slip > 0:
            slips = self.rng.random(self.n) < self.map.slip
            sideways = np.where(self.rng.random(self.n) < 0.5, 1, 3)
            actions = np.where(slips, (actions + sideways) % 4, actions)
        here = self.cell
        target = layout.next_cell[here, actions]
        rewards = np.where(target == here, self.map.step_reward, layout.enter_reward[target])
        rewards = np.where(moving, rewards, 0.0)
        ends_here = layout.goal | (layout.pit & (not self.map.pits_restart))
        terminated = moving & ends_here[target]
        if self.map.pits_restart:
            target = np.where(layout.pit[target], self.start, target)
        self.cell = np.where(moving, target, here)
        if self.count_visits:
            np.add.at(self.visits, self.cell[moving], 1)
        self.steps += moving
        self.returns += rewards
        truncated = moving & ~terminated & (self.steps >= self.time_limit)
        reached = terminated & layout.goal[target]
        if reached.any():
            shortest = layout.distance[self.start[reached]]
            self.scores[reached] = np.minimum(
                PERFECT, PERFECT * np.maximum(shortest, 0) // self.steps[reached]
            )
        self.alive = self.alive & ~(terminated | truncated)
        if moving.any():  # a person waiting between key presses does not move the walls
            self.clock += 1
        if self.map.change_at is not None and self.clock == self.map.change_at:
            self._set_layout(1)
        return rewards, terminated, truncated

    def observe(self, agents: np.ndarray | None = None) -> np.ndarray:
        cells = self.cell if agents is None else self.cell[agents]
        observations = np.zeros((len(cells), self.rows * self.cols), dtype=np.float32)
        observations[np.arange(len(cells)), cells] = 1.0
        return observations

    def states(self) -> np.ndarray:
        """Each agent's cell index (what the one-hot observation encodes)."""
        return self.cell.copy()

    def snapshot(self) -> GridSnapshot:
        return GridSnapshot(
            self.cell.copy(),
            self.start.copy(),
            self.alive.copy(),
            self.steps.copy(),
            self.returns.copy(),
            self.scores.copy(),
            self.clock,
            self.layout_index,
            self.rng.bit_generator.state,
        )

    def restore(self, snapshot: GridSnapshot) -> None:
        self.cell = snapshot.cell.copy()
        self.start = snapshot.start.copy()
        self.alive = snapshot.alive.copy()
        self.steps = snapshot.steps.copy()
        self.returns = snapshot.returns.copy()
        self.scores = snapshot.scores.copy()
        self.clock = snapshot.clock
        self._set_layout(snapshot.layout)
        self.rng = np.random.default_rng()
        self.rng.bit_generator.state = snapshot.rng_state

    def make_lanes(self, n: int) -> GridWorldScene:
        """Lanes for a planner's rollouts: the same map, no time limit, and no visit counts
        (they are the live scene's, for the view; rollouts are not visits)."""
        lanes = GridWorldScene(self.map, n, self.final_layout, self.changed)
        lanes.time_limit = 2**62
        lanes.count_visits = False
        return lanes

    def load_lanes(self, snapshot: GridSnapshot, agents: np.ndarray) -> None:
        if len(agents) != self.n:
            raise ValueError(f"{len(agents)} agents to load into {self.n} lanes")
        # Indexing copies: stepping the lanes never writes into the snapshot. The clock
        # and layout come along, so a changing maze changes in the lanes when it would
        # for the agent (from then on the clock counts the lanes' moves: other agents of
        # the snapshot, which would move it too, are not in the lanes). The generator
        # stays the lanes' own: on a slippery map each lane slips on its own luck.
        self.cell = snapshot.cell[agents]
        self.start = snapshot.start[agents]
        self.alive = snapshot.alive[agents]
        self.steps = snapshot.steps[agents]
        self.returns = snapshot.returns[agents]
        self.scores = snapshot.scores[agents]
        self.clock = snapshot.clock
        self._set_layout(snapshot.layout)

    def tabular_model(self) -> TabularModel:
        """The current grid as transition and reward tables (see brains/tabular_model.py)."""
        layout, gm = self.layout, self.map
        s = self.rows * self.cols
        if gm.slip > 0:
            offsets, probs = (0, 1, 3), (1 - gm.slip, gm.slip / 2, gm.slip / 2)
        else:
            offsets, probs = (0,), (1.0,)
        actions = (np.arange(4)[:, None] + np.array(offsets)[None, :]) % 4  # [A, K]
        cells = np.arange(s)[:, None, None]
        target = layout.next_cell[cells, actions[None]]  # [S, A, K]
        rewards = np.where(target == cells, gm.step_reward, layout.enter_reward[target])
        if gm.pits_restart:
            target = np.where(layout.pit[target], self.starts[0], target)
        terminal = layout.goal | (layout.pit & (not gm.pits_restart))
        # Terminal cells and walls lead nowhere: a self-loop that pays nothing.
        still = terminal | layout.wall
        target[still] = cells[still]
        rewards[still] = 0.0
        return TabularModel(
            next_states=target,
            probs=np.broadcast_to(np.array(probs), target.shape).copy(),
            rewards=rewards.astype(np.float64),
            terminal=terminal,
            valid=~layout.wall,
            rows=self.rows,
            cols=self.cols,
            action_meanings=ACTIONS,
        )
