"""Clock skew: one worker's clock an hour fast (the whole process, through libfaketime)
beside a worker on time, both running the schedule. No job is marked stalled wrongly,
no scheduled minute runs twice, and the fast worker's records carry the store's time."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import libfaketime
import pytest
from fault_helpers import fault_profile, wait_until
from fault_record import observe

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.jobs.huey.periodic_claims import CHECK_SECONDS
from ygmon.jobs.runtime import open_runtime

pytestmark = [pytest.mark.redis, pytest.mark.timeout(240)]

STALLED_AFTER = LocalProfile().stalled_after
SKEW = "+1h"
PUBLISH = "publish-scheduled-posts"  # cron "* * * * *": due in every minute


def fast_clock_env() -> dict[str, str]:
    library = Path(libfaketime.__file__).parent / "vendor/libfaketime/src/libfaketime.so.1"
    return {
        "LD_PRELOAD": str(library),
        "FAKETIME": SKEW,
        # Sleeps and timeouts keep running at the real pace; only the wall clock is off.
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
    }


async def _migrate(url: str) -> None:
    db = Database(url)
    await upgrade(db)
    await db.dispose()


@pytest.mark.xdist_group("sleepy-b")
def test_a_worker_an_hour_fast_stalls_nothing_and_runs_no_minute_twice(
    redis_url: str, sqlite_url: str, namespace: str, tmp_path: Path, start_worker
) -> None:
    env = fast_clock_env()
    probe = subprocess.run(
        [sys.executable, "-c", "import time; print(time.time())"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    ahead = float(probe.stdout) - time.time()
    assert ahead > 3500, f"the fault was not injected: the clock is {ahead:.0f} s ahead"

    profile = fault_profile(sqlite_url, redis_url, namespace, tmp_path)
    assert profile.stalled_after == STALLED_AFTER
    asyncio.run(_migrate(sqlite_url))
    queues = "maintenance,blog-scheduled-publishing"
    first_minute = int(time.time() // 60)
    on_time = start_worker(profile, "--queues", queues)
    fast = start_worker(profile, "--queues", queues, env=env)
    started = time.monotonic()
    runtime = open_runtime(profile)
    registry = runtime.registry
    try:
        # Each runs longer than stalled_after plus a sweep: the fast worker sweeps while
        # the other's jobs run, and would find its heartbeat an hour old.
        ids = [runtime.enqueue("canary", seconds=STALLED_AFTER * 2) for _ in range(4)]

        def finished() -> bool:
            return all((registry.store.get(j) or {}).get("state") == "completed" for j in ids)

        wait_until(finished, STALLED_AFTER * 2 + 60, "the long canaries")
        # Both schedulers read the schedule at start and every CHECK_SECONDS.
        time.sleep(max(0.0, CHECK_SECONDS + 2 - (time.monotonic() - started)))
        last_minute = int(time.time() // 60)
        records = [registry.get_job(j) for j in ids]
        publish_runs = [
            job
            for job in registry.list_jobs("blog-scheduled-publishing", None, 0, 100)[0]
            if job.task == PUBLISH
        ]
    finally:
        runtime.close()

    assert [r.stalled_count for r in records] == [0] * 4
    assert all(r.attempts_made == 1 for r in records)
    ran_on = Counter(r.worker_id for r in records)
    assert set(ran_on) == {on_time.worker_id, fast.worker_id}, ran_on
    now = time.time()
    for r in records:
        # The fast worker's stamps are the store's time, not its own.
        assert abs(r.started_at.timestamp() - now) < 120, r
    minutes = last_minute - first_minute + 1
    assert 1 <= len(publish_runs) <= minutes, (len(publish_runs), minutes)
    assert "failed" not in {job.state.value for job in publish_runs}, publish_runs
    for w in (on_time, fast):
        assert "Traceback" not in w.output(), w.output()[-3000:]
    observe(
        "clock-skew",
        f"a worker {ahead / 3600:.2f} h fast (libfaketime) beside one on time: 4 jobs "
        f"longer than stalled_after ran once, none stalled ({dict(Counter(ran_on.values()))} "
        f"jobs a worker); {len(publish_runs)} run(s) of the minutely schedule over "
        f"{minutes} minute(s); the fast worker's timestamps within 2 min of the store's",
    )
