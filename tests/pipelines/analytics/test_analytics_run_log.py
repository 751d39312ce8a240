"""The log row of a run: RUNNING committed before the work, every field at the end,
PARTIAL listing its unattributable events, FAILED with the stack and nothing changed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from events_fixture import insert, make_events
from sqlalchemy import select

from ygmon.db import Database
from ygmon.db import models as m
from ygmon.pipelines.analytics import service
from ygmon.pipelines.analytics.periods import Level, of_day
from ygmon.pipelines.analytics.service import aggregate

NOW = datetime(2026, 12, 3, 6, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
DAY = date(2026, 11, 4)


async def _logs(db: Database) -> list[m.MetricsAggregationJobsLog]:
    async with db.reader() as session:
        query = select(m.MetricsAggregationJobsLog).order_by(m.MetricsAggregationJobsLog.started_at)
        return list((await session.execute(query)).scalars())


async def test_a_partial_run_logs_every_field_and_lists_its_unattributable_events(
    database: Database,
) -> None:
    await insert(database, make_events())
    result = await aggregate(
        database, of_day(Level.DAILY, DAY), trigger="manual", job_id="j1", attempt=2, now=NOW
    )
    (log,) = await _logs(database)
    assert result.status is m.AggregationJobStatus.PARTIAL
    assert log.status is m.AggregationJobStatus.PARTIAL
    assert (log.job_type, log.period_start_date, log.period_end_date) == ("daily", DAY, DAY)
    assert log.errors_count == 3
    assert log.records_processed > 3 and log.records_created == log.metadata_["metricRows"]
    assert log.records_updated == 0
    assert log.duration_seconds is not None and log.duration_seconds >= 0
    assert log.memory_used_mb is not None and log.memory_used_mb >= 0
    assert log.completed_at is not None and log.completed_at >= log.started_at
    assert log.metadata_["jobId"] == "j1" and log.metadata_["attempt"] == 2
    assert log.metadata_["trigger"] == "manual"
    reasons = {e["eventId"]: e["reason"] for e in log.metadata_["unattributable"]}
    assert reasons == {
        "bad0": "unknown asset",
        "bad1": "negative revenue",
        "bad2": "unknown event type",
    }
    assert log.metadata_["failedGroups"] == {
        "unknown asset": 1,
        "negative revenue": 1,
        "unknown event type": 1,
    }
    assert log.error_message is None and log.error_stack is None


async def test_the_running_row_is_committed_before_the_work(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await insert(database, make_events(bad=0))
    seen: list[str] = []

    async def read_status() -> list[str]:
        return [str(r.status.value) for r in await _logs(database)]

    period = of_day(Level.DAILY, DAY)
    original_open = service.open_run

    async def open_then_look(*args, **kwargs):  # type: ignore[no-untyped-def]
        log_id = await original_open(*args, **kwargs)
        seen.extend(await read_status())
        return log_id

    monkeypatch.setattr(service, "open_run", open_then_look)
    await aggregate(database, period, now=NOW)
    assert seen == ["RUNNING"]
    assert await read_status() == ["COMPLETED"]


async def test_a_run_failing_midway_changes_no_metric_and_logs_failed_with_the_stack(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await insert(database, make_events(bad=0))
    period = of_day(Level.DAILY, DAY)
    await aggregate(database, period, now=NOW)
    async with database.reader() as session:
        before = sorted(
            (r.ip_asset_id or "", r.views, r.updated_at)
            for r in (await session.execute(select(m.DailyMetric))).scalars()
        )
    async with database.writer() as session:
        await session.execute(
            m.AnalyticsEvent.__table__.insert(),
            [
                {
                    "id": "new1",
                    "event_type": "asset.viewed",
                    "occurred_at": datetime(2026, 11, 4, 8, tzinfo=UTC),
                    "ip_asset_id": "a1",
                    "session_id": "s-new",
                    "props": {},
                }
            ],
        )

    def explode(step: str) -> None:
        if step == "merged":
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(service, "checkpoint", explode)
    # An hour later: the log lists runs by started_at, so the failed run is the last one
    # (two runs at the same instant have no order).
    with pytest.raises(RuntimeError, match="disk on fire"):
        await aggregate(database, period, trigger="schedule", now=LATER, attempt=1)
    async with database.reader() as session:
        after = sorted(
            (r.ip_asset_id or "", r.views, r.updated_at)
            for r in (await session.execute(select(m.DailyMetric))).scalars()
        )
    assert after == before
    failed = (await _logs(database))[-1]
    assert failed.status is m.AggregationJobStatus.FAILED
    assert failed.error_message == "RuntimeError: disk on fire"
    assert "Traceback" in failed.error_stack and "explode" in failed.error_stack
    assert (failed.records_created, failed.records_updated) == (0, 0)
    assert failed.started_at == LATER and failed.completed_at >= LATER


async def test_a_rerun_removes_the_row_of_an_asset_whose_events_are_gone(
    database: Database,
) -> None:
    await insert(database, make_events(bad=0))
    period = of_day(Level.DAILY, DAY)
    await aggregate(database, period, now=NOW)
    async with database.writer() as session:
        gone = m.AnalyticsEvent.__table__.delete().where(
            m.AnalyticsEvent.ip_asset_id == "a1",
            m.AnalyticsEvent.occurred_at >= period.start,
            m.AnalyticsEvent.occurred_at < period.end,
        )
        assert (await session.execute(gone)).rowcount > 0
    again = await aggregate(database, period, now=LATER)
    async with database.reader() as session:
        assets = {r.ip_asset_id for r in (await session.execute(select(m.DailyMetric))).scalars()}
    assert "a1" not in assets and None in assets
    (log,) = [r for r in await _logs(database) if r.started_at == LATER]
    assert log.metadata_["recordsDeleted"] == 1
    assert again.created == 0 and again.updated == 1  # the platform row lost those events
