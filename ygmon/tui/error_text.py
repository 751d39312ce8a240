"""The banner's wording for a failed poll, from the YgmonError the backend raised."""

from __future__ import annotations

from ygmon.errors import InvalidQueryError, RateLimitedError, YgmonError


def banner_text(error: BaseException, retry_in: float) -> str:
    """'Cannot reach: <why> - retrying in 8s'. Non-ygmon errors are shown as server errors."""
    if isinstance(error, InvalidQueryError):
        why = "; ".join(str(d.get("message", d)) for d in error.details) or error.message
        return f"{error.title}: {why} - fix the filter; retrying in {retry_in:.0f}s"
    if isinstance(error, RateLimitedError):
        return f"Rate limited: {error.message} - retrying in {retry_in:.0f}s"
    if isinstance(error, YgmonError):
        return f"{error.title}: {error.message} - retrying in {retry_in:.0f}s"
    return f"Server error: {type(error).__name__}: {error} - retrying in {retry_in:.0f}s"
