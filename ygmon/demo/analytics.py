"""Demo analytics events over the past 30 days, and the metrics aggregated from them.

Traffic grows over the month and follows the day (quiet at night UTC). Events older
than ENRICHED_BEFORE carry the context the enrichment job adds; the newest do not yet,
so the enrichment queue has real work when the demo starts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ygmon.db.models import UserRole
from ygmon.demo import vocabulary as words
from ygmon.demo.context import SeedContext
from ygmon.demo.people import People

DAYS = 30
EVENT_COUNT = 3200
RECENT_BURST = 40
ENRICHED_BEFORE = timedelta(minutes=15)
VISITORS = 420
HOURLY_METRIC_HOURS = 48
# Relative traffic per UTC hour: Europe's and the Americas' working days overlap.
HOUR_WEIGHTS = (
    2, 1.5, 1, 1, 1, 1.5, 2.5, 4, 5, 6, 6.5, 7, 7, 7.5, 8, 8.5, 8, 7.5, 7, 6.5, 6, 5, 4, 3,
)  # fmt: skip
SEARCH_TERMS = ("drone", "lofi", "rain", "city night", "podcast intro", "synth", "forest")


def make_events(
    ctx: SeedContext,
    people: People,
    assets: list[dict[str, Any]],
    projects: list[dict[str, Any]],
    licenses: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    visitors = _visitors(ctx, people)
    sessions: dict[tuple[int, date], str] = {}
    kinds = [k for k, _ in words.EVENT_TYPES]
    kind_weights = [w for _, w in words.EVENT_TYPES]
    start = ctx.now - timedelta(days=DAYS)
    times = [_traffic_time(ctx, start) for _ in range(EVENT_COUNT)]
    times += [ctx.ago(minutes=ctx.rng.uniform(0.05, 14.5)) for _ in range(RECENT_BURST)]
    times.sort()
    events = []
    for when in times:
        v = ctx.rng.randrange(len(visitors))
        visitor = visitors[v]
        session = sessions.get((v, when.date()))
        if session is None:
            session = sessions[(v, when.date())] = ctx.new_id()[:24]
        kind = ctx.weighted(kinds, kind_weights)
        event = _event(ctx, kind, when, visitor, session, assets, projects, licenses)
        if ctx.now - when > ENRICHED_BEFORE:
            _enrich(ctx, event, visitor, people)
        events.append(event)
    return events


def _traffic_time(ctx: SeedContext, start: datetime) -> datetime:
    # Linear growth: a day near the end is about twice as busy as the first one.
    day = int(DAYS * (ctx.rng.random() ** (1 / 1.6)))
    hour = ctx.weighted(range(24), HOUR_WEIGHTS)
    base = (start + timedelta(days=day)).replace(hour=hour, minute=0, second=0, microsecond=0)
    when = base + timedelta(seconds=ctx.rng.uniform(0, 3600))
    when = when.replace(microsecond=when.microsecond // 1000 * 1000)
    # Keep every event in the past and inside the window.
    if when >= ctx.now - timedelta(minutes=15) or when <= start:
        return ctx.between(start + timedelta(hours=1), ctx.now - timedelta(minutes=16))
    return when


def _visitors(ctx: SeedContext, people: People) -> list[dict[str, Any]]:
    users = [u for u in people.users if u["role"] != UserRole.ADMIN]
    out = []
    for i in range(VISITORS):
        place = ctx.weighted(words.PLACES, words.PLACE_WEIGHTS)
        agent = ctx.weighted(words.USER_AGENTS, words.USER_AGENT_WEIGHTS)
        # A third of the traffic is signed in; the rest browses anonymously.
        user = users[i % len(users)] if i < len(users) * 3 else None
        out.append(
            {
                "user": user,
                "place": place,
                "agent": agent,
                "ip": f"{ctx.rng.randint(11, 223)}.{ctx.rng.randint(0, 255)}."
                f"{ctx.rng.randint(0, 255)}.{ctx.rng.randint(1, 254)}",
                "referrer": ctx.choice(words.REFERRERS),
            }
        )
    return out


def _event(
    ctx: SeedContext,
    kind: str,
    when: datetime,
    visitor: dict[str, Any],
    session: str,
    assets: list[dict[str, Any]],
    projects: list[dict[str, Any]],
    licenses: list[dict[str, Any]],
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "id": ctx.new_id(),
        "event_type": kind,
        "occurred_at": when,
        "actor_id": visitor["user"]["id"] if visitor["user"] else None,
        "ip_asset_id": None,
        "project_id": None,
        "license_id": None,
        "session_id": session,
        "ip_address": visitor["ip"],
        "user_agent": visitor["agent"][0],
        "referrer": visitor["referrer"],
        "props": {},
        "user_role": None,
        "country": None,
        "region": None,
        "city": None,
        "device_type": None,
        "browser": None,
        "os": None,
        "enriched_at": None,
    }
    if kind.startswith("asset."):
        # A few assets are hits: views follow a steep popularity curve.
        event["ip_asset_id"] = ctx.weighted(assets, [1 / (i + 1) for i in range(len(assets))])["id"]
        if kind == "asset.preview_played":
            event["props"] = {"watchSeconds": ctx.rng.randint(2, 30)}
    elif kind == "project.viewed":
        event["project_id"] = ctx.choice(projects)["id"]
    elif kind == "search.performed":
        event["props"] = {"query": ctx.choice(SEARCH_TERMS), "results": ctx.rng.randint(0, 80)}
    elif kind.startswith("license."):
        licence = ctx.choice(licenses)
        event["ip_asset_id"] = licence["ip_asset_id"]
        event["license_id"] = licence["id"] if kind == "license.created" else None
        event["props"] = {"feeCents": licence["fee_cents"]} if kind == "license.created" else {}
    return event


def _enrich(
    ctx: SeedContext, event: dict[str, Any], visitor: dict[str, Any], people: People
) -> None:
    country, region, city = visitor["place"]
    _, device, browser, os_name = visitor["agent"]
    user = visitor["user"]
    event.update(
        user_role=str(user["role"]) if user else None,
        country=country,
        region=region,
        city=city,
        device_type=device,
        browser=browser,
        os=os_name,
        enriched_at=event["occurred_at"] + timedelta(milliseconds=ctx.rng.randint(300, 9000)),
    )


# --- metrics ---------------------------------------------------------------------------


def make_metrics(ctx: SeedContext, events: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Hourly (last 48 complete hours), daily, weekly and monthly rows over the events,
    per asset and platform-wide (ip_asset_id NULL), as the aggregation jobs write them."""
    this_hour = ctx.now.replace(minute=0, second=0, microsecond=0)
    today = ctx.now.date()
    week_start = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    hourly = _rollup(
        ctx, events, "hour", lambda t: t.replace(minute=0, second=0, microsecond=0),
        lambda p: this_hour - timedelta(hours=HOURLY_METRIC_HOURS) <= p < this_hour,
    )  # fmt: skip
    daily = _rollup(ctx, events, "date", lambda t: t.date(), lambda p: p < today)
    weekly = _rollup(
        ctx, events, "week_start", lambda t: t.date() - timedelta(days=t.weekday()),
        lambda p: p < week_start,
    )  # fmt: skip
    monthly = _rollup(
        ctx, events, "month_start", lambda t: t.date().replace(day=1), lambda p: p < month_start
    )
    return {"hourly": hourly, "daily": daily, "weekly": weekly, "monthly": monthly}


