"""A real `ygmon worker` SIGKILLed in the middle of a digest batch: the restarted worker
sends every remaining digest, and no user gets two."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable

from notify_helpers import SmtpServer, at
from sqlalchemy import func, select

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.models import Notification, NotificationDigest, NotificationPreference, User
from ygmon.jobs.runtime import open_runtime
from ygmon.monitor.schemas import JobState
from ygmon.pipelines.notifications.create import add_notification

USERS = 120  # three batches; the kill lands inside the second


async def _seed(url: str) -> None:
    db = Database(url)
    async with db.writer() as session:
        session.add_all(User(id=f"u{i:03}", email=f"u{i:03}@x.test") for i in range(USERS))
        await session.flush()
        for i in range(USERS):
            session.add(NotificationPreference(user_id=f"u{i:03}", digest_frequency="DAILY"))
            add_notification(
                session,
                user_id=f"u{i:03}",
                kind="SYSTEM",
                title=f"Note {i}",
                message="-",
                now=at("2026-12-01T10:00:00"),
            )
    await db.dispose()


def test_a_worker_killed_mid_batch_then_restarted_sends_each_digest_once(
    mail_profile: LocalProfile,
    smtp: SmtpServer,
    spawn_worker: Callable[..., subprocess.Popen[str]],
) -> None:
    asyncio.run(_seed(mail_profile.database_url))
    smtp.sink.hold_after(70)  # the 71st message waits, unanswered, for the kill
    args = ("--no-schedule", "--queues", "notification-digest")
    with open_runtime(mail_profile) as runtime:
        job_id = runtime.enqueue("digest-daily")
        first = spawn_worker(mail_profile, *args)
        assert smtp.sink.holding.wait(30), "the digest never reached its 71st message"
        assert runtime.registry.get_job(job_id).state == JobState.ACTIVE
        # The 70th is recorded by a group commit while the 71st is in flight: kill after
        # it (a kill inside that commit's window resends the 70th, by design).
        asyncio.run(_wait_recorded(mail_profile.database_url, 70))
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        smtp.sink.release()
        assert len(smtp.sink.messages) == 70

        spawn_worker(mail_profile, *args)
        runtime.wait_idle(60, ["notification-digest"])
        job = runtime.registry.get_job(job_id)
        assert job.state == JobState.COMPLETED, job.error_stack
        assert job.stalled_count == 1
        assert job.result["sent"] == USERS - 70 and job.result["alreadySent"] == 70
        assert job.progress == 100

    per_user = Counter(smtp.sink.to())
    assert len(per_user) == USERS
    assert set(per_user.values()) == {1}
    # The killed batch's bookkeeping (notifications digested, last digest) is finished.
    assert asyncio.run(_unfinished(mail_profile.database_url)) == (0, 0)


async def _wait_recorded(url: str, count: int) -> None:
    db = Database(url)
    try:
        deadline = time.monotonic() + 20
        while True:
            async with db.reader() as session:
                sent = (
                    await session.execute(
                        select(func.count()).where(NotificationDigest.sent_at.is_not(None))
                    )
                ).scalar_one()
            if sent >= count:
                return
            assert time.monotonic() < deadline, f"{sent} digests recorded of {count}"
            await asyncio.sleep(0.01)
    finally:
        await db.dispose()


async def _unfinished(url: str) -> tuple[int, int]:
    db = Database(url)
    try:
        async with db.reader() as session:
            notes = select(func.count()).where(Notification.digested_at.is_(None))
            prefs = select(func.count()).where(NotificationPreference.last_digest_sent_at.is_(None))
            return (
                (await session.execute(notes)).scalar_one(),
                (await session.execute(prefs)).scalar_one(),
            )
    finally:
        await db.dispose()
