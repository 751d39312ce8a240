"""Immediate delivery through real workers to a real SMTP server: every preference is
respected, and a re-run of delivery or e-mail sends nothing twice."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from notify_helpers import SmtpServer, add_user
from sqlalchemy import select

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.models import DigestFrequency, Notification, NotificationEmail
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.pipelines.notifications.create import create_notification

T = TypeVar("T")
QUEUES = ["notification-delivery", "email"]


def with_db(profile: LocalProfile, work: Callable[[Database], Awaitable[T]]) -> T:
    async def run() -> T:
        db = Database(profile.database_url)
        try:
            return await work(db)
        finally:
            await db.dispose()

    return asyncio.run(run())


async def _seed(db: Database, enqueue: Callable[..., str]) -> dict[str, str]:
    """One notification of type LICENSE per kind of user; {user label: notification id}."""
    users = {
        "no-preferences": await add_user(db, "plain@x.test", None),
        "immediate": await add_user(db, "now@x.test", DigestFrequency.IMMEDIATE),
        "immediate-licenses": await add_user(
            db, "lic@x.test", DigestFrequency.IMMEDIATE, types=["LICENSE", "PAYOUT"]
        ),
        "type-off": await add_user(db, "pay@x.test", DigestFrequency.IMMEDIATE, types=["PAYOUT"]),
        "email-off": await add_user(
            db, "off@x.test", DigestFrequency.IMMEDIATE, email_enabled=False
        ),
        "daily": await add_user(db, "daily@x.test", DigestFrequency.DAILY),
        "weekly": await add_user(db, "weekly@x.test", DigestFrequency.WEEKLY),
        "never": await add_user(db, "never@x.test", DigestFrequency.NEVER),
    }
    made = {}
    for label, user_id in users.items():
        made[label], _ = await create_notification(
            db,
            enqueue,
            user_id=user_id,
            kind="LICENSE",
            title=f"License for {label}",
            message="A brand licensed your asset.",
        )
    return made


def test_immediate_delivery_respects_every_preference_and_never_sends_twice(
    mail_profile: LocalProfile, smtp: SmtpServer
) -> None:
    with open_runtime(mail_profile) as runtime:
        made = with_db(mail_profile, lambda db: _seed(db, runtime.enqueue))
        with in_process_worker(mail_profile, QUEUES, workers=2, runtime=runtime):
            runtime.wait_idle(30, QUEUES)
            expected = {"plain@x.test", "now@x.test", "lic@x.test"}
            assert sorted(a.split("<")[-1].rstrip(">") for a in smtp.sink.to()) == sorted(expected)
            assert sorted(smtp.sink.ids()) == sorted(
                f"<notification.{made[k]}@ygmon.test>"
                for k in ("no-preferences", "immediate", "immediate-licenses")
            )

            # Re-runs: every delivery again, and the e-mail of each notification again.
            for notification_id in made.values():
                runtime.enqueue("deliver-notification", notification_id=notification_id)
                runtime.enqueue("send-notification-email", notification_id=notification_id)
            runtime.wait_idle(30, QUEUES)
        assert len(smtp.sink.messages) == 3

    async def state(db: Database) -> dict[str, Any]:
        async with db.reader() as session:
            rows = (await session.execute(select(Notification))).scalars().all()
            claims = (await session.execute(select(NotificationEmail))).scalars().all()
        return {
            "in_app": len(rows),
            "emailed": {n.id for n in rows if n.emailed_at is not None},
            "claims_sent": {c.notification_id for c in claims if c.sent_at is not None},
        }

    seen = with_db(mail_profile, state)
    assert seen["in_app"] == len(made)  # every user has the in-app record
    sent = {made[k] for k in ("no-preferences", "immediate", "immediate-licenses")}
    assert seen["emailed"] == sent
    assert seen["claims_sent"] == sent
