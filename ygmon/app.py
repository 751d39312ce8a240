"""The ygmon terminal app: ten screens over one Monitor, switched by number keys."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ygmon.screens.help_screen import HelpScreen
from ygmon.screens.overview import OverviewScreen
from ygmon.screens.polled_screen import PolledScreen
from ygmon.tui.alert_checks import AlertChecks
from ygmon.tui.local_worker import LocalWorker
from ygmon.tui.refresh_policy import RefreshPolicy
from ygmon.tui.ui_config import UiConfig

if TYPE_CHECKING:
    from ygmon.monitor.protocol import Monitor


def _later(module: str, name: str) -> Callable[[], Screen]:
    """Makes screen `name` of ygmon.screens.`module`, imported on the first switch to it:
    the app opens on the Overview, which need not wait for the others' modules (and the
    DataTable, Input and Select they bring)."""

    def make() -> Screen:
        return getattr(importlib.import_module(f"ygmon.screens.{module}"), name)()

    return make


SCREENS_BY_KEY: tuple[tuple[str, str, str, Callable[[], Screen]], ...] = (
    ("1", "overview", "Overview", OverviewScreen),
    ("2", "queues", "Queues", _later("queues", "QueuesScreen")),
    ("3", "logs", "Logs", _later("logs", "LogsScreen")),
    ("4", "failed", "Failed", _later("failed", "FailedScreen")),
    ("5", "previews", "Previews", _later("previews", "PreviewsScreen")),
    ("6", "worker", "Worker", _later("worker_control", "WorkerScreen")),
    ("7", "metrics", "Metrics", _later("metrics", "MetricsScreen")),
    ("8", "search", "Search", _later("search", "SearchScreen")),
    ("9", "schedules", "Schedules", _later("schedules", "SchedulesScreen")),
    ("0", "alerts", "Alerts", _later("alerts", "AlertsScreen")),
)

HIDDEN_SCREEN_KEYS = frozenset({"9", "0"})

# Grouped keys take one slot in the footer, so every key fits at 80 columns; `?` lists each.
SCREENS = Binding.Group("Screen", compact=True)
SPEED = Binding.Group("Speed", compact=True)


class YgmonApp(AlertChecks, App):
    TITLE = "ygmon"
    CSS_PATH = "app.tcss"
    MODES = {mode: make for _key, mode, _title, make in SCREENS_BY_KEY}
    # Starting in the Overview's mode, rather than switching to it from Textual's blank
    # default screen on mount, composes one screen instead of two, resumes it once
    # instead of twice (each resume starts a poll) and parses the CSS once.
    DEFAULT_MODE = "overview"
    BINDINGS = [
        *(
            Binding(
                key,
                f"switch_mode('{mode}')",
                title,
                id=f"screen.{mode}",
                group=SCREENS,
                # 9 and 0 are off the footer: four more columns would cut the screens'
                # own keys at 80 columns. `?` and the command palette list them.
                show=key not in HIDDEN_SCREEN_KEYS,
            )
            for key, mode, title, _cls in SCREENS_BY_KEY
        ),
        Binding("slash", "search", "Search", id="screen.search.slash", key_display="/", show=False),
        Binding("ctrl+r", "refresh_now", "Refresh", id="refresh.now"),
        Binding("p", "toggle_pause", "Pause", id="refresh.pause"),
        Binding(
            "plus", "faster", "Refresh faster", id="refresh.faster", key_display="+", group=SPEED
        ),
        Binding("minus", "slower", "Refresh slower", id="refresh.slower", group=SPEED),
        Binding("question_mark", "help", "Help", id="app.help", key_display="?"),
        # Off the footer (eight screen keys left no room at 80 columns); `?` lists it.
        Binding("q", "quit", "Quit", id="app.quit", show=False),
    ]

    def __init__(
        self,
        monitor: Monitor,
        *,
        target: str,
        ui: UiConfig | None = None,
        worker_command: Sequence[str] | None = None,
        read_only: bool | None = None,
    ) -> None:
        super().__init__()
        self.monitor = monitor
        self.target = target
        self.ui = ui or UiConfig()
        self._read_only = read_only
        self.policy = RefreshPolicy(interval=self.ui.refresh_interval)
        self.local_worker = (
            LocalWorker(worker_command)
            if worker_command and monitor.SUPPORTS_LOCAL_WORKER
            else None
        )

    @property
    def read_only(self) -> bool:
        # A RemoteMonitor learns that the server is read-only from its answers.
        return bool(self._read_only) or not self.monitor.SUPPORTS_RETRY

    def on_mount(self) -> None:
        self.start_alert_checks()

    async def on_unmount(self) -> None:
        # A worker started from the app stops with it; the monitor's connections close.
        if self.local_worker is not None:
            await self.local_worker.stop()
        await self.monitor.close()

    def _polled(self) -> PolledScreen | None:
        screen = self.screen
        return screen if isinstance(screen, PolledScreen) else None

    def action_refresh_now(self) -> None:
        if (screen := self._polled()) is not None:
            screen.refresh_now()

    def action_toggle_pause(self) -> None:
        self.policy.paused = not self.policy.paused
        self.notify("Refresh paused." if self.policy.paused else "Refresh resumed.")
        self.action_refresh_now()

    def action_faster(self) -> None:
        self.policy.faster()
        self.notify(f"Refreshing every {self.policy.interval:g}s.")
        self.action_refresh_now()

    def action_slower(self) -> None:
        self.policy.slower()
        self.notify(f"Refreshing every {self.policy.interval:g}s.")
        self.action_refresh_now()

    def action_search(self) -> None:
        """`/`: the Search screen, its query box focused."""
        self.switch_mode("search")
        self.call_after_refresh(self._focus_search)

    def _focus_search(self) -> None:
        if self.screen.query("#search-input"):
            self.screen.query_one("#search-input").focus()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for key, mode, title, _cls in SCREENS_BY_KEY:
            yield SystemCommand(
                f"{title} screen",
                f"Show the {title} screen (key {key})",
                lambda mode=mode: self.switch_mode(mode),
            )
