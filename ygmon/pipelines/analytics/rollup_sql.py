"""The SELECTs that compute one period's metric rows, set-based (GROUP BY, no loop over
events): from raw events for hourly and daily, from daily_metrics for weekly and monthly
(uniques aside: a week's unique visitors are counted from its events, not summed)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    and_,
    case,
    distinct,
    func,
    literal_column,
    select,
    true,
    union_all,
)
from sqlalchemy.sql.expression import ColumnElement

from ygmon.db.models import AnalyticsEvent as E
from ygmon.db.models import DailyMetric as D
from ygmon.pipelines.analytics import vocabulary as v
from ygmon.pipelines.analytics.periods import Level, Period
from ygmon.pipelines.analytics.sql_functions import (
    as_json,
    json_build,
    json_entries,
    json_object_agg,
    ratio,
    week_of,
)

EMPTY = literal_column("''")
DIMENSIONS = (("byEventType", "t"), ("byCountry", "country"), ("byDevice", "device"))


def _key(name: str) -> Any:
    return literal_column(f"'{name}'")


def in_period(period: Period) -> ColumnElement[bool]:
    return and_(E.occurred_at >= period.start, E.occurred_at < period.end)


def _scoped_events(period: Period) -> Any:
    """Each attributable event of the period twice: under its asset, and under the
    platform row (key '')."""
    # The events are read and checked once (ev), then listed twice: a union of two
    # SELECTs over the events table scanned and filtered them twice.
    ev = (
        select(
            E.ip_asset_id.label("asset"),
            E.event_type.label("t"),
            func.coalesce(E.country, v.UNKNOWN).label("country"),
            func.coalesce(E.device_type, v.UNKNOWN).label("device"),
            v.visitor().label("visitor"),
            v.amount(E.event_type == "asset.preview_played", v.watch_seconds()).label("watch"),
            v.amount(E.event_type == v.CONVERSION, v.fee_cents()).label("fee"),
        )
        .where(in_period(period), v.attributable())
        .cte("ev")
        .prefix_with("MATERIALIZED")
    )
    columns = (ev.c.t, ev.c.country, ev.c.device, ev.c.visitor, ev.c.watch, ev.c.fee)
    both = union_all(
        select(ev.c.asset.label("k"), *columns).where(ev.c.asset.is_not(None)),
        select(EMPTY.label("k"), *columns),
    )
    # Read once, used by the totals and each breakdown.
    return both.cte("scoped").prefix_with("MATERIALIZED")


def _object_of(source: Any, key: Any, value: Any, name: str) -> Any:
    """(k, obj): per row key, an object of key -> value over `source`."""
    inner = select(source.c.k, key.label("key"), value.label("n")).group_by(source.c.k, key)
    inner = inner.subquery(f"{name}_pairs")
    return (
        select(inner.c.k, json_object_agg(inner.c.key, inner.c.n).label("obj"))
        .group_by(inner.c.k)
        .subquery(name)
    )


def from_events(period: Period) -> Select:
    """(k, the value columns) of an hourly or daily period, from its events."""
    scoped = _scoped_events(period)
    c = scoped.c
    totals = (
        select(
            c.k,
            func.sum(v.counted(c.t == v.VIEW)).label("views"),
            func.sum(v.counted(c.t == v.CLICK)).label("clicks"),
            func.sum(v.counted(c.t == v.CONVERSION)).label("conversions"),
            func.count(distinct(c.visitor)).label("unique_visitors"),
            func.sum(c.watch).label("engagement_seconds"),
            func.sum(c.fee).label("revenue_cents"),
        )
        .group_by(c.k)
        .subquery("totals")
    )
    parts = {name: _object_of(scoped, c[column], func.count(), name) for name, column in DIMENSIONS}
    joined = totals
    for part in parts.values():
        joined = joined.join(part, part.c.k == totals.c.k)
    pairs = []
    for name, part in parts.items():
        pairs += [_key(name), as_json(part.c.obj)]
    return select(
        totals.c.k,
        totals.c.views,
        totals.c.clicks,
        totals.c.conversions,
        totals.c.unique_visitors,
        totals.c.engagement_seconds,
        totals.c.revenue_cents,
        json_build(*pairs).label("breakdown"),
        literal_column("NULL").label("growth_percent"),
        literal_column("NULL").label("daily_average"),
    ).select_from(joined)


def event_keys(period: Period) -> Select:
    """The k of every row from_events gives: the assets of the attributable events,
    and '' when there is any."""
    scoped = _scoped_events(period)
    return select(scoped.c.k).distinct()


def daily_keys(period: Period) -> Select:
    """The k of every row from_daily gives: the keys of the period's daily rows."""
    return select(func.coalesce(D.ip_asset_id, EMPTY)).where(_daily_in(period)).distinct()


