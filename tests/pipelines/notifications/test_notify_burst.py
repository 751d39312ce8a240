"""A burst of notifications created one by one costs one delivery job and one sender,
not a job per notification, and every e-mail goes out once (ygmon.pipelines.
notifications.wake); a delivery job lost before it ran loses no e-mail."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from notify_helpers import SmtpServer, add_user
from sqlalchemy import select, update

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.db.models import NotificationEmail
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.pipelines.notifications.create import create_notification
from ygmon.pipelines.notifications.delivery import AWAITING_DELIVERY
from ygmon.pipelines.notifications.immediate import CLAIM_LEASE

QUEUES = ["notification-delivery", "email"]
BURST = 40


async def _burst(profile: LocalProfile, enqueue: object) -> tuple[list[str], set[str]]:
    """BURST notifications, one create_notification each: (their ids, the job ids the
    calls answered)."""
    db = Database(profile.database_url)
    try:
        users = [await add_user(db, f"b{i}@x.test") for i in range(4)]
        made, jobs = [], set()
        for i in range(BURST):
            nid, job_id = await create_notification(
                db, enqueue, user_id=users[i % 4], kind="PAYOUT", title=f"Payout {i}",
                message="Paid.",
            )  # fmt: skip
            made.append(nid)
            jobs.add(job_id)
        return made, jobs
    finally:
        await db.dispose()


def test_a_burst_is_one_delivery_job_and_one_sender_and_each_mail_goes_once(
    mail_profile: LocalProfile, smtp: SmtpServer
) -> None:
    with open_runtime(mail_profile) as runtime:
        made, jobs = asyncio.run(_burst(mail_profile, runtime.enqueue))
        assert len(jobs) == 1  # every call answered the one pending delivery job
        assert runtime.registry.counts("notification-delivery").waiting == 1
        with in_process_worker(mail_profile, QUEUES, workers=2, runtime=runtime):
            runtime.wait_idle(30, QUEUES)
            assert runtime.registry.counts("notification-delivery").completed == 1
            assert runtime.registry.counts("email").completed == 1
        job = runtime.registry.get_job(jobs.pop())
        assert job.result["emailDue"] == BURST
    assert sorted(smtp.sink.ids()) == sorted(f"<notification.{n}@ygmon.test>" for n in made)


async def _lose_the_delivery(profile: LocalProfile) -> None:
    """As if the delivery job had never run and its rows were held long ago."""
    db = Database(profile.database_url)
    try:
        async with db.writer() as session:
            await session.execute(
                update(NotificationEmail.__table__).values(
                    claimed_at=datetime.now(UTC) - CLAIM_LEASE - timedelta(minutes=1)
                )
            )
        async with db.reader() as session:
            held = await session.execute(
                select(NotificationEmail.id).where(
                    NotificationEmail.claimed_by == AWAITING_DELIVERY
                )
            )
            assert len(held.all()) == BURST
    finally:
        await db.dispose()


def test_a_delivery_job_lost_before_it_ran_loses_no_mail(
    mail_profile: LocalProfile, smtp: SmtpServer
) -> None:
    with open_runtime(mail_profile) as runtime:
        made, _ = asyncio.run(_burst(mail_profile, runtime.enqueue))
        for huey in runtime.hueys.values():
            huey.flush()  # the queue lost its job (and the marker with it)
        asyncio.run(_lose_the_delivery(mail_profile))
        with in_process_worker(mail_profile, ["email"], workers=1, runtime=runtime):
            runtime.enqueue("send-notification-email")  # any sender, e.g. the next one's
            smtp.sink.wait_for(BURST)
            runtime.wait_idle(30, ["email"])
    assert sorted(smtp.sink.ids()) == sorted(f"<notification.{n}@ygmon.test>" for n in made)


def test_a_misspelt_field_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    """The keywords are typed (NewNotification): a wrong one is an error, not a default."""
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'n.db'}")
    enqueued: list[str] = []

    async def attempt() -> int:
        try:
            await upgrade(db)
            user = await add_user(db, "typo@x.test")
            with pytest.raises(TypeError, match="prority"):
                await create_notification(
                    db, enqueued.append, user_id=user, kind="PAYOUT", title="T", message="M",
                    prority="HIGH",
                )  # fmt: skip
            async with db.reader() as session:
                return len((await session.execute(select(NotificationEmail))).all())
        finally:
            await db.dispose()

    assert asyncio.run(attempt()) == 0
    assert enqueued == []
