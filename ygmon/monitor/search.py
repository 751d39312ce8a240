"""LocalMonitor's search abilities: a query over the index, and the index's overview."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ygmon.errors import ConfigError
from ygmon.monitor.search_schemas import (
    MAX_SEARCH_LIMIT,
    QUERY_CHARS,
    ReindexSummary,
    SearchHit,
    SearchIndexOverview,
    SearchResults,
)

if TYPE_CHECKING:
    from ygmon.db import Database


def check_search(entity: str | None, limit: int) -> None:
    """ConfigError (one line) for an unknown entity or a limit out of range."""
    from ygmon.pipelines.search.entities import ENTITY_NAMES

    if entity is not None and entity not in ENTITY_NAMES:
        raise ConfigError(f"unknown search entity '{entity}' (entities: {', '.join(ENTITY_NAMES)})")
    if not 1 <= limit <= MAX_SEARCH_LIMIT:
        raise ConfigError(f"search limit must be between 1 and {MAX_SEARCH_LIMIT}")


async def run_search(
    database: Database, query: str, entity: str | None, limit: int
) -> SearchResults:
    from ygmon.pipelines.search.service import search

    check_search(entity, limit)
    query = query[:QUERY_CHARS]
    hits = await search(database, query, entity, limit)
    return SearchResults(
        query=query,
        entity=entity,
        hits=[SearchHit.model_validate(h.as_dict()) for h in hits],
    )


async def index_overview(database: Database) -> SearchIndexOverview:
    from ygmon.pipelines.search.reindex import last_full_reindex
    from ygmon.pipelines.search.service import index_sizes

    last = await last_full_reindex(database)
    return SearchIndexOverview(
        sizes=await index_sizes(database),
        last_full_reindex=ReindexSummary.model_validate(last) if last else None,
    )
