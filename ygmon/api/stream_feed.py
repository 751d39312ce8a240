"""One reader for every live viewer: the topics read at most once per interval, whatever
the number of open streams, and the changes since, numbered, for streams to send on.

A read compares each topic's JSON with the last one; a topic that changed becomes a
change with the next id, kept in a bounded log so a client that reconnects with
`Last-Event-ID` gets what it missed without a full snapshot. Ids carry the feed's epoch
(a server restart starts a new one), so an id of a previous process never resumes.

The reader runs only while a stream is open; the batched snapshot (GET /snapshot)
reuses a read younger than the interval instead of reading again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from ygmon.monitor.live_topics import TOPICS, read_topics
from ygmon.monitor.local import LocalMonitor

READ_EVERY = 1.0
"""Seconds between two reads: a change shows within this (plus one read's time)."""
SLOW_EVERY = 5.0
SLOW_TOPICS = frozenset(
    {
        "history",
        "alerts",
        "schedules",
        "notificationStats",
        "searchIndexStats",
        "searchIndexOverview",
    }
)
"""Topics read every SLOW_EVERY seconds only: each costs more than the counts, and what
they show (per-minute history, next runs, index sizes) moves slowly; the counts, the
workers and the failed count, read every interval, carry the news."""
KEEP_CHANGES = 1000
"""Changes kept for resuming: at one change of every topic a second, ~100 s of them."""


@dataclass(frozen=True)
class Change:
    seq: int
    topic: str
    text: str
    """The topic's JSON, encoded once for every stream that sends it."""


class StreamFeed:
    def __init__(self, monitor: LocalMonitor, every: float = READ_EVERY) -> None:
        self.monitor = monitor
        self.every = every
        self.epoch = secrets.token_hex(4)
        self.values: dict[str, Any] = {}
        """Each topic's JSON at the last read."""
        self.seq = 0
        """The id of the last change."""
        self.reads = 0
        """Reads done (tests and the bench check one per interval, not one per viewer)."""
        self._log: deque[Change] = deque(maxlen=KEEP_CHANGES)
        self._read_at = -float("inf")
        self._slow_at = -float("inf")
        self._lock = asyncio.Lock()
        self._tick = asyncio.Event()
        self._listeners = 0
        self._task: asyncio.Task[None] | None = None
        self.streams: dict[str, int] = {}
        """Open streams per subject (the limit is the profile's `max_streams`)."""

    # --- ids ------------------------------------------------------------------------

    def event_id(self, seq: int | None = None) -> str:
        return f"{self.epoch}-{self.seq if seq is None else seq}"

    def resume_point(self, last_event_id: str | None) -> int | None:
        """The change sequence a `Last-Event-ID` resumes after, or None when a full
        snapshot is needed (no id, another epoch, or changes no longer kept)."""
        if not last_event_id:
            return None
        epoch, _, raw = last_event_id.strip().partition("-")
        if epoch != self.epoch or not raw.isdigit():
            return None
        seq = int(raw)
        if seq > self.seq:
            return None
        oldest = self._log[0].seq if self._log else self.seq + 1
        return seq if seq >= oldest - 1 else None

    def changes_after(self, seq: int, topics: set[str]) -> list[Change]:
        return [c for c in self._log if c.seq > seq and c.topic in topics]

    # --- reading --------------------------------------------------------------------

    async def fresh(self) -> None:
        """Read the topics unless a read finished less than an interval ago; concurrent
        callers share one read."""
        async with self._lock:
            began = time.monotonic()
            if began - self._read_at < self.every:
                return
            # The interval runs from a read's start, so a slow read does not stretch it.
            self._read_at = began
            slow = began - self._slow_at >= SLOW_EVERY
            names = list(TOPICS) if slow else [n for n in TOPICS if n not in SLOW_TOPICS]
            values = await read_topics(self.monitor, names)
            if slow:
                self._slow_at = began
            self.reads += 1
            changed = False
            for name, data in values.items():
                if self.values.get(name, ...) != data:
                    self.values[name] = data
                    self.seq += 1
                    text = json.dumps(data, separators=(",", ":"))
                    self._log.append(Change(self.seq, name, text))
                    changed = True
            if changed:
                self._tick.set()
                self._tick = asyncio.Event()

    def tick(self) -> asyncio.Event:
        """Set at the next read that changes something (take it before reading `seq`)."""
        return self._tick

    async def _run(self) -> None:
        while self._listeners > 0:
            with contextlib.suppress(Exception):  # a failed read is retried next interval
                await self.fresh()
            await asyncio.sleep(max(0.0, self.every - (time.monotonic() - self._read_at)))

    # --- listeners ------------------------------------------------------------------

    def join(self, subject: str) -> None:
        self.streams[subject] = self.streams.get(subject, 0) + 1
        self._listeners += 1
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    def leave(self, subject: str) -> None:
        left = self.streams.get(subject, 0) - 1
        if left > 0:
            self.streams[subject] = left
        else:
            self.streams.pop(subject, None)
        self._listeners = max(0, self._listeners - 1)

    async def close(self) -> None:
        self._listeners = 0
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
