"""The window: pumps events every frame, runs as many simulation ticks as the speed asks
for (or as fit in the frame at "max"), and draws the game, the counters and the charts.

The App drives any arena with this small surface: `scene`, `metrics`, `title`, `tick()`,
`hud()`, `charts()`, `highlight()`, `can_save` and `save_best(root)`. Optional: `keys` and
`handle_key(name)` on the arena or the view add keys of their own (shown on the key line),
and a view with `wants_brain` is handed the brain whose tables it draws. A play arena
(game/play/) adds `claimed_keys` (taken before the window's own), `handle_key_up(name)`,
`pace`, `card()`, `pop_events()` and `view_extras()`: see game/play/base.py. An arena
whose S saves something other than a brain names it in `saves` (a figure: "the plot").
"""

from __future__ import annotations

import sys
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pygame

from game.arena import Budget
from game.interrupts import second_interrupt_quits
from game.recording import RecordError, VideoWriter, save_image
from game.saving import save_or_rescue
from game.ui import lanes as lane_ui
from game.ui import theme
from game.ui.chart import Chart
from game.ui.hud import (
    KEYS,
    Toast,
    draw_card,
    draw_help,
    draw_key_line,
    draw_top_bar,
    order_status_first,
    plan_key_line,
    plan_top_bar,
)
from game.ui.layout import layout
from game.ui.network_view import NetworkView
from game.ui.sound import Sounds
from game.ui.stacked_chart import StackedChart

TICKS_PER_SECOND = 60  # simulation ticks per second of game time at 1x
SPEEDS: tuple[int | None, ...] = (1, 2, 4, 8, 16, 32, 64, None)  # None is "max"
FAST_FORWARD_EVERY = 10  # in fast forward the game is drawn once every this many frames
MAX_BACKLOG_SECONDS = 0.25  # ticks owed beyond this are dropped rather than caught up
WINDOW_SIZE = (1280, 720)


# The window's own keys, which work in a paused game too (the rest go to the game).
WINDOW_KEYS = frozenset(
    (
        pygame.K_ESCAPE,
        pygame.K_SPACE,
        pygame.K_p,
        pygame.K_PLUS,
        pygame.K_EQUALS,
        pygame.K_KP_PLUS,
        pygame.K_MINUS,
        pygame.K_KP_MINUS,
        pygame.K_f,
        pygame.K_s,
        pygame.K_m,
        pygame.K_F1,
        pygame.K_SLASH,
        pygame.K_F12,
        pygame.K_PRINTSCREEN,
    )
)


def unique_file(folder: Path, stem: str, suffix: str) -> Path:
    """folder/stem.suffix, or stem-2, stem-3 ... if that is taken."""
    path, n = folder / f"{stem}{suffix}", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}{suffix}"
    return path


def speed_label(speed: int | None) -> str:
    return "max" if speed is None else f"{speed}x"


