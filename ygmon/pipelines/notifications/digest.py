"""`notification-digest`: one e-mail per DAILY or WEEKLY user listing their unread
notifications since their last digest, users in batches of 50.

A run belongs to one period: the schedule's last fire time at or before the run
(09:00 UTC today or yesterday; Monday 09:00 UTC for weekly). Per batch:
1. claim, in one transaction: a `notification_digests` row per user with something to
   send, unique on (user, frequency, period), holding the notification ids it lists;
   a user whose claim is already sent, or held by another live job, is passed over;
2. per claimed user: send, and record the claim's `sent_at` right after SMTP accepted
   it (a group commit of ygmon.pipelines.notifications.sending, holding whatever was
   accepted while the previous commit ran);
3. at the end of the batch, one transaction: the notifications' `digested_at` and the
   users' `last_digest_sent_at` (a run killed before it leaves them to the next run of
   the period, whose claim step finishes them from the sent claims).
So a second run of the period, a retry half-way or a worker killed mid-batch sends each
remaining digest once. The one window SMTP cannot close (accepted, then the worker
died before recording) resends that digest with the same Message-ID
(`<digest.FREQ.PERIOD.USER@domain>`), recognisable as the duplicate it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ygmon.db import Database
from ygmon.db.base import new_id
from ygmon.db.models import (
    DigestFrequency,
    Notification,
    NotificationDigest,
    NotificationPreference,
    User,
)
from ygmon.mail.mailer import Mailer
from ygmon.pipelines.notifications.catch_up import record_run
from ygmon.pipelines.notifications.immediate import CLAIM_LEASE
from ygmon.pipelines.notifications.periods import period_start
from ygmon.pipelines.notifications.preferences import type_enabled
from ygmon.pipelines.notifications.render import digest_email, digest_message_id
from ygmon.pipelines.notifications.sending import send_recorded

BATCH_SIZE = 50
FREQUENCIES = {"daily": DigestFrequency.DAILY, "weekly": DigestFrequency.WEEKLY}


@dataclass
class DigestReport:
    kind: str
    period: datetime
    users: int = 0
    sent: int = 0
    nothing_unread: int = 0
    already_sent: int = 0
    elsewhere: int = 0
    notifications: int = 0
    sent_to: list[str] = field(default_factory=list)

    def as_result(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "period": self.period.isoformat(),
            "users": self.users,
            "sent": self.sent,
            "notifications": self.notifications,
            "nothingUnread": self.nothing_unread,
            "alreadySent": self.already_sent,
            "sentByAnotherJob": self.elsewhere,
        }


@dataclass
class _Claimed:
    claim_id: str
    user: Any
    """The user's row: id, email, name."""
    items: list[Any]
    """The notifications' rows (what render's NotificationLike reads, and created_at)."""


_NOTIFICATION_COLUMNS = (
    Notification.id,
    Notification.user_id,
    Notification.type,
    Notification.title,
    Notification.message,
    Notification.action_url,
    Notification.created_at,
)


async def _batches(db: Database, frequency: DigestFrequency, size: int):  # type: ignore[no-untyped-def]
    """The users who chose `frequency` with e-mail on, `size` at a time, by id: rows of
    (user id, email, name, enabled types, last digest). Rows rather than ORM objects
    here and in the claim: loading objects cost a good part of a digest's own time."""
    after = ""
    while True:
        async with db.reader() as session:
            rows = (
                await session.execute(
                    select(
                        User.id,
                        User.email,
                        User.name,
                        NotificationPreference.enabled_types,
                        NotificationPreference.last_digest_sent_at,
                    )
                    .join(NotificationPreference, NotificationPreference.user_id == User.id)
                    .where(
                        NotificationPreference.digest_frequency == frequency,
                        NotificationPreference.email_enabled.is_(True),
                        User.id > after,
                    )
                    .order_by(User.id)
                    .limit(size)
                )
            ).all()
        if not rows:
            return
        yield rows
        after = rows[-1].id


async def _claim_batch(
    db: Database,
    batch: list[Any],
    kind: str,
    period: datetime,
    job_id: str,
    now: datetime,
    from_address: str,
    report: DigestReport,
) -> list[_Claimed]:
    frequency = FREQUENCIES[kind].value
    ids = [user.id for user in batch]
    table = NotificationDigest.__table__
    async with db.writer() as session:
        unread = (
            await session.execute(
                select(*_NOTIFICATION_COLUMNS)
                .where(
                    Notification.user_id.in_(ids),
                    Notification.read.is_(False),
                    Notification.digested_at.is_(None),
                    Notification.created_at <= now,
                )
                .order_by(Notification.created_at, Notification.id)
            )
        ).all()
        claims = {
            c.user_id: c
            for c in await session.execute(
                select(
                    table.c.id,
                    table.c.user_id,
                    table.c.notification_ids,
                    table.c.claimed_by,
                    table.c.claimed_at,
                    table.c.sent_at,
                ).where(
                    table.c.user_id.in_(ids),
                    table.c.frequency == frequency,
                    table.c.period_start == period,
                )
            )
        }
        finished = [
            (c.user_id, c.notification_ids, c.sent_at)
            for c in claims.values()
            if c.sent_at is not None
        ]
        if finished:
            # A run killed between a digest's send and the end of its batch left the
            # digest recorded sent but its notifications unmarked: finish that now.
            await _finish(session, finished)
        by_user: dict[str, list[Any]] = {}
        for n in unread:
            by_user.setdefault(n.user_id, []).append(n)
        claimed: list[_Claimed] = []
        new_claims: list[dict[str, Any]] = []
        for user in batch:
            claim = claims.get(user.id)
            if claim is not None and claim.sent_at is not None:
                report.already_sent += 1
                continue
            if (
                claim is not None
                and claim.claimed_by not in (None, job_id)
                and claim.claimed_at > now - CLAIM_LEASE
            ):
                report.elsewhere += 1
                continue
            since = user.last_digest_sent_at
            items = [
                n
                for n in by_user.get(user.id, [])
                if (since is None or n.created_at > since) and type_enabled(user, n.type)
            ]
            if not items:
                report.nothing_unread += 1
                continue
            held = {
                "claimed_by": job_id,
                "claimed_at": now,
                "notification_ids": [n.id for n in items],
                "notification_count": len(items),
            }
            if claim is None:
                claim_id = new_id()
                new_claims.append(
                    {
                        "id": claim_id,
                        "user_id": user.id,
                        "frequency": frequency,
                        "period_start": period,
                        "message_id": digest_message_id(frequency, period, user.id, from_address),
                        **held,
                    }
                )
            else:  # an earlier attempt's, or a silent job's: rare, one statement each
                claim_id = claim.id
                await session.execute(update(table).where(table.c.id == claim_id).values(**held))
            claimed.append(_Claimed(claim_id, user, items))
        if new_claims:
            await session.execute(insert(table), new_claims)
    return claimed


