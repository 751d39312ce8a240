"""Pause and resume over each Monitor and each registry store, with real `ygmon worker`
processes: a pause stops intake within one poll on every worker (two of them, one
restarted while paused), running jobs finish, health says paused, resume restarts it;
a read-only backend refuses both with its reason."""

from __future__ import annotations

import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from processes import worker_processes, write_profile_config
from servers import (
    delete_namespace,
    local_settings,
    need_env,
    remote_settings,
    serve_on_loopback,
)

from ygmon.config import LocalProfile
from ygmon.errors import NotFoundError, ReadOnlyError
from ygmon.jobs.huey.pause_gate import STOPS_WITHIN
from ygmon.jobs.runtime import open_runtime
from ygmon.monitor.factory import make_monitor
from ygmon.monitor.schemas import JobState

pytestmark = pytest.mark.timeout(120)

QUEUE = "maintenance"
ONE_POLL = STOPS_WITHIN
"""The paused set's staleness plus one poll under way (ygmon.jobs.huey.pause_gate)."""


@pytest.fixture(params=["sqlite", "redis"])
def profile(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LocalProfile]:
    fields = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
        "broker_url": f"sqlite:///{tmp_path / 'queue.db'}",
        "namespace": f"p{uuid.uuid4().hex[:10]}",
        "jwt_secret": "ygmon-test-secret-0123456789-abcdefghij",
        "shutdown_grace": 5.0,
    }
    if request.param == "redis":
        fields["broker_url"] = need_env("YGMON_TEST_REDIS_URL", "Redis")
    try:
        yield LocalProfile(**fields)
    finally:
        if request.param == "redis":
            delete_namespace(fields["broker_url"], fields["namespace"])


def _wait(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.mark.parametrize("kind", ["local", "remote"])
async def test_pause_stops_every_worker_and_resume_restarts_them(
    profile: LocalProfile, kind: str, tmp_path: Path
) -> None:
    config = write_profile_config(profile, tmp_path / "ygmon.toml")
    runtime = open_runtime(profile)
    registry = runtime.registry

    def state(job_id: str) -> JobState:
        return registry.get_job(job_id).state

    with serve_on_loopback(profile) as (base_url, token), worker_processes() as start:
        settings = local_settings(profile) if kind == "local" else remote_settings(base_url, token)
        monitor = make_monitor(settings)
        try:
            args = ("--queues", QUEUE, "--no-schedule")
            first = start(config, *args, "--host-name", "host-a")
            start(config, *args, "--host-name", "host-b")
            running = runtime.enqueue("canary", seconds=2.0)
            _wait(lambda: state(running) == JobState.ACTIVE, 10, "the long job to start")

            paused = await monitor.pause_queue(QUEUE)
            assert paused.paused and paused.paused_at is not None
            time.sleep(ONE_POLL)
            waiting = [runtime.enqueue("canary") for _ in range(4)]
            time.sleep(2 * ONE_POLL)
            assert [state(j) for j in waiting] == [JobState.WAITING] * 4
            # The job that ran when the queue paused finished all the same.
            _wait(lambda: state(running) == JobState.COMPLETED, 10, "the running job to finish")

            stats = {q.name: q for q in await monitor.queues()}
            assert stats[QUEUE].paused and stats[QUEUE].waiting == 4
            assert not stats["email"].paused
            status = (await monitor.health()).groups["maintenance"].workers[QUEUE]
            assert (status.paused, status.is_running) == (True, True)
            assert status.paused_at == paused.paused_at
            assert status.error.startswith("paused since ") and ", by " in status.error

            # The pause is in the registry: a restarted worker keeps to it.
            first.send_signal(signal.SIGTERM)
            first.wait(15)
            start(config, *args, "--host-name", "host-a")
            time.sleep(2 * ONE_POLL)
            assert [state(j) for j in waiting] == [JobState.WAITING] * 4

            resumed = await monitor.resume_queue(QUEUE)
            assert not resumed.paused
            _wait(
                lambda: all(state(j) == JobState.COMPLETED for j in waiting),
                10,
                "the waiting jobs to complete after resume",
            )
            assert not {q.name: q for q in await monitor.queues()}[QUEUE].paused
            status = (await monitor.health()).groups["maintenance"].workers[QUEUE]
            assert status.paused is None and status.is_running
            with pytest.raises(NotFoundError, match="Queue not found"):
                await monitor.pause_queue("no-such-queue")
        finally:
            await monitor.close()
            runtime.close()


async def test_read_only_backends_refuse_pause_and_resume(tmp_path: Path) -> None:
    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        jwt_secret="ygmon-test-secret-0123456789-abcdefghij",
    )
    with serve_on_loopback(profile, read_only=True) as (base_url, token):
        monitors = [
            make_monitor(local_settings(profile.replace(read_only=True))),
            make_monitor(remote_settings(base_url, token)),
            make_monitor(remote_settings(base_url, token, read_only=True)),
        ]
        try:
            for monitor in monitors:
                with pytest.raises(ReadOnlyError, match=r"Pause is disabled: this .* is read-only"):
                    await monitor.pause_queue(QUEUE)
                with pytest.raises(ReadOnlyError, match="Resume is disabled"):
                    await monitor.resume_queue(QUEUE)
            assert not {q.name: q for q in await monitors[0].queues()}[QUEUE].paused
        finally:
            for monitor in monitors:
                await monitor.close()
