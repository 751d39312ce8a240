"""Short texts for cells: ages, durations, timestamps, counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime


def age(then: datetime | None, now: datetime) -> str:
    """'12s ago', '5m ago', '3h ago', '2d ago'; '-' when unknown."""
    if then is None:
        return "-"
    seconds = (now - then).total_seconds()
    if seconds < 0:
        return "in " + span(-seconds)
    return span(seconds) + " ago"


SECONDS = ((1.0, "s"), (60.0, "m"), (3600.0, "h"), (86400.0, "d"))
MILLISECONDS = ((1.0, "ms"), (1000.0, "s"), (60_000.0, "m"), (3_600_000.0, "h"))


def scaled(value: float, units: Sequence[tuple[float, str]]) -> tuple[float, str]:
    """`value` in the largest of `units` ((size, suffix), smallest first) it reaches."""
    size, suffix = units[0]
    for unit_size, unit_suffix in units[1:]:
        if value >= unit_size:
            size, suffix = unit_size, unit_suffix
    return value / size, suffix


def run_time(ms: float | None, exact: bool = True) -> str:
    """A wait or run time for a cell; "~" marks an estimate (job_history.percentile)."""
    if ms is None:
        return "-"
    prefix = "" if exact else "~"
    amount, unit = scaled(ms, MILLISECONDS)
    return f"{prefix}{amount:.0f}ms" if unit == "ms" else f"{prefix}{amount:.3g}{unit}"


def span(seconds: float) -> str:
    """Seconds as '12s', '5m', '3h', '2d'."""
    amount, unit = scaled(seconds, SECONDS)
    return f"{int(amount)}{unit}"


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
