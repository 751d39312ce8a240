"""`notification-delivery`: the in-app row exists; decide whether it is e-mailed now.

When the user's preferences allow it (type enabled, e-mail enabled, digest frequency
IMMEDIATE) the delivery writes the notification's `notification_emails` row, unclaimed
(the e-mail is due), and wakes a sender on the `email` queue
(ygmon.pipelines.notifications.immediate), which claims the due rows in batches and
sends each at most once. A second delivery of the same notification finds the row and
writes nothing; it wakes a sender again only while the e-mail is still due.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ygmon.db import Database
from ygmon.db.models import Notification, NotificationEmail, NotificationPreference
from ygmon.pipelines.notifications.preferences import immediate_email_refusal
from ygmon.pipelines.notifications.render import notification_message_id

WakeSender = Callable[[], str | None]
"""Makes sure a sender job will look at the due e-mails: the id of the job it enqueued,
or None when one is waiting already."""


async def mark_due(
    db: Database, notification_id: str, from_address: str
) -> tuple[str | None, bool]:
    """(why no e-mail goes out, or None; whether it was sent already). Writes the due
    row when the preferences allow an e-mail and there is none yet.

    The decision is read outside the write, whose INSERT ... ON CONFLICT DO NOTHING is
    harmless if the row appeared meanwhile: on SQLite the write lock is then held for
    one statement, not for a read and the Python around it (every writer of the file
    waits for it).
    """
    async with db.reader() as session:
        found = (
            await session.execute(
                select(Notification.type, NotificationPreference, NotificationEmail.sent_at)
                .outerjoin(
                    NotificationPreference,
                    NotificationPreference.user_id == Notification.user_id,
                )
                .outerjoin(NotificationEmail, NotificationEmail.notification_id == Notification.id)
                .where(Notification.id == notification_id)
            )
        ).first()
    if found is None:
        return "notification not found", False
    kind, pref, sent_at = found
    if sent_at is not None:
        return "already e-mailed", True
    refusal = immediate_email_refusal(pref, kind)
    if refusal is not None:
        return refusal, False
    insert = postgresql.insert if db.dialect == "postgresql" else sqlite.insert
    async with db.writer() as session:
        await session.execute(
            insert(NotificationEmail)
            .values(
                notification_id=notification_id,
                message_id=notification_message_id(notification_id, from_address),
                claimed_by=None,
            )
            .on_conflict_do_nothing(index_elements=[NotificationEmail.notification_id])
        )
    return None, False


async def deliver_notification(
    db: Database, wake_sender: WakeSender, notification_id: str, *, from_address: str
) -> dict[str, Any]:
    """What became of the notification: {"email": "due", ...} or {"skipped": reason}."""
    refusal, _ = await mark_due(db, notification_id, from_address)
    if refusal == "notification not found":
        return {"notification": notification_id, "skipped": refusal}
    if refusal is not None:
        return {"notification": notification_id, "inApp": True, "skipped": refusal}
    return {
        "notification": notification_id,
        "inApp": True,
        "email": "due",
        "sender": wake_sender() or "waiting",
    }
