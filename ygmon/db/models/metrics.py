"""Aggregated metrics at four grains: hourly, daily, weekly and monthly.

Each row sums one asset's (or the platform's, when ip_asset_id is NULL) events over
one period. The rollup jobs upsert on (period, coalesce(ip_asset_id, '')): the key is an
expression so the platform row (NULL asset) is unique too, as NULLs never collide in a
plain unique index. Weekly and monthly rows add the growth of views over the previous
period and the period's daily averages.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, func
from sqlalchemy.orm import Mapped, mapped_column

from ygmon.db.base import Base, IdMixin, TimestampMixin

PLATFORM_KEY = ""
"""What coalesce(ip_asset_id, ...) gives the platform row in the unique keys."""


PERIOD_COLUMN = {
    "hourly_metrics": "hour",
    "daily_metrics": "date",
    "weekly_metrics": "week_start",
    "monthly_metrics": "month_start",
}


class _MetricCounts:
    ip_asset_id: Mapped[str | None] = mapped_column(ForeignKey("ip_assets.id", ondelete="CASCADE"))
    views: Mapped[int] = mapped_column(Integer, default=0)
    clicks: Mapped[int] = mapped_column(Integer, default=0)
    conversions: Mapped[int] = mapped_column(Integer, default=0)
    unique_visitors: Mapped[int] = mapped_column(Integer, default=0)
    engagement_seconds: Mapped[int] = mapped_column(Integer, default=0)
    revenue_cents: Mapped[int] = mapped_column(Integer, default=0)
    breakdown: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """{"byEventType": {type: n}, "byCountry": {iso: n}, "byDevice": {type: n}}
    (monthly rows add "byWeek": {week start: views})."""


class _Rollup:
    growth_percent: Mapped[float | None] = mapped_column(Float)
    """Views over the previous period's, in percent; NULL when that period had none."""
    daily_average: Mapped[dict[str, Any] | None] = mapped_column()
    """Per day of the period: views, clicks, conversions, engagementSeconds, revenueCents."""


class HourlyMetric(IdMixin, TimestampMixin, _MetricCounts, Base):
    __tablename__ = "hourly_metrics"

    hour: Mapped[datetime] = mapped_column()


class DailyMetric(IdMixin, TimestampMixin, _MetricCounts, Base):
    __tablename__ = "daily_metrics"

    date: Mapped[date] = mapped_column()


class WeeklyMetric(IdMixin, TimestampMixin, _MetricCounts, _Rollup, Base):
    __tablename__ = "weekly_metrics"

    week_start: Mapped[date] = mapped_column()


class MonthlyMetric(IdMixin, TimestampMixin, _MetricCounts, _Rollup, Base):
    __tablename__ = "monthly_metrics"

    month_start: Mapped[date] = mapped_column()


# Module-level: an Index over expressions of mapped columns attaches to their table.
for _model, _name in (
    (HourlyMetric, "uq_hourly_metrics_hour_asset"),
    (DailyMetric, "uq_daily_metrics_date_asset"),
    (WeeklyMetric, "uq_weekly_metrics_week_asset"),
    (MonthlyMetric, "uq_monthly_metrics_month_asset"),
):
    Index(
        _name,
        _model.__table__.c[PERIOD_COLUMN[_model.__tablename__]],
        func.coalesce(_model.__table__.c.ip_asset_id, PLATFORM_KEY),
        unique=True,
    )
