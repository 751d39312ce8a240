"""AggregationCatchupClaim: which worker enqueued the catch-up run of one (level, period).

Workers that start together each look for missed schedules; the first to insert the
claim row of a period enqueues its run, the others see the row and skip it, so a missed
period is caught up once however many workers start.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ygmon.db.base import Base, IdMixin, utcnow


class AggregationCatchupClaim(IdMixin, Base):
    __tablename__ = "aggregation_catchup_claims"
    __table_args__ = (
        Index("uq_aggregation_catchup_claims_period", "job_type", "period_start", unique=True),
    )

    job_type: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[datetime] = mapped_column()
    """The period's first instant (UTC): an hour, a day, a Monday or a first of month."""
    claimed_by: Mapped[str] = mapped_column(String(128))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    job_id: Mapped[str | None] = mapped_column(String(64))
