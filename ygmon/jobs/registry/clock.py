"""The registry's clock: the store's time, so that workers on hosts whose clocks
disagree still agree on when a heartbeat is stale and which minute a schedule is in.

Redis answers TIME; an SQLite registry lives on one host, whose clock every process
there shares. A process reads the store's time at most once a minute and otherwise
adds the measured offset to its own clock, so `now()` costs no round trip.
"""

from __future__ import annotations

import time
from collections.abc import Callable

RESYNC_SECONDS = 60.0
SYNC_SAMPLES = 4
"""Round trips per sync; the one of least delay gives the offset."""


class StoreClock:
    """`now()`: the local clock corrected by its offset from `server_time()`."""

    def __init__(self, server_time: Callable[[], float | None]) -> None:
        self._server_time = server_time
        self._offset = 0.0
        self._synced_at: float | None = None

    @property
    def offset(self) -> float:
        """Seconds to add to this host's clock to get the store's (0 until synced)."""
        return self._offset

    def sync(self) -> None:
        # The server read its clock somewhere in the round trip, so the middle of it is
        # off by up to half the trip. The first trip of a process also opens the
        # connection (45 ms under load, which put every started_at 22 ms late), and
        # any trip can lose the GIL to another thread: of a few, keep the shortest.
        best: tuple[float, float] | None = None
        for _ in range(SYNC_SAMPLES):
            before = time.time()
            server = self._server_time()
            after = time.time()
            if server is None:
                break
            if best is None or after - before < best[0]:
                best = (after - before, server - (before + after) / 2)
        self._synced_at = time.monotonic()
        if best is not None:
            self._offset = best[1]

    def now(self) -> float:
        if self._synced_at is None or time.monotonic() - self._synced_at > RESYNC_SECONDS:
            try:
                self.sync()
            except Exception:
                # An unreachable store keeps the last offset; the caller's own read
                # of the store reports the outage.
                self._synced_at = time.monotonic()
        return time.time() + self._offset
