"""The gate in front of /api/admin/jobs/*: bearer auth, the rate limit, common headers.

Every response under the prefix, errors included, carries the three X-RateLimit-*
headers; a read-only server adds `X-Ygmon-Read-Only: true`. The limit counts per admin
user, and per client address for requests without a valid token.

A plain ASGI middleware: Starlette's BaseHTTPMiddleware (`app.middleware("http")`) runs
the app in a task behind memory streams and re-wraps its response, about a millisecond
a request on a small machine, for headers that can be added to the response as it goes.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ygmon.api.auth import Identity, verify
from ygmon.api.errors import (
    FORBIDDEN,
    INTERNAL,
    INVALID_QUERY,
    TOO_MANY,
    UNAUTHORIZED,
    error_response,
    response_for,
)
from ygmon.api.issues import unstorable_input
from ygmon.api.rate_limit import RateLimiter
from ygmon.errors import UnauthorizedError, YgmonError
from ygmon.monitor.audit import acting_as
from ygmon.monitor.audit_schemas import Actor
from ygmon.monitor.user_roles import UserRoles

PREFIX = "/api/admin/jobs"
READ_ONLY_HEADER = "X-Ygmon-Read-Only"
IDENTITY_KEY = "ygmon.identity"
"""The scope key of the admitted Identity."""
log = logging.getLogger("ygmon.api")


class Guard:
    """ASGI middleware; install with `app.add_middleware(Guard, secret=..., ...)`."""

    def __init__(
        self,
        app: ASGIApp,
        secret: str,
        limiter: RateLimiter,
        read_only: bool,
        user_roles: UserRoles | None = None,
    ) -> None:
        self.app = app
        self.secret = secret
        self.limiter = limiter
        self.read_only = read_only
        self.user_roles = user_roles
        """With `require_known_users`: the database's word on the token's user."""

    async def _refusal(self, identity: Identity | None) -> Response | None:
        """The response refusing `identity` (None: no valid token), or None to admit it."""
        if identity is None:
            return error_response(401, UNAUTHORIZED)
        if not identity.is_admin:
            return error_response(403, FORBIDDEN)
        if self.user_roles is None:
            return None
        try:
            role = await self.user_roles.role_of(identity.user_id)
        except YgmonError as exc:
            return response_for(exc)
        if role is None:
            return error_response(401, UNAUTHORIZED)
        return None if role == "ADMIN" else error_response(403, FORBIDDEN)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not (path == PREFIX or path.startswith(PREFIX + "/")):
            await self.app(scope, receive, send)
            return
        identity: Identity | None
        try:
            identity = verify(self.secret, _header(scope, b"authorization"))
        except UnauthorizedError:
            identity = None
        refusal = await self._refusal(identity)
        # Only an accepted admin spends its own budget: a token refused for its role
        # (or its user) spends its address's, or a VIEWER token naming an admin's
        # subject would exhaust that admin's.
        admitted = identity is not None and refusal is None
        key = f"user:{identity.user_id}" if admitted and identity else f"ip:{_client(scope)}"
        try:
            verdict = await self.limiter.hit(key)
        except YgmonError as exc:
            await response_for(exc)(scope, receive, send)
            return
        extra = verdict.headers()
        if self.read_only:
            extra[READ_ONLY_HEADER] = "true"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(extra)
            await send(message)

        response: Response | None = None
        if not verdict.allowed:
            response = error_response(429, TOO_MANY)
        elif refusal is not None:
            response = refusal
        elif issues := unstorable_input(path, parse_qsl(_query(scope), keep_blank_values=True)):
            response = error_response(400, INVALID_QUERY, issues)
        if response is not None or identity is None:
            await (response or error_response(401, UNAUTHORIZED))(scope, receive, send_with_headers)
            return

        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        # Routes that outlive the request's check (the live stream) read who it admitted.
        scope[IDENTITY_KEY] = identity
        # The monitor's audited actions record the token's subject, not the server's user.
        actor = Actor(subject=identity.user_id, kind="api", address=_client(scope))
        try:
            with acting_as(actor):
                await self.app(scope, receive, send_tracked)
        except Exception as exc:
            if started:  # too late for an error body: let the server drop the connection
                raise
            if isinstance(exc, YgmonError):
                response = response_for(exc)
            else:
                log.exception("unhandled error on %s %s", scope.get("method"), path)
                response = error_response(500, INTERNAL)
            await response(scope, receive, send_with_headers)


def _query(scope: Scope) -> str:
    return scope.get("query_string", b"").decode("latin-1")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


def _client(scope: Scope) -> str:
    client: Any = scope.get("client")
    return client[0] if client else "unknown"
