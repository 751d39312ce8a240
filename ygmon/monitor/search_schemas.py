"""What the Monitor answers about the search index: hits, index size, last reindex.

`search_index_stats` (the contract's) stays the three queues' counts; these are the
extension's.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from ygmon.monitor.schemas import CamelModel

QUERY_CHARS = 1_200
"""Only the first words of a query are searched (ygmon.pipelines.search.query), so a
client sends at most this many characters: 10 kB of input still fits a URL."""
MAX_SEARCH_LIMIT = 100


class SearchHit(CamelModel):
    entity: str
    id: str
    title: str
    snippet: str
    """Matched words between « and »."""
    rank: float


class SearchResults(CamelModel):
    query: str
    entity: str | None = None
    hits: list[SearchHit] = Field(default_factory=list)


class ReindexSummary(CamelModel):
    run: str
    """The reindex job's id."""
    started_at: datetime
    finished_at: datetime
    checked: int
    fixed: dict[str, dict[str, int]]
    """Per entity: missing, stale, soft_deleted, orphaned."""
    total_fixed: int


class SearchIndexOverview(CamelModel):
    sizes: dict[str, int]
    """Indexed documents per entity."""
    last_full_reindex: ReindexSummary | None = None
