"""The ygmon terminal app: its screens over one Monitor, switched by number keys (Audit on
`A`), and the profile picker (ctrl+o) that moves the app to another profile's Monitor."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ygmon.errors import YgmonError
from ygmon.screens.help_screen import HelpScreen
from ygmon.screens.overview import OverviewScreen
from ygmon.screens.polled_screen import PolledScreen
from ygmon.tui.alert_checks import AlertChecks
from ygmon.tui.local_worker import LocalWorker
from ygmon.tui.monitor_app import MonitorApp
from ygmon.tui.profile_commands import ProfileCommands
from ygmon.tui.refresh_policy import RefreshPolicy
from ygmon.tui.toast_limit import ToastLimit
from ygmon.tui.ui_config import UiConfig
from ygmon.tui.warm_up import LaterScreen, WarmUp

if TYPE_CHECKING:
    from ygmon.config import Settings
    from ygmon.monitor.protocol import Monitor
    from ygmon.tui.profile_switch import ProfileSwitcher


SCREENS_BY_KEY: tuple[tuple[str, str, str, Callable[[], Screen]], ...] = (
    ("1", "overview", "Overview", OverviewScreen),
    ("2", "queues", "Queues", LaterScreen("queues", "QueuesScreen")),
    ("3", "logs", "Logs", LaterScreen("logs", "LogsScreen")),
    ("4", "failed", "Failed", LaterScreen("failed", "FailedScreen")),
    ("5", "previews", "Previews", LaterScreen("previews", "PreviewsScreen")),
    ("6", "worker", "Worker", LaterScreen("worker_control", "WorkerScreen")),
    ("7", "metrics", "Metrics", LaterScreen("metrics", "MetricsScreen")),
    ("8", "search", "Search", LaterScreen("search", "SearchScreen")),
    ("9", "schedules", "Schedules", LaterScreen("schedules", "SchedulesScreen")),
    ("0", "alerts", "Alerts", LaterScreen("alerts", "AlertsScreen")),
    ("A", "audit", "Audit", LaterScreen("audit", "AuditScreen")),
)

HIDDEN_SCREEN_KEYS = frozenset({"9", "0", "A"})

# Grouped keys take one slot in the footer, so every key fits at 80 columns; `?` lists each.
SCREENS = Binding.Group("Screen", compact=True)
SPEED = Binding.Group("Speed", compact=True)


class YgmonApp(AlertChecks, WarmUp, ToastLimit, MonitorApp):
    TITLE = "ygmon"
    CSS_PATH = "app.tcss"
    MODES = {mode: make for _key, mode, _title, make in SCREENS_BY_KEY}
    # Starting in the Overview's mode, rather than switching to it from Textual's blank
    # default screen on mount, composes one screen instead of two, resumes it once
    # instead of twice (each resume starts a poll) and parses the CSS once.
    DEFAULT_MODE = "overview"
    COMMANDS = MonitorApp.COMMANDS | {ProfileCommands}
    BINDINGS = [
        *(
            Binding(
                key,
                f"switch_mode('{mode}')",
                title,
                id=f"screen.{mode}",
                group=SCREENS,
                # 9, 0 and A are off the footer: more columns would cut the screens'
                # own keys at 80 columns. `?` and the command palette list them.
                show=key not in HIDDEN_SCREEN_KEYS,
            )
            for key, mode, title, _cls in SCREENS_BY_KEY
        ),
        Binding("slash", "search", "Search", id="screen.search.slash", key_display="/", show=False),
        Binding("ctrl+r", "refresh_now", "Refresh", id="refresh.now"),
        # "Freeze", not "Pause": pausing is what `P` does to a queue (one word, one meaning).
        Binding("p", "toggle_pause", "Freeze", id="refresh.pause"),
        Binding(
            "plus", "faster", "Refresh faster", id="refresh.faster", key_display="+", group=SPEED
        ),
        Binding("minus", "slower", "Refresh slower", id="refresh.slower", group=SPEED),
        Binding("question_mark", "help", "Help", id="app.help", key_display="?"),
        # Where a text field takes `?` as a letter (a search box), F1 opens help and the
        # footer shows it instead (AppFooter keeps the help key at its right end).
        Binding("f1", "help", "Help", id="app.help.f1"),
        Binding("ctrl+o", "pick_profile", "Switch profile", id="app.profiles", show=False),
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
        profile_name: str | None = None,
        profile_colour: str | None = None,
        export_dir: str = ".",
        switcher: ProfileSwitcher | None = None,
        links: dict[str, str] | None = None,
        slo: dict[str, list[str]] | None = None,
        notes: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__()
        self.notes = list(notes or [])
        """(topic, what) of what `ygmon demo` set up, shown in help (`?`)."""
        self.monitor = monitor
        self.target = target
        self.profile_name = profile_name
        """Named in the header (None: the header shows the target alone)."""
        self.profile_colour = profile_colour
        self.export_dir = export_dir
        """Where `e` writes its exports (the profile's export_dir)."""
        self.links = dict(links or {})
        """The profile's link templates, shown in a job's detail (ygmon.job_links)."""
        self.slo = dict(slo or {})
        """The profile's latency targets (ygmon.slo_config), on Metrics and the Overview."""
        self.last_export: object = None
        """The path of the last export written (tests read it)."""
        self.switcher = switcher
        """The config file's profiles, for ctrl+o; None: no switching."""
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

    _alerts_started = False

    def on_ready(self) -> None:
        if self.notes:
            # The demo printed its notes before the app covered the terminal: say where
            # they are now.
            self.notify(
                "? shows what the demo set up: which jobs fail until a fix file exists, "
                "the admin user, where e-mails land.",
                title="ygmon demo",
                timeout=15,
            )

    def data_shown(self) -> None:
        # The alert rules are checked from the first data on: the first screen's poll
        # does not share the backend with them.
        if not self._alerts_started:
            self._alerts_started = True
            self.start_alert_checks()
        super().data_shown()

    async def on_unmount(self) -> None:
        # A worker started from the app stops with it (audited like a stop by hand);
        # the monitor's connections close.
        if self.local_worker is not None and self.local_worker.running:
            from ygmon.tui.worker_actions import stop_worker

            try:
                await stop_worker(self, reason="the app quit")
            except YgmonError:
                await self.local_worker.stop()
        await self.monitor.close()

    def apply_settings(self, settings: Settings, target: str) -> None:
        """The new profile's name, colour, export folder, links and refresh interval."""
        profile = settings.profile
        self.target = target
        self.profile_name = settings.profile_name
        self.profile_colour = profile.colour
        self.export_dir = profile.export_dir
        self.links = dict(profile.links)
        self.slo = dict(profile.slo)
        self._read_only = None
        self.policy = RefreshPolicy(interval=profile.refresh_interval)

    def action_pick_profile(self) -> None:
        """ctrl+o: the profile picker; the choice moves the app to that profile."""
        from ygmon.screens.profile_picker import ProfilePicker

        if self.switcher is None:
            self.notify("This app was started without a config file's profiles.")
            return
        try:
            profiles = self.switcher.described()
        except YgmonError as exc:
            self.notify(exc.message, title=exc.title, severity="error")
            return
        self.push_screen(ProfilePicker(profiles, self.profile_name), self.choose_profile)

    def choose_profile(self, name: str | None) -> None:
        if name is not None and name != self.profile_name:
            self.run_worker(self.switch_profile(name), group="profile", exclusive=True)

    async def switch_profile(self, name: str) -> bool:
        """Move the app to profile `name`; False (and a notification) when it cannot be read."""
        from ygmon.monitor.factory import make_monitor
        from ygmon.profile_targets import target_of, worker_command
        from ygmon.tui.worker_actions import stop_worker

        if self.switcher is None:
            return False
        try:
            settings = self.switcher.settings(name)
            monitor = make_monitor(settings, live=True)
        except YgmonError as exc:
            self.notify(exc.message, title=f"Profile {name} not opened", severity="error")
            return False
        if self.local_worker is not None and self.local_worker.running:
            try:
                await stop_worker(self, reason="profile switch")
            except YgmonError as exc:  # the audit could not be written: the worker still stops
                self.notify(exc.message, title="Worker stop not audited", severity="warning")
                await self.local_worker.stop()
        old = self.monitor
        self.monitor = monitor
        self.apply_settings(settings, target_of(settings))
        self.local_worker = (
            LocalWorker(worker_command(settings)) if monitor.SUPPORTS_LOCAL_WORKER else None
        )
        await old.close()
        self.rewarm()
        await self._fresh_screens()
        self.start_alert_checks()
        # The screens thrown away on the way polled too: their failures are not the new
        # profile's backoff. One poll of the screen in front starts it.
        self.policy = RefreshPolicy(interval=settings.profile.refresh_interval)
        self.action_refresh_now()
        self.notify(f"Now on profile {name}: {self.target}", title="Profile switched")
        return True

    async def _fresh_screens(self) -> None:
        """Every mode's screens rebuilt over the new monitor, the current one in front
        again: no screen may keep the old profile's rows (a failing first poll would show
        them as merely stale)."""
        current = self.current_mode
        makers: dict[str, Callable[[], Screen]] = dict(type(self).MODES)
        spare = "overview" if current != "overview" else "queues"
        for mode, make in makers.items():
            if mode != current:
                await self._drop_mode(mode)
                self.add_mode(mode, make)
        await self.switch_mode(spare)
        await self._drop_mode(current)
        self.add_mode(current, makers[current])
        await self.switch_mode(current)
        await self._drop_mode(spare)
        self.add_mode(spare, makers[spare])

    async def _drop_mode(self, mode: str) -> None:
        """remove_mode, the workers of its screens cancelled first: Textual takes a removed
        screen's widgets down without them, and a poll whose read came back meanwhile
        would write to widgets already gone."""
        try:
            stack = self.get_screen_stack(mode)
        except KeyError:  # never built
            stack = []
        for screen in stack:
            for node in screen.walk_children(with_self=True):
                self.workers.cancel_node(node)
        await self.remove_mode(mode)

    def _polled(self) -> PolledScreen | None:
        screen = self.screen
        return screen if isinstance(screen, PolledScreen) else None

    def action_refresh_now(self) -> None:
        # ctrl+r asks for the backend now, not for the local feed's last read (at most a
        # second old): what another operator did a moment ago shows at once.
        if (read_anew := getattr(self.monitor, "read_anew", None)) is not None:
            read_anew()
        if (screen := self._polled()) is not None:
            screen.refresh_now()

    def action_toggle_pause(self) -> None:
        self.policy.paused = not self.policy.paused
        self.notify(
            "Display frozen: no refresh until p." if self.policy.paused else "Refresh resumed."
        )
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
            self.push_screen(HelpScreen(self.screen, self.notes))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for key, mode, title, _cls in SCREENS_BY_KEY:
            yield SystemCommand(
                f"{title} screen",
                f"Show the {title} screen (key {key})",
                lambda mode=mode: self.switch_mode(mode),
            )