async def _mark_sent(db: Database, group: list[_Claimed], sent_at: datetime) -> None:
    """The group commit of send_recorded: one statement, so it keeps up with SMTP; the
    claim's `sent_at` is what makes every later run pass the user over."""
    claims = NotificationDigest.__table__
    async with db.writer() as session:
        await session.execute(
            update(claims)
            .where(claims.c.id.in_([c.claim_id for c in group]))
            .values(sent_at=sent_at)
        )


async def _finish(session: AsyncSession, done: list[tuple[str, list[str], datetime]]) -> None:
    """The rest of the bookkeeping of sent digests (user id, notification ids, sent at):
    the notifications digested, the user's last digest; idempotent, so a later run can
    finish what a killed one left."""
    notes = Notification.__table__
    prefs = NotificationPreference.__table__
    by_time: dict[datetime, list[tuple[str, list[str]]]] = {}
    for user_id, note_ids, sent_at in done:
        by_time.setdefault(sent_at, []).append((user_id, note_ids))
    for sent_at, users in by_time.items():
        await session.execute(
            update(notes)
            .where(
                notes.c.id.in_([n for _, ids in users for n in ids]), notes.c.digested_at.is_(None)
            )
            .values(digested_at=sent_at, updated_at=sent_at)
        )
        await session.execute(
            update(prefs)
            .where(
                prefs.c.user_id.in_([u for u, _ in users]),
                or_(prefs.c.last_digest_sent_at.is_(None), prefs.c.last_digest_sent_at < sent_at),
            )
            .values(last_digest_sent_at=sent_at, updated_at=sent_at)
        )


async def count_users(db: Database, kind: str) -> int:
    from sqlalchemy import func

    async with db.reader() as session:
        return (
            await session.execute(
                select(func.count())
                .select_from(NotificationPreference)
                .where(
                    NotificationPreference.digest_frequency == FREQUENCIES[kind],
                    NotificationPreference.email_enabled.is_(True),
                )
            )
        ).scalar_one()


async def run_digest(
    db: Database,
    mailer: Mailer,
    kind: str,
    *,
    job_id: str,
    now: datetime,
    from_address: str,
    period: datetime | None = None,
    progress: Callable[[float], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> DigestReport:
    """Send the `kind` ('daily' or 'weekly') digests of the period `now` falls in."""
    if kind not in FREQUENCIES:
        raise ValueError(f"unknown digest '{kind}' (digests: daily, weekly)")
    report = DigestReport(kind, period or period_start(kind, now))
    # Recorded first: a worker starting later sees the period as run (catch_up).
    await record_run(db, kind, report.period, job_id, now)
    total = await count_users(db, kind)

    def build(item: _Claimed) -> Message:
        return digest_email(
            item.items,
            frequency=FREQUENCIES[kind].value,
            period=report.period,
            user_id=item.user.id,
            to_email=item.user.email,
            to_name=item.user.name,
            from_address=from_address,
            now=now,
        )

    async def record(group: list[_Claimed]) -> None:
        await _mark_sent(db, group, now)
        report.sent += len(group)
        report.notifications += sum(len(c.items) for c in group)
        report.sent_to.extend(c.user.email for c in group)

    async for batch in _batches(db, FREQUENCIES[kind], batch_size):
        # On Postgres a run racing this one may insert one of these claims first: the
        # IntegrityError fails this attempt, and the retry passes that user over.
        claimed = await _claim_batch(
            db, batch, kind, report.period, job_id, now, from_address, report
        )

        sent = len(report.sent_to)
        try:
            await send_recorded(claimed, build, mailer, record)
        finally:
            # Also after a failed send: what went out is finished now, not by a retry.
            done = [(c.user.id, [n.id for n in c.items], now) for c in claimed]
            if len(report.sent_to) > sent:
                async with db.writer() as session:
                    await _finish(session, done[: len(report.sent_to) - sent])
        report.users += len(batch)
        if progress is not None and total:
            progress(min(100.0, 100.0 * report.users / total))
    return report
