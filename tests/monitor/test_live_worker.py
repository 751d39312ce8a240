"""With a real worker running, both backends see its heartbeat the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from servers import local_settings, remote_settings, seeded_profile, serve_on_loopback

from ygmon.config import LocalProfile
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.factory import make_monitor


@pytest.fixture
def fresh(tmp_path: Path) -> LocalProfile:
    return seeded_profile(tmp_path)


async def test_live_worker_makes_its_groups_healthy(fresh: LocalProfile) -> None:
    profile = fresh
    with (
        in_process_worker(profile, ["email", "blog-scheduled-publishing"]) as worker,
        serve_on_loopback(profile) as (base_url, token),
    ):
        local = make_monitor(local_settings(profile))
        remote = make_monitor(remote_settings(base_url, token))
        try:
            for monitor in (local, remote):
                health = await monitor.health()
                assert health.groups["email"].healthy is True
                assert health.groups["blog"].healthy is True
                assert health.groups["search"].healthy is False
                assert health.healthy is False
                workers = await monitor.workers()
                assert [w.id for w in workers] == [worker.id]
                assert sorted(workers[0].queues) == ["blog-scheduled-publishing", "email"]
            assert (await local.workers()) == (await remote.workers())
        finally:
            await local.close()
            await remote.close()
