"""Short texts for cells: ages, durations, timestamps, counts."""

from __future__ import annotations

from datetime import datetime


def age(then: datetime | None, now: datetime) -> str:
    """'12s ago', '5m ago', '3h ago', '2d ago'; '-' when unknown."""
    if then is None:
        return "-"
    seconds = (now - then).total_seconds()
    if seconds < 0:
        return "in " + _span(-seconds)
    return _span(seconds) + " ago"


def _span(seconds: float) -> str:
    if seconds < 60:
        return f"{int(seconds)}s"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    return f"{int(seconds // 86400)}d"


def until(then: datetime | None, now: datetime) -> str:
    if then is None:
        return "-"
    return age(then, now)


def stamp(value: datetime | None) -> str:
    """UTC timestamp to the second."""
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M:%S")


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.1f}s"
    return f"{int(seconds // 60)}m{int(seconds % 60):02d}s"


def count(value: int) -> str:
    return f"{value:,}"
