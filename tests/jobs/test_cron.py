"""The cron schedule of every periodic queue (docs/CONTRACT.md#queues) gives the right next runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ygmon.queues import DIGEST_SCHEDULES, QUEUES_BY_NAME, next_run, schedule

T0 = datetime(2026, 11, 29, 3, 17, 42, tzinfo=UTC)  # a Sunday


@pytest.mark.parametrize(
    ("queue", "name", "cron", "expected"),
    [
        ("notification-digest", "daily", "0 9 * * *", datetime(2026, 11, 29, 9, 0, tzinfo=UTC)),
        ("notification-digest", "weekly", "0 9 * * 1", datetime(2026, 11, 30, 9, 0, tzinfo=UTC)),
        ("metrics-aggregation", "hourly", "0 * * * *", datetime(2026, 11, 29, 4, 0, tzinfo=UTC)),
        ("weekly-metrics-rollup", "weekly", "0 4 * * 1", datetime(2026, 11, 30, 4, 0, tzinfo=UTC)),
        ("monthly-metrics-rollup", "monthly", "0 5 2 * *", datetime(2026, 12, 2, 5, 0, tzinfo=UTC)),
        ("search-index-reindex", "weekly", "0 3 * * 0", datetime(2026, 12, 6, 3, 0, tzinfo=UTC)),
        (
            "blog-scheduled-publishing",
            "minutely",
            "* * * * *",
            datetime(2026, 11, 29, 3, 18, tzinfo=UTC),
        ),
    ],
)
def test_next_run_of_every_periodic_queue(
    queue: str, name: str, cron: str, expected: datetime
) -> None:
    assert schedule(queue, name) == cron
    assert next_run(cron, T0) == expected
    assert next_run(cron, T0).utcoffset() == timedelta(0)


def test_every_scheduled_queue_is_covered() -> None:
    scheduled = {q.name for q in QUEUES_BY_NAME.values() if q.schedules}
    assert scheduled == {
        "notification-digest",
        "metrics-aggregation",
        "weekly-metrics-rollup",
        "monthly-metrics-rollup",
        "search-index-reindex",
        "blog-scheduled-publishing",
    }


def test_next_run_is_strictly_after_and_converts_other_zones() -> None:
    at_nine = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday, on the dot
    assert next_run(DIGEST_SCHEDULES["weekly"], at_nine) == at_nine + timedelta(days=7)
    paris = timezone(timedelta(hours=1))
    # 09:30 in Paris is 08:30 UTC: today's 09:00 UTC run is still ahead.
    assert next_run(DIGEST_SCHEDULES["daily"], datetime(2026, 11, 29, 9, 30, tzinfo=paris)) == (
        datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    )
    # A naive time is read as UTC; the month rolls over the year end.
    assert next_run("0 5 2 * *", datetime(2026, 12, 2, 5, 0)) == datetime(
        2027, 1, 2, 5, 0, tzinfo=UTC
    )
