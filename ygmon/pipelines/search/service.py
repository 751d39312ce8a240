"""Indexing services the jobs call: one entity, many of one type, and searching.

They take a Database and know nothing of Huey, so tests call them directly.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy import text

from ygmon.db import Database
from ygmon.errors import ConfigError
from ygmon.pipelines.search.entities import ENTITIES, ENTITIES_BY_NAME, entity
from ygmon.pipelines.search.fixes import Counts, add_counts, no_fixes
from ygmon.pipelines.search.index import search_index
from ygmon.pipelines.search.query import SearchHit, words

BULK_BATCH = 50
MAX_LIMIT = 200


async def index_one(database: Database, entity_name: str, entity_id: str) -> Counts:
    """Index, re-index or remove one entity's entry, as its row now says.

    An asset's licenses carry its title, so they are brought along."""
    ent = entity(entity_name)
    engine = search_index(database)
    async with database.writer() as session:
        counts = await engine.sync_ids(session, ent, [entity_id])
        if ent.name == "asset":
            licenses = await session.scalars(
                text("SELECT id FROM licenses WHERE ip_asset_id = :id"), {"id": entity_id}
            )
            ids = list(licenses)
            if ids:
                add_counts(counts, await engine.sync_ids(session, ENTITIES_BY_NAME["license"], ids))
    return counts


async def index_many(
    database: Database,
    entity_name: str,
    ids: list[str],
    progress: Callable[[float], None] | None = None,
    batch: int = BULK_BATCH,
    pause: float = 0.0,
) -> Counts:
    """Index `ids` of one entity type, `batch` per transaction, reporting progress
    (0-100) after each. A batch commits as a whole, so a retry redoes at most one."""
    ent = entity(entity_name)
    engine = search_index(database)
    counts = no_fixes()
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), batch):
        async with database.writer() as session:
            add_counts(counts, await engine.sync_ids(session, ent, unique[start : start + batch]))
        if progress is not None:
            progress(100.0 * min(start + batch, len(unique)) / max(1, len(unique)))
        if pause and start + batch < len(unique):
            await asyncio.sleep(pause)
    return counts


async def search(
    database: Database, query: str, entity_name: str | None = None, limit: int = 20
) -> list[SearchHit]:
    """Ranked hits for what a user typed; nothing (never an error) when it holds no
    searchable word."""
    if limit < 1 or limit > MAX_LIMIT:
        raise ConfigError(f"search limit must be 1-{MAX_LIMIT}, not {limit}")
    entities = [entity(entity_name)] if entity_name else list(ENTITIES)
    terms = words(query)
    if not terms:
        return []
    if database.dialect == "postgresql":
        # One statement, so no transaction around it: one trip to the server, not
        # three (BEGIN, the query, ROLLBACK), each a wait for its process on a busy host.
        async with database.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            return await search_index(database).search(conn, terms, entities, limit)  # type: ignore[arg-type]
    async with database.reader() as session:
        return await search_index(database).search(session, terms, entities, limit)


async def index_sizes(database: Database) -> dict[str, int]:
    """Documents in the index per entity."""
    async with database.reader() as session:
        return await search_index(database).sizes(session, list(ENTITIES))
