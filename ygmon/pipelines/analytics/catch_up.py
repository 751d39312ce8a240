"""Missed schedules: which periods of a level were due by now, have events to
aggregate, and have no run in the log, and the claim that makes a worker the only one
to enqueue each of them.

Huey runs a periodic task when its cron minute comes and never looks back, so a worker
that was down at Monday 04:00 would leave that week without a rollup. On start, a
worker running the schedule runs this; the claim row (aggregation_catchup_claims, one
per level and period, inserted with ON CONFLICT DO NOTHING) lets one worker of several
starting together win each period.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from ygmon.db import Database
from ygmon.db.base import new_id
from ygmon.db.models import AggregationCatchupClaim as Claim
from ygmon.db.models import AnalyticsEvent as E
from ygmon.db.models import MetricsAggregationJobsLog as Log
from ygmon.pipelines.analytics.periods import Level, Period, containing

WINDOW = {Level.HOURLY: 48, Level.DAILY: 35, Level.WEEKLY: 6, Level.MONTHLY: 3}
"""How many periods back a worker looks (older gaps are a backfill's job)."""
DUE_AFTER = {
    Level.HOURLY: timedelta(0),  # 0 * * * *
    Level.DAILY: timedelta(0),  # after the hourly run that closes the day
    Level.WEEKLY: timedelta(hours=4),  # 0 4 * * 1
    Level.MONTHLY: timedelta(days=1, hours=5),  # 0 5 2 * *
}


def due(period: Period) -> datetime:
    """When the schedule runs `period`."""
    return period.end + DUE_AFTER[period.level]


def candidates(level: Level, now: datetime, first_event: datetime) -> list[Period]:
    """The last WINDOW periods of `level` that were due by `now`, from the first event's."""
    period = containing(level, now)
    out = []
    while len(out) < WINDOW[level] and period.end > first_event:
        if due(period) <= now:
            out.append(period)
        period = period.previous()
    return sorted(out)


async def missed(db: Database, level: Level, now: datetime) -> list[Period]:
    async with db.reader() as session:
        first = (await session.execute(select(func.min(E.occurred_at)))).scalar_one_or_none()
        if first is None:
            return []
        wanted = candidates(level, now, first)
        if not wanted:
            return []
        since = wanted[0].start
        ran = {
            value
            for value in (
                await session.execute(
                    select(Log.metadata_["periodStart"].as_string()).where(
                        Log.job_type == level.value,
                        Log.period_start_date >= since.date(),
                    )
                )
            ).scalars()
        }
        claimed = set(
            (
                await session.execute(
                    select(Claim.period_start).where(
                        Claim.job_type == level.value, Claim.period_start >= since
                    )
                )
            ).scalars()
        )
    return [p for p in wanted if p.start.isoformat() not in ran and p.start not in claimed]


async def claim(db: Database, period: Period, worker: str, now: datetime) -> bool:
    """True when this call made the claim (no other worker had it)."""
    insert = postgresql.insert if db.dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Claim)
        .values(
            id=new_id(),
            job_type=period.level.value,
            period_start=period.start,
            claimed_by=worker,
            claimed_at=now,
        )
        .on_conflict_do_nothing(index_elements=[Claim.job_type, Claim.period_start])
    )
    async with db.writer() as session:
        return (await session.execute(statement)).rowcount == 1
