"""Retry through each backend moves a failed job back to waiting; read-only refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from servers import (
    FAILED_JOBS,
    fixed_clock,
    local_settings,
    remote_settings,
    seeded_profile,
    serve_on_loopback,
)

from ygmon.config import LocalProfile
from ygmon.errors import ReadOnlyError
from ygmon.monitor.factory import make_monitor
from ygmon.monitor.schemas import JobState


@pytest.fixture
def fresh(tmp_path: Path) -> LocalProfile:
    """Seeded data this test alone changes."""
    return seeded_profile(tmp_path)


@pytest.mark.parametrize("kind", ["local", "remote"])
async def test_retry_moves_a_failed_job_to_waiting(fresh: LocalProfile, kind: str) -> None:
    profile = fresh
    with serve_on_loopback(profile, clock=fixed_clock) as (base_url, token):
        settings = local_settings(profile) if kind == "local" else remote_settings(base_url, token)
        monitor = make_monitor(settings, clock=fixed_clock)
        try:
            result = await monitor.retry("maintenance", FAILED_JOBS[0])
            assert result.to_json() == {"jobId": FAILED_JOBS[0], "status": "retried"}
            job = await monitor.job("maintenance", FAILED_JOBS[0])
            # No worker runs here, so the job waits, its attempts and error reset.
            assert job.state == JobState.WAITING and job.attempts_made == 0
            assert job.error_message is None and job.kwargs == {"fail": True}
            failed = await monitor.failed_jobs()
            assert [j.id for j in failed.data] == [FAILED_JOBS[1]]
            assert (await monitor.queues())[-1].waiting == 1
        finally:
            await monitor.close()


async def test_read_only_backends_refuse_retry(fresh: LocalProfile) -> None:
    profile = fresh
    with serve_on_loopback(profile, read_only=True) as (base_url, token):
        local = make_monitor(local_settings(profile.replace(read_only=True)))
        server_ro = make_monitor(remote_settings(base_url, token))
        client_ro = make_monitor(remote_settings(base_url, token, read_only=True))
        try:
            assert local.SUPPORTS_RETRY is False and client_ro.SUPPORTS_RETRY is False
            for monitor in (local, server_ro, client_ro):
                with pytest.raises(ReadOnlyError, match="read-only"):
                    await monitor.retry("maintenance", FAILED_JOBS[0])
            # The server says so on every response, so the client learns it can't retry.
            assert server_ro.SUPPORTS_RETRY is False
            assert (await local.job("maintenance", FAILED_JOBS[0])).state == JobState.FAILED
        finally:
            for monitor in (local, server_ro, client_ro):
                await monitor.close()
