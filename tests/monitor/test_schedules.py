"""Schedules over each Monitor and each registry store: last runs and their outcome
from the registry's records, next runs, missed runs past the grace period; trigger
enqueues a periodic task as its schedule would; read-only refuses it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from servers import (
    FIXED_NOW,
    TEST_SECRET,
    delete_namespace,
    fixed_clock,
    local_settings,
    need_env,
    remote_settings,
    serve_on_loopback,
)

from ygmon.config import LocalProfile
from ygmon.errors import NotFoundError, ReadOnlyError
from ygmon.jobs import schedule_runs
from ygmon.jobs.registry.store import make_store
from ygmon.jobs.runtime import open_runtime
from ygmon.monitor.factory import make_monitor
from ygmon.monitor.schemas import JobState


def at(hour: int, minute: int = 0) -> float:
    return FIXED_NOW.replace(hour=hour, minute=minute).timestamp()


@pytest.fixture(params=["sqlite", "redis"])
def profile(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LocalProfile]:
    """A registry whose schedule has run since 09:00 of FIXED_NOW (12:00): the digest
    at 09:00, publishing at 11:59; nothing else."""
    namespace = f"s{uuid.uuid4().hex[:10]}"
    broker = f"sqlite:///{tmp_path / 'queue.db'}"
    if request.param == "redis":
        broker = need_env("YGMON_TEST_REDIS_URL", "Redis")
    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
        broker_url=broker,
        namespace=namespace,
        jwt_secret=TEST_SECRET,
    )
    with open_runtime(profile, clock=fixed_clock) as runtime:
        store = runtime.registry.store
        schedule_runs.note_watching(store, at(9))
        schedule_runs.note_watching(store, at(11))  # a later worker: the first one counts
        # As the scheduler's enqueue at 09:00 (the record below sets its slot).
        digest_job = runtime.enqueue("digest-daily", trigger="schedule")
        schedule_runs.record_run(store, "digest-daily", at(9), digest_job, "schedule")
        schedule_runs.record_run(store, "publish-scheduled-posts", at(11, 59), "gone", "schedule")
    try:
        yield profile
    finally:
        if request.param == "redis":
            delete_namespace(broker, namespace)


@pytest.mark.parametrize("kind", ["local", "remote"])
async def test_schedules_show_last_next_and_missed_runs(profile: LocalProfile, kind: str) -> None:
    with serve_on_loopback(profile, clock=fixed_clock) as (base_url, token):
        settings = local_settings(profile) if kind == "local" else remote_settings(base_url, token)
        monitor = make_monitor(settings, clock=fixed_clock)
        try:
            found = {s.name: s for s in await monitor.schedules()}
            assert set(found) == {
                "digest-daily", "digest-weekly", "aggregate-hourly", "aggregate-weekly",
                "aggregate-monthly", "search-index-reindex", "publish-scheduled-posts",
                "sweep-retention",
            }  # fmt: skip
            hourly = found["aggregate-hourly"]
            # 10:00 and 11:00 should have run; 12:00 is not yet past the 120 s grace.
            assert (hourly.missed, hourly.missed_since) == (2, FIXED_NOW.replace(hour=10))
            assert hourly.last_run_at is None and hourly.next_run_at == FIXED_NOW.replace(hour=13)
            assert hourly.cron == "0 * * * *" and hourly.queue == "metrics-aggregation"
            assert found["sweep-retention"].missed == 35  # 09:05 ... 11:55
            digest = found["digest-daily"]
            assert digest.missed == 0 and digest.last_trigger == "schedule"
            assert digest.last_run_at == FIXED_NOW.replace(hour=9)
            assert digest.last_outcome == "waiting"
            assert digest.next_run_at == FIXED_NOW.replace(hour=9) + timedelta(days=1)
            publishing = found["publish-scheduled-posts"]
            # Its job left the registry: the run is known, its outcome is not.
            assert publishing.missed == 0 and publishing.last_outcome is None
            assert found["digest-weekly"].missed == 0  # Monday 09:00 was before 09:00 today

            result = await monitor.trigger_schedule("aggregate-hourly")
            assert result.queue == "metrics-aggregation"
            job = await monitor.job("metrics-aggregation", result.job_id)
            assert job.task == "aggregate-hourly" and job.state == JobState.WAITING
            hourly = {s.name: s for s in await monitor.schedules()}["aggregate-hourly"]
            assert (hourly.missed, hourly.last_trigger, hourly.last_job_id) == (
                0, "manual", result.job_id,
            )  # fmt: skip
            assert hourly.last_run_at == FIXED_NOW and hourly.last_outcome == "waiting"
            with pytest.raises(NotFoundError, match="Schedule not found"):
                await monitor.trigger_schedule("canary")
        finally:
            await monitor.close()


async def test_read_only_backends_refuse_trigger(profile: LocalProfile) -> None:
    with serve_on_loopback(profile, read_only=True) as (base_url, token):
        monitors = [
            make_monitor(local_settings(profile.replace(read_only=True))),
            make_monitor(remote_settings(base_url, token)),
            make_monitor(remote_settings(base_url, token, read_only=True)),
        ]
        try:
            for monitor in monitors:
                with pytest.raises(ReadOnlyError, match="Trigger is disabled"):
                    await monitor.trigger_schedule("aggregate-hourly")
            # Reading the schedule is no change: a read-only backend still answers.
            assert len(await monitors[1].schedules()) == 8
        finally:
            for monitor in monitors:
                await monitor.close()


def test_a_worker_that_runs_the_schedule_records_its_runs(tmp_path: Path) -> None:
    """The real scheduler path: a won slot becomes a schedule-run record."""
    from ygmon.jobs.worker import in_process_worker

    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
    )
    with open_runtime(profile) as runtime:
        huey = runtime.hueys["blog-scheduled-publishing"]
        minute = datetime.now(UTC).replace(second=0, microsecond=0, tzinfo=None)
        with in_process_worker(profile, ["maintenance"], runtime=runtime, periodic=True):
            due = huey.read_periodic(minute)
        assert [t.name for t in due] == ["publish-scheduled-posts"]
        store = make_store(profile.broker_url, profile.namespace)
        run = schedule_runs.runs_by_trigger(store)["publish-scheduled-posts"]["schedule"]
        assert run["jobId"] == due[0].id and run["trigger"] == "schedule"
        assert schedule_runs.watching_since(store) is not None
        store.close()


class SteppedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.mark.parametrize("kind", ["local", "remote"])
async def test_catch_up_and_manual_runs_are_runs_of_the_schedule(
    profile: LocalProfile, kind: str
) -> None:
    """The real producers' paths: a starting worker's catch-up of missed hours and
    digests, `ygmon enqueue aggregate` and `ygmon enqueue reindex` by hand. Each is a run
    of its schedule with its trigger; the last run is the latest of them."""
    from ygmon.jobs.tasks import analytics, search
    from ygmon.pipelines.analytics.periods import Level, of_day

    clock = SteppedClock(FIXED_NOW - timedelta(minutes=30))
    with open_runtime(profile, clock=clock) as runtime:
        hours = [of_day(Level.HOURLY, FIXED_NOW.date(), h) for h in (10, 11)]
        analytics._enqueue_catch_up(runtime, {Level.HOURLY: hours})
        runtime.enqueue("digest-weekly", period="2026-03-02T09:00:00+00:00", trigger="catch-up")
        clock.at = FIXED_NOW - timedelta(minutes=20)
        by_hand = ["hourly", "--date", "2026-03-04", "--hour", "9"]
        ((manual_job, _),) = analytics._enqueue_aggregate(runtime, by_hand, None)
        ((reindex_job, _),) = search._enqueue_reindex(runtime, [], None)
    with serve_on_loopback(profile, clock=fixed_clock) as (base_url, token):
        settings = local_settings(profile) if kind == "local" else remote_settings(base_url, token)
        monitor = make_monitor(settings, clock=fixed_clock)
        try:
            found = {s.name: s for s in await monitor.schedules()}
        finally:
            await monitor.close()
    hourly = found["aggregate-hourly"]
    assert (hourly.last_run_at, hourly.last_trigger) == (clock.at, "manual")
    assert [(r.trigger, r.at, r.outcome) for r in hourly.runs] == [
        ("manual", clock.at, "waiting"),
        ("catch-up", FIXED_NOW - timedelta(minutes=30), "waiting"),
    ]
    assert hourly.runs[0].job_id == hourly.last_job_id == manual_job
    # 10:00 and 11:00 were missed before; the catch-up covered them.
    assert hourly.missed == 0
    weekly = found["digest-weekly"]
    assert (weekly.last_trigger, weekly.last_outcome) == ("catch-up", "waiting")
    reindex = found["search-index-reindex"]
    assert (reindex.last_trigger, reindex.last_job_id) == ("manual", reindex_job)
    # The digest's scheduled run is still its last: nothing else ran it.
    assert [r.trigger for r in found["digest-daily"].runs] == ["schedule"]
