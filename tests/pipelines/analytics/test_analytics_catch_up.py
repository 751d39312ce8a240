"""Missed schedules are caught up when a worker starts (a clock set back), each period once,
even with two workers starting together; and the tasks run through a real worker."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from events_fixture import START, insert, make_events
from sqlalchemy import select

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db import models as m
from ygmon.db.migrate import upgrade
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.worker import WorkerProcess
from ygmon.pipelines.analytics.periods import Level, of_day
from ygmon.pipelines.analytics.service import aggregate

# Tuesday 2026-11-10 10:00: Monday 04:00 (the week of 2 November) and 2 November 05:00
# (October) went by with no worker running the schedule.
CLOCK = datetime(2026, 11, 10, 10, tzinfo=UTC)
ROLLUP_QUEUES = ["weekly-metrics-rollup", "monthly-metrics-rollup"]


def set_clock(at: datetime) -> Callable[[], datetime]:
    """The clock set to `at` and left running: the catch-up runs one after another, and
    the log lists them by started_at (a clock stopped at `at` gives every run the same
    instant, which leaves their order to the database)."""
    offset = at - datetime.now(UTC)
    return lambda: datetime.now(UTC) + offset


async def _prepare(url: str, days: int = 15) -> None:
    """Events, and the daily runs of the first `days` days (the weeks to roll up)."""
    db = Database(url)
    try:
        await upgrade(db)
        await insert(db, make_events(count=150))
        for d in range(days):
            day = of_day(Level.DAILY, START.date() + timedelta(days=d))
            await aggregate(db, day, trigger="schedule", now=day.end)
    finally:
        await db.dispose()


async def _logs(url: str, job_types: tuple[str, ...]) -> list[m.MetricsAggregationJobsLog]:
    db = Database(url)
    try:
        async with db.reader() as session:
            query = (
                select(m.MetricsAggregationJobsLog)
                .where(m.MetricsAggregationJobsLog.job_type.in_(job_types))
                .order_by(m.MetricsAggregationJobsLog.started_at)
            )
            return list((await session.execute(query)).scalars())
    finally:
        await db.dispose()


def test_two_workers_starting_after_missed_schedules_catch_up_once(
    job_profile: LocalProfile,
) -> None:
    asyncio.run(_prepare(job_profile.database_url))
    clock = set_clock(CLOCK)
    with (
        open_runtime(job_profile, clock=clock) as one,
        open_runtime(job_profile, clock=clock) as two,
    ):
        workers = [
            WorkerProcess(job_profile, ROLLUP_QUEUES, runtime=rt, periodic=True)
            for rt in (one, two)
        ]
        barrier = threading.Barrier(2)

        def start(worker: WorkerProcess) -> None:
            barrier.wait()
            worker.start()

        threads = [threading.Thread(target=start, args=(w,)) for w in workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        try:
            one.wait_idle(60, ROLLUP_QUEUES)
        finally:
            for w in workers:
                w.stop()
    logs = asyncio.run(_logs(job_profile.database_url, ("weekly", "monthly")))
    assert [
        (r.job_type, r.period_start_date, r.status.value) for r in logs if r.job_type == "weekly"
    ] == [
        ("weekly", date(2026, 10, 26), "COMPLETED"),
        ("weekly", date(2026, 11, 2), "PARTIAL"),  # the unattributable events of 4 November
    ]
    assert [(r.job_type, r.period_start_date) for r in logs if r.job_type == "monthly"] == [
        ("monthly", date(2026, 10, 1))
    ]
    assert {r.metadata_["trigger"] for r in logs} == {"catch-up"}
    assert all(r.metadata_["jobId"] for r in logs)

    # A worker starting later finds every due period run: it enqueues nothing.
    with open_runtime(job_profile, clock=clock) as three:
        worker = WorkerProcess(job_profile, ROLLUP_QUEUES, runtime=three, periodic=True)
        worker.start()
        try:
            three.wait_idle(30, ROLLUP_QUEUES)
        finally:
            worker.stop()
    assert len(asyncio.run(_logs(job_profile.database_url, ("weekly", "monthly")))) == 3


def test_the_enqueue_command_runs_an_hourly_run_through_a_worker(job_profile: LocalProfile) -> None:
    asyncio.run(_prepare(job_profile.database_url, days=0))
    from ygmon.jobs.tasks import ENQUEUE_COMMANDS

    clock = lambda: CLOCK  # noqa: E731
    with open_runtime(job_profile, clock=clock) as runtime:
        jobs = ENQUEUE_COMMANDS["aggregate"].run(
            runtime, ["hourly", "--date", "2026-11-04", "--hour", "10"], None
        )
        assert [queue for _, queue in jobs] == ["metrics-aggregation"]
        worker = WorkerProcess(
            job_profile, ["metrics-aggregation"], runtime=runtime, periodic=False
        )
        worker.start()
        try:
            runtime.wait_idle(30, ["metrics-aggregation"])
        finally:
            worker.stop()
        job = runtime.registry.get_job(jobs[0][0])
    logs = asyncio.run(_logs(job_profile.database_url, ("hourly",)))
    assert [(r.status.value, r.metadata_["trigger"], r.metadata_["jobId"]) for r in logs] == [
        ("PARTIAL", "manual", jobs[0][0])
    ]
    assert job.state.value == "completed"
