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
    `live` (the TUI; not one-shot commands): a remote one holds the server's stream, a
    local one reads the same topics through one change feed (ygmon.monitor.local_live)."""
    if isinstance(settings.profile, LocalProfile):
        if live:
            from ygmon.monitor.local_live import LiveLocalMonitor

            return LiveLocalMonitor(settings.profile, clock)
        from ygmon.monitor.local import LocalMonitor

        return LocalMonitor(settings.profile, clock)
    from ygmon.monitor.remote import RemoteMonitor

    return RemoteMonitor(settings.profile, live=live)
