"""The remote monitor's live copy: the server's topics held from its stream, so screens
read a local copy and switching screens costs no request.

Modes, tried in this order and said in `link()`:
- LIVE: GET /stream (httpx-sse) is held; values change as its events arrive.
- POLLING: the stream cannot be held (a proxy that buffers, the user's stream limit):
  one GET /snapshot per interval, with If-None-Match, so an unchanged one is a 304.
- DIRECT: the server has neither (an older server): the monitor asks each endpoint, as
  before.
- DOWN: the server cannot be reached or refuses the token; the monitor's own calls then
  raise the error the screens show, and the stream is tried again after a backoff.

A topic that carries the server's clock (the schedules' `checkedAt`, which alone changes
no event) is answered with that clock moved on by the time since it arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from httpx_sse import aconnect_sse

from ygmon.errors import NotFoundError, RateLimitedError, YgmonError
from ygmon.monitor.admin_api import BASE
from ygmon.monitor.live_topics import TOPICS

JOB_TOPICS = frozenset({"queues", "failedCount", "searchIndexStats", "searchIndexOverview"})
"""Topics whose change may change a job list, a job, a log page or a search: an answer
of those (not in the stream) is asked again, with If-None-Match, only after one."""
STREAM_READ_TIMEOUT = 45.0
"""Seconds of silence before the stream counts as lost (the server pings every 15)."""
RETRY_STREAM_AFTER = 60.0
"""Seconds of snapshot polling before a stream the server refused is tried again."""
MAX_BACKOFF = 300.0


class LinkMode(enum.StrEnum):
    CONNECTING = "connecting"
    LIVE = "live"
    POLLING = "polling"
    DIRECT = "direct"
    DOWN = "down"


@dataclass(frozen=True)
class LinkState:
    mode: LinkMode
    interval: float
    """The polling interval (POLLING, DIRECT)."""
    last_event_age: float | None
    """Seconds since the last event or snapshot arrived."""


class LiveApi(Protocol):
    """What the copy needs of RemoteMonitor."""

    def note_headers(self, response: httpx.Response) -> None: ...

    def error_of(self, response: httpx.Response) -> YgmonError: ...

    async def snapshot(self) -> Any:
        """GET /snapshot's `data` (revalidated with its ETag, never reused unasked)."""
        ...


class _StreamUnsupported(Exception):
    """404 on GET /stream: a server without it."""


class _CannotHold(Exception):
    """The stream opened but nothing came through in time (a buffering proxy)."""


