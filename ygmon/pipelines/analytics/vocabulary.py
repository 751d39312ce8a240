"""What the rollups know of events: the event types, which of them each metric counts,
and what makes an event unattributable (left out of the metrics, counted as an error)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, and_, case, literal, not_, or_, select
from sqlalchemy.sql.expression import ColumnElement

from ygmon.db.models import AnalyticsEvent as E
from ygmon.db.models import IpAsset

EVENT_TYPES = (
    "asset.viewed",
    "asset.preview_played",
    "asset.clicked",
    "asset.downloaded",
    "asset.favorited",
    "search.performed",
    "project.viewed",
    "license.requested",
    "license.created",
)
VIEW = "asset.viewed"
CLICK = "asset.clicked"
CONVERSION = "license.created"
ENGAGEMENT_PROP = "watchSeconds"
"""Seconds an `asset.preview_played` event watched."""
REVENUE_PROP = "feeCents"
"""A `license.created` event's fee."""
UNKNOWN = "unknown"
"""The breakdown key of an event without a country or device type (not enriched)."""
ERRORS_LISTED = 20


def watch_seconds() -> ColumnElement[int]:
    return E.props[ENGAGEMENT_PROP].as_integer()


def fee_cents() -> ColumnElement[int]:
    return E.props[REVENUE_PROP].as_integer()


def visitor() -> ColumnElement[str]:
    """A unique visitor: the signed-in actor, else the session, else the address."""
    from sqlalchemy import func

    return func.coalesce(E.actor_id, E.session_id, E.ip_address)


def _unknown_asset() -> ColumnElement[bool]:
    # NOT IN over the (non-null) asset ids, not a correlated NOT EXISTS: inside a CASE or
    # an OR, Postgres runs a NOT EXISTS once per event, but hashes a NOT IN's ids once.
    return and_(E.ip_asset_id.is_not(None), E.ip_asset_id.not_in(select(IpAsset.id)))


def _unknown_type() -> ColumnElement[bool]:
    return E.event_type.not_in(EVENT_TYPES)


def _negative_revenue() -> ColumnElement[bool]:
    # coalesce: a conversion without a fee is a fee of 0 (a NULL here would make the
    # event neither attributable nor unattributable, so it would vanish uncounted).
    from sqlalchemy import func

    return and_(E.event_type == CONVERSION, func.coalesce(fee_cents(), 0) < 0)


def unattributable() -> ColumnElement[bool]:
    return or_(_unknown_type(), _unknown_asset(), _negative_revenue())


def attributable() -> ColumnElement[bool]:
    return not_(unattributable())


def why_unattributable() -> ColumnElement[str]:
    """The first reason an unattributable event is left out."""
    return case(*_reasons(), else_=literal("unattributable"))


def reason_left_out() -> ColumnElement[str | None]:
    """Why an event is left out, NULL for an attributable one: grouping a period's
    events by it counts them all and each reason in one scan."""
    return case(*_reasons(), else_=None)


def _reasons() -> tuple[tuple[ColumnElement[bool], Any], ...]:
    return (
        (_unknown_type(), literal("unknown event type")),
        (_unknown_asset(), literal("unknown asset")),
        (_negative_revenue(), literal("negative revenue")),
    )


def counted(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def amount(condition: ColumnElement[bool], value: ColumnElement[Any]) -> ColumnElement[int]:
    from sqlalchemy import func

    return case((condition, func.coalesce(value, 0)), else_=0).cast(Integer)
