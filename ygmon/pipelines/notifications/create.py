"""Creating a notification: the in-app row and its e-mail row held for the delivery
stage, in one transaction, then a delivery job (one pending job covers a burst,
ygmon.pipelines.notifications.wake)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, NotRequired, TypedDict, Unpack

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from ygmon.db import Database
from ygmon.db.base import new_id
from ygmon.db.models import Notification, NotificationEmail, NotificationPriority, User
from ygmon.errors import ConfigError
from ygmon.pipelines.notifications.delivery import AWAITING_DELIVERY
from ygmon.pipelines.notifications.preferences import NOTIFICATION_TYPES
from ygmon.pipelines.notifications.wake import request_delivery

Enqueue = Callable[..., str]


def check_fields(kind: str, priority: str) -> NotificationPriority:
    if kind not in NOTIFICATION_TYPES:
        raise ConfigError(
            f"unknown notification type '{kind}' (types: {', '.join(NOTIFICATION_TYPES)})"
        )
    try:
        return NotificationPriority(priority)
    except ValueError:
        names = ", ".join(p.value for p in NotificationPriority)
        raise ConfigError(f"unknown priority '{priority}' (priorities: {names})") from None


class NewNotification(TypedDict):
    """One notification to create: the arguments of add_notification and
    create_notification, an item of create_notifications."""

    user_id: str
    kind: str
    title: str
    message: str
    priority: NotRequired[str]
    """MEDIUM when left out."""
    action_url: NotRequired[str | None]
    data: NotRequired[dict[str, Any] | None]


# Unpack types the keywords for a type checker only: at run time `**item` takes any
# name, so a misspelt one (`prority=`) would fall back to its default unseen.
_FIELDS = frozenset(NewNotification.__annotations__)


def _row(item: NewNotification, stamp: datetime) -> dict[str, Any]:
    """The notification's row (checked) as column values."""
    if unknown := item.keys() - _FIELDS:
        raise TypeError(f"unknown notification field(s): {', '.join(sorted(unknown))}")
    kind = item["kind"]
    return {
        "id": new_id(),
        "user_id": item["user_id"],
        "type": kind,
        "title": item["title"],
        "message": item["message"],
        "priority": check_fields(kind, item.get("priority", "MEDIUM")),
        "action_url": item.get("action_url"),
        "data": item.get("data"),
        "read": False,
        "created_at": stamp,
        "updated_at": stamp,
    }


def add_notification(
    session: AsyncSession, *, now: datetime | None = None, **item: Unpack[NewNotification]
) -> Notification:
    """The row (and its e-mail row, held for the delivery), added to `session` (a
    caller's transaction); enqueue its delivery with `enqueue_delivery` once that
    transaction has committed."""
    stamp = now or datetime.now(UTC)
    row = Notification(**_row(item, stamp))
    session.add(row)
    held = _held_email(row.id, stamp)
    del held["notification_id"]
    session.add(NotificationEmail(notification=row, **held))
    return row


def _held_email(notification_id: str, stamp: datetime) -> dict[str, Any]:
    """The e-mail row of a new notification, held until the delivery decides it (the
    delivery, which knows the from-address, writes the Message-ID then)."""
    return {
        "id": new_id(),
        "notification_id": notification_id,
        "message_id": "",
        "claimed_by": AWAITING_DELIVERY,
        "claimed_at": stamp,
    }


def enqueue_delivery(enqueue: Enqueue) -> str:
    """The delivery job that will decide the notifications committed so far (the one
    pending already, if any): its id."""
    return request_delivery(enqueue)


async def create_notifications(
    db: Database,
    enqueue: Enqueue,
    items: Sequence[NewNotification],
    now: datetime | None = None,
) -> list[tuple[str, str]]:
    """Write the in-app notifications and their e-mail rows (held for the delivery) in
    one transaction, then request their delivery: (notification id, id of the delivery
    job that decides it) each, in order. For many at once (a broadcast to every user,
    the blog publisher's authors): one commit instead of one each.

    The job is requested after the rows commit, so a worker never looks for a row that
    is not there yet; should the enqueue fail, the error reaches the caller and the
    in-app rows stay (no notification is lost: a sender takes a held e-mail row once
    the claim lease has passed, ygmon.pipelines.notifications.immediate).
    """
    stamp = now or datetime.now(UTC)
    rows = [_row(item, stamp) for item in items]
    if not rows:
        return []
    # Core INSERTs rather than the ORM's unit of work: on SQLite every writer of the
    # file waits while this transaction holds the lock.
    emails = [_held_email(row["id"], stamp) for row in rows]
    async with db.writer() as session:
        await session.execute(insert(Notification.__table__), rows)
        await session.execute(insert(NotificationEmail.__table__), emails)
    job_id = request_delivery(enqueue)
    return [(row["id"], job_id) for row in rows]


async def create_notification(
    db: Database, enqueue: Enqueue, *, now: datetime | None = None, **item: Unpack[NewNotification]
) -> tuple[str, str]:
    """Write the in-app notification and request its delivery: (notification id, job
    id). One of create_notifications (its docstring says what happens when a step
    fails)."""
    return (await create_notifications(db, enqueue, [item], now))[0]


async def user_id_by_email(db: Database, email: str) -> str:
    async with db.reader() as session:
        found = (await session.execute(select(User.id).where(User.email == email))).scalar()
    if found is None:
        raise ConfigError(f"no user has the e-mail address '{email}'")
    return found