class App:
    def __init__(
        self,
        arena: Any,
        view: Any,
        save_root: Path = Path("runs"),
        size: tuple[int, int] = WINDOW_SIZE,
        fps: int = 60,
        speed: int | None = 1,
        budget: Budget | None = None,
        recorder: VideoWriter | None = None,
    ) -> None:
        pygame.display.init()
        pygame.font.init()
        self.screen = pygame.display.set_mode(size, pygame.RESIZABLE)
        pygame.display.set_caption(f"Learning Arcade - {arena.title}")
        self.arena, self.view = arena, view
        self.save_root = Path(save_root)
        self.fps = fps
        self.speed_index = SPEEDS.index(speed)
        self.budget = budget
        self.recorder = recorder  # `watch --record`: the game panel, every frame, to a video
        self.clock = pygame.time.Clock()
        self.charts = [
            StackedChart(spec) if spec.kind == "stacked" else Chart(spec) for spec in arena.charts()
        ]
        # Brains that grow networks (NEAT) show their champion's; N hides and shows it.
        self.has_network = hasattr(arena, "network") and callable(
            getattr(getattr(arena, "brain", None), "champion_record", None)
        )
        self.show_network = self.has_network
        self.network_view = NetworkView()
        self.toast = Toast()
        self.plays = hasattr(arena, "pop_events")  # a person plays: cards, sounds, 1x
        self.sounds = Sounds() if self.plays else None
        self.paused = False
        self.show_help = False
        self.text_boxes: list[pygame.Rect] = []  # every text drawn in the bars, last frame
        self._lane_boxes: list[pygame.Rect] = []  # the lanes' labels, on the game surface
        self.chart_rects: list[pygame.Rect] = []  # where each chart was drawn, last frame
        self.fast_forward = False
        self.running = True
        self.finished = False  # the budget was reached: training stops, the window stays
        self.frames = 0
        self.saved_at: str | None = None  # the arena's progress tag at the last save
        self.saved_path: Path | None = None  # where the last save went
        self._owed = 0.0
        self._game: pygame.Surface | None = None

    @property
    def speed(self) -> int | None:
        return SPEEDS[self.speed_index]

    @property
    def effective_speed(self) -> int | None:
        """The speed ticks run at: 1x while a person plays, max while they wait for the
        bots (a play arena's `pace`), else the chosen speed."""
        pace = getattr(self.arena, "pace", "free")
        return 1 if pace == "human" else None if pace == "fast" else self.speed

    # -- the loop ----------------------------------------------------------------------

    def run(self, max_frames: int | None = None) -> None:
        """Until the window is closed (or `max_frames` frames, for scripts and tests)."""
        interrupted = False
        try:
            while self.running and (max_frames is None or self.frames < max_frames):
                self.frame()
        except KeyboardInterrupt:
            interrupted = True
            raise
        finally:  # a second Ctrl-C while the first one's save is written quits at once
            with second_interrupt_quits() if interrupted else nullcontext():
                self.close()

    def frame(self) -> None:
        """One frame: events, this frame's ticks, drawing."""
        dt = min(self.clock.tick(self.fps) / 1000.0, 0.1)
        for event in pygame.event.get():
            self.handle(event)
        if not self.running:
            return
        self.advance(dt)
        self._play_events()
        self.draw()
        if self.recorder is not None and self._game is not None:
            self.recorder.add(self._game)
        pygame.display.flip()
        self.frames += 1

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.running = False
        elif event.type == pygame.KEYDOWN:
            name = pygame.key.name(event.key)
            if self.paused and self.plays and event.key not in WINDOW_KEYS:
                return  # a paused game takes no moves: they would all land on resuming
            claimed = name in getattr(self.arena, "claimed_keys", ()) and not self.paused
            if claimed and self._offer_key(name):
                return
            self._window_key(event.key, name, getattr(event, "unicode", ""))
        elif event.type == pygame.KEYUP:
            handle_up = getattr(self.arena, "handle_key_up", None)
            if handle_up is not None:
                handle_up(pygame.key.name(event.key))
        elif (
            event.type == pygame.MOUSEBUTTONDOWN
            and not self.paused
            and event.button == 1
            and "mouse" in getattr(self.arena, "claimed_keys", ())
        ):
            self._offer_key("mouse")

    def _window_key(self, key: int, name: str, text: str = "") -> None:
        if key == pygame.K_ESCAPE and self.show_help:
            self.show_help = False
        elif key == pygame.K_ESCAPE:
            self.running = False
        elif key == pygame.K_F1 or text == "?":
            self.show_help = not self.show_help
        elif key in (pygame.K_F12, pygame.K_PRINTSCREEN):
            self.screenshot()
        elif key in (pygame.K_SPACE, pygame.K_p):
            self.paused = not self.paused
        elif key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.speed_index = min(self.speed_index + 1, len(SPEEDS) - 1)
        elif key in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.speed_index = max(self.speed_index - 1, 0)
        elif key == pygame.K_f:
            self.fast_forward = not self.fast_forward
        elif key == pygame.K_s:
            self.save()
        elif key == pygame.K_n and self.has_network:
            self.show_network = not self.show_network
        elif key == pygame.K_m and self.sounds is not None:
            on = self.sounds.toggle()
            self.toast.show("Sound on" if on else "Sound off", theme.TEXT_DIM, 1.5)
        else:
            self._offer_key(name)

    def _offer_key(self, name: str) -> bool:
        """A key the window does not use goes to the arena, then to the view."""
        for owner in (self.arena, self.view):
            handle = getattr(owner, "handle_key", None)
            if handle is not None and handle(name):
                self._game = None  # redraw at once, even when paused
                return True
        return False

    def advance(self, dt: float) -> None:
        """Run this frame's share of simulation ticks."""
        if self.paused or self.finished:
            return
        frame = 1.0 / self.fps if self.fps else 1.0 / 60
        budget = frame * (0.9 if self.fast_forward else 0.6)
        deadline = time.perf_counter() + budget
        speed = self.effective_speed
        if speed is None:
            while time.perf_counter() < deadline and not self._check_budget():
                self.arena.tick()
            return
        rate = TICKS_PER_SECOND * speed
        self._owed = min(self._owed + dt * rate, rate * MAX_BACKLOG_SECONDS)
        while self._owed >= 1.0 and time.perf_counter() < deadline and not self._check_budget():
            self.arena.tick()
            self._owed -= 1.0

    def _play_events(self) -> None:
        if not self.plays:
            return
        for kind, what in self.arena.pop_events():
            if kind == "sound" and self.sounds is not None:
                self.sounds.play(what)
            elif kind == "message":
                self.toast.show(what, theme.TEXT, 2.5)

    def _check_budget(self) -> bool:
        if self.budget is None or not self.arena.finished(self.budget):
            return False
        self.finished = True
        m = self.arena.metrics
        what = "Solved" if m.solved else "Budget reached"
        text = f"{what} after {m.env_steps:,} steps"
        finish = getattr(self.arena, "finish_message", None)  # an arena's own words (a figure)
        text = finish() if finish is not None else text
        path = self.save() if self.arena.can_save else None
        where = f", saved to {path}" if path else ""
        self.toast.show(f"{text}{where}", theme.GOOD, 3600)
        return True

    # -- drawing -------------------------------------------------------------------------

    def draw(self) -> None:
        screen = self.screen
        screen.fill(theme.BACKGROUND)
        size = screen.get_size()
        lanes = getattr(self.arena, "lanes", None)
        columns = getattr(self.arena, "lane_columns", None)  # a wide scene's match: stacked
        world = (
            lane_ui.grid_world(self.view.world_size, len(lanes), columns)
            if lanes
            else self.view.world_size
        )
        title, hud, badges = self.arena.title, order_status_first(self.arena.hud()), self._badges()
        keys = self.key_line()
        bar_height = plan_top_bar(size[0], title, hud, badges).height
        network = self._network()
        panels = len(self.charts) + (network is not None)
        where = layout(size, world, panels, bar_height, plan_key_line(size[0], keys)[0])
        chart_rects = where.charts[1:] if network is not None else where.charts
        if self._game is None or self._game.get_size() != where.game.size:
            self._game = pygame.Surface(where.game.size)
            self._draw_game()
        elif not self.fast_forward or self.frames % FAST_FORWARD_EVERY == 0:
            self._draw_game()
        screen.blit(self._game, where.game)
        pygame.draw.rect(screen, theme.PANEL_EDGE, where.game.inflate(2, 2), 1)
        if network is not None:
            spec = self.arena.scene.spec
            self.network_view.draw(
                screen, where.charts[0], network, spec.obs_names, spec.action_meanings
            )
        mouse = pygame.mouse.get_pos() if pygame.mouse.get_focused() else None
        self.chart_rects = chart_rects
        rendered = False  # one chart rendered a frame: a generation's end changes them all
        for chart, rect in zip(self.charts, chart_rects, strict=True):
            rendered |= chart.draw(  # hover: the values under the mouse
                screen, rect, self.arena.metrics, mouse=mouse, may_wait=rendered
            )
        card = self.arena.card() if self.plays else None
        if card is not None:
            draw_card(screen, where.game, card)
        self.text_boxes = [box.move(where.game.topleft) for box in self._lane_boxes]
        self.text_boxes += draw_top_bar(screen, where.top, title, hud, badges)
        self.text_boxes += draw_key_line(screen, where.keys, keys)
        if self.show_help:
            draw_help(screen, pygame.Rect(0, where.top.bottom, size[0], where.keys.top), keys)
        self.toast.draw(screen, where.game)

    def key_line(self) -> list[tuple[str, str]]:
        """Every key of the current mode, as (key, what it does)."""
        keys = [k for k in KEYS if self.arena.can_save or k[0] != "S"]  # S saves, if anything can
        keys = [("S", f"save {self.saves}") if k[0] == "S" else k for k in keys]
        if "space" in getattr(self.arena, "claimed_keys", ()):
            keys = [("P", "pause") if k[0] == "Space" else k for k in keys]
        extra = (*getattr(self.arena, "keys", ()), *getattr(self.view, "keys", ()))
        if self.has_network:
            keys.insert(-1, ("N", "hide network" if self.show_network else "show network"))
        if self.sounds is not None:
            keys.insert(-1, ("M", "sound off" if self.sounds.enabled else "sound on"))
        keys[-1:-1] = [("F12", "screenshot"), ("? / F1", "help")]
        return [*extra, *keys]

    def _network(self) -> tuple[int, dict] | None:
        """The champion's network, when it is shown: drawn in a panel of its own above the
        charts, where it hides nothing of the game."""
        if not self.show_network or not hasattr(self.arena, "network"):
            return None
        return self.arena.network()

    def _draw_game(self) -> None:
        assert self._game is not None
        lanes = getattr(self.arena, "lanes", None)
        if not lanes:
            self.view.draw(
                self._game,
                self._game.get_rect(),
                self.arena.scene,
                self.arena.highlight(),
                **self._brain_for_view(self.arena),
            )
            return
        self._game.fill(theme.BACKGROUND)
        self._lane_boxes = []
        columns = getattr(self.arena, "lane_columns", None)
        rects = lane_ui.lane_rects(self._game.get_rect(), len(lanes), columns)
        for lane, (label, rect) in zip(lanes, rects, strict=True):
            self.view.draw(
                self._game,
                rect,
                lane.shown.scene,
                lane.shown.highlight(),
                **self._brain_for_view(lane.shown),
            )
            solved = lane.arena.metrics.solved
            self._lane_boxes += lane_ui.draw_label(
                self._game, label, lane.label, lane.status(), lane.colour, solved
            )
        if self.arena.all_done:
            lane_ui.draw_results(
                self._game, self._game.get_rect(), self.arena.RESULT_HEADERS, self.arena.results()
            )

    def _brain_for_view(self, arena: Any) -> dict[str, Any]:
        """What the view is given beyond the scene: the brain whose tables it draws, and
        what a play arena adds (your bird, the agent's planned path)."""
        extras = arena.view_extras() if hasattr(arena, "view_extras") else {}
        if getattr(self.view, "wants_brain", False):
            extras.setdefault("brain", getattr(arena, "brain", None))
        return extras

    def _badges(self) -> list[tuple[str, str, tuple[int, int, int]]]:
        badges = []
        if self.paused:
            badges.append(("", "PAUSED", theme.WARN))
        if self.fast_forward:
            badges.append(("", "FAST FORWARD", theme.ACCENT))
        pace = getattr(self.arena, "pace", "free")
        if pace == "free":
            badges.append(("Speed", speed_label(self.speed), theme.TEXT))
        else:  # the arena holds the pace: say so, rather than show a speed not in force
            badges.append(("Speed", "1x, you play" if pace == "human" else "max", theme.TEXT))
        fps = self.clock.get_fps()  # 0 until the clock has timed a few frames
        badges.append(("FPS", f"{fps:.0f}" if fps else "--", theme.TEXT))
        return badges

    # -- saving and closing ----------------------------------------------------------

    def save(self) -> Path | None:
        arena = self.arena
        if not arena.can_save:
            self.toast.show(
                "This brain is already saved: watching does not change it.", theme.TEXT_DIM
            )
            return None
        if not arena.has_learned():
            self.toast.show("Nothing to save yet: nothing has been learned.", theme.WARN)
            return None
        path, note = save_or_rescue(arena.save_best, self.save_root)
        if path is None:
            self.toast.show(f"Could not save: {note}", theme.WARN)
            print(f"Could not save: {note}", file=sys.stderr)  # a toast may never be seen
            return None
        self.saved_at = arena.progress_tag()
        self.saved_path = path
        if note:  # the chosen folder failed: say where the brain went instead
            self.toast.show(note, theme.WARN, 8)
            print(note, file=sys.stderr)
        else:
            self.toast.show(f"Saved {self.saves} to {path}", theme.GOOD)
        return path

    @property
    def saves(self) -> str:
        """What S saves: the best brain, or what the arena says it saves (a figure's PNG)."""
        return getattr(self.arena, "saves", "best brain")

    def screenshot(self) -> Path | None:
        """A PNG of the window into the save folder, written whole or not at all."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = unique_file(self.save_root, f"screenshot-{stamp}", ".png")
        try:
            save_image(self.screen, path)
        except (OSError, pygame.error) as error:
            self.toast.show(f"Could not save a screenshot: {error}", theme.WARN)
            return None
        self.toast.show(f"Screenshot saved to {path}", theme.GOOD)
        return path

    def close(self) -> None:
        """Keep what was learned: save the champion if it changed since the last save."""
        arena = self.arena
        if arena.can_save and arena.has_learned() and self.saved_at != arena.progress_tag():
            path = self.save()
            if path is not None:
                # stderr: stdout is for results (play's JSON line)
                print(f"Saved {self.saves} to {path}", file=sys.stderr)
        if self.recorder is not None:
            recorder, self.recorder = self.recorder, None
            try:
                recorded = recorder.finish()
                print(f"Recorded {recorder.frames} frames to {recorded}", file=sys.stderr)
            except RecordError as error:
                print(f"Nothing recorded: {error}", file=sys.stderr)
        pygame.display.quit()
