"""The one error type of ygmon: every failure the UI, CLI or API shows is a YgmonError.

Each subclass carries a short title for a banner and a message fit to show as it is.
The API maps them to the contract's status codes and bodies; the remote monitor maps
those bodies back, so a screen sees the same error whichever backend it reads.
"""

from __future__ import annotations

from typing import Any


class YgmonError(Exception):
    """Base of every error ygmon shows to a person.

    A subclass states its banner title and status code in its header:
    `class NotFoundError(YgmonError, title="Not found", status=404)`; either left out
    is inherited.
    """

    title = "Error"
    status_code = 500

    def __init_subclass__(cls, title: str | None = None, status: int | None = None) -> None:
        super().__init_subclass__()
        if title is not None:
            cls.title = title
        if status is not None:
            cls.status_code = status

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(YgmonError, title="Configuration error", status=500): ...


class InvalidQueryError(YgmonError, title="Invalid query parameters", status=400):
    """A query parameter did not validate; `details` holds the contract's issue list."""

    def __init__(self, details: list[dict[str, Any]]) -> None:
        super().__init__("Invalid query parameters")
        self.details = details


class NotFoundError(YgmonError, title="Not found", status=404): ...


class CannotRetryError(YgmonError, title="Cannot retry", status=400): ...


class ReadOnlyError(YgmonError, title="Read-only", status=403):
    """A write asked of a read-only backend."""

    @classmethod
    def refusing(cls, action: str, where: str = "backend") -> ReadOnlyError:
        """The one wording of every refusal: '<action> is disabled: this <where> is
        read-only' (where: the backend itself, or a read-only client profile)."""
        return cls(f"{action} is disabled: this {where} is read-only")


class UnauthorizedError(YgmonError, title="Token rejected", status=401): ...


class ForbiddenError(YgmonError, title="Admin role required", status=403): ...


class RateLimitedError(YgmonError, title="Rate limited", status=429):
    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UnavailableError(YgmonError, title="Cannot reach", status=503):
    """The broker, the database or the remote server cannot be reached."""


class NotYgmonServerError(UnavailableError, title="Not a ygmon server"):
    """The remote URL answers HTTP, but not as a ygmon (or contract) API does: a wrong
    api_url, a path prefix left out, or another service on that port."""


class SchemaBehindError(UnavailableError, title="Database not migrated"):
    """The database answers, but its schema is not the revision this ygmon reads."""


class MailError(YgmonError):
    """A message could not be handed to the mail server (the job fails and retries)."""


class MailUnavailableError(MailError):
    """The circuit breaker is open: no attempt was made."""


class ServerError(YgmonError, title="Server error", status=500): ...
