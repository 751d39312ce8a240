"""A fresh Postgres database for one benchmark, dropped afterwards, beside the server of
$YGMON_BENCH_POSTGRES_URL (else the tests' one)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

PG_URL = os.environ.get(
    "YGMON_BENCH_POSTGRES_URL",
    os.environ.get("YGMON_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"),
)


def pg_dsn(url: str) -> str:
    """asyncpg's form of a SQLAlchemy URL."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin(base_url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(pg_dsn(base_url))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _named(base_url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(base_url).set(drivername="postgresql+asyncpg", database=name)
    return url.render_as_string(hide_password=False)


@asynccontextmanager
async def fresh_database_async(base_url: str = PG_URL) -> AsyncIterator[str]:
    """The asyncpg URL of a new, empty database (for callers inside an event loop)."""
    name = f"ygmon_bench_{uuid.uuid4().hex[:10]}"
    await _admin(base_url, f'CREATE DATABASE "{name}"')
    try:
        yield _named(base_url, name)
    finally:
        await _admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_database(base_url: str = PG_URL) -> Iterator[str]:
    """As fresh_database_async, for synchronous callers."""
    name = f"ygmon_bench_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(base_url, f'CREATE DATABASE "{name}"'))
    try:
        yield _named(base_url, name)
    finally:
        asyncio.run(_admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
