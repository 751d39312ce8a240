"""Each alert rule over each Monitor and each registry store: it fires on a situation
built for it and stays quiet otherwise (another queue, a higher threshold)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import (
    TEST_SECRET,
    delete_namespace,
    local_settings,
    need_env,
    remote_settings,
    serve_on_loopback,
)

from ygmon.config import LocalProfile
from ygmon.errors import ConfigError
from ygmon.jobs import schedule_runs
from ygmon.jobs.registry import ops_records
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.factory import make_monitor

RULES = {
    "failure_rate": [
        {"queue": "maintenance", "above": 0.5, "min_jobs": 3},
        {"queue": "maintenance", "above": 0.9, "min_jobs": 3},
        {"queue": "email", "above": 0.0, "min_jobs": 1},
    ],
    "oldest_waiting": [
        {"queue": "maintenance", "minutes": 0},
        {"queue": "maintenance", "minutes": 60},
        {"queue": "email", "minutes": 0},
    ],
    "no_worker": [{"queue": "maintenance"}, {"queue": "email"}],
    "schedule_missed": [
        {"schedule": "aggregate-hourly", "minutes": 30},
        {"schedule": "aggregate-hourly", "minutes": 600},
        {"schedule": "digest-weekly"},
    ],
    "paused_too_long": [
        {"queue": "email", "minutes": 60},
        {"queue": "email", "minutes": 600},
        {"queue": "maintenance", "minutes": 0},
    ],
}
EXPECTED = [
    ("failure_rate:maintenance", True),
    ("failure_rate:maintenance", False),
    ("failure_rate:email", False),
    ("oldest_waiting:maintenance", True),
    ("oldest_waiting:maintenance", False),
    ("oldest_waiting:email", False),
    ("no_worker:maintenance", True),
    ("no_worker:email", False),
    ("schedule_missed:aggregate-hourly", True),
    ("schedule_missed:aggregate-hourly", False),
    ("schedule_missed:digest-weekly", False),
    ("paused_too_long:email", True),
    ("paused_too_long:email", False),
    ("paused_too_long:maintenance", False),
]


@pytest.fixture(params=["sqlite", "redis"])
def profile(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LocalProfile]:
    """Three of four canaries failed on `maintenance`, one more waits there; a worker
    serves `email` only, which has been paused for two hours; the schedule has run
    since three hours ago and nothing ran it since but digest-weekly, just now."""
    namespace = f"a{uuid.uuid4().hex[:10]}"
    broker = f"sqlite:///{tmp_path / 'queue.db'}"
    if request.param == "redis":
        broker = need_env("YGMON_TEST_REDIS_URL", "Redis")
    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
        broker_url=broker,
        namespace=namespace,
        jwt_secret=TEST_SECRET,
        alerts=RULES,
    )
    with open_runtime(profile) as runtime:
        with in_process_worker(profile, ["maintenance"], runtime=runtime):
            runtime.enqueue("canary")
            for _ in range(3):
                runtime.enqueue("canary", fail=True)
            runtime.wait_idle(20, queues=["maintenance"])
        runtime.enqueue("canary")
        store = runtime.registry.store
        now = time.time()
        schedule_runs.note_watching(store, now - 3 * 3600)
        # digest-weekly ran just now: it is due Mondays at 09:00, which the three hours
        # watched hold on a Monday morning, and its rule must stay quiet on any day.
        schedule_runs.record_run(store, "digest-weekly", now, "weekly-1", "schedule")
        ops_records.put(store, "paused", "email", {"at": now - 2 * 3600, "by": "test"})
    try:
        yield profile
    finally:
        if request.param == "redis":
            delete_namespace(broker, namespace)


@pytest.mark.parametrize("kind", ["local", "remote"])
async def test_each_rule_fires_on_its_situation_only(profile: LocalProfile, kind: str) -> None:
    with serve_on_loopback(profile) as (base_url, token), in_process_worker(profile, ["email"]):
        if kind == "local":
            settings = local_settings(profile)
        else:
            settings = remote_settings(base_url, token, alerts=RULES)
        monitor = make_monitor(settings)
        try:
            states = await monitor.alerts()
            assert [(s.key, s.firing) for s in states] == EXPECTED
            by_key = {s.key: s for s in states if s.firing}
            assert by_key["failure_rate:maintenance"].message == "3/4 failed in 1h (75%)"
            assert by_key["no_worker:maintenance"].message == "no live worker"
            assert by_key["paused_too_long:email"].message == "paused 2.0h, limit 60m"
        finally:
            await monitor.close()


async def test_star_rules_expand_and_unknown_schedules_are_named(tmp_path: Path) -> None:
    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        alerts={"no_worker": [{}], "schedule_missed": [{}]},
    )
    monitor = make_monitor(local_settings(profile))
    try:
        states = await monitor.alerts()
        assert sum(s.kind == "no_worker" and s.firing for s in states) == 13
        # Nothing ever ran the schedule here: no run is missed.
        assert [s.firing for s in states if s.kind == "schedule_missed"] == [False] * 8
    finally:
        await monitor.close()
    bad = make_monitor(
        local_settings(profile.replace(alerts={"schedule_missed": [{"schedule": "nope"}]}))
    )
    try:
        with pytest.raises(ConfigError, match="names no schedule 'nope'"):
            await bad.alerts()
    finally:
        await bad.close()
