"""Bounds on what one client may make the server hold: the size of a request's head and
body, the nesting of its JSON, and the time it may take to send its head.

uvicorn's h11 protocol waits for ever for a request line and headers that never finish
(one slow client per connection holds a socket and its buffers, the "slowloris"
attack), and accepts any header size that arrives in one read. `ygmon serve` therefore
runs HeadDeadlineH11Protocol, which drops a connection whose request head is not
complete within REQUEST_HEAD_TIMEOUT seconds, and the RequestLimits middleware answers
431 / 414 with the contract's error body for a head or a query string past its size,
413 for a body past MAX_BODY_BYTES (read chunk by chunk, never more than that held)
and 400 for JSON nested deeper than MAX_JSON_DEPTH (found while the body arrives, so a
"[[[[..." of any length costs the server its first few bytes, and the parser's
recursion never starts).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from ygmon.api.errors import INVALID_QUERY, error_response
from ygmon.api.issues import issue

MAX_HEADER_BYTES = 16 * 1024
"""All header names and values together (nginx's default large buffer is 8 KiB x 4)."""
MAX_QUERY_BYTES = 64 * 1024
"""Room for a pasted 10 kB search query, percent-encoded (the search API cuts it)."""
MAX_HEAD_BYTES = MAX_HEADER_BYTES + MAX_QUERY_BYTES + 1024
"""The most h11 may buffer of an unfinished request line and headers."""
REQUEST_HEAD_TIMEOUT = 10.0
"""Seconds a connection may take to send a whole request line and headers."""
MAX_BODY_BYTES = 64 * 1024
"""The API's bodies are a few fields (a bulk selection is under 11 KiB)."""
MAX_JSON_DEPTH = 32
HEADERS_TOO_LARGE = "Request header fields too large"
URI_TOO_LONG = "Request URI too long"
BODY_TOO_LARGE = "Request body too large"
_STRUCTURE = re.compile(rb'[\[\]{}"\\]')


class JsonDepth:
    """The nesting depth of a JSON text fed in pieces (brackets inside strings do not
    count); `exceeded` once it passed `limit`."""

    def __init__(self, limit: int = MAX_JSON_DEPTH) -> None:
        self.limit = limit
        self.depth = 0
        self.in_string = False
        self.escaped = False
        self.exceeded = False

    def feed(self, chunk: bytes) -> None:
        # A backslash that ended the previous chunk escapes this chunk's first byte.
        skip = 0 if self.escaped else -1
        self.escaped = False
        for match in _STRUCTURE.finditer(chunk):
            at = match.start()
            if at == skip:
                continue
            char = chunk[at]
            if self.in_string:
                if char == 0x5C:  # backslash: the next byte is escaped
                    skip = at + 1
                    self.escaped = skip == len(chunk)
                elif char == 0x22:
                    self.in_string = False
            elif char == 0x22:
                self.in_string = True
            elif char in (0x5B, 0x7B):
                self.depth += 1
                if self.depth > self.limit:
                    self.exceeded = True
                    return
            elif char in (0x5D, 0x7D):
                self.depth -= 1


async def _read_body(receive: Receive) -> tuple[bytes | None, int]:
    """The whole body, or (None, status) once it is too large (413) or too deep (400)."""
    chunks: list[bytes] = []
    size = 0
    depth = JsonDepth()
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None, 400
        chunk = message.get("body", b"")
        more = message.get("more_body", False)
        depth.feed(chunk)
        if depth.exceeded:
            return None, 400
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None, 413
        chunks.append(chunk)
    return b"".join(chunks), 200


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # after the body: the disconnect, when it comes
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def _declared_size(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


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
            if scope.get("method") not in ("GET", "HEAD") or _declared_size(scope):
                body, status = await _read_body(receive)
                if body is None:
                    await _refusal(status)(scope, receive, send)
                    return
                receive = _replay(body, receive)
        await self.app(scope, receive, send)


def _refusal(status: int) -> Any:
    if status == 413:
        return error_response(413, BODY_TOO_LARGE)
    depth = issue(
        "body",
        "too_big",
        f"JSON nested at most {MAX_JSON_DEPTH} levels",
        f"deeper than {MAX_JSON_DEPTH}",
        f"JSON must be nested at most {MAX_JSON_DEPTH} levels deep",
    )
    return error_response(400, INVALID_QUERY, [depth])


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
