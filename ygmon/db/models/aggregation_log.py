"""MetricsAggregationJobsLog: one row per aggregation run, every field of the contract's
MetricsAggregationJobLog; and MetricsAggregationJobsLogCount, its running tally.

The admin API lists runs newest first, with filters on job type, status and period and
an exact total, over millions of rows. Counting the matching runs themselves costs tens
of milliseconds at that size, so database triggers (migration 0002) keep one tally row
per (job type, status, period start, period end): the total of any filter is a sum over
a few thousand tally rows, in the same transaction as the runs it counts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ygmon.db.base import Base, IdMixin, enum_type, utcnow
from ygmon.enums import AggregationJobStatus

TALLY_TABLE = "metrics_aggregation_jobs_log_counts"


class MetricsAggregationJobsLog(IdMixin, Base):
    __tablename__ = "metrics_aggregation_jobs_log"
    __table_args__ = (
        # Newest first, unfiltered or by period: the period dates ride along in the key
        # so a period filter is checked on the index alone (no heap visit per row).
        Index(
            "ix_agg_log_started_period", "started_at", "id", "period_start_date", "period_end_date"
        ),
        Index("ix_agg_log_type_started", "job_type", "started_at", "id"),
        Index("ix_agg_log_status_started", "status", "started_at", "id"),
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


class MetricsAggregationJobsLogCount(Base):
    """How many runs share one (job type, status, period): written by triggers only.

    `earliest_started_at` and `latest_started_at` enclose the `started_at` of those runs:
    they widen as runs arrive and are never narrowed when runs leave, so they stay true
    bounds, and a listing can start its newest-first walk at the newest run a filter can
    match instead of at the newest run of all.
    """

    __tablename__ = TALLY_TABLE
    # On SQLite the rows live in their primary key's B-tree: a filter on job type reads
    # a range of it instead of looking each row up through a second index.
    __table_args__ = {"sqlite_with_rowid": False}

    job_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    status: Mapped[AggregationJobStatus] = mapped_column(
        enum_type(AggregationJobStatus), primary_key=True
    )
    period_start_date: Mapped[date] = mapped_column(primary_key=True)
    period_end_date: Mapped[date] = mapped_column(primary_key=True)
    runs: Mapped[int] = mapped_column(Integer)
    earliest_started_at: Mapped[datetime] = mapped_column()
    latest_started_at: Mapped[datetime] = mapped_column()
