"""ETag and If-None-Match on the admin API's JSON reads: an unchanged answer is a 304.

A GET whose answer is a 200 JSON body gets `ETag` (a hash of the body); a request whose
`If-None-Match` names it gets `304 Not Modified` with no body. The read still runs (the
answer must be built to be compared), so a 304 saves the link and the client's parsing,
not the server's read; it still counts against the rate limit. Streams (the live
stream's text/event-stream) pass through untouched.
"""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ygmon.api.models import PREFIX


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


class ETags:
    """ASGI middleware, inside the guard (so a 304 carries the rate-limit headers)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if scope.get("method") != "GET" or not path.startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        wanted = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                content_type = Headers(raw=message.get("headers", [])).get("content-type", "")
                if message["status"] == 200 and content_type.startswith("application/json"):
                    start = message
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            tag = etag_of(body)
            headers = MutableHeaders(scope=start)
            headers["ETag"] = tag
            if wanted is not None and tag in [t.strip() for t in wanted.split(",")]:
                start["status"] = 304
                del headers["content-length"]
                del headers["content-type"]
                await send(start)
                await send({"type": "http.response.body", "body": b""})
                return
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffered)
