"""The rollups against an independent computation, on SQLite and Postgres: metrics,
re-runs, late events, the log row of every run, a failed run, PARTIAL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from events_fixture import (
    DAYS,
    START,
    EventSet,
    add_events,
    expected_rows,
    insert,
    make_events,
)
from sqlalchemy import select

from ygmon.db import Database
from ygmon.db import models as m
from ygmon.pipelines.analytics import service
from ygmon.pipelines.analytics.enrichment import enrich
from ygmon.pipelines.analytics.follow_ups import find_late, plan
from ygmon.pipelines.analytics.periods import Level, Period, of_day
from ygmon.pipelines.analytics.service import METRIC, aggregate

NOW = datetime(2026, 12, 3, 6, tzinfo=UTC)
WEEKS = [date(2026, 10, 26) + timedelta(weeks=i) for i in range(3)]
MONTHS = [date(2026, 10, 1), date(2026, 11, 1)]
HOUR_DAY = date(2026, 11, 4)
HOURS = (9, 10, 15)  # the unattributable events fall in 10:00, the late one in 15:00
VALUES = (
    "views",
    "clicks",
    "conversions",
    "unique_visitors",
    "engagement_seconds",
    "revenue_cents",
)


@pytest.fixture
async def data(database: Database) -> EventSet:
    events = make_events()
    await insert(database, events)
    await enrich(database, now=NOW)
    await _read_enrichment(database, events)
    return events


async def _read_enrichment(db: Database, events: EventSet) -> None:
    async with db.reader() as session:
        rows = await session.execute(
            select(m.AnalyticsEvent.id, m.AnalyticsEvent.country, m.AnalyticsEvent.device_type)
        )
        found = {r[0]: (r[1], r[2]) for r in rows}
    for e in events.events:
        e["country"], e["device_type"] = found[e["id"]]


async def _run_all(db: Database, days: range = range(DAYS)) -> dict[str, service.RunResult]:
    runs = {}
    for h in HOURS:
        p = of_day(Level.HOURLY, HOUR_DAY, h)
        runs[f"h{h}"] = await aggregate(db, p, now=NOW)
    for d in days:
        p = of_day(Level.DAILY, START.date() + timedelta(days=d))
        runs[f"d{d}"] = await aggregate(db, p, now=NOW)
    for w in WEEKS:
        runs[f"w{w}"] = await aggregate(db, of_day(Level.WEEKLY, w), now=NOW)
    for mo in MONTHS:
        runs[f"m{mo}"] = await aggregate(db, of_day(Level.MONTHLY, mo), now=NOW)
    return runs


async def _rows(db: Database, period: Period) -> dict[str | None, Any]:
    model = METRIC[period.level]
    column = {"hourly": "hour", "daily": "date", "weekly": "week_start", "monthly": "month_start"}[
        period.level.value
    ]
    value = period.start if period.level is Level.HOURLY else period.first_day
    async with db.reader() as session:
        found = (
            (await session.execute(select(model).where(getattr(model, column) == value)))
            .scalars()
            .all()
        )
    return {r.ip_asset_id: r for r in found}


def _check(rows: dict[str | None, Any], want: dict[str | None, dict[str, Any]]) -> None:
    assert set(rows) == set(want)
    for key, row in rows.items():
        for name in VALUES:
            assert getattr(row, name) == want[key][name], (key, name)
        for name in ("byEventType", "byCountry", "byDevice"):
            assert row.breakdown[name] == want[key][name], (key, name)


async def test_every_level_equals_the_independent_computation_and_a_rerun_changes_nothing(
    database: Database, data: EventSet
) -> None:
    runs = await _run_all(database)
    valid = data.valid()
    for h in HOURS:
        p = of_day(Level.HOURLY, HOUR_DAY, h)
        _check(await _rows(database, p), expected_rows(valid, p.start, p.end))
    for d in range(DAYS):
        p = of_day(Level.DAILY, START.date() + timedelta(days=d))
        _check(await _rows(database, p), expected_rows(valid, p.start, p.end))
    previous: dict[str | None, int] = {}
    for level, starts in ((Level.WEEKLY, WEEKS), (Level.MONTHLY, MONTHS)):
        previous = {}
        for first in starts:
            p = of_day(level, first)
            want = expected_rows(valid, p.start, p.end)
            rows = await _rows(database, p)
            _check(rows, want)
            for key, row in rows.items():
                before = previous.get(key)
                if before:
                    growth = (want[key]["views"] - before) * 100 / before
                    assert row.growth_percent == pytest.approx(growth)
                else:
                    assert row.growth_percent is None
                assert row.daily_average["views"] == pytest.approx(want[key]["views"] / p.days)
                assert row.daily_average["revenueCents"] == pytest.approx(
                    want[key]["revenue_cents"] / p.days
                )
            if level is Level.MONTHLY:
                platform = rows[None].breakdown["byWeek"]
                assert sum(platform.values()) == want[None]["views"]
            previous = {key: w["views"] for key, w in want.items()}
    # The re-run, over the same database (its setup is this test's expensive part).
    assert runs["d9"].created > 0
    before = {}
    for level, day in (
        (Level.DAILY, HOUR_DAY),
        (Level.WEEKLY, WEEKS[1]),
        (Level.MONTHLY, MONTHS[1]),
    ):
        p = of_day(level, day)
        before[p] = {k: (r.id, r.updated_at) for k, r in (await _rows(database, p)).items()}
    again = await _run_all(database, range(8, 11))
    for name, run in again.items():
        assert (run.created, run.updated) == (0, 0), name
    for p, ids in before.items():
        assert {k: (r.id, r.updated_at) for k, r in (await _rows(database, p)).items()} == ids


async def test_a_late_event_changes_exactly_its_hour_day_week_and_month(
    database: Database, data: EventSet
) -> None:
    await _run_all(database)
    # The regular hourly run of 2026-12-03 04:00 happened; then a late event arrives.
    regular = of_day(Level.HOURLY, date(2026, 12, 3), 4)
    await aggregate(database, regular, trigger="schedule", now=NOW - timedelta(hours=1))
    late_at = datetime(2026, 11, 4, 15, 20, tzinfo=UTC)
    await add_events(
        database,
        [
            {
                "id": "late1",
                "event_type": "asset.viewed",
                "occurred_at": late_at,
                "received_at": NOW - timedelta(minutes=30),
                "ip_asset_id": "a3",
                "session_id": "s-late",
                "props": {},
            }
        ],
    )
    snapshot = await _all_rows(database)
    hour = of_day(Level.HOURLY, date(2026, 12, 3), 5)
    late = await find_late(database, hour)
    assert late.count == 1
    await aggregate(database, hour, trigger="schedule", now=NOW, extra=late.describe())
    for follow in plan(hour, "schedule", late):
        await aggregate(database, follow.period, trigger=follow.trigger, now=NOW)
        for then in follow.then:
            await aggregate(database, then, trigger="late-events", now=NOW)
    after = await _all_rows(database)
    changed = {key for key in after if after[key] != snapshot.get(key)}
    wanted = {
        ("hourly_metrics", "2026-11-04T15:00:00+00:00"),
        ("daily_metrics", "2026-11-04"),
        ("weekly_metrics", "2026-11-02"),
        ("monthly_metrics", "2026-11-01"),
    }
    assert {(t, p) for t, p, _ in changed} == wanted
    assert {a for _, _, a in changed} == {"a3", None}
    async with database.reader() as session:
        logs = (await session.execute(select(m.MetricsAggregationJobsLog))).scalars().all()
    late_runs = [r for r in logs if r.metadata_["trigger"] == "late-events"]
    assert sorted(r.job_type for r in late_runs) == ["daily", "hourly", "monthly", "weekly"]
    why = next(r for r in logs if r.metadata_.get("lateEvents"))
    assert why.metadata_["reaggregating"]["daily"] == ["2026-11-04"]


async def _all_rows(db: Database) -> dict[tuple[str, str, str | None], tuple]:
    out = {}
    async with db.reader() as session:
        for model, column in (
            (m.HourlyMetric, "hour"),
            (m.DailyMetric, "date"),
            (m.WeeklyMetric, "week_start"),
            (m.MonthlyMetric, "month_start"),
        ):
            for row in (await session.execute(select(model))).scalars():
                key = (model.__tablename__, getattr(row, column).isoformat(), row.ip_asset_id)
                out[key] = tuple(getattr(row, n) for n in (*VALUES, "breakdown"))
    return out
