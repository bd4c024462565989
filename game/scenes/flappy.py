"""Flappy Bird for a population: N birds flying one shared pipe course.

Units are world pixels and simulation ticks (60 ticks = one second of game time). The
physics follows the original game as rebuilt by FlapPyBird (sourabhv, MIT), which runs
at 30 frames per second: gravity 1 px/frame^2, flap velocity -9 px/frame, terminal
velocity 10 px/frame, pipes scrolling at 4 px/frame with a 100 px gap whose top lies in
the 20%..80% band of the playfield. At 60 ticks/s velocities halve and accelerations
quarter, so the arcs (a flap rises 40.5 px) are the same. Unlike the original, touching
the ceiling kills: a bird that can leave the screen can skip the game.

Every bird stays at the same x; the world scrolls. So the pipes are shared and a whole
population is a handful of array operations per tick. Pipes stand at the same x on every
course (only the gaps' heights differ), so a scene can also fly several courses at once,
each to its own group of birds: that is how a champion is checked on fresh courses in one
batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from game.scenes.base import Scene, SceneSpec, SolveRule

# The world, in pixels.
WIDTH = 432  # wider than the original 288, so a viewer sees the next three pipes
HEIGHT = 512
GROUND_Y = 400  # top of the ground
BIRD_X = 80.0  # every bird's centre x
BIRD_HALF_W = 15.0  # hitbox; the 34x24 sprite's corners are transparent
BIRD_HALF_H = 11.0
BIRD_START_Y = 200.0

# Motion, per tick at 60 ticks/s.
GRAVITY = 0.25
FLAP_VELOCITY = -4.5
MAX_FALL_SPEED = 5.0
PIPE_SPEED = 2.0

# The course.
PIPE_WIDTH = 52.0
PIPE_SPACING = 144.0  # between consecutive pipe centres
GAP_SIZE = 100.0
GAP_TOP_MIN = 0.2 * GROUND_Y
GAP_TOP_MAX = 0.8 * GROUND_Y - GAP_SIZE
FIRST_PIPE_X = WIDTH + PIPE_WIDTH / 2  # the first pipe enters from the right edge
_OVERLAP = PIPE_WIDTH / 2 + BIRD_HALF_W  # a pipe this near the birds' centre overlaps them

# Rewards: living pays a little each tick (distance flown), a pipe pays a point, dying costs.
ALIVE_REWARD = 0.1
PIPE_REWARD = 1.0
DEATH_REWARD = -1.0

NOOP, FLAP = 0, 1
_GAPS_PER_CHUNK = 256

# The constants of every tick's arithmetic as 0-d arrays: late in a generation a tick is
# a few dozen NumPy calls on a few birds, and NumPy takes a 0-d array in a ufunc about
# half a microsecond faster than a Python float. The values are the same float64s, so
# the results are the same to the bit.
_GRAVITY, _MAX_FALL_SPEED, _FLAP = np.array(GRAVITY), np.array(MAX_FALL_SPEED), np.array(FLAP)
_OPEN_LOW, _OPEN_HIGH = np.array(BIRD_HALF_H), np.array(GROUND_Y - BIRD_HALF_H)
_HEIGHT_SCALE, _SPEED_SCALE = np.array(2.0 / GROUND_Y), np.array(1.0 / MAX_FALL_SPEED)
_HEIGHT_SIGNS = np.array([-1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0])  # see `observe`


SPEC = SceneSpec(
    name="flappy",
    obs_names=(
        "height",
        "vertical speed",
        "distance to next pipe",
        # Gaps are seen from the bird (gap edge minus bird height): a network that
        # learns "stay between these" then works at every height, so it generalises
        # to unseen courses in half the generations that absolute heights take.
        "next gap top",
        "next gap bottom",
        "following gap top",
        "following gap bottom",
    ),
    # The next pipe stays "next" until the bird has cleared it, so its centre can be up to
    # half a pipe and half a bird behind the bird's.
    obs_low=(
        -1.0,
        FLAP_VELOCITY / MAX_FALL_SPEED,
        -(PIPE_WIDTH / 2 + BIRD_HALF_W) / PIPE_SPACING,
        -2.0,
        -2.0,
        -2.0,
        -2.0,
    ),
    obs_high=(1.0, 1.0, (FIRST_PIPE_X - BIRD_X) / PIPE_SPACING, 2.0, 2.0, 2.0, 2.0),
    action_meanings=("glide", "flap"),
    reward_range=(DEATH_REWARD, ALIVE_REWARD + PIPE_REWARD),
    score_name="pipes",
    episode_name="course",
)
OBS_DIM = SPEC.obs_dim  # a property: read once, not every tick


class _BirdArray:
    """Every bird's `y` or `vy`: the scene's own array, brought up to date first (`step`
    keeps the flying birds' apart, see FlappyScene._flying), which a caller may then
    change in place (tests place birds so) or replace."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, scene: FlappyScene | None, owner: type | None = None) -> Any:
        if scene is None:  # looked up on the class
            return self
        scene._settle(keep=False)
        return getattr(scene, self.slot)

    def __set__(self, scene: FlappyScene, value: np.ndarray) -> None:
        scene._settle(keep=False)
        setattr(scene, self.slot, value)


@dataclass(frozen=True)
class FlappySnapshot:
    seed: int
    tick: int
    passed: int
    y: np.ndarray
    vy: np.ndarray
    alive: np.ndarray
    returns: np.ndarray
    scores: np.ndarray
    steps: np.ndarray
    courses: int = 1
    course_of: np.ndarray | None = None  # never changed in place, so shared, not copied


class FlappyScene(Scene):
    """N birds on `courses` pipe courses (one by default), split into equal groups in
    order; each course is a pure function of the seed and its index."""

    spec = SPEC
    tick = 0  # ticks since reset (here too for `steps`, set in Scene's __init__)
    # A champion must fly 100 pipes on each of 5 courses it never trained on.
    solve_rule = SolveRule(episodes=5, threshold=100, every_episode=True)
    scores_rise_together = True  # a check stops at its first course below 100 pipes

    def __init__(self, n: int, max_score: int | None = None, courses: int = 1) -> None:
        super().__init__(n)
        if not 1 <= courses <= n:
            raise ValueError(f"courses must be between 1 and the number of birds, got {courses}")
        self.max_score = max_score  # episodes are truncated at this many pipes
        self.courses = courses
        self.course_of = np.arange(n) * courses // n  # which course each bird flies
        self._y = np.full(n, BIRD_START_Y)  # every bird's; see `y` and `_flying`
        self._vy = np.zeros(n)
        # The flying birds' (indices, y, vy, the `alive` array they were made for), kept
        # by `step` from tick to tick: late in a generation a tick then gathers and
        # scatters nothing. Their rows of _y and _vy are out of date until `_settle`;
        # while every bird flies, y and vy *are* _y and _vy. None: _y and _vy hold all.
        self._flying: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._no_ends = np.zeros(n, dtype=bool)  # the ticks' `terminated` when none end
        self._no_ends.flags.writeable = False
        # (alive, pay, rewards) of the last tick nobody ended: the next such tick with the
        # same birds flying and the same pay returns the same read-only rewards.
        self._paid: tuple[np.ndarray, float, np.ndarray] | None = None
        # `steps` of the flying birds are counted as of this tick; see `steps`.
        self._steps_at = 0
        self.seed = 0
        self.tick = 0
        self.passed = 0  # pipes whose centre the birds have passed
        self._gaps = np.empty((courses, 0))
        self._living: np.ndarray | None = None
        self._living_of: np.ndarray | None = None  # the `alive` array they were found in
        self._rows_key: tuple[int, int, int] | None = None  # (seed, courses, pipe) of:
        self._course_rows = np.zeros((courses, OBS_DIM))
        self._bounds_key: tuple[int, int, int] | None = None  # the same, of:
        self._bounds = (np.zeros(courses), np.zeros(courses))
        self._bounds_of: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # gathered
        self._rows_of: np.ndarray | None = None  # the rows gathered for every bird
        self._next_pipe_at = (-1, 0)  # (tick, the next pipe then)

    # -- the birds' heights and speeds ------------------------------------------------

    y = _BirdArray()  # every bird's centre height (the dead where they fell)
    vy = _BirdArray()  # every bird's vertical speed, pixels a tick (down is positive)

    @property
    def steps(self) -> np.ndarray:
        """Steps each bird has flown this episode. A flying bird's count goes up by one a
        tick; `step` adds them up only when a bird stops or someone asks."""
        self._count_steps()
        return self._steps

    @steps.setter
    def steps(self, value: np.ndarray) -> None:
        self._steps, self._steps_at = value, self.tick

    def _count_steps(self, flying: np.ndarray | None = None) -> None:
        """Add the ticks since they were last counted to the `flying` birds' steps."""
        if self._steps_at != self.tick:
            self._steps[self.living() if flying is None else flying] += self.tick - self._steps_at
            self._steps_at = self.tick

    def _settled(self) -> tuple[np.ndarray, np.ndarray]:
        """(_y, _vy), up to date, to read."""
        self._settle(keep=True)
        return self._y, self._vy

    def _settle(self, keep: bool) -> None:
        """Write the flying birds' heights and speeds into _y and _vy; `keep` the compact
        copy too if the caller only reads them, else forget it (they may be written)."""
        flying = self._flying
        if flying is None:
            return
        if flying[1] is not self._y:
            self._y[flying[0]], self._vy[flying[0]] = flying[1], flying[2]
        if not keep:
            self._flying = None

    # -- the course ---------------------------------------------------------------

    def gap_tops(self, index: int) -> np.ndarray:
        """Top of pipe `index`'s gap on each course; drawn in chunks from the seed."""
        while index >= self._gaps.shape[1]:
            chunk = self._gaps.shape[1] // _GAPS_PER_CHUNK
            more = [
                np.random.default_rng([self.seed, course, chunk]).uniform(
                    GAP_TOP_MIN, GAP_TOP_MAX, _GAPS_PER_CHUNK
                )
                for course in range(self.courses)
            ]
            self._gaps = np.concatenate([self._gaps, np.stack(more)], axis=1)
        return self._gaps[:, index]

    def gap_top(self, index: int, course: int = 0) -> float:
        return float(self.gap_tops(index)[course])

    def _gap_bounds(self, index: int, flying: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(low, high): where a bird's centre must stay in pipe `index`'s gap, [1] on one
        course, else one per flying bird (its course's). Made once per pipe and set of
        flying birds, not once a tick: a check's 5 birds on 5 courses would otherwise
        gather their courses' bounds on most ticks."""
        key = (self.seed, self.courses, index)
        if self._bounds_key != key:
            gap = self.gap_tops(index)
            self._bounds, self._bounds_key = (gap + BIRD_HALF_H, gap + GAP_SIZE - BIRD_HALF_H), key
            self._bounds_of = None
        if self.courses == 1:
            return self._bounds
        # `flying` is a new array whenever the flying birds change (see `living`), and the
        # one held here stays alive, so `is` tells whether these bounds are still theirs.
        if self._bounds_of is None or self._bounds_of[0] is not flying:
            course = self.course_of if len(flying) == self.n else self.course_of[flying]
            low, high = self._bounds
            self._bounds_of = (flying, low[course], high[course])
        return self._bounds_of[1], self._bounds_of[2]

    def pipe_x(self, index: int) -> float:
        """Centre x of pipe `index` at the current tick."""
        return FIRST_PIPE_X + index * PIPE_SPACING - self.tick * PIPE_SPEED

    def visible_pipes(self) -> list[tuple[float, float]]:
        """(centre x, gap top) of every pipe at least partly on screen."""
        first = max(0, int((self.tick * PIPE_SPEED - FIRST_PIPE_X - PIPE_WIDTH) // PIPE_SPACING))
        pipes = []
        index = first
        while self.pipe_x(index) - PIPE_WIDTH / 2 < WIDTH:
            if self.pipe_x(index) + PIPE_WIDTH / 2 > 0:
                pipes.append((self.pipe_x(index), self.gap_top(index)))
            index += 1
        return pipes

    def _next_pipe(self) -> int:
        """Index of the first pipe the birds have not yet cleared (found once a tick:
        step and observe both ask)."""
        if self._next_pipe_at[0] != self.tick:
            cleared = self.tick * PIPE_SPEED + BIRD_X - BIRD_HALF_W - PIPE_WIDTH / 2 - FIRST_PIPE_X
            self._next_pipe_at = (self.tick, max(0, int(cleared // PIPE_SPACING) + 1))
        return self._next_pipe_at[1]

    # -- the Scene interface ------------------------------------------------------

    def living(self) -> np.ndarray:
        """Indices of the birds still flying, kept by `step` rather than searched for.
        (`alive` is never changed in place but by `reset`, which forgets them, so a new
        `alive` array is the only sign they may be out of date.)"""
        if self._living is None or self._living_of is not self.alive:
            self._living, self._living_of = np.flatnonzero(self.alive), self.alive
        return self._living

    def reset(self, seed: int | None = None) -> None:
        self.seed = int(np.random.SeedSequence().entropy % 2**63) if seed is None else seed
        self._gaps = np.empty((self.courses, 0))
        self._living = None
        self.tick = 0
        self.passed = 0
        self._flying = self._paid = None  # made for the birds of the last episode
        self._y.fill(BIRD_START_Y)
        self._vy.fill(0.0)
        self.alive.fill(True)
        self.returns.fill(0.0)
        self.scores.fill(0)
        self._steps.fill(0)
        self._steps_at = 0

    # `step` also takes one action per flying bird (in `living()` order) rather than one
    # per bird: the few birds left late in a generation then cost no scatter and gather.
    steps_living = True

    def step(self, actions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # Only the living move, and only they are computed: late in a generation a few
        # birds of a thousand are alive, and the arrays below are theirs alone, kept
        # from tick to tick (`_flying`) rather than gathered and scattered each time.
        live = self.alive
        flying = self.living()
        actions = np.asarray(actions)
        if len(actions) != len(flying):
            actions = actions[flying]  # one per bird: the flying birds' own
        everyone = len(flying) == self.n  # then the arrays are used whole, not gathered
        kept = self._flying
        if kept is not None and kept[3] is live:
            y, vy = kept[1], kept[2]
        else:
            self._settle(keep=False)
            y, vy = (self._y, self._vy) if everyone else (self._y[flying], self._vy[flying])
        vy = np.minimum(vy + _GRAVITY, _MAX_FALL_SPEED)
        vy[actions == _FLAP] = FLAP_VELOCITY
        y = y + vy
        if everyone:
            self._y, self._vy = y, vy
        self.tick += 1

        # A pipe counts once its centre is behind the birds' centre. (`pipe_x`, written
        # out: this runs every tick, and a call costs a tenth of a microsecond.)
        scored, scroll = 0, self.tick * PIPE_SPEED
        while FIRST_PIPE_X + self.passed * PIPE_SPACING - scroll < BIRD_X:
            self.passed += 1
            scored += 1

        # A bird dies when its centre leaves [low, high]: the playfield, narrowed to the
        # gap while a pipe overlaps the birds' column. Pipes are further apart than a
        # pipe plus a bird is wide, so only the next uncleared pipe can overlap.
        low, high = _OPEN_LOW, _OPEN_HIGH
        index = self._next_pipe()
        if abs(FIRST_PIPE_X + index * PIPE_SPACING - scroll - BIRD_X) < _OVERLAP:
            low, high = self._gap_bounds(index, flying)  # one course: [1], which broadcasts
        hit = (y < low) | (y > high)
        crashed = flying[hit]
        # The tick's pay times 1 or 0: the dead get 0.0, as np.where gives, in fewer us.
        pay, paid = ALIVE_REWARD + PIPE_REWARD * scored, self._paid
        terminated = self._no_ends  # most ticks nobody crashes: no array to make
        if len(crashed):
            rewards = live * np.array(pay)
            terminated = np.zeros(self.n, dtype=bool)  # zeros: zeros_like costs 4x more
            terminated[crashed] = True
            rewards[crashed] = DEATH_REWARD
            self._count_steps(flying)  # the crashed count no more after this tick
            if not everyone:  # the crashed stay where they fell
                self._y[crashed], self._vy[crashed] = y[hit], vy[hit]
            flying, y, vy = flying[~hit], y[~hit], vy[~hit]
        elif paid is not None and paid[0] is live and paid[1] == pay:
            rewards = paid[2]
        else:
            rewards = live * np.array(pay)
            rewards.flags.writeable = False
            self._paid = (live, pay, rewards)
        self.returns += rewards  # the dead add 0.0: their returns stay as they were
        survivors = live & ~terminated if len(crashed) else live
        if scored:
            self.scores[survivors] += scored
        if self.max_score is not None and self.passed >= self.max_score:
            # Every living bird has passed every pipe so far: all reach the cap at once.
            truncated = survivors.copy()
            self._count_steps(flying)  # they count no more after this tick
            self.alive = np.zeros(self.n, dtype=bool)
            self._flying = (flying, y, vy, self.alive)
            self._settle(keep=False)  # they stop where they are
            flying = flying[:0]
        else:
            truncated = self._no_ends
            self.alive = survivors
            self._flying = (flying, y, vy, survivors)
        self._living, self._living_of = flying, self.alive
        return rewards, terminated, truncated

    def observe(self, agents: np.ndarray | None = None) -> np.ndarray:
        index = self._next_pipe()
        kept = self._flying
        if agents is not None and kept is not None and agents is kept[0]:
            y, vy = kept[1], kept[2]  # the flying birds, as an arena asks: no gathering
        else:
            self._settle(keep=True)
            y, vy = (self._y, self._vy) if agents is None else (self._y[agents], self._vy[agents])
        # Heights map the playfield to -1 (ceiling) .. 1 (ground); offsets use the same scale.
        # A row is the values every bird on its course shares (-1, 0, the pipe ahead, the
        # gaps' edges) minus the bird's height where it counts: -1 - (-h) is h - 1 and
        # ahead - 0 is ahead, to the bit. Then its speed, and one rounding to float32.
        rows = self._rows(index, agents)
        obs = rows - (y * _HEIGHT_SCALE)[:, None] * _HEIGHT_SIGNS
        obs[:, 1] = vy * _SPEED_SCALE
        return obs.astype(np.float32)

    def _rows(self, index: int, agents: np.ndarray | None) -> np.ndarray:
        """What the observed birds' rows share (see `observe`): [7] on one course, else
        [birds, 7]. The gaps' edges are made once a pipe, the pipe ahead once a tick."""
        key = (self.seed, self.courses, index)
        if self._rows_key != key:
            first, second = self.gap_tops(index), self.gap_tops(index + 1)
            edges = np.stack([first, first + GAP_SIZE, second, second + GAP_SIZE], axis=1)
            rows = np.zeros((self.courses, OBS_DIM))
            rows[:, 0] = -1.0
            rows[:, 3:] = edges * (2.0 / GROUND_Y)
            self._course_rows, self._rows_key = rows, key  # [courses, 7]
            self._rows_of = None
        ahead = (self.pipe_x(index) - BIRD_X) / PIPE_SPACING
        if self.courses == 1:
            rows = self._course_rows[0]
            rows[2] = ahead
            return rows
        if agents is not None:
            rows = self._course_rows[self.course_of[agents]]
        else:
            if self._rows_of is None:  # every bird's, as a check observes: once a pipe
                self._rows_of = self._course_rows[self.course_of]
            rows = self._rows_of
        rows[:, 2] = ahead
        return rows

    def snapshot(self) -> FlappySnapshot:
        y, vy = self._settled()
        return FlappySnapshot(
            seed=self.seed,
            tick=self.tick,
            passed=self.passed,
            y=y.copy(),
            vy=vy.copy(),
            alive=self.alive.copy(),
            returns=self.returns.copy(),
            scores=self.scores.copy(),
            steps=self.steps.copy(),
            courses=self.courses,
            course_of=self.course_of,
        )

    def make_lanes(self, n: int) -> FlappyScene:
        return FlappyScene(n)

    def load_lanes(self, snapshot: FlappySnapshot, agents: np.ndarray) -> None:
        if len(agents) != self.n:
            raise ValueError(f"{len(agents)} agents to load into {self.n} lanes")
        if snapshot.seed != self.seed or snapshot.courses != self.courses:
            self.seed, self.courses = snapshot.seed, snapshot.courses
            self._gaps = np.empty((self.courses, 0))
        if snapshot.course_of is not None:
            # Each lane flies its agent's course, whatever this scene's own split was.
            self.course_of = snapshot.course_of[agents]
            self._rows_of = self._bounds_of = None  # gathered by the old course_of
        self.tick, self.passed = snapshot.tick, snapshot.passed
        self._flying, self._paid = None, None
        self._y, self._vy = snapshot.y[agents], snapshot.vy[agents]
        self.alive = snapshot.alive[agents]
        self.returns = snapshot.returns[agents]
        self.scores = snapshot.scores[agents]
        self.steps = snapshot.steps[agents]

    def restore(self, snapshot: FlappySnapshot) -> None:
        if snapshot.seed != self.seed:
            self.seed = snapshot.seed
            self._gaps = np.empty((self.courses, 0))
        self.tick, self.passed = snapshot.tick, snapshot.passed
        self._flying, self._paid = None, None
        self._y, self._vy = snapshot.y.copy(), snapshot.vy.copy()
        self.alive = snapshot.alive.copy()
        self.returns = snapshot.returns.copy()
        self.scores = snapshot.scores.copy()
        self.steps = snapshot.steps.copy()
