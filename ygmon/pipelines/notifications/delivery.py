"""`notification-delivery`: the in-app row exists; decide whether it is e-mailed now.

When the user's preferences allow it (type enabled, e-mail enabled, digest frequency
IMMEDIATE) the delivery enqueues the e-mail on the `email` queue, where the claim of
ygmon.pipelines.notifications.immediate makes sure it is sent at most once; a second
delivery of the same notification therefore sends nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from ygmon.db import Database
from ygmon.db.models import Notification, NotificationPreference
from ygmon.pipelines.notifications.preferences import immediate_email_refusal

EMAIL_TASK = "send-notification-email"


async def deliver_notification(
    db: Database, enqueue: Callable[..., str], notification_id: str
) -> dict[str, Any]:
    """What became of the notification: {"email": job id} or {"skipped": reason}."""
    async with db.reader() as session:
        found = (
            await session.execute(
                select(Notification, NotificationPreference)
                .outerjoin(
                    NotificationPreference,
                    NotificationPreference.user_id == Notification.user_id,
                )
                .where(Notification.id == notification_id)
            )
        ).first()
    if found is None:
        return {"notification": notification_id, "skipped": "notification not found"}
    notification, pref = found
    if notification.emailed_at is not None:
        return {"notification": notification_id, "skipped": "already e-mailed"}
    refusal = immediate_email_refusal(pref, notification.type)
    if refusal is not None:
        return {"notification": notification_id, "inApp": True, "skipped": refusal}
    job_id = enqueue(EMAIL_TASK, notification_id=notification_id)
    return {"notification": notification_id, "inApp": True, "email": job_id}
