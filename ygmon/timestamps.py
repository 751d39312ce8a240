"""The contract's timestamp form: UTC, millisecond precision, ISO 8601 with a `Z`.

Kept apart from the pydantic schemas so light readers (`ygmon status`) format times
exactly as the API does without loading pydantic.
"""

from __future__ import annotations

from datetime import UTC, datetime


def to_utc_ms(value: datetime) -> datetime:
    """`value` in UTC, truncated to milliseconds (naive values are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def iso(value: datetime) -> str:
    """What JavaScript's toISOString gives: 2026-11-29T06:00:00.000Z."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
