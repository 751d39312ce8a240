"""In-app notifications and each user's delivery preferences (digest frequency)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ygmon.db.base import Base, IdMixin, TimestampMixin, enum_type
from ygmon.enums import DigestFrequency, NotificationPriority


class Notification(IdMixin, TimestampMixin, Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_created", "user_id", "created_at"),)

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(255))
    message: Mapped[str] = mapped_column(Text)
    action_url: Mapped[str | None] = mapped_column(String(512))
    priority: Mapped[NotificationPriority] = mapped_column(
        enum_type(NotificationPriority), default=NotificationPriority.MEDIUM
    )
    read: Mapped[bool] = mapped_column(Boolean, default=False)
    read_at: Mapped[datetime | None] = mapped_column()
    emailed_at: Mapped[datetime | None] = mapped_column()
    digested_at: Mapped[datetime | None] = mapped_column()
    data: Mapped[dict[str, Any] | None] = mapped_column()


class NotificationPreference(IdMixin, TimestampMixin, Base):
    __tablename__ = "notification_preferences"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    digest_frequency: Mapped[DigestFrequency] = mapped_column(
        enum_type(DigestFrequency), default=DigestFrequency.IMMEDIATE
    )
    email_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    enabled_types: Mapped[list[str]] = mapped_column(default=list)
    last_digest_sent_at: Mapped[datetime | None] = mapped_column()
