"""Enrichment over real agents (phones, tablets, desktops, bots) and IPs of six
countries, IPv6 included, plus private, malformed and missing ones, and unknown users."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from ygmon.db import Database
from ygmon.db import models as m
from ygmon.pipelines.analytics.enrichment import enrich

NOW = datetime(2026, 12, 3, 6, tzinfo=UTC)
T = datetime(2026, 12, 2, 12, tzinfo=UTC)
AGENTS = {
    "iphone": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
        "like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        ("mobile", "Mobile Safari", "iOS"),
    ),
    "android": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Mobile Safari/537.36",
        ("mobile", "Chrome Mobile", "Android"),
    ),
    "ipad": (
        "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.0 Mobile/15E148 Safari/604.1",
        ("tablet", "Mobile Safari", "iOS"),
    ),
    "windows": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        ("desktop", "Chrome", "Windows"),
    ),
    "mac": (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:125.0) Gecko/20100101 Firefox/125.0",
        ("desktop", "Firefox", "Mac OS X"),
    ),
    "googlebot": (
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        ("bot", "Googlebot", None),
    ),
}
IPS = {
    "81.2.69.142": "GB",
    "8.8.8.8": "US",
    "2a02:2770::21a:4aff:fe00:1": "NL",
    "200.160.2.3": "BR",
    "133.242.0.3": "JP",
    "41.203.64.1": "NG",
}


def _event(i: str, **kw: object) -> dict[str, object]:
    # Every row has every key: an executemany takes its columns from the first row.
    return {
        "id": i,
        "event_type": "asset.viewed",
        "occurred_at": T,
        "props": {},
        "actor_id": None,
        **kw,
    }


async def test_devices_countries_and_gaps(database: Database) -> None:
    events = []
    for n, (name, (ua, _)) in enumerate(AGENTS.items()):
        events.append(_event(f"ua-{name}", user_agent=ua, ip_address=list(IPS)[n % len(IPS)]))
    for ip in IPS:
        events.append(_event(f"ip-{ip}", user_agent=AGENTS["windows"][0], ip_address=ip))
    events += [
        _event(
            "private",
            ip_address="192.168.1.20",
            user_agent=AGENTS["mac"][0],
            props={"referrerCampaign": "winter"},
        ),
        _event("malformed", ip_address="300.1.2", user_agent=AGENTS["mac"][0]),
        _event("empty-agent", ip_address="8.8.8.8", user_agent=""),
        _event("signed-in", ip_address="8.8.8.8", user_agent="", actor_id="u1"),
    ]
    async with database.writer() as session:
        await session.execute(
            m.User.__table__.insert(), [{"id": "u1", "email": "a@b.c", "role": m.UserRole.BRAND}]
        )
        await session.execute(m.AnalyticsEvent.__table__.insert(), events)
    result = await enrich(database, now=NOW)
    assert result.enriched == len(events)
    async with database.reader() as session:
        rows = {e.id: e for e in (await session.execute(select(m.AnalyticsEvent))).scalars()}
    for name, (_, want) in AGENTS.items():
        row = rows[f"ua-{name}"]
        assert (row.device_type, row.browser, row.os) == want, name
    for ip, country in IPS.items():
        assert rows[f"ip-{ip}"].country == country, ip
    assert rows["ip-81.2.69.142"].region == "England"
    assert rows["ip-41.203.64.1"].city == "Lagos"
    assert rows["private"].country is None
    assert rows["private"].props == {  # the gaps join what props held
        "referrerCampaign": "winter",
        "enrichmentGaps": ["private or reserved IP address"],
    }
    assert rows["ip-8.8.8.8"].props == {}  # no gap, props untouched
    assert rows["private"].device_type == "desktop"  # enriched as far as possible
    assert rows["malformed"].props["enrichmentGaps"] == ["malformed IP address"]
    assert rows["empty-agent"].country == "US"
    assert rows["empty-agent"].props["enrichmentGaps"] == ["empty user agent"]
    assert rows["signed-in"].user_role == "BRAND"
    assert all(r.enriched_at == NOW for r in rows.values())
    assert (await enrich(database, now=NOW)).enriched == 0  # nothing left: a re-run is harmless
