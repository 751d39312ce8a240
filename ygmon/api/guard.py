"""The gate in front of /api/admin/jobs/*: bearer auth, the rate limit, common headers.

Every response under the prefix, errors included, carries the three X-RateLimit-*
headers; a read-only server adds `X-Ygmon-Read-Only: true`. The limit counts per admin
user, and per client address for requests without a valid token.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import Request, Response

from ygmon.api.auth import Identity, verify
from ygmon.api.errors import (
    FORBIDDEN,
    INTERNAL,
    TOO_MANY,
    UNAUTHORIZED,
    error_response,
    response_for,
)
from ygmon.api.rate_limit import RateLimiter
from ygmon.errors import UnauthorizedError, YgmonError

PREFIX = "/api/admin/jobs"
READ_ONLY_HEADER = "X-Ygmon-Read-Only"
log = logging.getLogger("ygmon.api")


class Guard:
    def __init__(self, secret: str, limiter: RateLimiter, read_only: bool) -> None:
        self.secret = secret
        self.limiter = limiter
        self.read_only = read_only

    async def __call__(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        path = request.url.path
        if not (path == PREFIX or path.startswith(PREFIX + "/")):
            return await call_next(request)
        identity: Identity | None
        try:
            identity = verify(self.secret, request.headers.get("authorization"))
        except UnauthorizedError:
            identity = None
        key = f"user:{identity.user_id}" if identity else f"ip:{_client(request)}"
        try:
            verdict = await self.limiter.hit(key)
        except YgmonError as exc:
            return response_for(exc)
        if not verdict.allowed:
            response: Response = error_response(429, TOO_MANY)
        elif identity is None:
            response = error_response(401, UNAUTHORIZED)
        elif not identity.is_admin:
            response = error_response(403, FORBIDDEN)
        else:
            try:
                response = await call_next(request)
            except YgmonError as exc:
                response = response_for(exc)
            except Exception:
                log.exception("unhandled error on %s %s", request.method, path)
                response = error_response(500, INTERNAL)
        response.headers.update(verdict.headers())
        if self.read_only:
            response.headers[READ_ONLY_HEADER] = "true"
        return response


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"
