"""Aggregated metrics at four grains: hourly, daily, weekly and monthly.

Each row sums one asset's (or the platform's, when ip_asset_id is NULL) events over
one period. The rollup jobs upsert on (period, ip_asset_id), so a rerun replaces
rather than doubles.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from ygmon.db.base import Base, IdMixin, TimestampMixin


class _MetricCounts:
    ip_asset_id: Mapped[str | None] = mapped_column(ForeignKey("ip_assets.id", ondelete="CASCADE"))
    views: Mapped[int] = mapped_column(Integer, default=0)
    clicks: Mapped[int] = mapped_column(Integer, default=0)
    conversions: Mapped[int] = mapped_column(Integer, default=0)
    unique_visitors: Mapped[int] = mapped_column(Integer, default=0)
    engagement_seconds: Mapped[int] = mapped_column(Integer, default=0)
    revenue_cents: Mapped[int] = mapped_column(Integer, default=0)
    breakdown: Mapped[dict[str, Any]] = mapped_column(default=dict)


class HourlyMetric(IdMixin, TimestampMixin, _MetricCounts, Base):
    __tablename__ = "hourly_metrics"

    hour: Mapped[datetime] = mapped_column()

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (Index("uq_hourly_metrics_hour_asset", "hour", "ip_asset_id", unique=True),)


class DailyMetric(IdMixin, TimestampMixin, _MetricCounts, Base):
    __tablename__ = "daily_metrics"

    date: Mapped[date] = mapped_column()

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (Index("uq_daily_metrics_date_asset", "date", "ip_asset_id", unique=True),)


class WeeklyMetric(IdMixin, TimestampMixin, _MetricCounts, Base):
    __tablename__ = "weekly_metrics"

    week_start: Mapped[date] = mapped_column()

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (Index("uq_weekly_metrics_week_asset", "week_start", "ip_asset_id", unique=True),)


class MonthlyMetric(IdMixin, TimestampMixin, _MetricCounts, Base):
    __tablename__ = "monthly_metrics"

    month_start: Mapped[date] = mapped_column()

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (Index("uq_monthly_metrics_month_asset", "month_start", "ip_asset_id", unique=True),)
