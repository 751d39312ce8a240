"""Latency of GET /api/admin/jobs/aggregation/logs over 1,000,000 log rows, on Postgres
and on SQLite, against the same statements run directly on the database in the same run.

Cases: page 1 and page 1000 (pageSize 50), without a filter and with each filter. The
API side is a real `ygmon serve` app (uvicorn on 127.0.0.1, one keep-alive connection
of the standard library's http.client: httpx spends about 1.5 ms more per 22 kB answer
in its own Python on a 2-core machine, time the client adds and the API does not);
the direct side runs ygmon.monitor.queries' tally and
page statements through an engine of its own, one sample of each side after the other.
Rows go in with COPY (Postgres) and executemany (SQLite); the log's triggers fill the
tally as they go.

    .venv/bin/python -m bench api

Postgres comes from YGMON_BENCH_POSTGRES_URL (default: YGMON_TEST_POSTGRES_URL, else
postgresql+asyncpg://postgres@127.0.0.1:5432/test); a fresh database is created and
dropped. YGMON_BENCH_LOG_ROWS changes the row count, YGMON_BENCH_REPEAT the samples.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import statistics
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime, timedelta
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

import uvicorn

from bench.figure import Figure
from bench.postgres_db import PG_URL, fresh_database
from ygmon.api.app import create_app
from ygmon.api.auth import issue_token
from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.monitor import queries
from ygmon.monitor.schemas import LogQuery

ROWS = int(os.environ.get("YGMON_BENCH_LOG_ROWS", "1000000"))
REPEAT = int(os.environ.get("YGMON_BENCH_REPEAT", "25"))
SECRET = "bench-secret-" + "x" * 40
SQLITE_TIMESTAMP = "%Y-%m-%d %H:%M:%S.%f"
START = datetime(2020, 1, 1, tzinfo=UTC)
TYPES = ("daily", "daily", "daily", "weekly", "monthly")
COLUMNS = (
    "id",
    "job_type",
    "period_start_date",
    "period_end_date",
    "started_at",
    "completed_at",
    "status",
    "records_processed",
    "records_created",
    "records_updated",
    "errors_count",
    "duration_seconds",
    "memory_used_mb",
    "error_message",
    "error_stack",
    "metadata",
    "created_at",
)


def _status(i: int) -> str:
    if i % 50 == 7:
        return "FAILED"
    if i % 10 == 3:
        return "PARTIAL"
    return "COMPLETED"


def _rows(n: int) -> Iterator[tuple[Any, ...]]:
    """Deterministic rows: one run every 5 minutes, newest last; every filter of the
    bench keeps at least 100,000 of 1,000,000 rows, so page 1000 is full."""
    for i in range(n):
        began = START + timedelta(minutes=5 * i)
        day = began.date()
        status = _status(i)
        yield (
            f"{i:032x}",
            TYPES[i % 5],
            day - timedelta(days=1),
            day,
            began,
            began + timedelta(seconds=42),
            status,
            1000 + i % 997,
            i % 101,
            i % 37,
            1 if status != "COMPLETED" else 0,
            42.125,
            128,
            "boom" if status == "FAILED" else None,
            None,
            "{}",
            began,
        )


def _filters(n: int) -> dict[str, dict[str, str]]:
    last_day = (START + timedelta(minutes=5 * (n - 1))).date()
    span = last_day - START.date()
    return {
        "none": {},
        "jobType": {"jobType": "weekly"},
        "status": {"status": "PARTIAL"},
        "startDate": {"startDate": (last_day - span * 0.3).isoformat()},
        "endDate": {"endDate": (START.date() + span * 0.3).isoformat()},
    }


def _query(params: dict[str, str], page: int) -> LogQuery:
    return LogQuery(
        page=page,
        page_size=50,
        job_type=params.get("jobType"),
        status=params.get("status"),
        start_date=date.fromisoformat(params["startDate"]) if "startDate" in params else None,
        end_date=date.fromisoformat(params["endDate"]) if "endDate" in params else None,
    )


# --- loading ---------------------------------------------------------------------------


async def _load_postgres(url: str, n: int) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        records = ((*r[:15], r[15], r[16]) for r in _rows(n))
        await conn.copy_records_to_table(
            "metrics_aggregation_jobs_log", records=records, columns=COLUMNS
        )
        # What autovacuum does after a bulk load in production: statistics for the planner,
        # and the visibility map that lets the page query skip to its ids on the index
        # alone. The triggers filled the tally within the COPY.
        await conn.execute("VACUUM ANALYZE metrics_aggregation_jobs_log")
        await conn.execute("VACUUM ANALYZE metrics_aggregation_jobs_log_counts")
    finally:
        await conn.close()


def _load_sqlite(path: str, n: int) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        marks = ",".join("?" * len(COLUMNS))
        sql = f"insert into metrics_aggregation_jobs_log ({','.join(COLUMNS)}) values ({marks})"

        def adapt(r: tuple[Any, ...]) -> tuple[Any, ...]:
            # The UTCDateTime column stores naive UTC text on SQLite, spelt as SQLAlchemy
            # spells it (always with microseconds), so text comparisons order it right.
            return tuple(
                v.strftime(SQLITE_TIMESTAMP)
                if isinstance(v, datetime)
                else v.isoformat()
                if isinstance(v, date)
                else v
                for v in r
            )

        conn.executemany(sql, (adapt(r) for r in _rows(n)))
        conn.commit()
        conn.execute("ANALYZE")
    finally:
        conn.close()


# --- measuring -------------------------------------------------------------------------


@contextmanager
def _serve(profile: LocalProfile) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(profile, per_minute=10_000_000)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _time_both(
    client: HTTPConnection,
    token: str,
    loop: asyncio.AbstractEventLoop,
    db: Database,
    params: dict[str, str],
    page: int,
) -> tuple[float, float]:
    """Median ms of the API and of the direct query, sampled alternately: on a noisy
    machine, two series taken one after the other differ by the noise of their moment."""
    query = {**params, "page": str(page), "pageSize": "50"}
    log_query = _query(params, page)

    target = "/api/admin/jobs/aggregation/logs?" + urllib.parse.urlencode(query)
    headers = {"Authorization": f"Bearer {token}"}

    def api() -> float:
        t = time.perf_counter()
        client.request("GET", target, headers=headers)
        response = client.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - t
        assert response.status == 200, body
        return elapsed

    async def direct_once() -> float:
        t = time.perf_counter()
        async with db.reader() as session:
            await queries.aggregation_logs(session, log_query)
        return time.perf_counter() - t

    def direct() -> float:
        return loop.run_until_complete(direct_once())

    api(), direct()  # warm
    api_samples, direct_samples = [], []
    for _ in range(REPEAT):
        api_samples.append(api())
        direct_samples.append(direct())
    return _median_ms(api_samples), _median_ms(direct_samples)


def _measure(label: str, url: str, broker: str) -> list[Figure]:
    profile = LocalProfile(database_url=url, broker_url=broker, jwt_secret=SECRET)
    token = issue_token(SECRET, "ADMIN", "bench", 3600)
    figures = []
    db = Database(url)
    loop = asyncio.new_event_loop()
    try:
        with ExitStack() as stack:
            base = stack.enter_context(_serve(profile))
            client = HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=60)
            stack.callback(client.close)
            for name, params in _filters(ROWS).items():
                for page in (1, 1000):
                    api_ms, direct_ms = _time_both(client, token, loop, db, params, page)
                    target = "API adds <= 5 ms"
                    ok = api_ms - direct_ms <= 5
                    if label == "postgres" and page == 1 and name != "none":
                        target += ", < 30 ms"
                        ok = ok and api_ms < 30
                    figures.append(
                        Figure(
                            f"{label} logs page {page} filter {name}",
                            api_ms,
                            "ms (median)",
                            "same query direct",
                            direct_ms,
                            target,
                            ok,
                        )
                    )
    finally:
        loop.run_until_complete(db.dispose())
        loop.close()
    return figures


def _prepare(url: str, loader: Callable[[], None]) -> float:
    async def migrate() -> None:
        db = Database(url)
        try:
            await upgrade(db)
        finally:
            await db.dispose()

    asyncio.run(migrate())
    started = time.perf_counter()
    loader()
    return time.perf_counter() - started


def run() -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="ygmon-bench-api-") as tmp:
        tmp_path = Path(tmp)
        broker = f"sqlite:///{tmp_path / 'queue.db'}"
        with fresh_database(PG_URL) as pg_url:
            seconds = _prepare(pg_url, lambda: asyncio.run(_load_postgres(pg_url, ROWS)))
            figures.append(Figure(f"postgres load {ROWS:,} rows (COPY)", seconds, "s"))
            figures += _measure("postgres", pg_url, broker)
        sqlite_path = tmp_path / "logs.db"
        sqlite_url = f"sqlite+aiosqlite:///{sqlite_path}"
        seconds = _prepare(sqlite_url, lambda: _load_sqlite(str(sqlite_path), ROWS))
        figures.append(Figure(f"sqlite load {ROWS:,} rows (executemany)", seconds, "s"))
        figures += _measure("sqlite", sqlite_url, broker)
    return figures
