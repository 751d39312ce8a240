"""The top line: product, profile, backend target, READ-ONLY badge, firing alerts,
rate-limit budget, how fresh the screen's data is (ticking), refresh state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from ygmon.monitor.queue_control_schemas import AlertState
from ygmon.tui.age_ticker import tick_each_second
from ygmon.tui.formatting import span, stamp
from ygmon.widgets.link_label import LinkLabel
from ygmon.widgets.target_label import TargetLabel


class AppHeader(Horizontal):
    _read_at: datetime | None = None
    _clock: Callable[[], datetime] | None = None

    def compose(self) -> ComposeResult:
        yield Label("ygmon", id="header-title")
        yield Label("", id="header-profile")
        yield TargetLabel("", id="header-target")
        yield Label("READ-ONLY", id="header-readonly")
        yield Label("", id="header-alerts")
        yield LinkLabel("", id="header-link")
        yield Label("", id="header-budget")
        yield Label("", id="header-read")
        yield Label("", id="header-refresh")

    def on_mount(self) -> None:
        tick_each_second(self, self._show_read)

    def show_read(self, at: datetime | None, clock: Callable[[], datetime]) -> None:
        """When the screen's data was read (the app's clock), its age ticking: "read 3s
        ago"; nothing before a first read. The exact time is the tooltip."""
        self._read_at, self._clock = at, clock
        self._show_read()

    def _show_read(self) -> None:
        label = self.query_one("#header-read", Label)
        if self._read_at is None or self._clock is None:
            label.update("")
            label.tooltip = None
            return
        seconds = max(0.0, (self._clock() - self._read_at).total_seconds())
        label.update(f"read {span(seconds)} ago")
        label.tooltip = f"This screen's data was read at {stamp(self._read_at)} UTC."

    def show_app(self) -> None:
        """The app's backend, profile and refresh state, as every screen's header shows them."""
        app: Any = self.app  # YgmonApp, which a widget does not import
        self.show_backend(app.target, app.read_only)
        self.show_profile(app.profile_name, app.profile_colour)
        policy = app.policy
        self.show_refresh(policy.interval, policy.paused, not app.ui.auto_refresh)

    def show_backend(self, target: str, read_only: bool) -> None:
        self.query_one("#header-target", TargetLabel).show_target(target)
        self.set_class(read_only, "-read-only")

    def show_profile(self, name: str | None, colour: str | None) -> None:
        """The profile's name, on its colour when it has one (so prod reads as prod)."""
        label = self.query_one("#header-profile", Label)
        label.update(name or "")
        self.set_class(bool(name), "-profiled")
        if colour:
            from ygmon.profile_keys import header_colour

            label.styles.background = header_colour(colour)
            label.styles.color = "black" if colour in ("yellow", "cyan", "orange") else "white"
        else:
            label.styles.clear_rule("background")
            label.styles.clear_rule("color")

    def show_alerts(self, firing: list[AlertState]) -> None:
        """How many alerts fire, or the one that does (screen 0 lists them; a click on
        the badge opens it)."""
        label = self.query_one("#header-alerts", Label)
        # Short, so the backend's name keeps its room at 80 columns.
        if len(firing) == 1:
            label.update(f"ALERT {firing[0].subject[:24]}")
        else:
            label.update(f"{len(firing)} ALERTS" if firing else "")
        lines = [f"{s.kind} {s.subject}: {s.message}" for s in firing]
        label.tooltip = (
            "\n".join([*lines, "click or press 0: the Alerts screen"]) if lines else None
        )
        self.set_class(bool(firing), "-alerting")

    def on_click(self, event: events.Click) -> None:
        # The badge is a way in: the Alerts screen (key 0) says which rule fires and why.
        if event.widget is not None and event.widget.id == "header-alerts":
            event.stop()
            self.app.switch_mode("alerts")

    def show_budget(self, remaining: int | None, limit: int | None) -> None:
        text = "" if remaining is None else f"API {remaining}/{limit or '?'}"
        self.query_one("#header-budget", Label).update(text)

    def show_refresh(self, interval: float, paused: bool, manual: bool = False) -> None:
        text = "manual refresh" if manual else "FROZEN" if paused else f"every {interval:g}s"
        self.query_one("#header-refresh", Label).update(text)
