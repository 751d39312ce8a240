"""A generated event set over real-looking agents and IPs, and an independent
computation of what the rollups must produce from it (plain Python over the same
events, sharing no code with the pipeline)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ygmon.db import Database
from ygmon.db import models as m

AGENTS = {
    "desktop": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "mobile": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "tablet": "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    "bot": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
}
IPS = {
    "GB": "81.2.69.142",
    "US": "8.8.8.8",
    "NL": "2a02:2770::21a:4aff:fe00:1",
    "BR": "200.160.2.3",
    "JP": "133.242.0.3",
    "NG": "41.203.64.1",
}
TYPES = (
    "asset.viewed",
    "asset.viewed",
    "asset.viewed",
    "asset.clicked",
    "asset.preview_played",
    "search.performed",
    "license.created",
)
START = datetime(2026, 10, 26, tzinfo=UTC)  # a Monday
DAYS = 21  # to Sunday 2026-11-15


@dataclass
class EventSet:
    users: list[dict[str, Any]] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def valid(self) -> list[dict[str, Any]]:
        return [e for e in self.events if _attributable(e, set(self.assets))]


def _attributable(event: dict[str, Any], assets: set[str]) -> bool:
    if event["event_type"] not in set(TYPES) | {
        "asset.downloaded",
        "asset.favorited",
        "project.viewed",
        "license.requested",
    }:
        return False
    if event["ip_asset_id"] is not None and event["ip_asset_id"] not in assets:
        return False
    return not (event["event_type"] == "license.created" and event["props"]["feeCents"] < 0)


def make_events(count: int = 400, seed: int = 3, bad: int = 3) -> EventSet:
    rng = random.Random(seed)
    out = EventSet()
    out.users = [
        {"id": f"u{i}", "email": f"u{i}@example.com", "role": m.UserRole.BRAND} for i in range(8)
    ]
    out.assets = [f"a{i}" for i in range(6)]
    for i in range(count):
        kind = rng.choice(TYPES)
        when = START + timedelta(seconds=rng.randrange(DAYS * 86400))
        device = rng.choice(list(AGENTS))
        props: dict[str, Any] = {}
        if kind == "asset.preview_played":
            props["watchSeconds"] = rng.randint(1, 30)
        if kind == "license.created":
            props["feeCents"] = rng.choice((1000, 2500, 9900))
        out.events.append(
            {
                "id": f"e{i:05d}",
                "event_type": kind,
                "occurred_at": when,
                "received_at": when + timedelta(seconds=2),
                "actor_id": rng.choice([None, None, *(u["id"] for u in out.users)]),
                "session_id": f"s{rng.randrange(40)}",
                "ip_asset_id": rng.choice(out.assets)
                if kind.startswith(("asset", "lic"))
                else None,
                "ip_address": IPS[rng.choice(list(IPS))],
                "user_agent": AGENTS[device],
                "props": props,
            }
        )
    day = START + timedelta(days=9, hours=10)  # Wed 2026-11-04, 10:00-11:00
    bad_events = [
        ("asset.viewed", "no-such-asset", {}),
        ("license.created", "a1", {"feeCents": -500}),
        ("asset.teleported", "a2", {}),
    ][:bad]
    for j, (kind, asset, props) in enumerate(bad_events):
        out.events.append(
            {
                "id": f"bad{j}",
                "event_type": kind,
                "occurred_at": day + timedelta(minutes=10 * j),
                "received_at": day + timedelta(minutes=10 * j),
                "actor_id": None,
                "session_id": "s-bad",
                "ip_asset_id": asset,
                "ip_address": "10.0.0.1",
                "user_agent": "",
                "props": props,
            }
        )
    return out


async def insert(db: Database, data: EventSet) -> None:
    async with db.writer() as session:
        await session.execute(m.User.__table__.insert(), data.users)
        await session.execute(
            m.IpAsset.__table__.insert(),
            [
                {
                    "id": a,
                    "title": a,
                    "type": m.AssetType.VIDEO,
                    "storage_key": f"k/{a}",
                    "scan_status": m.ScanStatus.CLEAN,
                    "tags": [],
                }
                for a in data.assets
            ],
        )
        await session.execute(m.AnalyticsEvent.__table__.insert(), data.events)


async def add_events(db: Database, events: list[dict[str, Any]]) -> None:
    async with db.writer() as session:
        await session.execute(m.AnalyticsEvent.__table__.insert(), events)


# --- the independent computation ----------------------------------------------------


def expected_rows(
    events: list[dict[str, Any]], start: datetime, end: datetime
) -> dict[str | None, dict[str, Any]]:
    """{asset id or None: row} over the valid events with start <= occurred_at < end."""
    groups: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for e in events:
        if start <= e["occurred_at"] < end:
            groups[None].append(e)
            if e["ip_asset_id"]:
                groups[e["ip_asset_id"]].append(e)
    out = {}
    for key, group in groups.items():
        kinds = Counter(e["event_type"] for e in group)
        out[key] = {
            "views": kinds["asset.viewed"],
            "clicks": kinds["asset.clicked"],
            "conversions": kinds["license.created"],
            "unique_visitors": len(
                {e["actor_id"] or e["session_id"] or e["ip_address"] for e in group}
            ),
            "engagement_seconds": sum(
                e["props"].get("watchSeconds", 0)
                for e in group
                if e["event_type"] == "asset.preview_played"
            ),
            "revenue_cents": sum(
                e["props"].get("feeCents", 0) for e in group if e["event_type"] == "license.created"
            ),
            "byEventType": dict(kinds),
            "byCountry": dict(Counter(e.get("country") or "unknown" for e in group)),
            "byDevice": dict(Counter(e.get("device_type") or "unknown" for e in group)),
        }
    return out
