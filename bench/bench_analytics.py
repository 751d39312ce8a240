"""The analytics pipeline against its bare SQL, on SQLite and Postgres (issue 9).

(a) The daily aggregation of one day of YGMON_BENCH_EVENTS events (default 1,000,000;
10 event types, 10,000 users, 50,000 assets) through the job: `aggregate-daily`
enqueued and run by a real `ygmon worker` process, timed from the job's start to its
end as the registry records them; against the bare INSERT ... SELECT ... GROUP BY
writing the same rows (bench/analytics_data.py) on the same database in the same run.
The rows of both are compared. Target: at most 1.3x, and the worker's peak RSS (VmHWM) under 200 MB.

(b) Enrichment of YGMON_BENCH_ENRICH events (default 100,000; 1,000 distinct agents,
20,000 distinct IPs) by the pipeline's `enrich` with cold caches, against one bulk
UPDATE (executemany, one transaction) writing the very values it wrote. Target: 2x.

Postgres comes from YGMON_BENCH_POSTGRES_URL (default
postgresql+asyncpg://postgres@127.0.0.1:5432/postgres); each run makes its own database
and drops it. YGMON_BENCH_DBS=sqlite runs one of them.

    .venv/bin/python -m bench analytics
    YGMON_BENCH_EVENTS=100000 YGMON_BENCH_DBS=sqlite .venv/bin/python -m bench analytics
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, bindparam, delete, select, text

from bench.analytics_data import (
    bare_daily_sql,
    day_bounds,
    fill_events,
    fill_people_and_assets,
)
from bench.analytics_enrich_data import bare_update, fill_raw_events, written_values
from bench.figure import Figure
from bench.postgres_db import fresh_database_async
from bench.worker_process import ygmon_worker
from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.base import UTCDateTime
from ygmon.db.migrate import upgrade
from ygmon.db.models import DailyMetric
from ygmon.jobs.runtime import open_runtime

EVENTS = int(os.environ.get("YGMON_BENCH_EVENTS", "1000000"))
USERS, ASSETS = 10_000, 50_000
ENRICH = int(os.environ.get("YGMON_BENCH_ENRICH", "100000"))
AGENTS, IPS = 1_000, 20_000
DBS = tuple(os.environ.get("YGMON_BENCH_DBS", "sqlite,postgres").split(","))
PG_URL = os.environ.get(
    "YGMON_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
PARTS = tuple(os.environ.get("YGMON_BENCH_PARTS", "daily,enrich").split(","))
DAY = date(2026, 11, 4)
NOW = datetime(2026, 11, 5, 0, 5, tzinfo=UTC)
RSS_LIMIT_MB = 200
ROUNDS = int(os.environ.get("YGMON_BENCH_ROUNDS", "2"))


@asynccontextmanager
async def _database(kind: str, folder: Path, name: str) -> AsyncIterator[Database]:
    if kind == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{folder / f'{name}.db'}")
        try:
            await upgrade(db)
            yield db
        finally:
            await db.dispose()
        return
    async with fresh_database_async(PG_URL) as url:
        db = Database(url)
        try:
            await upgrade(db)
            yield db
        finally:
            await db.dispose()


async def _daily_rows(db: Database) -> set[tuple[Any, ...]]:
    async with db.reader() as session:
        rows = (await session.execute(select(DailyMetric).where(DailyMetric.date == DAY))).scalars()
        return {
            (
                r.ip_asset_id,
                r.views,
                r.clicks,
                r.conversions,
                r.unique_visitors,
                r.engagement_seconds,
                r.revenue_cents,
                json.dumps(
                    r.breakdown if isinstance(r.breakdown, dict) else json.loads(r.breakdown),
                    sort_keys=True,
                ),
            )
            for r in rows
        }


async def _bare_daily(db: Database) -> float:
    start, end = day_bounds(DAY)
    statement = text(bare_daily_sql(db.dialect)).bindparams(
        bindparam("start", start, type_=UTCDateTime()),
        bindparam("end", end, type_=UTCDateTime()),
        bindparam("day", DAY, type_=Date()),
        bindparam("now", NOW, type_=UTCDateTime()),
    )
    started = time.perf_counter()
    async with db.writer() as session:
        await session.execute(statement)
    return time.perf_counter() - started


async def _clear_daily(db: Database) -> None:
    async with db.writer() as session:
        await session.execute(delete(DailyMetric).where(DailyMetric.date == DAY))


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


async def _job_daily(runtime: Any) -> tuple[float, dict[str, Any]]:
    """Seconds the job ran (its start to its end in the registry: the task, its
    enrichment check, both log writes and the rollup; not the wait in the queue), and
    the job's result."""
    job_id = runtime.enqueue("aggregate-daily", date=DAY.isoformat(), trigger="manual")
    deadline = time.monotonic() + 1800
    while True:
        job = runtime.registry.get_job(job_id)
        if job.state.value in ("completed", "failed") or job.attempts_made > 1:
            break
        if time.monotonic() > deadline:
            raise TimeoutError("the daily job did not end in 30 minutes")
        await asyncio.sleep(0.02)
    if job.state.value != "completed" or job.started_at is None or job.finished_at is None:
        raise RuntimeError(f"the daily job failed: {job.error_stack}")
    return (job.finished_at - job.started_at).total_seconds(), job.result or {}


