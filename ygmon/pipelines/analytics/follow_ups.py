"""What an hourly run leads to: the daily run when it closes a UTC day, and the re-runs
of earlier periods that received late events (events that arrived after their period
was aggregated, found by received_at). Weekly and monthly re-runs read daily rows, so
they are chained after the last daily run rather than queued beside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ygmon.db import Database
from ygmon.db.models import AggregationJobStatus
from ygmon.db.models import AnalyticsEvent as E
from ygmon.db.models import MetricsAggregationJobsLog as Log
from ygmon.pipelines.analytics.periods import Level, Period, containing

REGULAR_TRIGGERS = ("schedule", "catch-up")
LATE_EVENTS_SCANNED = 100_000


@dataclass(frozen=True)
class FollowUp:
    period: Period
    trigger: str
    then: tuple[Period, ...] = field(default=())
    """Periods to run (trigger late-events) once this one is done."""


@dataclass(frozen=True)
class LateEvents:
    since: datetime | None
    count: int
    periods: dict[Level, list[Period]]

    def describe(self) -> dict[str, object]:
        return {
            "lateEvents": self.count,
            "lateSince": self.since.isoformat() if self.since else None,
            "reaggregating": {
                level.value: [p.label() for p in periods]
                for level, periods in self.periods.items()
                if periods
            },
        }


async def find_late(db: Database, hour: Period) -> LateEvents:
    """Events received since the last regular hourly run that belong to earlier periods
    than `hour`; the closed periods holding them."""
    async with db.reader() as session:
        since = (
            await session.execute(
                select(Log.started_at)
                .where(
                    Log.job_type == Level.HOURLY.value,
                    Log.status.in_([AggregationJobStatus.COMPLETED, AggregationJobStatus.PARTIAL]),
                    Log.metadata_["trigger"].as_string().in_(REGULAR_TRIGGERS),
                )
                .order_by(Log.started_at.desc())
                .limit(1)
            )
        ).scalar_one_or_none()
        if since is None:
            return LateEvents(None, 0, {})
        times = (
            await session.execute(
                select(E.occurred_at)
                .where(E.received_at >= since, E.occurred_at < hour.start)
                .limit(LATE_EVENTS_SCANNED)
            )
        ).scalars()
        found: dict[Level, set[Period]] = {level: set() for level in Level}
        count = 0
        for when in times:
            count += 1
            for level in Level:
                period = containing(level, when)
                if period.end <= hour.end:
                    found[level].add(period)
    return LateEvents(since, count, {level: sorted(found[level]) for level in Level})


def plan(hour: Period, trigger: str, late: LateEvents) -> list[FollowUp]:
    """The runs an hourly run of `hour` enqueues after it, in order."""
    out = [FollowUp(p, "late-events") for p in late.periods.get(Level.HOURLY, []) if p != hour]
    days = [FollowUp(p, "late-events") for p in late.periods.get(Level.DAILY, [])]
    closing = containing(Level.DAILY, hour.start)
    if hour.end == closing.end and all(f.period != closing for f in days):
        days.append(FollowUp(closing, trigger))
    rollups = tuple([*late.periods.get(Level.WEEKLY, []), *late.periods.get(Level.MONTHLY, [])])
    if days and rollups:
        last = days[-1]
        days[-1] = FollowUp(last.period, last.trigger, rollups)
    return out + days
