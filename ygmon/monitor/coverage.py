"""aggregation_coverage(session, now, levels, periods): which of the last N closed
periods of each rollup level are aggregated, partial, failed, stale, running or missing.

The log says what ran (the newest row of a period decides); the events say whether a
period got events after its run started (stale). Both are read with one grouped query
per level over the window, the events through their occurred_at index.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ygmon.db.models import AnalyticsEvent as E
from ygmon.db.models import MetricsAggregationJobsLog as Log
from ygmon.enums import AggregationJobStatus
from ygmon.monitor.coverage_schemas import (
    AggregationCoverage,
    CoveragePeriod,
    CoverageState,
    LevelCoverage,
)
from ygmon.pipelines.analytics.periods import Level, Period, last_closed
from ygmon.pipelines.analytics.sql_functions import period_key

STATE_OF = {
    AggregationJobStatus.COMPLETED: CoverageState.AGGREGATED,
    AggregationJobStatus.PARTIAL: CoverageState.PARTIAL,
    AggregationJobStatus.FAILED: CoverageState.FAILED,
    AggregationJobStatus.RUNNING: CoverageState.RUNNING,
}


def window(level: Level, now: datetime, count: int) -> list[Period]:
    period = last_closed(level, now)
    out = [period]
    while len(out) < count:
        period = period.previous()
        out.append(period)
    return out[::-1]


async def _level(session: AsyncSession, level: Level, now: datetime, count: int) -> LevelCoverage:
    periods = window(level, now, count)
    return LevelCoverage(level=level.value, periods=await period_states(session, level, periods))


async def period_states(
    session: AsyncSession, level: Level, periods: list[Period]
) -> list[CoveragePeriod]:
    """The state of each of `periods` (consecutive, oldest first, of `level`), as the
    coverage strip shows it; a backfill's dry run lists the same (ygmon.monitor.backfill)."""
    first, last = periods[0], periods[-1]
    runs: dict[str, list[tuple[Any, ...]]] = {}
    rows = await session.execute(
        select(
            Log.metadata_["periodStart"].as_string(),
            Log.id,
            Log.status,
            Log.started_at,
            Log.period_start_date,
        )
        .where(
            Log.job_type == level.value,
            Log.period_start_date >= first.first_day,
            Log.period_start_date <= last.last_day,
        )
        .order_by(Log.started_at, Log.id)
    )
    by_day: dict[Any, list[tuple[Any, ...]]] = {}
    for key, run_id, status, started_at, start_date in rows:
        runs.setdefault(key or "", []).append((run_id, status, started_at))
        by_day.setdefault(start_date, []).append((run_id, status, started_at))
    key = period_key(level.value, E.occurred_at)
    events = {
        str(k): (int(n), received)
        for k, n, received in await session.execute(
            select(key, func.count(), func.max(E.received_at))
            .where(E.occurred_at >= first.start, E.occurred_at < last.end)
            .group_by(key)
        )
    }
    out = []
    for period in periods:
        # Runs logged by another writer may lack metadata; their period dates still say.
        mine = runs.get(period.start.isoformat())
        if mine is None and level is not Level.HOURLY:
            mine = by_day.get(period.first_day)
        n, received = events.get(_key_text(period), (0, None))
        if not mine:
            state, last_id, last_at = CoverageState.MISSING, None, None
        else:
            last_id, status, last_at = mine[-1]
            state = STATE_OF[AggregationJobStatus(status)]
            if (
                state in (CoverageState.AGGREGATED, CoverageState.PARTIAL)
                and received is not None
                and received > last_at
            ):
                state = CoverageState.STALE
        out.append(
            CoveragePeriod(
                period_start=period.start,
                period_start_date=period.first_day,
                period_end_date=period.last_day,
                label=period.label(),
                state=state,
                runs=len(mine or []),
                last_run_id=last_id,
                last_run_at=last_at,
                events=n,
            )
        )
    return out


def _key_text(period: Period) -> str:
    """The text period_key gives the events of `period`."""
    if period.level is Level.HOURLY:
        return period.start.strftime("%Y-%m-%dT%H")
    return period.first_day.isoformat()


async def aggregation_coverage(
    session: AsyncSession, now: datetime, levels: list[str], count: int
) -> AggregationCoverage:
    return AggregationCoverage(
        as_of=now,
        levels=[await _level(session, Level(level), now, count) for level in levels],
    )
