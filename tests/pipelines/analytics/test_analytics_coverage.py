"""Coverage from real runs: aggregated, partial, failed, stale and missing periods."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from events_fixture import add_events, insert, make_events

from ygmon.db import Database
from ygmon.monitor.coverage import aggregation_coverage
from ygmon.monitor.coverage_schemas import CoverageState
from ygmon.pipelines.analytics import service
from ygmon.pipelines.analytics.periods import Level, of_day
from ygmon.pipelines.analytics.service import aggregate

NOW = datetime(2026, 11, 10, 10, tzinfo=UTC)


async def test_each_state_from_real_runs(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await insert(database, make_events(count=200))
    day = lambda d: of_day(Level.DAILY, date(2026, 11, d))  # noqa: E731
    for d in (3, 4, 5, 6):
        await aggregate(database, day(d), trigger="schedule", now=day(d).end)
    # A late event for the 5th arrives after its run.
    await add_events(
        database,
        [
            {
                "id": "late",
                "event_type": "asset.viewed",
                "occurred_at": datetime(2026, 11, 5, 9, tzinfo=UTC),
                "received_at": NOW - timedelta(hours=1),
                "props": {},
            }
        ],
    )

    def explode(step: str) -> None:
        raise RuntimeError("no")

    monkeypatch.setattr(service, "checkpoint", explode)
    with pytest.raises(RuntimeError):
        await aggregate(database, day(7), now=day(7).end)
    async with database.reader() as session:
        coverage = await aggregation_coverage(session, NOW, ["daily", "weekly"], 7)
    daily, weekly = coverage.levels
    states = {p.period_start_date.day: p.state for p in daily.periods}
    assert states == {
        3: CoverageState.AGGREGATED,
        4: CoverageState.PARTIAL,  # the unattributable events of 4 November
        5: CoverageState.STALE,
        6: CoverageState.AGGREGATED,
        7: CoverageState.FAILED,
        8: CoverageState.MISSING,
        9: CoverageState.MISSING,
    }
    assert [p.runs for p in daily.periods] == [1, 1, 1, 1, 1, 0, 0]
    assert daily.periods[0].events > 0
    assert [p.label for p in weekly.periods][-1] == "2026-W45"
    assert all(p.state is CoverageState.MISSING for p in weekly.periods)