def _rollup(
    ctx: SeedContext,
    events: Iterable[dict[str, Any]],
    period_field: str,
    period_of: Callable[[datetime], Any],
    complete: Callable[[Any], bool],
) -> list[dict[str, Any]]:
    groups: dict[tuple[Any, str | None], list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        period = period_of(event["occurred_at"])
        if not complete(period):
            continue
        groups[(period, None)].append(event)
        if event["ip_asset_id"]:
            groups[(period, event["ip_asset_id"])].append(event)
    rows = []
    for (period, asset_id), group in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")
    ):
        kinds = Counter(e["event_type"] for e in group)
        written = _end_of(period_field, period) + timedelta(minutes=5)
        rows.append(
            {
                "id": ctx.new_id(),
                period_field: period,
                "ip_asset_id": asset_id,
                "views": kinds["asset.viewed"],
                "clicks": kinds["asset.clicked"],
                "conversions": kinds["license.created"],
                "unique_visitors": len({e["session_id"] for e in group}),
                "engagement_seconds": sum(e["props"].get("watchSeconds", 0) for e in group),
                "revenue_cents": sum(e["props"].get("feeCents", 0) for e in group),
                "breakdown": {
                    "byCountry": dict(sorted(Counter(e["country"] or "??" for e in group).items())),
                    "byDevice": dict(
                        sorted(Counter(e["device_type"] or "unknown" for e in group).items())
                    ),
                    "byEventType": dict(sorted(kinds.items())),
                },
                "created_at": min(written, ctx.now),
                "updated_at": min(written, ctx.now),
            }
        )
    return rows


def _end_of(period_field: str, period: Any) -> datetime:
    """When a period closes; its rows are written a few minutes later."""
    if period_field == "hour":
        return period + timedelta(hours=1)
    start = datetime(period.year, period.month, period.day, tzinfo=UTC)
    if period_field == "date":
        return start + timedelta(days=1)
    if period_field == "week_start":
        return start + timedelta(days=7)
    return (start + timedelta(days=32)).replace(day=1)
