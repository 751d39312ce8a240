"""Search extension endpoints: query the index, and the index's overview (size per
entity, last full reindex). Under the same guard, rate limit and errors as the rest;
the contract's /search-index/stats stays the queues' counts."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from ygmon.api.deps import monitor_of, ok, read_route
from ygmon.api.models import (
    ERRORS,
    QUERY_ERRORS,
    Envelope,
    extension,
    extension_get,
    extension_router,
    query_param,
)
from ygmon.api.params import QueryParams
from ygmon.monitor.search_schemas import (
    MAX_SEARCH_LIMIT,
    QUERY_CHARS,
    SearchIndexOverview,
    SearchResults,
)
from ygmon.pipelines.search.entities import ENTITY_NAMES

router = extension_router()


@extension_get(
    router,
    "/search",
    Envelope[SearchResults],
    QUERY_ERRORS,
    query_param(
        "q",
        {"type": "string"},
        f"What to search for: its first words (past {QUERY_CHARS} characters the "
        "text is cut, not refused)",
    ),
    query_param("entity", {"type": "string", "enum": list(ENTITY_NAMES)}, "One type"),
    query_param(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_SEARCH_LIMIT, "default": 20},
        "Most hits",
    ),
)
async def search(request: Request) -> JSONResponse:
    """Ranked hits of the search index, with a highlighted snippet each."""
    q = QueryParams(request.query_params)
    # Cut rather than refused: a pasted paragraph searches its first words.
    text = request.query_params.get("q", "")[:QUERY_CHARS]
    entity = q.choice("entity", list(ENTITY_NAMES))
    limit = q.integer("limit", 20, 1, MAX_SEARCH_LIMIT)
    q.check()
    return ok(await monitor_of(request).search(text, entity, limit))


read_route(
    router,
    "/search-index/overview",
    lambda m: m.search_index_overview(),
    SearchIndexOverview,
    name="overview",
    doc=(
        "Documents in the index per entity, and when the last full reindex finished and "
        "what it fixed."
    ),
    responses=ERRORS,
    openapi_extra=extension(),
)
