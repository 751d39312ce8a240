"""`notification-delivery`: the in-app rows exist; decide which are e-mailed now.

A new notification's `notification_emails` row is written with it, held by this stage
(`claimed_by` AWAITING_DELIVERY, ygmon.pipelines.notifications.create), and a delivery
job is requested; one pending job covers a burst (ygmon.pipelines.notifications.wake).
The job decides every held row, a batch per read and write: when the user's preferences
allow an e-mail (type enabled, e-mail enabled, digest frequency IMMEDIATE) it releases
the row (unclaimed: the e-mail is due) with its Message-ID, else it deletes it (in-app
only); then it wakes a sender on the `email` queue (ygmon.pipelines.notifications.
immediate), which claims the due rows in batches and sends each at most once. A second
delivery finds nothing held and writes nothing; it wakes a sender again only while an
e-mail it released is still due.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import ColumnElement, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ygmon.db import Database
from ygmon.db.models import Notification, NotificationEmail, NotificationPreference
from ygmon.mail.message import domain_of
from ygmon.pipelines.notifications.preferences import immediate_email_refusal
from ygmon.pipelines.notifications.render import notification_message_id

WakeSender = Callable[[], str | None]
"""Makes sure a sender job will look at the due e-mails: the id of the job it enqueued,
or None when one is waiting already."""

AWAITING_DELIVERY = "delivery"
"""`claimed_by` of an e-mail row the delivery has not decided yet."""
DECIDE_BATCH = 500


def message_id_of_row(from_address: str) -> ColumnElement[str]:
    """notification_message_id as SQL over the row's notification id, so one UPDATE
    gives a whole batch its Message-IDs."""
    return (
        literal("<notification.")
        + NotificationEmail.__table__.c.notification_id
        + literal(f"@{domain_of(from_address)}>")
    )


async def mark_due(
    db: Database, notification_id: str, from_address: str
) -> tuple[str | None, bool]:
    """One notification, by id (a re-run of its delivery, or a producer that wrote the
    row without the e-mail row): (why no e-mail goes out, or None; whether it was sent
    already). Writes the due row when the preferences allow an e-mail and there is none
    yet; a held row is left to decide_held.

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


async def decide_held(
    db: Database, from_address: str, batch: int = DECIDE_BATCH
) -> tuple[int, int]:
    """Decide every held e-mail row (see the module docstring): (released, dropped).

    Each batch is read outside the write, and the write touches only rows still held,
    so two deliveries deciding at once release or drop each row once.
    """
    e = NotificationEmail.__table__
    released = dropped = 0
    while True:
        async with db.reader() as session:
            rows = (
                await session.execute(
                    select(e.c.id, Notification.type, NotificationPreference)
                    .join(Notification, Notification.id == e.c.notification_id)
                    .outerjoin(
                        NotificationPreference,
                        NotificationPreference.user_id == Notification.user_id,
                    )
                    .where(e.c.sent_at.is_(None), e.c.claimed_by == AWAITING_DELIVERY)
                    .order_by(e.c.id)
                    .limit(batch)
                )
            ).all()
        if not rows:
            return released, dropped
        allow, refuse = [], []
        for row_id, kind, pref in rows:
            (refuse if immediate_email_refusal(pref, kind) else allow).append(row_id)
        held = e.c.claimed_by == AWAITING_DELIVERY
        async with db.writer() as session:
            if allow:
                result = await session.execute(
                    update(e)
                    .where(e.c.id.in_(allow), held)
                    .values(claimed_by=None, message_id=message_id_of_row(from_address))
                )
                released += result.rowcount or 0
            if refuse:
                result = await session.execute(delete(e).where(e.c.id.in_(refuse), held))
                dropped += result.rowcount or 0
        if len(rows) < batch:
            return released, dropped


async def deliver_held(
    db: Database,
    wake_sender: WakeSender,
    *,
    from_address: str,
    notification_id: str | None = None,
    drain: Callable[[Callable[[], Awaitable[int]]], Awaitable[int]] | None = None,
) -> dict[str, Any]:
    """The delivery job: decide every held e-mail row (and, with `notification_id`, that
    notification first, as a re-run by id asks), waking a sender whenever some came
    due. With `drain` (ygmon.pipelines.notifications.wake) it keeps deciding rows as
    they arrive, until a pass finds none."""
    result: dict[str, Any] = {"emailDue": 0, "inAppOnly": 0}
    refusal = None
    if notification_id is not None:
        refusal, _ = await mark_due(db, notification_id, from_address)
        result["notification"] = notification_id
        if refusal == "notification not found":
            result["skipped"] = refusal
        else:
            result["inApp"] = True
            if refusal is not None:
                result["skipped"] = refusal
            else:
                result["sender"] = wake_sender() or "waiting"

    async def step() -> int:
        released, dropped = await decide_held(db, from_address)
        result["emailDue"] += released
        result["inAppOnly"] += dropped
        if released:
            result["sender"] = wake_sender() or "waiting"
        return released + dropped

    await (step() if drain is None else drain(step))
    return result
