"""The contract's error bodies, and the mapping of YgmonError to them.

Every error the API sends is `{"success": false, "error": MESSAGE}` (plus `details` for
invalid queries). A 500 never carries a stack or an exception text.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ygmon.errors import (
    ForbiddenError,
    InvalidQueryError,
    RateLimitedError,
    ReadOnlyError,
    UnauthorizedError,
    UnavailableError,
    YgmonError,
)

log = logging.getLogger("ygmon.api")

UNAUTHORIZED = "Unauthorized"
FORBIDDEN = "Forbidden: Admin access required"
TOO_MANY = "Too many requests. Please try again later."
INTERNAL = "Internal server error"
UNAVAILABLE = "Service unavailable"
INVALID_QUERY = "Invalid query parameters"


def error_body(message: str, details: object | None = None) -> dict[str, object]:
    body: dict[str, object] = {"success": False, "error": message}
    if details is not None:
        body["details"] = details
    return body


def error_response(
    status: int, message: str, details: object | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(message, details), status_code=status, headers=headers)


def response_for(exc: YgmonError) -> JSONResponse:
    """The contract's response for one of ygmon's errors."""
    if isinstance(exc, InvalidQueryError):
        return error_response(400, INVALID_QUERY, exc.details)
    if isinstance(exc, UnauthorizedError):
        return error_response(401, UNAUTHORIZED)
    if isinstance(exc, ReadOnlyError):
        return error_response(403, exc.message)
    if isinstance(exc, ForbiddenError):
        return error_response(403, FORBIDDEN)
    if isinstance(exc, RateLimitedError):
        return error_response(429, TOO_MANY, headers={"Retry-After": str(int(exc.retry_after))})
    if isinstance(exc, UnavailableError):
        # The reason is logged, not sent: it may name hosts of the deployment.
        log.warning("unavailable: %s", exc.message)
        return error_response(503, UNAVAILABLE)
    if exc.status_code in (400, 404):
        return error_response(exc.status_code, exc.message)
    log.error("server error: %s", exc.message)
    return error_response(500, INTERNAL)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(YgmonError)
    async def _ygmon(_request: Request, exc: YgmonError) -> JSONResponse:
        return response_for(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {404: "Not found", 405: "Method not allowed"}
        return error_response(
            exc.status_code, messages.get(exc.status_code, str(exc.detail)), headers=exc.headers
        )
