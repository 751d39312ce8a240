"""The enrichment benchmark's data: raw events over a fixed set of real-looking user
agents (phones, tablets, desktops, bots) and public, private and IPv6 addresses; and
its baseline, one bulk UPDATE writing the values the enrichment wrote.

Agents vary the browser and OS versions of real strings, so each is a distinct string
the parser has to read; addresses sit in public ranges of several countries.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, text, update

from ygmon.db import Database
from ygmon.db.base import JSONType, UTCDateTime
from ygmon.db.models import AnalyticsEvent as E

_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/{a}.0.{b}.{c} Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_{a}) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.{b} Safari/605.1.{c}",
    "Mozilla/5.0 (X11; Linux x86_64; rv:{a}.0) Gecko/20100101 Firefox/{a}.{b}",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_{a} like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Version/17.{b} Mobile/15E{c} Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel {a}) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/{b}.0.{c}.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 16_{a} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/16.{b} Mobile/15E{c} Safari/604.1",
    "Mozilla/5.0 (Linux; Android 13; SM-X{a}0) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/{b}.0.{c}.0 Safari/537.36",
    "Mozilla/5.0 (compatible; Googlebot/2.{a}; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.{a}; +http://www.bing.com/bingbot.htm) {b}.{c}",
)
_PUBLIC_V4 = ("8.8", "81.2", "200.160", "133.242", "41.203", "193.0", "24.48", "62.210")


def agents(count: int, rng: random.Random) -> list[str]:
    out: set[str] = set()
    while len(out) < count:
        shape = rng.choice(_AGENTS)
        out.add(shape.format(a=rng.randint(1, 120), b=rng.randint(0, 6000), c=rng.randint(0, 300)))
    return sorted(out)


def addresses(count: int, rng: random.Random) -> list[str]:
    out: set[str] = set()
    while len(out) < count:
        roll = rng.random()
        if roll < 0.8:
            out.add(f"{rng.choice(_PUBLIC_V4)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}")
        elif roll < 0.95:
            out.add(f"2a02:2770:{rng.randint(0, 65535):x}::{rng.randint(1, 65535):x}")
        else:
            out.add(f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}")
    return sorted(out)


async def fill_raw_events(db: Database, count: int, n_agents: int, n_ips: int, day: date) -> None:
    """`count` events of `day` not yet enriched, every agent and address used."""
    rng = random.Random(9)
    uas, ips = agents(n_agents, rng), addresses(n_ips, rng)
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    rows = [
        {
            "id": f"r{i:08d}",
            "event_type": "asset.viewed",
            "occurred_at": start + timedelta(seconds=i * 86400 // count),
            "received_at": start + timedelta(seconds=i * 86400 // count),
            "session_id": f"s{i % 5000}",
            "ip_address": ips[i % n_ips],
            "user_agent": uas[(i * 7) % n_agents],
            "props": {},
        }
        for i in range(count)
    ]
    async with db.writer() as session:
        await (await session.connection()).execute(insert(E), rows)


_COLUMNS = ("user_role", "country", "region", "city", "device_type", "browser", "os")


async def written_values(db: Database) -> list[dict[str, Any]]:
    """What the enrichment wrote, per event; then the events are as before it ran."""
    async with db.reader() as session:
        query = select(E.id, *(getattr(E, c) for c in _COLUMNS), E.props, E.enriched_at)
        rows = (await session.execute(query)).all()
    values = [
        {
            "b_id": r[0],
            **{f"b_{c}": r[1 + i] for i, c in enumerate(_COLUMNS)},
            "b_props": r[-2],
            "b_at": r[-1],
        }
        for r in rows
    ]
    async with db.writer() as session:
        await session.execute(
            update(E).values(**{c: None for c in _COLUMNS}, props={}, enriched_at=None)
        )
    if db.dialect == "postgresql":
        # The reset left a dead version of every row: vacuum, so the baseline writes
        # into a table as clean as the one the enrichment wrote into.
        async with db.engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await auto.execute(text("VACUUM ANALYZE analytics_events"))
    return values


async def bare_update(db: Database, values: list[dict[str, Any]]) -> float:
    """Seconds of one executemany UPDATE of `values` by id, in one transaction."""
    sets = ", ".join(f"{c} = :b_{c}" for c in _COLUMNS)
    statement = text(
        f"UPDATE analytics_events SET {sets}, props = :b_props, enriched_at = :b_at"
        " WHERE id = :b_id"
    ).bindparams(bindparam("b_props", type_=JSONType), bindparam("b_at", type_=UTCDateTime()))
    started = time.perf_counter()
    async with db.writer() as session:
        await (await session.connection()).execute(statement, values)
    return time.perf_counter() - started
