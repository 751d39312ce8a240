"""The demo's live notifications: a few created through the notification service as
the demo starts, so the worker delivers them (the IMMEDIATE users' e-mails land in the
outbox) while the DAILY and WEEKLY users' ones wait for `ygmon enqueue digest daily`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from ygmon.db import Database
from ygmon.db.models import DigestFrequency, NotificationPreference, User
from ygmon.pipelines.notifications.create import create_notification

# (frequency, type, title, message): one per user of that frequency, first users first.
LIVE = (
    (DigestFrequency.IMMEDIATE, "PAYOUT", "Payout sent", "Your monthly payout is on its way."),
    (DigestFrequency.IMMEDIATE, "LICENSE", "New licence request", "A brand asked to license."),
    (DigestFrequency.IMMEDIATE, "MESSAGE", "New message", "You have a message from a brand."),
    (DigestFrequency.DAILY, "ROYALTY", "Royalties counted", "Yesterday's royalties are in."),
    (DigestFrequency.DAILY, "PROJECT", "Project brief updated", "A brief you follow changed."),
    (DigestFrequency.WEEKLY, "LICENSE", "Licence renewed", "A licence renewed for a year."),
    (DigestFrequency.NEVER, "SYSTEM", "Maintenance window", "Saturday 02:00 UTC, 10 minutes."),
)


async def create_live_notifications(
    db: Database, enqueue: Callable[..., str], now: datetime
) -> int:
    """Create LIVE's notifications (and enqueue their deliveries); how many."""
    async with db.reader() as session:
        rows = (
            await session.execute(
                select(User.id, NotificationPreference.digest_frequency)
                .join(NotificationPreference, NotificationPreference.user_id == User.id)
                .order_by(User.created_at, User.id)
            )
        ).all()
    by_frequency: dict[DigestFrequency, list[str]] = {}
    for user_id, frequency in rows:
        by_frequency.setdefault(frequency, []).append(user_id)
    made = 0
    for i, (frequency, kind, title, message) in enumerate(LIVE):
        users = by_frequency.get(frequency)
        if not users:
            continue
        await create_notification(
            db,
            enqueue,
            user_id=users[i % len(users)],
            kind=kind,
            title=title,
            message=message,
            now=now,
        )
        made += 1
    return made