@dataclass(eq=False)
class LiveCopy:
    client: httpx.AsyncClient
    api: LiveApi
    interval: float
    timeout: float
    values: dict[str, Any] = field(default_factory=dict, init=False)
    received: dict[str, float] = field(default_factory=dict, init=False)
    """time.monotonic() when each topic's value arrived (its clock moves on since)."""
    mode: LinkMode = field(default=LinkMode.CONNECTING, init=False)
    version: int = field(default=0, init=False)
    """Bumped when a job topic changes (or anything may have: a new snapshot)."""
    last_event_id: str | None = field(default=None, init=False)
    _last_event_at: float | None = field(default=None, init=False)
    _ready: asyncio.Event = field(default_factory=asyncio.Event, init=False)
    _task: asyncio.Task[None] | None = field(default=None, init=False)

    # --- what the monitor asks ----------------------------------------------------

    async def value(self, topic: str) -> Any | None:
        """The topic's latest value, or None when the monitor must ask the endpoint."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())
        if self.mode is LinkMode.CONNECTING:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._ready.wait(), self.timeout)
        if self.mode in (LinkMode.LIVE, LinkMode.POLLING) and topic in self.values:
            held = time.monotonic() - self.received.get(topic, time.monotonic())
            return TOPICS[topic].rebase(self.values[topic], held)
        return None

    def fresh(self, version: int) -> bool:
        """True while an answer fetched at `version` needs no asking again."""
        return self.mode in (LinkMode.LIVE, LinkMode.POLLING) and version == self.version

    def changed_here(self) -> None:
        """This client changed something (a retry, a pause): answers are asked again."""
        self.version += 1

    def link(self) -> LinkState:
        age = None if self._last_event_at is None else time.monotonic() - self._last_event_at
        return LinkState(self.mode, self.interval, age)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    # --- the loop -----------------------------------------------------------------

    def _set(self, mode: LinkMode) -> None:
        self.mode = mode
        if mode is not LinkMode.CONNECTING:
            self._ready.set()

    async def _run(self) -> None:
        backoff = self.interval
        while True:
            try:
                await self._hold_stream()
                backoff = self.interval
            except _StreamUnsupported:
                if not await self._poll_snapshots(until=None):
                    self._set(LinkMode.DIRECT)
                    return
            except (RateLimitedError, _CannotHold):
                if not await self._poll_snapshots(until=time.monotonic() + RETRY_STREAM_AFTER):
                    self._set(LinkMode.DIRECT)
                    return
            except (YgmonError, httpx.HTTPError, ValueError):
                self._set(LinkMode.DOWN)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)

    async def _hold_stream(self) -> None:
        headers = {"Accept": "text/event-stream"}
        if self.last_event_id:
            headers["Last-Event-ID"] = self.last_event_id
        timeout = httpx.Timeout(self.timeout, read=STREAM_READ_TIMEOUT)
        try:
            async with aconnect_sse(
                self.client, "GET", BASE + "/stream", headers=headers, timeout=timeout
            ) as source:
                response = source.response
                self.api.note_headers(response)
                if response.status_code == 404:
                    raise _StreamUnsupported
                if response.status_code != 200:
                    await response.aread()
                    raise self.api.error_of(response)
                events = source.aiter_sse().__aiter__()
                try:
                    # A proxy that buffers lets nothing through: poll instead.
                    event = await asyncio.wait_for(events.__anext__(), self.timeout)
                except (TimeoutError, StopAsyncIteration):
                    raise _CannotHold from None
                while event.event != "end":
                    # httpx-sse dispatches the blank line after the server's keep-alive
                    # comment as an empty "message" once an id has been seen: not an event.
                    if event.data:
                        self._take(event.event, event.data, event.id)
                    event = await events.__anext__()
        except (httpx.ReadTimeout, StopAsyncIteration):
            return  # lost or closed: reconnect, resuming from the last id

    def _take(self, name: str, data: str, event_id: str) -> None:
        body = json.loads(data)
        if name == "snapshot":
            self._hold(body)
            self.version += 1
        elif name in TOPICS:
            self._hold({name: body})
            if name in JOB_TOPICS:
                self.version += 1
        if event_id:
            self.last_event_id = event_id
        self._last_event_at = time.monotonic()
        if name in ("snapshot", "resumed"):
            self._set(LinkMode.LIVE)

    def _hold(self, body: dict[str, Any]) -> None:
        now = time.monotonic()
        for name, data in body.items():
            if name in TOPICS:
                self.values[name] = TOPICS[name].decode(data)
                self.received[name] = now

    async def _poll_snapshots(self, until: float | None) -> bool:
        """Poll GET /snapshot each interval until `until` (monotonic; None: for good);
        False when the server has no snapshot either."""
        backoff = self.interval
        while until is None or time.monotonic() < until:
            try:
                body = await self.api.snapshot()
            except NotFoundError:
                return False
            except YgmonError as exc:
                self._set(LinkMode.DOWN)
                wait = getattr(exc, "retry_after", None) or backoff
                backoff = min(backoff * 2, MAX_BACKOFF)
                await asyncio.sleep(wait)
                continue
            backoff = self.interval
            before = {n: self.values.get(n) for n in JOB_TOPICS}
            self._hold(body)
            if any(self.values.get(n) != before[n] for n in JOB_TOPICS):
                self.version += 1
            self._last_event_at = time.monotonic()
            self._set(LinkMode.POLLING)
            await asyncio.sleep(self.interval)
        return True
