"""The contract's AssetPreviewMetadata, exactly: these six camelCase keys and no other.

Readers (the frontend, the monitor) tell the state from them: a preview key wins,
then `previewError`, else "generating". While a re-run works, the fields of the
earlier good preview (kept in storage) stay beside it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ygmon.timestamps import iso

KEYS = (
    "previewGenerated",
    "previewGeneratedAt",
    "previewError",
    "previewLastAttempt",
    "previewSize",
    "previewDuration",
)
_READY_KEYS = ("previewGeneratedAt", "previewSize", "previewDuration")


def _kept(old: dict[str, Any] | None, has_preview: bool) -> dict[str, Any]:
    if not has_preview or not old:
        return {}
    return {k: old[k] for k in _READY_KEYS if k in old}


def started(old: dict[str, Any] | None, now: datetime, *, has_preview: bool) -> dict[str, Any]:
    return {**_kept(old, has_preview), "previewGenerated": False, "previewLastAttempt": iso(now)}


def failed(
    old: dict[str, Any] | None, now: datetime, error: str, *, has_preview: bool
) -> dict[str, Any]:
    return {
        **_kept(old, has_preview),
        "previewGenerated": False,
        "previewLastAttempt": (old or {}).get("previewLastAttempt") or iso(now),
        "previewError": error,
    }


def generated(started_at: datetime, now: datetime, size: int, duration: float) -> dict[str, Any]:
    return {
        "previewGenerated": True,
        "previewGeneratedAt": iso(now),
        "previewLastAttempt": iso(started_at),
        "previewSize": size,
        "previewDuration": round(duration, 2),
    }
