"""@audited on a real LocalMonitor over a real SQLite file: one record per call, none for
a dry run, models as JSON in the target, the error text kept, and no action at all when
its record cannot be written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from servers import FAILED_JOBS, fixed_clock, seeded_profile

from ygmon.config import LocalProfile
from ygmon.monitor.audit import AuditUnavailableError, audited, local_actor
from ygmon.monitor.local import LocalMonitor
from ygmon.monitor.schemas import CamelModel, JobState


class Selection(CamelModel):
    queue_name: str | None = None
    q: str | None = None


class Recording(LocalMonitor):
    """A LocalMonitor with two mutating methods shaped like the bulk actions."""

    calls = 0

    @audited("bulk-retry")
    async def bulk(self, selection: Selection, dry_run: bool) -> int:
        self.calls += 1
        return 3

    @audited("explode")
    async def explode(self, queue: str) -> None:
        raise RuntimeError("boom")


@pytest.fixture
def profile(tmp_path: Path) -> LocalProfile:
    return LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        namespace="audit",
    )


async def test_dry_runs_are_not_recorded_real_runs_are(profile: LocalProfile) -> None:
    monitor = Recording(profile, fixed_clock)
    try:
        assert await monitor.bulk(Selection(queue_name="email"), dry_run=True) == 3
        assert (await monitor.audit_log()).data == []
        assert await monitor.bulk(Selection(queue_name="email", q="smtp"), False) == 3
        (record,) = (await monitor.audit_log()).data
        assert record.action == "bulk-retry" and record.outcome == "ok"
        assert record.target == '{"q":"smtp","queueName":"email"}'
        assert monitor.calls == 2
        with pytest.raises(RuntimeError):
            await monitor.explode("email")
        newest = (await monitor.audit_log()).data[0]
        assert (newest.action, newest.target, newest.outcome, newest.error) == (
            "explode",
            "email",
            "error",
            "boom",
        )
    finally:
        await monitor.close()


def test_ssh_connection_names_the_client() -> None:
    actor = local_actor({"SSH_CONNECTION": "2001:db8::7 51000 2001:db8::1 22"})
    assert actor.kind == "local" and actor.address == "2001:db8::7"
    assert local_actor({}).address is None


@pytest.fixture
def fresh(tmp_path: Path) -> LocalProfile:
    return seeded_profile(tmp_path)


async def test_no_change_happens_without_its_record(fresh: LocalProfile) -> None:
    # The audit table gone (a broken database): the retry must not run unrecorded.
    path = fresh.database_url.split("///", 1)[1]
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE audit_log")
    monitor = LocalMonitor(fresh, fixed_clock)
    try:
        with pytest.raises(AuditUnavailableError, match="retry not done: its audit record"):
            await monitor.retry("maintenance", FAILED_JOBS[0])
        assert (await monitor.job("maintenance", FAILED_JOBS[0])).state == JobState.FAILED
    finally:
        await monitor.close()
