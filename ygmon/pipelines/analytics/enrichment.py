"""enrich(db): fill the context of raw events not yet enriched: the actor's role, geo
from the IP, device type, browser and OS from the user agent, and enriched_at.

An event that cannot be fully enriched (private or malformed IP, empty agent, unknown
user) gets what can be found, and its gaps are listed in props["enrichmentGaps"]; it
is never dropped. Batches are read by id (keyset) and written with one executemany
UPDATE each (the gaps merged into props by the statement, so props are never read);
a second run finds nothing left (enriched_at is set), so it is harmless.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import String, bindparam, select, update

from ygmon.db import Database
from ygmon.db.models import AnalyticsEvent as E
from ygmon.db.models import User
from ygmon.pipelines.analytics.lookups import agent, geo
from ygmon.pipelines.analytics.sql_functions import with_key

BATCH = 2000
GAPS = "enrichmentGaps"


@dataclass(frozen=True)
class EnrichResult:
    enriched: int
    with_gaps: int

    def as_json(self) -> dict[str, int]:
        return {"enriched": self.enriched, "withGaps": self.with_gaps}


async def enrich(
    db: Database,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    event_ids: Sequence[str] | None = None,
    now: datetime | None = None,
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> EnrichResult:
    """Enrich every event not yet enriched (occurred in [since, until), or among
    `event_ids`); returns how many were, and how many of them have gaps."""
    stamp = now or datetime.now(UTC)
    enriched = gaps_total = 0
    after = ""
    write = (
        update(E)
        .where(E.id == bindparam("b_id"))
        .values(
            user_role=bindparam("b_role"),
            country=bindparam("b_country"),
            region=bindparam("b_region"),
            city=bindparam("b_city"),
            device_type=bindparam("b_device"),
            browser=bindparam("b_browser"),
            os=bindparam("b_os"),
            props=with_key(E.props, GAPS, bindparam("b_gaps", type_=String())),
            enriched_at=bindparam("b_at", type_=E.enriched_at.type),
        )
        .execution_options(synchronize_session=False)
    )
    while True:
        query = (
            select(E.id, E.actor_id, E.ip_address, E.user_agent, User.id, User.role)
            .outerjoin(User, User.id == E.actor_id)
            .where(E.enriched_at.is_(None), E.id > after)
            .order_by(E.id)
            .limit(batch)
        )
        if since is not None:
            query = query.where(E.occurred_at >= since)
        if until is not None:
            query = query.where(E.occurred_at < until)
        if event_ids is not None:
            query = query.where(E.id.in_(list(event_ids)))
        async with db.writer() as session:
            conn = await session.connection()  # Core: rows, not ORM loading
            rows = (await conn.execute(query)).all()
            if not rows:
                break
            values = []
            for event_id, actor_id, ip, ua, user_id, role in rows:
                place = geo(ip)
                device = agent(ua)
                gaps = [g for g in (place.gap, device.gap) if g]
                if actor_id is not None and user_id is None:
                    gaps.append("unknown user")
                if gaps:
                    gaps_total += 1
                values.append(
                    {
                        "b_id": event_id,
                        "b_role": str(role.value) if role is not None else None,
                        "b_country": place.country,
                        "b_region": place.region,
                        "b_city": place.city,
                        "b_device": device.device_type,
                        "b_browser": device.browser,
                        "b_os": device.os,
                        "b_gaps": json.dumps(gaps) if gaps else None,
                        "b_at": stamp,
                    }
                )
            await conn.execute(write, values)
        enriched += len(rows)
        after = rows[-1][0]
        if progress is not None:
            progress(enriched)
    return EnrichResult(enriched, gaps_total)
