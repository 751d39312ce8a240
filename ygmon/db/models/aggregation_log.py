"""MetricsAggregationJobsLog: one row per aggregation run, every field of the contract's
MetricsAggregationJobLog.

The admin API lists it newest first with filters on job type, status and period, over
millions of rows, so each filter has an index that also serves the ordering.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ygmon.db.base import Base, IdMixin, enum_type, utcnow
from ygmon.db.models.enums import AggregationJobStatus


class MetricsAggregationJobsLog(IdMixin, Base):
    __tablename__ = "metrics_aggregation_jobs_log"
    __table_args__ = (
        Index("ix_agg_log_started", "started_at", "id"),
        Index("ix_agg_log_type_started", "job_type", "started_at", "id"),
        Index("ix_agg_log_status_started", "status", "started_at", "id"),
        Index("ix_agg_log_period_start", "period_start_date"),
        Index("ix_agg_log_period_end", "period_end_date"),
    )

    job_type: Mapped[str] = mapped_column(String(16))
    period_start_date: Mapped[date] = mapped_column()
    period_end_date: Mapped[date] = mapped_column()
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column()
    status: Mapped[AggregationJobStatus] = mapped_column(
        enum_type(AggregationJobStatus), default=AggregationJobStatus.RUNNING
    )
    records_processed: Mapped[int] = mapped_column(Integer, default=0)
    records_created: Mapped[int] = mapped_column(Integer, default=0)
    records_updated: Mapped[int] = mapped_column(Integer, default=0)
    errors_count: Mapped[int] = mapped_column(Integer, default=0)
    duration_seconds: Mapped[float | None] = mapped_column(Numeric(12, 3, asdecimal=False))
    memory_used_mb: Mapped[int | None] = mapped_column(Integer)
    error_message: Mapped[str | None] = mapped_column(Text)
    error_stack: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
