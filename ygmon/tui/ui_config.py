"""How the app behaves beyond the profile: the refresh timer and the clock.

Tests use `UiConfig.frozen(now)`: no timers and a fixed clock, so snapshots are stable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class UiConfig:
    refresh_interval: float = 2.0
    auto_refresh: bool = True
    """False: poll once on each screen's mount and on ctrl+r only (snapshots)."""
    clock: Callable[[], datetime] = field(default=_utc_now)
    cursor_blink: bool = True

    @classmethod
    def frozen(cls, now: datetime) -> UiConfig:
        return cls(auto_refresh=False, clock=lambda: now, cursor_blink=False)
