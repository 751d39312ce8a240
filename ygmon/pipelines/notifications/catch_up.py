"""Digest runs and the catch-up of a missed one when a worker starts.

Huey runs a periodic task when its cron minute comes and never looks back, so a worker
that was down at 09:00 would skip that day's digest. Every digest run records its
period (`notification_digest_runs`, unique on kind and period); a worker that runs the
schedule, on start, looks at the latest period of each digest that was due by now: if
the digest ran before (so this deployment sends digests) but not for that period, it
claims the period (the same unique row) and enqueues one run of it. Two workers
starting together insert the same row, and only the one whose insert went in enqueues.

One period is caught up, the latest: a digest lists every unread notification since
the user's last one, so one run after an outage covers all the days it missed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from ygmon.db import Database
from ygmon.db.models import DigestRun
from ygmon.pipelines.notifications.periods import period_start


async def record_run(db: Database, kind: str, period: datetime, by: str, now: datetime) -> bool:
    """Record that a run of `kind` for `period` started; True when this call was first."""
    insert = postgresql.insert if db.dialect == "postgresql" else sqlite.insert
    statement = (
        insert(DigestRun)
        .values(kind=kind, period_start=period, started_by=by[:64], started_at=now)
        .on_conflict_do_nothing(index_elements=[DigestRun.kind, DigestRun.period_start])
    )
    async with db.writer() as session:
        return (await session.execute(statement)).rowcount == 1


async def missed_period(db: Database, kind: str, now: datetime) -> datetime | None:
    """The latest period of `kind` due by `now`, when a digest ran before it and none
    for it; else None (a fresh deployment has nothing to catch up)."""
    period = period_start(kind, now)
    async with db.reader() as session:
        latest = (
            await session.execute(
                select(func.max(DigestRun.period_start)).where(DigestRun.kind == kind)
            )
        ).scalar_one_or_none()
    if latest is None or latest >= period:
        return None
    return period


async def claim_missed(
    db: Database, kinds: list[str], by: str, now: datetime
) -> dict[str, datetime]:
    """{kind: period} of the missed digests this caller won (see the module docstring)."""
    won = {}
    for kind in kinds:
        period = await missed_period(db, kind, now)
        if period is not None and await record_run(db, kind, period, by, now):
            won[kind] = period
    return won
