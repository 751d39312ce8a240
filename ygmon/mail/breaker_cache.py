"""A worker's view of the shared breaker state, read at most once a second while closed.

pybreaker reads the storage's state before every call and resets the failure counter
after every success: with the state shared through the broker that is two round trips
(Redis) or two SQLite statements per message, which cost as much as the SMTP exchange
of a message (bench/bench_notifications.py). While the breaker is closed, and nothing
failed here, this wrapper answers the state from what it read less than FRESH_FOR
seconds ago and resets the counter once per FRESH_FOR; anything else (open,
half-open, a failure, a state change) goes to the shared storage at once.

So a breaker another worker opened is seen here within FRESH_FOR seconds; until then
this worker's sends go on and, should they fail, count toward the shared state as
before. Health reads the shared storage itself (ygmon.mail.breaker.shared_state).
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pybreaker

FRESH_FOR = 1.0


class FreshForStorage(pybreaker.CircuitBreakerStorage):
    def __init__(self, shared: pybreaker.CircuitBreakerStorage, fresh_for: float = FRESH_FOR):
        super().__init__(shared.name)
        self.shared = shared
        self.fresh_for = fresh_for
        self._lock = threading.Lock()
        self._closed_until = 0.0
        """Until when (monotonic) a read of the shared state said closed."""
        self._reset_until = 0.0
        """Until when a reset of the shared failure counter by this worker stands in
        for the next ones (no failure counted here since)."""

    def _forget(self) -> None:
        with self._lock:
            self._closed_until = 0.0
            self._reset_until = 0.0

    @property
    def state(self) -> str:
        if time.monotonic() < self._closed_until:
            return pybreaker.STATE_CLOSED
        state = self.shared.state
        with self._lock:
            closed = state == pybreaker.STATE_CLOSED
            self._closed_until = time.monotonic() + self.fresh_for if closed else 0.0
        return state

    @state.setter
    def state(self, state: str) -> None:
        self._forget()
        self.shared.state = state

    def increment_counter(self) -> None:
        self._forget()
        self.shared.increment_counter()

    def reset_counter(self) -> None:
        if time.monotonic() < self._reset_until:
            return
        self.shared.reset_counter()
        with self._lock:
            self._reset_until = time.monotonic() + self.fresh_for

    def increment_success_counter(self) -> None:
        self.shared.increment_success_counter()

    def reset_success_counter(self) -> None:
        self.shared.reset_success_counter()

    @property
    def counter(self) -> int:
        return self.shared.counter

    @property
    def success_counter(self) -> int:
        return self.shared.success_counter

    @property
    def opened_at(self) -> datetime | None:
        return self.shared.opened_at

    @opened_at.setter
    def opened_at(self, now: datetime) -> None:
        self._forget()
        self.shared.opened_at = now
