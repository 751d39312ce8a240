"""Raw analytics events, with the fields the enrichment job fills in.

Events are raw intake: `ip_asset_id` is kept as sent (no foreign key), so an event naming
an asset that does not exist is stored and the rollups count it as unattributable
instead of the tracker losing it. `received_at` is when the event arrived: the hourly
rollup finds late events (arrived after their period was aggregated) by it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from ygmon.db.base import Base, IdMixin, ref_or_null, utcnow


class AnalyticsEvent(IdMixin, Base):
    __tablename__ = "analytics_events"
    __table_args__ = (
        Index("ix_analytics_events_occurred_at", "occurred_at"),
        Index("ix_analytics_events_received_at", "received_at"),
    )

    event_type: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    actor_id: Mapped[str | None] = ref_or_null("users")
    ip_asset_id: Mapped[str | None] = mapped_column(String(32), index=True)
    project_id: Mapped[str | None] = ref_or_null("projects")
    license_id: Mapped[str | None] = ref_or_null("licenses")
    session_id: Mapped[str | None] = mapped_column(String(64))
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(512))
    referrer: Mapped[str | None] = mapped_column(String(512))
    props: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Filled by the analytics-enrichment job; enriched_at stays NULL until it ran.
    user_role: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    device_type: Mapped[str | None] = mapped_column(String(16))
    browser: Mapped[str | None] = mapped_column(String(64))
    os: Mapped[str | None] = mapped_column(String(64))
    enriched_at: Mapped[datetime | None] = mapped_column()
