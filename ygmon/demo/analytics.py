"""Demo analytics events over the past 30 days: raw, as the tracker records them.

Traffic grows over the month and follows the day (quiet at night UTC). No event carries
the context the enrichment job adds and no metric row is written here: the demo's worker
enriches the events and catches up the missed hourly, daily, weekly and monthly rollups
(ygmon.jobs.tasks.analytics), so every log row on screen is a real run. A few
events cannot be attributed (an asset that does not exist, a negative fee, an event type
the rollups do not know), so that day's runs end PARTIAL, as such runs do.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from ygmon.db.models import UserRole
from ygmon.demo import vocabulary as words
from ygmon.demo.context import SeedContext
from ygmon.demo.people import People

DAYS = 30
EVENT_COUNT = 3200
RECENT_BURST = 40
VISITORS = 420
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
        events.append(event)
    events += _unattributable(ctx, visitors[0], assets)
    return events


UNATTRIBUTABLE_DAYS_AGO = 3


def _unattributable(
    ctx: SeedContext, visitor: dict[str, Any], assets: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Three events the rollups must leave out and report (their day ends PARTIAL)."""
    day = (ctx.now - timedelta(days=UNATTRIBUTABLE_DAYS_AGO)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    out = []
    for n, (kind, asset, props) in enumerate(
        (
            ("asset.viewed", "0" * 32, {}),  # an asset id that does not exist
            ("license.created", assets[0]["id"], {"feeCents": -4900}),
            ("asset.shared", assets[1]["id"], {}),  # a type no rollup knows
        )
    ):
        when = day + timedelta(minutes=7 * n)
        event = _event(ctx, "asset.viewed", when, visitor, "tracker-replay", assets, [], [])
        event.update(event_type=kind, ip_asset_id=asset, props=props)
        out.append(event)
    return out


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
        # Trackers post in batches: an event arrives a few seconds after it happened.
        "received_at": when + timedelta(seconds=ctx.rng.uniform(0.5, 8)),
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
