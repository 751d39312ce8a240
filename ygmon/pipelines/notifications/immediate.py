"""`email` of one notification: sent at most once across re-runs, retries and kills.

The protocol, each step its own transaction:
1. claim: insert the notification's row in `notification_emails` (unique on the
   notification), or take over a claim of this same job (an earlier attempt that died)
   or one older than CLAIM_LEASE (a job that died and gave up); a claim already `sent`
   ends the job, and a live claim of another job leaves the sending to it;
2. send: SMTP (or the outbox) accepts the message;
3. record: `sent_at` and the notification's `emailed_at`, right after the acceptance.

The one window SMTP cannot close: the server accepted the message and the worker died
before step 3. The retry then sends it again. The message's Message-ID is derived from
the notification alone (`<notification.ID@domain>`), so that duplicate is recognisable
(and dropped by mail systems that de-duplicate on it). A send that fails releases the
claim, so the queue's retry (or another job) sends it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ygmon.db import Database
from ygmon.db.models import Notification, NotificationEmail, NotificationPreference, User
from ygmon.mail.mailer import Mailer
from ygmon.pipelines.notifications.preferences import immediate_email_refusal
from ygmon.pipelines.notifications.render import notification_email, notification_message_id

CLAIM_LEASE = timedelta(minutes=10)


async def _claim(
    db: Database, notification_id: str, job_id: str, now: datetime, from_address: str
) -> tuple[str | None, tuple[Notification, User] | None]:
    """(None, rows) when this job may send; (reason, None) when it must not."""
    try:
        async with db.writer() as session:
            found = (
                await session.execute(
                    select(Notification, User, NotificationPreference)
                    .join(User, User.id == Notification.user_id)
                    .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
                    .where(Notification.id == notification_id)
                )
            ).first()
            if found is None:
                return "notification not found", None
            # Checked again here: the preferences may have changed since the delivery,
            # and this task may be enqueued on its own.
            refusal = immediate_email_refusal(found[2], found[0].type)
            if refusal is not None:
                return refusal, None
            claim = (
                await session.execute(
                    select(NotificationEmail).where(
                        NotificationEmail.notification_id == notification_id
                    )
                )
            ).scalar()
            if claim is None:
                session.add(
                    NotificationEmail(
                        notification_id=notification_id,
                        message_id=notification_message_id(notification_id, from_address),
                        claimed_by=job_id,
                        claimed_at=now,
                    )
                )
            elif claim.sent_at is not None:
                return "already e-mailed", None
            elif claim.claimed_by not in (None, job_id) and claim.claimed_at > now - CLAIM_LEASE:
                return f"job {claim.claimed_by} is sending it", None
            else:
                claim.claimed_by = job_id
                claim.claimed_at = now
            return None, (found[0], found[1])
    except IntegrityError:
        # Postgres: another job inserted the claim between our read and our insert.
        return "another job is sending it", None


async def _release(db: Database, notification_id: str, job_id: str) -> None:
    async with db.writer() as session:
        await session.execute(
            update(NotificationEmail)
            .where(
                NotificationEmail.notification_id == notification_id,
                NotificationEmail.claimed_by == job_id,
                NotificationEmail.sent_at.is_(None),
            )
            .values(claimed_by=None)
        )


async def _record(db: Database, notification_id: str, now: datetime) -> None:
    async with db.writer() as session:
        await session.execute(
            update(NotificationEmail.__table__)
            .where(NotificationEmail.__table__.c.notification_id == notification_id)
            .values(sent_at=now)
        )
        await session.execute(
            update(Notification.__table__)
            .where(Notification.__table__.c.id == notification_id)
            .values(emailed_at=now, updated_at=now)
        )


async def send_notification_email(
    db: Database,
    mailer: Mailer,
    notification_id: str,
    *,
    job_id: str,
    now: datetime,
    from_address: str,
) -> dict[str, Any]:
    """Claim, send, record (see the module docstring); the job's result."""
    refusal, rows = await _claim(db, notification_id, job_id, now, from_address)
    if rows is None:
        return {"notification": notification_id, "skipped": refusal}
    notification, user = rows
    message = notification_email(
        notification, to_email=user.email, to_name=user.name, from_address=from_address, now=now
    )
    try:
        # Blocking I/O on purpose: each worker thread has its own loop and connection.
        mailer.send(message)
    except BaseException:
        await _release(db, notification_id, job_id)
        raise
    await _record(db, notification_id, now)
    return {"notification": notification_id, "sent": message["Message-ID"], "to": user.email}