async def _daily(kind: str, folder: Path) -> list[Figure]:
    """Bare statement and job in turn, ROUNDS times over the same events (the day's
    rows deleted before each), the best of each: the machine is shared."""
    async with _database(kind, folder, "daily") as db:
        await fill_people_and_assets(db, USERS, ASSETS, NOW)
        await fill_events(db, EVENTS, USERS, ASSETS, DAY)
        profile = LocalProfile(
            database_url=str(db.engine.url.render_as_string(hide_password=False)),
            broker_url=f"sqlite:///{folder / f'{kind}-queue.db'}",
            namespace=f"bench{uuid.uuid4().hex[:8]}",
        )
        bare, job = [], []
        with (
            ygmon_worker(
                profile, folder / "ygmon.toml", "--queues", "metrics-aggregation", "--no-schedule"
            ) as proc,
            open_runtime(profile) as runtime,
        ):
            for _ in range(ROUNDS):
                bare.append(await _bare_daily(db))
                expected = await _daily_rows(db)
                await _clear_daily(db)
                seconds, result = await _job_daily(runtime)
                job.append(seconds)
                got = await _daily_rows(db)
                await _clear_daily(db)
                if got != expected:
                    raise RuntimeError(
                        f"{kind}: the job's rows differ from the bare statement's "
                        f"({len(got ^ expected)} of {len(got)} / {len(expected)})"
                    )
            rss = _peak_rss_mb(proc.pid)
    rows = f"{len(got):,} rows, {result.get('errorsCount', 0):,} unattributable"
    return [
        Figure(
            f"{kind}: daily job over {EVENTS:,} events ({rows}; best of {ROUNDS})",
            min(job),
            "s",
            "bare INSERT ... SELECT ... GROUP BY",
            min(bare),
            "<= 1.3x",
            min(job) <= 1.3 * min(bare),
        ),
        Figure(
            f"{kind}: worker peak RSS over those runs",
            rss,
            "MB",
            target=f"< {RSS_LIMIT_MB} MB",
            ok=rss < RSS_LIMIT_MB,
        ),
    ]


async def _enrichment(kind: str, folder: Path) -> list[Figure]:
    """The enrichment and the bare UPDATE in turn, ROUNDS times over the same events
    (reset to raw before each), the best of each."""
    from ygmon.pipelines.analytics.enrichment import enrich
    from ygmon.pipelines.analytics.lookups import agent, geo

    job, bare = [], []
    async with _database(kind, folder, "enrich") as db:
        await fill_raw_events(db, ENRICH, AGENTS, IPS, DAY)
        # A worker's parser and geo reader are loaded once in its life: load them, then
        # empty the caches, so every agent and address is looked up (the worst case).
        agent("Mozilla/5.0 (compatible; Googlebot/2.1)")
        geo("8.8.8.8")
        for _ in range(ROUNDS):
            geo.cache_clear()
            agent.cache_clear()
            started = time.perf_counter()
            done = await enrich(db, now=NOW)
            job.append(time.perf_counter() - started)
            values = await written_values(db)
            bare.append(await bare_update(db, values))
            await written_values(db)
    return [
        Figure(
            f"{kind}: enrich {done.enriched:,} events ({AGENTS:,} agents, {IPS:,} IPs;"
            f" best of {ROUNDS})",
            min(job),
            "s",
            "bare bulk UPDATE of the same values",
            min(bare),
            "<= 2x",
            min(job) <= 2 * min(bare),
        )
    ]


def run() -> Iterator[Figure]:
    with tempfile.TemporaryDirectory(prefix="ygmon-bench-analytics-") as where:
        folder = Path(where)
        for kind in DBS if "daily" in PARTS else ():
            yield from asyncio.run(_daily(kind, folder))
        for kind in DBS if "enrich" in PARTS else ():
            yield from asyncio.run(_enrichment(kind, folder))
