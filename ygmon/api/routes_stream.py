"""The live stream and the batched snapshot (extensions, marked `x-ygmon-extension`).

GET /stream: server-sent events (sse-starlette). On connect one `snapshot` event holding
every subscribed topic (ygmon.monitor.live_topics), then one event per changed topic,
named after it, each with an id; `Last-Event-ID` resumes with the changes since (then a
`resumed` event) while the feed still holds them. A comment line every 15 s keeps
proxies from closing it. The stream ends with an `end` event when the token expires or
the user is no longer ADMIN (checked with `require_known_users`). A change's event is
encoded once by the feed (ygmon.api.stream_feed) and sent as those bytes by every stream.

GET /snapshot: the same topics in one answer, for a client that cannot hold a stream;
its ETag (ygmon.api.etags) makes an unchanged one a 304.

A stream is one request against the rate limit (the guard counts its opening); a user
may hold the profile's `max_streams` at once, and gets the contract's 429 past them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.types import Receive, Scope, Send

from ygmon.api.auth import Identity
from ygmon.api.deps import ok
from ygmon.api.errors import TOO_MANY, error_response
from ygmon.api.guard import IDENTITY_KEY
from ygmon.api.models import QUERY_ERRORS, extension, extension_router, query_param
from ygmon.api.params import QueryParams
from ygmon.api.stream_feed import StreamFeed
from ygmon.errors import YgmonError
from ygmon.monitor.live_topics import TOPICS
from ygmon.monitor.user_roles import UserRoles

PING_EVERY = 15
"""Seconds between comment lines (proxies close a connection silent for 30-60 s)."""
ROLE_EVERY = 5.0
"""Seconds between two checks of the user's role (UserRoles caches for 10 s)."""
STREAM_RETRY_AFTER = "10"

TOPICS_PARAM = query_param(
    "topics",
    {"type": "string", "example": "health,queues"},
    "Comma-separated topics to receive (default all): " + ", ".join(TOPICS),
)
EVENT_STREAM = {
    200: {
        "description": "text/event-stream: `snapshot`, then one event per changed topic",
        "content": {
            "text/event-stream": {
                "schema": {
                    "type": "object",
                    "description": "One event; `data` is the topic's JSON, as its endpoint's",
                    "properties": {
                        "event": {"type": "string"},
                        "id": {"type": "string"},
                        "data": {"type": "string"},
                    },
                    "required": ["data"],
                }
            }
        },
    }
}

stream_router = extension_router()
snapshot_router = extension_router()


def feed_of(request: Request) -> StreamFeed:
    return request.app.state.feed


def _topics(request: Request) -> list[str]:
    q = QueryParams(request.query_params)
    raw = q.text("topics", 400)
    names = [n.strip() for n in (raw or "").split(",") if n.strip()] or list(TOPICS)
    for name in names:
        one = QueryParams({"topics": name})
        one.choice("topics", list(TOPICS))
        q.issues.extend(one.issues)
    q.check()
    return list(dict.fromkeys(names))


@snapshot_router.get("/snapshot", responses=QUERY_ERRORS, openapi_extra=extension(TOPICS_PARAM))
async def snapshot(request: Request) -> JSONResponse:
    """Every topic the stream sends, now, in one answer (with an ETag)."""
    names = _topics(request)
    feed = feed_of(request)
    await feed.fresh()
    return ok(feed.snapshot(names))


class LiveStream(EventSourceResponse):
    """An EventSourceResponse that gives its place back however it ends."""

    def __init__(self, content: AsyncIterator[Any], on_close: Callable[[], None]) -> None:
        super().__init__(content, ping=PING_EVERY)
        self._on_close = on_close

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._on_close()


@stream_router.get(
    "/stream",
    responses={**QUERY_ERRORS, **EVENT_STREAM},
    response_class=EventSourceResponse,
    openapi_extra=extension(TOPICS_PARAM),
)
async def stream(request: Request) -> Response:
    """Live changes of every subscribed topic, as server-sent events."""
    names = _topics(request)
    identity: Identity = request.scope[IDENTITY_KEY]
    feed = feed_of(request)
    if feed.streams.get(identity.user_id, 0) >= request.app.state.max_streams:
        return error_response(429, TOO_MANY, headers={"Retry-After": STREAM_RETRY_AFTER})
    # Read before answering, so a server that cannot read its registry says 503.
    await feed.fresh()
    resume = feed.resume_point(request.headers.get("last-event-id"))
    feed.join(identity.user_id)
    events = _events(feed, set(names), resume, identity, request.app.state.user_roles)
    return LiveStream(events, lambda: feed.leave(identity.user_id))


async def _wait(event: asyncio.Event, seconds: float) -> None:
    """Wait for `event` at most `seconds` (TimeoutError), without a task per wait."""
    if seconds == float("inf"):
        await event.wait()
        return
    async with asyncio.timeout(seconds):
        await event.wait()


def _end(reason: str) -> ServerSentEvent:
    return ServerSentEvent(json.dumps({"reason": reason}), event="end")


async def _events(
    feed: StreamFeed,
    topics: set[str],
    resume: int | None,
    identity: Identity,
    roles: UserRoles | None,
) -> AsyncIterator[ServerSentEvent | bytes]:
    tick = feed.tick()
    if resume is None:
        yield ServerSentEvent(feed.snapshot_text(topics), event="snapshot", id=feed.event_id())
    else:
        for change in feed.changes_after(resume, topics):
            yield change.frame
        yield ServerSentEvent(json.dumps({"from": resume}), event="resumed", id=feed.event_id())
    sent = feed.seq
    role_checked = time.monotonic()
    while True:
        left = (identity.expires_at or float("inf")) - time.time()
        if left <= 0:
            yield _end("token expired")
            return
        # Without a role to check, a stream wakes only for a change or its token's end:
        # fifty idle viewers cost the server nothing between changes.
        wait = left if roles is None else min(left, ROLE_EVERY)
        with contextlib.suppress(TimeoutError):
            await _wait(tick, wait)
        if roles is not None and time.monotonic() - role_checked >= ROLE_EVERY:
            role_checked = time.monotonic()
            try:
                role = await roles.role_of(identity.user_id)
            except YgmonError:
                role = "ADMIN"  # the database is away: judge again at the next check
            if role != "ADMIN":
                yield _end("role changed")
                return
        tick = feed.tick()
        for change in feed.changes_after(sent, topics):
            yield change.frame  # encoded once, by the feed, for every stream
        sent = feed.seq
