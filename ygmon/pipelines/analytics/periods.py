"""The periods a rollup owns, in UTC: an hour, a day, an ISO week (Monday to Sunday) and
a calendar month; and how they map to the log's inclusive period dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum


class Level(StrEnum):
    HOURLY = "hourly"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


QUEUE_OF = {
    Level.HOURLY: "metrics-aggregation",
    Level.DAILY: "metrics-aggregation",
    Level.WEEKLY: "weekly-metrics-rollup",
    Level.MONTHLY: "monthly-metrics-rollup",
}


@dataclass(frozen=True, order=True)
class Period:
    """[start, end) of one level's period; start is aware UTC."""

    level: Level
    start: datetime

    @property
    def end(self) -> datetime:
        if self.level is Level.HOURLY:
            return self.start + timedelta(hours=1)
        if self.level is Level.DAILY:
            return self.start + timedelta(days=1)
        if self.level is Level.WEEKLY:
            return self.start + timedelta(days=7)
        return _month_start(self.start + timedelta(days=32))

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        """The log's periodEndDate: the period's last day, inclusive."""
        return (self.end - timedelta(microseconds=1)).date()

    @property
    def days(self) -> int:
        return (self.end - self.start).days if self.level is not Level.HOURLY else 0

    def previous(self) -> Period:
        return containing(self.level, self.start - timedelta(microseconds=1))

    def next(self) -> Period:
        return Period(self.level, self.end)

    def label(self) -> str:
        if self.level is Level.HOURLY:
            return self.start.strftime("%Y-%m-%d %H:00")
        if self.level is Level.WEEKLY:
            year, week, _ = self.first_day.isocalendar()
            return f"{year}-W{week:02d}"
        if self.level is Level.MONTHLY:
            return self.start.strftime("%Y-%m")
        return self.first_day.isoformat()


def _month_start(when: datetime) -> datetime:
    return when.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def containing(level: Level, when: datetime) -> Period:
    """The period of `level` that holds the instant `when`."""
    when = when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
    if level is Level.HOURLY:
        return Period(level, when.replace(minute=0, second=0, microsecond=0))
    day = when.replace(hour=0, minute=0, second=0, microsecond=0)
    if level is Level.DAILY:
        return Period(level, day)
    if level is Level.WEEKLY:
        return Period(level, day - timedelta(days=day.weekday()))
    return Period(level, _month_start(day))


def of_day(level: Level, day: date, hour: int | None = None) -> Period:
    """The period of `level` containing `day` (and `hour`, for hourly)."""
    when = datetime(day.year, day.month, day.day, hour or 0, tzinfo=UTC)
    return containing(level, when)


def last_closed(level: Level, now: datetime) -> Period:
    """The newest period of `level` that has ended by `now`."""
    return containing(level, now).previous()


def between(level: Level, first: Period, last: Period) -> list[Period]:
    """Every period of `level` from the one holding first.start to last, oldest first."""
    out = []
    period = containing(level, first.start)
    while period.start <= last.start:
        out.append(period)
        period = period.next()
    return out
