"""What an admin API answer other than 200 means to ygmon: the error each status maps
to, and the words for an address that answers as something other than ygmon."""

from __future__ import annotations

import httpx

from ygmon.errors import (
    CannotRetryError,
    ForbiddenError,
    InvalidQueryError,
    NotFoundError,
    NotYgmonServerError,
    RateLimitedError,
    ReadOnlyError,
    ServerError,
    UnauthorizedError,
    UnavailableError,
    YgmonError,
)


def not_ygmon(api_url: str, response: httpx.Response, how: str) -> NotYgmonServerError:
    return NotYgmonServerError(
        f"{api_url} is not a ygmon server: {response.request.url.path} "
        f"answered HTTP {response.status_code} {how} (api_url is the address "
        "`ygmon serve` listens on, e.g. http://host:8420)"
    )


def error_of(api_url: str, response: httpx.Response) -> YgmonError:
    """The YgmonError a screen or command shows for an API answer that is not 200."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    message = body.get("error") if isinstance(body, dict) else None
    status = response.status_code
    # Every error of ygmon (and of the contract's API) is {success: false, error}: a
    # "no such path" in any other body is another service on that address.
    ygmon_body = isinstance(body, dict) and body.get("success") is False and message
    if not ygmon_body and (status in (404, 405) or 200 <= status < 300):
        return not_ygmon(api_url, response, "without ygmon's error body")
    if status == 400 and isinstance(body, dict) and body.get("details") is not None:
        return InvalidQueryError(body["details"])
    if status == 400:
        return CannotRetryError(message or "Cannot retry job")
    if status == 401:
        return UnauthorizedError(
            "The server rejected the token (missing, expired or wrongly signed): "
            "set a fresh ADMIN token with --token or the profile's `token`"
        )
    if status == 403:
        if message and "read-only" in message:
            return ReadOnlyError(message)
        return ForbiddenError("Forbidden: Admin access required (the token's role is not ADMIN)")
    if status == 404:
        return NotFoundError(message or "Not found")
    if status == 429:
        raw = response.headers.get("Retry-After", "60")
        try:
            retry_after = float(raw)
        except ValueError:
            retry_after = 60.0
        return RateLimitedError(f"Too many requests: try again in {retry_after:g} s", retry_after)
    if status == 503:
        return UnavailableError(f"{api_url} cannot reach its broker or database")
    return ServerError(f"{api_url} failed ({status}): {message or 'server error'}")
