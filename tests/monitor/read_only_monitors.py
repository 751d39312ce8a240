"""Read-only monitors over one profile, for the monitor tests that check each change is
refused (and audited) by a read-only local backend, a read-only server, and a client
that knows itself read-only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from servers import fixed_clock, local_settings, remote_settings, serve_on_loopback

from ygmon.config import LocalProfile


@asynccontextmanager
async def read_only_monitors(profile: LocalProfile) -> AsyncIterator[tuple[Any, Any, Any]]:
    """Over a read-only server of `profile` (on fixed_clock): a read-only local monitor,
    a remote monitor of the server, and a read-only remote profile of it; closed on exit."""
    from ygmon.monitor.factory import make_monitor

    with serve_on_loopback(profile, read_only=True, clock=fixed_clock) as (base_url, token):
        monitors = (
            make_monitor(local_settings(profile.replace(read_only=True)), clock=fixed_clock),
            make_monitor(remote_settings(base_url, token)),
            make_monitor(remote_settings(base_url, token, read_only=True)),
        )
        try:
            yield monitors
        finally:
            for monitor in monitors:
                await monitor.close()
