"""The app as the screens and the UI's helpers see it: a Textual App over one Monitor,
with the refresh policy, the UI settings, the local worker and the profile it shows.

ygmon.app's YgmonApp is the one implementation. It is declared here, below the screens
and helpers, so that they name what they use of the app without importing the app
(which imports them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App

if TYPE_CHECKING:
    from ygmon.monitor.protocol import Monitor
    from ygmon.tui.local_worker import LocalWorker
    from ygmon.tui.profile_switch import ProfileSwitcher
    from ygmon.tui.refresh_policy import RefreshPolicy
    from ygmon.tui.ui_config import UiConfig


class MonitorApp(App):
    monitor: Monitor
    target: str
    """The backend, as the header names it."""
    profile_name: str | None
    profile_colour: str | None
    export_dir: str
    links: dict[str, str]
    slo: dict[str, list[str]]
    last_export: object
    switcher: ProfileSwitcher | None
    ui: UiConfig
    policy: RefreshPolicy
    local_worker: LocalWorker | None

    @property
    def read_only(self) -> bool:
        raise NotImplementedError

    def data_shown(self) -> None:
        """The screen in front painted fresh data (the app warms the others after)."""

    def choose_profile(self, name: str | None) -> None:
        """Move the app to profile `name` (None or the current one: stay)."""
        raise NotImplementedError