def _daily_in(period: Period) -> ColumnElement[bool]:
    return and_(D.date >= period.first_day, D.date <= period.last_day)


def from_daily(period: Period, dialect: str, metric: Any) -> Select:
    """(k, the value columns) of a weekly or monthly period: sums of its daily rows,
    uniques from its events, growth against the previous period's row of `metric`."""
    k = func.coalesce(D.ip_asset_id, EMPTY)
    sums = (
        select(
            k.label("k"),
            *(
                func.sum(getattr(D, name)).label(name)
                for name in ("views", "clicks", "conversions")
            ),
            func.sum(D.engagement_seconds).label("engagement_seconds"),
            func.sum(D.revenue_cents).label("revenue_cents"),
        )
        .where(_daily_in(period))
        .group_by(k)
        .subquery("sums")
    )
    scoped = _scoped_events(period)
    uniques = (
        select(scoped.c.k, func.count(distinct(scoped.c.visitor)).label("n"))
        .group_by(scoped.c.k)
        .subquery("uniques")
    )
    parts = {}
    for name, _column in DIMENSIONS:
        entries = json_entries(dialect, D.breakdown, name)
        source = (
            select(k.label("k"), entries.c.key.label("key"), entries.c.value.label("value"))
            .select_from(D)
            .join(entries, true())
            .where(_daily_in(period))
            .subquery(f"{name}_entries")
        )
        parts[name] = _object_of(source, source.c.key, func.sum(source.c.value.cast(Integer)), name)
    if period.level is Level.MONTHLY:
        weeks = (
            select(k.label("k"), week_of(D.date).label("week"), D.views.label("views"))
            .where(_daily_in(period))
            .subquery("week_days")
        )
        parts["byWeek"] = _object_of(weeks, weeks.c.week, func.sum(weeks.c.views), "byWeek")
    period_column = metric.__table__.c[_period_column(period.level)]
    previous = (
        select(func.coalesce(metric.ip_asset_id, EMPTY).label("k"), metric.views.label("views"))
        .where(period_column == period.previous().first_day)
        .subquery("previous")
    )
    joined = sums.outerjoin(uniques, uniques.c.k == sums.c.k).outerjoin(
        previous, previous.c.k == sums.c.k
    )
    for part in parts.values():
        joined = joined.outerjoin(part, part.c.k == sums.c.k)
    pairs = []
    for name, part in parts.items():
        pairs += [_key(name), as_json(part.c.obj)]
    days = period.days
    averages = []
    for name, column in (
        ("views", sums.c.views),
        ("clicks", sums.c.clicks),
        ("conversions", sums.c.conversions),
        ("engagementSeconds", sums.c.engagement_seconds),
        ("revenueCents", sums.c.revenue_cents),
    ):
        averages += [_key(name), ratio(column, days)]
    growth = case(
        (previous.c.views > 0, ratio(sums.c.views - previous.c.views, previous.c.views) * 100),
        else_=None,
    )
    return select(
        sums.c.k,
        sums.c.views,
        sums.c.clicks,
        sums.c.conversions,
        func.coalesce(uniques.c.n, 0).label("unique_visitors"),
        sums.c.engagement_seconds,
        sums.c.revenue_cents,
        json_build(*pairs).label("breakdown"),
        growth.label("growth_percent"),
        json_build(*averages).label("daily_average"),
    ).select_from(joined)


def _period_column(level: Level) -> str:
    return {
        Level.HOURLY: "hour",
        Level.DAILY: "date",
        Level.WEEKLY: "week_start",
        Level.MONTHLY: "month_start",
    }[level]


def period_value(period: Period) -> Any:
    return period.start if period.level is Level.HOURLY else period.first_day


def period_column(level: Level) -> str:
    return _period_column(level)
