"""The worker's side of a pause: a dequeue of a paused queue takes nothing.

The paused set is read from the store at most once per REFRESH_SECONDS per process
(one small read for all of its queues, whatever their number of threads), so a busy
worker pays a clock read and a set lookup per job, and a pause reaches every worker
within STOPS_WITHIN: the set's staleness plus one poll already under way (an idle
SQLite queue is polled every 0.5 s at most; a Redis dequeue blocks up to 1 s on the
queue's wake-up list, and a job that wakes it then is taken).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from huey.api import Huey as _Huey
else:
    _Huey = object

from ygmon.errors import YgmonError
from ygmon.jobs.registry.queue_pauses import paused_queues

log = logging.getLogger("ygmon.worker")

REFRESH_SECONDS = 0.5
"""How stale the paused set may be: the longest idle poll of a queue."""
STOPS_WITHIN = REFRESH_SECONDS + 1.0
"""Seconds after a pause by which no worker takes a new job of the queue."""


class PauseGate:
    """Answers "is this queue paused?" from a cached read of the store."""

    def __init__(self, store: Any, refresh: float = REFRESH_SECONDS) -> None:
        self.store = store
        self.refresh = refresh
        self._paused: frozenset[str] = frozenset()
        self._read_at = float("-inf")
        self._lock = threading.Lock()

    def paused(self, queue: str) -> bool:
        if time.monotonic() - self._read_at >= self.refresh:
            self._reread()
        return queue in self._paused

    def _reread(self) -> None:
        with self._lock:
            if time.monotonic() - self._read_at < self.refresh:
                return  # another thread of this process just read it
            try:
                self._paused = frozenset(paused_queues(self.store))
            except YgmonError as exc:
                # The last known set stays: the dequeue that follows reports the outage.
                log.debug("paused queues unreadable: %s", exc)
            self._read_at = time.monotonic()


class GateHooks(Protocol):
    """What the runtime lends (ygmon.jobs.huey.broker.QueueHooks)."""

    queue: str
    pause_gate: PauseGate | None


class PausableDequeue(_Huey):
    """Huey mixin: `dequeue` returns nothing while the runtime's gate says the queue
    is paused."""

    hooks: GateHooks

    def dequeue(self) -> Any:
        # Huey.dequeue: nothing is taken off a paused queue.
        gate = self.hooks.pause_gate
        if gate is not None and gate.paused(self.hooks.queue):
            if self.storage.blocking:
                # Huey's worker loops at once after an empty dequeue of a blocking
                # storage (it expects the dequeue itself to have waited).
                time.sleep(gate.refresh)
            return None
        return super().dequeue()
