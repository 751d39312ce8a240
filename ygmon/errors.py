"""The one error type of ygmon: every failure the UI, CLI or API shows is a YgmonError.

Each subclass carries a short title for a banner and a message fit to show as it is.
The API maps them to the contract's status codes and bodies; the remote monitor maps
those bodies back, so a screen sees the same error whichever backend it reads.
"""

from __future__ import annotations

from typing import Any


class YgmonError(Exception):
    """Base of every error ygmon shows to a person."""

    title = "Error"
    status_code = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(YgmonError):
    title = "Configuration error"
    status_code = 500


class InvalidQueryError(YgmonError):
    """A query parameter did not validate; `details` holds the contract's issue list."""

    title = "Invalid query parameters"
    status_code = 400

    def __init__(self, details: list[dict[str, Any]]) -> None:
        super().__init__("Invalid query parameters")
        self.details = details


class NotFoundError(YgmonError):
    title = "Not found"
    status_code = 404


class CannotRetryError(YgmonError):
    title = "Cannot retry"
    status_code = 400


class ReadOnlyError(YgmonError):
    """A write asked of a read-only backend."""

    title = "Read-only"
    status_code = 403

    @classmethod
    def refusing(cls, action: str, where: str = "backend") -> ReadOnlyError:
        """The one wording of every refusal: '<action> is disabled: this <where> is
        read-only' (where: the backend itself, or a read-only client profile)."""
        return cls(f"{action} is disabled: this {where} is read-only")


class UnauthorizedError(YgmonError):
    title = "Token rejected"
    status_code = 401


class ForbiddenError(YgmonError):
    title = "Admin role required"
    status_code = 403


class RateLimitedError(YgmonError):
    title = "Rate limited"
    status_code = 429

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UnavailableError(YgmonError):
    """The broker, the database or the remote server cannot be reached."""

    title = "Cannot reach"
    status_code = 503


class SchemaBehindError(UnavailableError):
    """The database answers, but its schema is not the revision this ygmon reads."""

    title = "Database not migrated"


class MailError(YgmonError):
    """A message could not be handed to the mail server (the job fails and retries)."""


class MailUnavailableError(MailError):
    """The circuit breaker is open: no attempt was made."""


class ServerError(YgmonError):
    title = "Server error"
    status_code = 500
