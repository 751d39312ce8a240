"""Bounds on what one client may make the server hold: the size of a request's head and
the time it may take to send it.

uvicorn's h11 protocol waits for ever for a request line and headers that never finish
(one slow client per connection holds a socket and its buffers, the "slowloris"
attack), and accepts any header size that arrives in one read. `ygmon serve` therefore
runs HeadDeadlineH11Protocol, which drops a connection whose request head is not
complete within REQUEST_HEAD_TIMEOUT seconds, and the RequestLimits middleware answers
431 / 414 with the contract's error body for a head or a query string past its size.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from ygmon.api.errors import error_response

MAX_HEADER_BYTES = 16 * 1024
"""All header names and values together (nginx's default large buffer is 8 KiB x 4)."""
MAX_QUERY_BYTES = 64 * 1024
"""Room for a pasted 10 kB search query, percent-encoded (the search API cuts it)."""
MAX_HEAD_BYTES = MAX_HEADER_BYTES + MAX_QUERY_BYTES + 1024
"""The most h11 may buffer of an unfinished request line and headers."""
REQUEST_HEAD_TIMEOUT = 10.0
"""Seconds a connection may take to send a whole request line and headers."""
HEADERS_TOO_LARGE = "Request header fields too large"
URI_TOO_LONG = "Request URI too long"


class RequestLimits:
    """ASGI middleware: refuse oversized heads before any other layer reads them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
                await error_response(414, URI_TOO_LONG)(scope, receive, send)
                return
            size = sum(len(k) + len(v) for k, v in scope.get("headers", ()))
            if size > MAX_HEADER_BYTES:
                await error_response(431, HEADERS_TOO_LARGE)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class HeadDeadlineH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing connections that dawdle over a request head."""

    head_timeout = REQUEST_HEAD_TIMEOUT
    _head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_deadline()

    def _arm_head_deadline(self) -> None:
        self._disarm_head_deadline()
        self._head_deadline = self.loop.call_later(self.head_timeout, self._head_overdue)

    def _disarm_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_overdue(self) -> None:
        self._head_deadline = None
        if self.cycle is None or self.cycle.response_complete:
            # No request has started since the deadline was armed: whatever the client
            # sent so far (maybe nothing) is not a whole head.
            self.transport.close()

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and not self.cycle.response_complete:
            self._disarm_head_deadline()

    def on_response_complete(self) -> None:
        # Before uvicorn's own handler: it may start a pipelined request, which disarms.
        if not self.transport.is_closing():
            self._arm_head_deadline()
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_deadline()
        super().connection_lost(exc)
