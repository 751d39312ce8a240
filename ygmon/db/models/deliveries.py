"""Claim rows that make e-mail sending happen once: one per notification e-mailed and one
per (user, frequency, period) digest.

A sender writes its claim (unique key) before it talks to SMTP and stamps `sent_at` in
the group commit right after the server accepted the message (the notification's
`emailed_at` with it; a digest's notifications and the user's `last_digest_sent_at` at
the end of its batch). A notification's row is written by its delivery, unclaimed: the
e-mail is then due, and the next sender job on the `email` queue claims it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ygmon.db.base import Base, IdMixin, utcnow

if TYPE_CHECKING:
    from ygmon.db.models.notifications import Notification


class NotificationEmail(IdMixin, Base):
    __tablename__ = "notification_emails"
    # The e-mail sender's claim step reads the rows not sent yet (migration 0007).
    __table_args__ = (Index("ix_notification_emails_sent_at", "sent_at"),)

    notification_id: Mapped[str] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), unique=True
    )
    message_id: Mapped[str] = mapped_column(String(255))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    """The sender job that holds the row; None while the e-mail is due (the delivery
    wrote it, or a failed send released it)."""
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()
    notification: Mapped[Notification] = relationship()
    """So a session that adds a notification and its row together inserts them in that
    order (ygmon.pipelines.notifications.create.add_notification)."""


class NotificationDigest(IdMixin, Base):
    __tablename__ = "notification_digests"
    __table_args__ = (UniqueConstraint("user_id", "frequency", "period_start"),)

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    frequency: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[datetime] = mapped_column()
    """The schedule's fire time the digest belongs to (09:00 UTC of its day or Monday)."""
    message_id: Mapped[str] = mapped_column(String(255))
    notification_ids: Mapped[list[str]] = mapped_column(default=list)
    notification_count: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()


class DigestRun(IdMixin, Base):
    """One row per digest period a run started (scheduled, triggered or caught up): how
    a worker starting after a missed 09:00 knows to catch up, and how two workers
    starting together catch it up once (the unique key)."""

    __tablename__ = "notification_digest_runs"
    __table_args__ = (UniqueConstraint("kind", "period_start"),)

    kind: Mapped[str] = mapped_column(String(16))
    """'daily' or 'weekly'."""
    period_start: Mapped[datetime] = mapped_column()
    started_by: Mapped[str] = mapped_column(String(64))
    """The job (or, for a catch-up, the worker) that started it."""
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
