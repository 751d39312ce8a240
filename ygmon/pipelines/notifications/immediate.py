"""`email` of immediate notifications: a sender job claims the due e-mails in batches and
sends each at most once across re-runs, retries and kills.

A delivery releases a notification's `notification_emails` row (unclaimed: due, ygmon.
pipelines.notifications.delivery) and wakes a sender; one sender job takes every e-mail
due when it runs, so a burst of notifications costs a few jobs on the `email` queue, not
one per message. The protocol:
1. claim, one transaction per batch: the due rows (unsent, and unclaimed, or claimed by
   this same job in an earlier attempt that died, or by a job silent for CLAIM_LEASE; a
   row the delivery stage has held that long counts as such a claim, so a lost
   delivery job loses no e-mail),
   their preferences checked again (they may have changed since the delivery); on
   Postgres `FOR UPDATE SKIP LOCKED`, so two senders never wait on each other's rows;
2. send each over one SMTP connection, and record its `sent_at` and the notification's
   `emailed_at` in the group commit right after the acceptance (ygmon.pipelines.
   notifications.sending); repeat until nothing is due.
A send that fails releases this job's unsent claims (another sender, or the queue's
retry of this one, takes them) and fails the job.

The one window SMTP cannot close: the server accepted the message and the worker died
before the commit that records it. The retry then sends it again. The Message-ID is
derived from the notification alone (`<notification.ID@domain>`), so that duplicate is
recognisable (and dropped by mail systems that de-duplicate on it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import Message
from typing import Any

from sqlalchemy import delete, or_, select, update

from ygmon.db import Database
from ygmon.db.models import Notification, NotificationEmail, NotificationPreference, User
from ygmon.mail.mailer import Mailer
from ygmon.pipelines.notifications.delivery import mark_due, message_id_of_row
from ygmon.pipelines.notifications.preferences import immediate_email_refusal
from ygmon.pipelines.notifications.render import notification_email
from ygmon.pipelines.notifications.sending import send_recorded

CLAIM_LEASE = timedelta(minutes=10)
BATCH_SIZE = 50


@dataclass
class _Due:
    notification: Notification
    user: User


async def _claim(
    db: Database, job_id: str, now: datetime, limit: int, from_address: str
) -> tuple[list[_Due], int]:
    """(the e-mails this job may send now, how many due rows it dropped as refused)."""
    e = NotificationEmail
    claimable = (
        e.sent_at.is_(None),
        or_(
            e.claimed_by.is_(None),
            e.claimed_by == job_id,
            e.claimed_at < now - CLAIM_LEASE,
        ),
    )
    # Looked for outside the write first: a sender waiting for more (wake.py) asks
    # often, and on SQLite an empty write still takes the file's lock from every writer.
    async with db.reader() as session:
        if (await session.execute(select(e.id).where(*claimable).limit(1))).first() is None:
            return [], 0
    async with db.writer() as session:
        rows = (
            await session.execute(
                select(e.id, Notification, User, NotificationPreference)
                .join(Notification, Notification.id == e.notification_id)
                .join(User, User.id == Notification.user_id)
                .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
                .where(*claimable)
                .order_by(e.claimed_at, e.id)
                .limit(limit)
                .with_for_update(of=e.__table__, skip_locked=True)
            )
        ).all()
        due, refused = [], []
        for row_id, notification, user, pref in rows:
            if immediate_email_refusal(pref, notification.type) is None:
                due.append((row_id, _Due(notification, user)))
            else:
                refused.append(row_id)
        if refused:
            await session.execute(delete(e.__table__).where(e.__table__.c.id.in_(refused)))
        if due:
            await session.execute(
                update(e.__table__)
                .where(e.__table__.c.id.in_([row_id for row_id, _ in due]))
                .values(
                    claimed_by=job_id, claimed_at=now, message_id=message_id_of_row(from_address)
                )
            )
    return [d for _, d in due], len(refused)


async def _record(db: Database, group: list[_Due], now: datetime) -> None:
    ids = [d.notification.id for d in group]
    emails = NotificationEmail.__table__
    notes = Notification.__table__
    async with db.writer() as session:
        await session.execute(
            update(emails).where(emails.c.notification_id.in_(ids)).values(sent_at=now)
        )
        await session.execute(
            update(notes).where(notes.c.id.in_(ids)).values(emailed_at=now, updated_at=now)
        )


async def _release(db: Database, job_id: str) -> None:
    emails = NotificationEmail.__table__
    async with db.writer() as session:
        await session.execute(
            update(emails)
            .where(emails.c.claimed_by == job_id, emails.c.sent_at.is_(None))
            .values(claimed_by=None)
        )


Drain = Callable[[Callable[[], Awaitable[int]]], Awaitable[int]]
"""Runs a job's passes until they find nothing (ygmon.pipelines.notifications.wake)."""


async def send_due_emails(
    db: Database,
    mailer: Mailer,
    *,
    job_id: str,
    now: datetime,
    from_address: str,
    notification_id: str | None = None,
    batch_size: int = BATCH_SIZE,
    drain: Drain | None = None,
    clock: Callable[[], datetime] | None = None,
) -> dict[str, Any]:
    """Send every e-mail due (see the module docstring); the job's result. With `drain`
    the job keeps taking e-mails as they come due, until a pass finds none; `clock`
    then stamps each pass (`now` the first).

    With `notification_id` (a job enqueued for one notification, as older producers
    did) that notification's e-mail is made due first, when its preferences allow it.
    """
    result: dict[str, Any] = {"sent": 0}
    if notification_id is not None:
        refusal, _ = await mark_due(db, notification_id, from_address)
        result["notification"] = notification_id
        if refusal is not None:
            result["skipped"] = refusal
    sent_ids: list[str] = []
    stamp = [now]

    def build(item: _Due) -> Message:
        return notification_email(
            item.notification,
            to_email=item.user.email,
            to_name=item.user.name,
            from_address=from_address,
            now=stamp[0],
        )

    async def record(group: list[_Due]) -> None:
        await _record(db, group, stamp[0])
        sent_ids.extend(d.notification.id for d in group)

    refused = 0

    async def step() -> int:
        """Every e-mail due now, a batch at a time: how many it claimed or dropped."""
        nonlocal refused
        if clock is not None and (sent_ids or refused):
            stamp[0] = clock()
        handled = 0
        while True:
            claimed, dropped = await _claim(db, job_id, stamp[0], batch_size, from_address)
            refused += dropped
            handled += len(claimed) + dropped
            if not claimed:
                return handled
            await send_recorded(claimed, build, mailer, record)

    try:
        await (step() if drain is None else drain(step))
    except BaseException:
        await _release(db, job_id)
        raise
    finally:
        result["sent"] = len(sent_ids)
    if refused:
        result["refused"] = refused
    result["notifications"] = sent_ids[:20]
    return result
