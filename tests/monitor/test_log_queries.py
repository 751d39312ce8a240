"""The aggregation-log listing (tally total, started_at bounds, deferred join) gives what
a plain filter and sort over every run gives, for each filter and their combinations."""

from __future__ import annotations

import itertools
import math
import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, update

from ygmon.db import Database
from ygmon.db.models import AggregationJobStatus, MetricsAggregationJobsLog
from ygmon.monitor import queries
from ygmon.monitor.schemas import LogQuery

T0 = datetime(2026, 1, 1, tzinfo=UTC)
STATUSES = list(AggregationJobStatus)


def _runs(n: int) -> list[MetricsAggregationJobsLog]:
    rng = random.Random(4)
    runs = []
    for i in range(n):
        # Periods mostly follow the start time, with some late reruns of old periods, so
        # that a period filter's runs are not one contiguous stretch of started_at.
        day = i // 8 if rng.random() > 0.1 else rng.randrange(0, n // 8)
        runs.append(
            MetricsAggregationJobsLog(
                id=f"r{i:04d}",
                job_type=rng.choice(["daily", "weekly", "monthly", "hourly"]),
                period_start_date=date(2026, 1, 1) + timedelta(days=day),
                period_end_date=date(2026, 1, 1) + timedelta(days=day + rng.randrange(0, 3)),
                # Ties on started_at: the id settles the order.
                started_at=T0 + timedelta(hours=i // 2),
                status=rng.choice(STATUSES),
                metadata_={"i": i},
            )
        )
    return runs


def _expected(runs: list[MetricsAggregationJobsLog], q: LogQuery) -> tuple[list[str], int]:
    kept = [
        r
        for r in runs
        if (q.job_type is None or r.job_type == q.job_type)
        and (q.status is None or r.status == q.status)
        and (q.start_date is None or r.period_start_date >= q.start_date)
        and (q.end_date is None or r.period_end_date <= q.end_date)
    ]
    kept.sort(key=lambda r: (r.started_at, r.id), reverse=True)
    first = (q.page - 1) * q.page_size
    return [r.id for r in kept[first : first + q.page_size]], len(kept)


async def _check(database: Database, runs: list[MetricsAggregationJobsLog]) -> None:
    filters = {
        "job_type": [None, "weekly", "yearly"],
        "status": [None, AggregationJobStatus.FAILED],
        "start_date": [None, date(2026, 1, 20)],
        "end_date": [None, date(2026, 1, 10), date(2025, 12, 1)],
    }
    for values in itertools.product(*filters.values()):
        for page, page_size in ((1, 7), (3, 7), (40, 7)):
            q = LogQuery(page=page, page_size=page_size, **dict(zip(filters, values, strict=True)))
            async with database.reader() as session:
                got = await queries.aggregation_logs(session, q)
            ids, total = _expected(runs, q)
            assert [r.id for r in got.data] == ids, q
            assert got.pagination.total == total, q
            assert got.pagination.total_pages == math.ceil(total / page_size)


async def test_listing_matches_a_plain_filter_and_sort(database: Database) -> None:
    runs = _runs(240)
    async with database.writer() as session:
        session.add_all(runs)
    await _check(database, runs)

    # Runs change status, and some go away: the tally and its bounds follow.
    async with database.writer() as session:
        await session.execute(
            update(MetricsAggregationJobsLog)
            .where(MetricsAggregationJobsLog.status == AggregationJobStatus.RUNNING)
            .values(status=AggregationJobStatus.COMPLETED)
        )
        await session.execute(
            delete(MetricsAggregationJobsLog).where(MetricsAggregationJobsLog.id < "r0050")
        )
    kept = []
    for r in runs:
        if r.id < "r0050":
            continue
        if r.status == AggregationJobStatus.RUNNING:
            r.status = AggregationJobStatus.COMPLETED
        kept.append(r)
    await _check(database, kept)
