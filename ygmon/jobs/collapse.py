"""Collapse markers: one job covers a burst of requests for it.

A marker lives in its queue's Huey key-value store (the broker's, so every producer
and worker of a deployment shares it; `put_if_empty` is atomic on SQLite and Redis
alike). A producer holds it while the job it enqueued has not done its part; another
producer that finds it held enqueues nothing. A marker whose holder never came (its
enqueue lost, its retries exhausted) goes stale after STALE_AFTER seconds and the next
producer takes it over.

Two pipelines use it, each with its own keys and policy: the search index's update per
entity (ygmon.pipelines.search.changes) and the notifications' delivery and sender
wake-ups (ygmon.pipelines.notifications.wake). They reach it through the producer they
are given (JobRuntime.collapse, JobContext.collapse), declared to them as
ygmon.pipelines.producer.Markers.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from huey.api import Huey

STALE_AFTER = 300.0
"""Seconds after which a held marker is taken for abandoned."""


def _fresh_holder(value: Any, now: float) -> str | None:
    """The holder named by a marker's value ("holder stamp"), unless it went stale."""
    if value is None:
        return None
    holder, _, stamp = str(value).partition(" ")
    try:
        fresh = float(stamp) + STALE_AFTER > now
    except ValueError:
        fresh = False
    return holder if fresh else None


class Collapse:
    """The markers of one runtime's queues (one Huey instance per queue)."""

    def __init__(self, hueys: Mapping[str, Huey]) -> None:
        self._hueys = hueys

    def now(self) -> float:
        """The markers' clock: epoch seconds of this host, as the stamps are."""
        return time.time()

    def holder(self, queue: str, key: str) -> str | None:
        """Who holds marker `key` of `queue`, unless nobody does or it went stale."""
        return _fresh_holder(self._hueys[queue].get(key, peek=True), self.now())

    def hold(self, queue: str, key: str, holder: str, stamp: float) -> str | None:
        """Hold marker `key` of `queue` for `holder` from `stamp` (its staleness counts
        from there), unless a fresh marker holds it: None when this call holds it now
        (set, or taken over from a stale holder), else the fresh holder."""
        huey = self._hueys[queue]
        value = f"{holder} {stamp}"
        for _ in range(3):
            if huey.put_if_empty(key, value):
                return None
            found = huey.get(key, peek=True)
            if found is None:
                continue  # released between the two calls (its job finished): set it again
            held = _fresh_holder(found, self.now())
            if held is not None:
                return held
            huey.put(key, value)  # stale: take it over
            return None
        return None

    def release(self, queue: str, key: str) -> None:
        self._hueys[queue].delete(key)

    def stamp(self, queue: str, key: str) -> None:
        """Record now at `key` (a plain time, never held: see `stamped`)."""
        self._hueys[queue].put(key, self.now())

    def stamped(self, queue: str, key: str) -> float | None:
        value = self._hueys[queue].get(key, peek=True)
        return None if value is None else float(value)

    def prune(self, queue: str, prefix: str, before: float) -> int:
        """Drop the `stamp`s under `prefix` older than `before` (or unreadable); how many."""
        huey = self._hueys[queue]
        storage, serializer = huey.storage, huey.serializer
        gone = 0
        for key, raw in list(storage.result_items().items()):
            name = key.decode() if isinstance(key, bytes) else key
            if not name.startswith(prefix):
                continue
            try:
                stale = float(serializer.deserialize(raw)) < before
            except Exception:
                stale = True
            if stale and storage.delete_data(key):
                gone += 1
        return gone
