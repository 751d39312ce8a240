"""aggregate(db, period): one rollup run of one period, recorded in the log.

The RUNNING row is committed first; the work is one transaction (count the period's
events, upsert its rows from the rollup's SELECT); the log row is then closed
COMPLETED, PARTIAL (unattributable events were left out, listed in its metadata) or
FAILED (the work rolled back; the error and
its stack are kept and the exception goes on, so the job's retry writes a new row).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from ygmon.db import Database
from ygmon.db.models import (
    AggregationJobStatus,
    DailyMetric,
    HourlyMetric,
    MonthlyMetric,
    WeeklyMetric,
)
from ygmon.db.models import AnalyticsEvent as E
from ygmon.pipelines.analytics import vocabulary as v
from ygmon.pipelines.analytics.merge import MergeCounts, merge_rows
from ygmon.pipelines.analytics.periods import Level, Period
from ygmon.pipelines.analytics.rollup_sql import (
    _daily_in,
    daily_keys,
    event_keys,
    from_daily,
    from_events,
    in_period,
    period_column,
    period_value,
)
from ygmon.pipelines.analytics.run_log import Meter, RunRecord, close_run, measure, open_run

METRIC = {
    Level.HOURLY: HourlyMetric,
    Level.DAILY: DailyMetric,
    Level.WEEKLY: WeeklyMetric,
    Level.MONTHLY: MonthlyMetric,
}


@dataclass(frozen=True)
class RunResult:
    log_id: str
    status: AggregationJobStatus
    processed: int
    created: int
    updated: int
    errors: int

    def as_json(self) -> dict[str, Any]:
        return {
            "logId": self.log_id,
            "status": self.status.value,
            "recordsProcessed": self.processed,
            "recordsCreated": self.created,
            "recordsUpdated": self.updated,
            "errorsCount": self.errors,
        }


def checkpoint(step: str) -> None:
    """Called between a run's statements (a test makes one raise to fail a run mid-way)."""


async def aggregate(
    db: Database,
    period: Period,
    *,
    trigger: str = "manual",
    job_id: str | None = None,
    attempt: int = 1,
    now: datetime | None = None,
    extra: dict[str, Any] | None = None,
    meter: Meter = measure,
) -> RunResult:
    """Run the rollup of `period` once; raises what the work raised (after logging it).

    `now` is when the run starts (the job's clock); it ends `meter`'s seconds later."""
    started_at = now or datetime.now(UTC)
    metadata: dict[str, Any] = {
        "jobId": job_id,
        "attempt": attempt,
        "trigger": trigger,
        "period": period.label(),
        "periodStart": period.start.isoformat(),
        **(extra or {}),
    }
    log_id = await open_run(db, period, started_at, metadata)
    record = RunRecord(metadata=dict(metadata))
    failure: BaseException | None = None
    with meter() as measured:
        try:
            async with db.writer() as session:
                conn = await session.connection()
                await _work(conn, period, started_at, record)
        except BaseException as exc:
            failure = exc
            record.status = AggregationJobStatus.FAILED
            record.error_message = f"{type(exc).__name__}: {exc}"[:2000]
            record.error_stack = traceback.format_exc()
            record.created = record.updated = 0
    completed_at = started_at + timedelta(seconds=measured.seconds)
    await close_run(db, log_id, record, completed_at=completed_at, measured=measured)
    if failure is not None:
        raise failure
    return RunResult(
        log_id, record.status, record.processed, record.created, record.updated, record.errors
    )


async def _work(conn: AsyncConnection, period: Period, now: datetime, record: RunRecord) -> None:
    events, reasons = await _event_counts(conn, period)
    errors = sum(reasons.values())
    listed = await _listed(conn, period) if errors else []
    if period.level in (Level.HOURLY, Level.DAILY):
        processed = events
        source, keys = from_events(period), event_keys(period)
    else:
        processed = await _count(
            conn, select(func.count()).select_from(DailyMetric).where(_daily_in(period))
        )
        source = from_daily(period, conn.dialect.name, METRIC[period.level])
        keys = daily_keys(period)
    checkpoint("counted")
    counts: MergeCounts = await merge_rows(
        conn,
        METRIC[period.level],
        period_column(period.level),
        period_value(period),
        source,
        keys,
        now,
        after_upsert=lambda: checkpoint("merged"),
    )
    record.processed = processed
    record.created = counts.created
    record.updated = counts.updated
    record.errors = errors
    record.metadata["metricRows"] = counts.rows
    if counts.deleted:
        record.metadata["recordsDeleted"] = counts.deleted
    if errors:
        record.status = AggregationJobStatus.PARTIAL
        record.metadata["unattributable"] = listed
        record.metadata["failedGroups"] = reasons


async def _count(conn: AsyncConnection, statement: Any) -> int:
    return int((await conn.execute(statement)).scalar_one())


async def _event_counts(conn: AsyncConnection, period: Period) -> tuple[int, dict[str, int]]:
    """How many events the period holds, and how many of them are left out for each
    reason (the groups the run could not aggregate): one scan."""
    reason = v.reason_left_out()
    total, reasons = 0, {}
    query = select(reason, func.count()).where(in_period(period)).group_by(reason)
    for why, n in await conn.execute(query):
        total += int(n)
        if why is not None:
            reasons[str(why)] = int(n)
    return total, reasons


async def _listed(conn: AsyncConnection, period: Period) -> list[dict[str, Any]]:
    """The first unattributable events of the period, for the log's metadata."""
    rows = await conn.execute(
        select(E.id, E.event_type, E.ip_asset_id, E.occurred_at, v.why_unattributable())
        .where(in_period(period), v.unattributable())
        .order_by(E.occurred_at, E.id)
        .limit(v.ERRORS_LISTED)
    )
    return [
        {
            "eventId": row[0],
            "eventType": row[1],
            "ipAssetId": row[2],
            "occurredAt": row[3].isoformat(),
            "reason": row[4],
        }
        for row in rows
    ]
