"""However many workers run the schedule, each periodic task runs once per scheduled
minute (its slot is claimed in the registry store), and the minute is the store's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ygmon.config import LocalProfile
from ygmon.jobs.runtime import open_runtime

QUEUE = "blog-scheduled-publishing"  # its publisher is due every minute


def test_two_schedulers_reading_the_same_minute_enqueue_one_run(
    job_profile: LocalProfile,
) -> None:
    first, second = open_runtime(job_profile), open_runtime(job_profile)
    try:
        minute = datetime(2026, 12, 2, 10, 0, 5)
        names = []
        for at in (minute, minute + timedelta(seconds=40), minute + timedelta(minutes=1)):
            for runtime in (first, second):
                names += [(at.minute, t.name) for t in runtime.hueys[QUEUE].read_periodic(at)]
        assert names == [(0, "publish-scheduled-posts"), (1, "publish-scheduled-posts")]
    finally:
        first.close()
        second.close()


def test_the_registry_clock_follows_the_store(job_profile: LocalProfile) -> None:
    runtime = open_runtime(job_profile)
    try:
        clock = runtime.registry.store_clock
        server = runtime.registry.store.server_time()
        if server is None:  # SQLite: one host, one clock
            assert clock.offset == 0.0
        else:
            assert abs(runtime.registry.now() - server) < 1.0
        # Huey's schedule reads the same clock (naive UTC, as Huey runs with utc=True).
        huey_now = runtime.hueys[QUEUE]._get_timestamp().replace(tzinfo=UTC)
        assert abs(huey_now.timestamp() - runtime.registry.now()) < 1.0
    finally:
        runtime.close()
