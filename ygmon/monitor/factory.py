"""make_monitor: the one way the CLI, the TUI and the tests get a Monitor for settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ygmon.config import LocalProfile, Settings
from ygmon.monitor.protocol import Monitor


def make_monitor(
    settings: Settings, *, clock: Callable[[], datetime] | None = None, live: bool = False
) -> Monitor:
    """A RemoteMonitor for a remote profile, else a LocalMonitor (clock: tests only);
    `live`: a remote one holds the server's stream (the TUI; not one-shot commands)."""
    if isinstance(settings.profile, LocalProfile):
        from ygmon.monitor.local import LocalMonitor

        return LocalMonitor(settings.profile, clock)
    from ygmon.monitor.remote import RemoteMonitor

    return RemoteMonitor(settings.profile, live=live)
