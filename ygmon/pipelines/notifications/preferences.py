"""What a user's preferences allow: e-mail now, in a digest, or in-app only."""

from __future__ import annotations

from typing import Protocol

from ygmon.db.models import DigestFrequency, NotificationPreference

NOTIFICATION_TYPES: tuple[str, ...] = (
    "LICENSE",
    "PAYOUT",
    "ROYALTY",
    "PROJECT",
    "SYSTEM",
    "MESSAGE",
    "POST_ASSIGNED",
    "POST_STATUS_CHANGED",
    "BLOG",
)


class HasEnabledTypes(Protocol):
    enabled_types: list[str]


def type_enabled(pref: HasEnabledTypes | None, kind: str) -> bool:
    """An empty `enabled_types` (the default row) means every type: a user who never
    chose wants them all. `pref`: the preference row, or any row with its types."""
    return pref is None or not pref.enabled_types or kind in pref.enabled_types


def immediate_email_refusal(pref: NotificationPreference | None, kind: str) -> str | None:
    """Why no e-mail goes out for a notification of type `kind` now, or None when one
    does. No preference row means the defaults: IMMEDIATE, e-mail on, every type."""
    if pref is None:
        return None
    if not pref.email_enabled:
        return "e-mail disabled"
    if not type_enabled(pref, kind):
        return f"type {kind} disabled"
    if pref.digest_frequency != DigestFrequency.IMMEDIATE:
        return f"digest frequency {pref.digest_frequency.value}"
    return None
