"""The stream's feed: one reader for every live viewer (ygmon.monitor.change_feed), read in
the background while a stream is open, its changes numbered with ids that `Last-Event-ID`
resumes from, and each change's event encoded once for every stream that sends it.

Ids carry the feed's epoch (a server restart starts a new one), so an id of a previous
process never resumes. The batched snapshot (GET /snapshot) reuses a read younger than
the interval instead of reading again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from typing import Any

from sse_starlette import ServerSentEvent

from ygmon.monitor.change_feed import Change, ChangeFeed
from ygmon.monitor.live_topics import TOPICS
from ygmon.monitor.local import LocalMonitor

STREAM_READ_EVERY = 0.5
"""Seconds between two reads of the counts for the stream: a job enqueued shows to every
viewer within this plus a read and a send (p95 under 1 s, `python -m bench stream`);
the slower topics keep their own interval (ygmon.monitor.change_feed.SLOW_EVERY)."""


class StreamFeed(ChangeFeed):
    def __init__(self, monitor: LocalMonitor, every: float = STREAM_READ_EVERY) -> None:
        super().__init__(monitor, every)
        self.epoch = secrets.token_hex(4)
        self._listeners = 0
        self._task: asyncio.Task[None] | None = None
        self.streams: dict[str, int] = {}
        """Open streams per subject (the limit is the profile's `max_streams`)."""

    # --- ids and events -------------------------------------------------------------

    def event_id(self, seq: int | None = None) -> str:
        return f"{self.epoch}-{self.seq if seq is None else seq}"

    def change(self, seq: int, topic: str, text: str) -> Change:
        event = ServerSentEvent(text, event=topic, id=self.event_id(seq))
        return Change(seq, topic, text, event.encode())

    def snapshot_text(self, topics: set[str]) -> str:
        """The topics held now, as one JSON object (each topic's text encoded once)."""
        held = [n for n in self.objects if n in topics]
        return "{" + ",".join(f"{json.dumps(n)}:{self.text(n)}" for n in held) + "}"

    def snapshot(self, topics: list[str]) -> dict[str, Any]:
        """The topics held now, as JSON data by name."""
        return {n: TOPICS[n].to_json(self.objects[n]) for n in topics if n in self.objects}

    def resume_point(self, last_event_id: str | None) -> int | None:
        """The change number a `Last-Event-ID` resumes after, or None when a full
        snapshot is needed (no id, another epoch, or changes no longer kept)."""
        if not last_event_id:
            return None
        epoch, _, raw = last_event_id.strip().partition("-")
        if epoch != self.epoch or not raw.isdigit():
            return None
        seq = int(raw)
        if seq > self.seq:
            return None
        return seq if seq >= self.oldest() - 1 else None

    # --- the background reader ------------------------------------------------------

    async def _run(self) -> None:
        while self._listeners > 0:
            with contextlib.suppress(Exception):  # a failed read is retried next interval
                await self.fresh()
            began = max(self._began.values(), default=time.monotonic())
            await asyncio.sleep(max(0.0, self.every - (time.monotonic() - began)))

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
