"""One interface over the two index engines: Postgres tsvector columns and SQLite FTS5.

Every write compares what the index holds with what the rows say and changes only
the difference, counting what it fixed: the real-time update, the bulk job and the
full reindex all write through `sync_ids` / `sync_batch` (+ `flush`), so a second run of any of
them changes nothing (the jobs are idempotent).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from ygmon.pipelines.search.entities import Entity
from ygmon.pipelines.search.fixes import Counts
from ygmon.pipelines.search.query import SearchHit

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from ygmon.db import Database


class SearchIndex(Protocol):
    async def sync_ids(self, session: AsyncSession, ent: Entity, ids: list[str]) -> Counts:
        """Bring the index entries of `ids` in line with their rows (absent rows:
        their entries go). Inside the caller's write transaction."""
        ...

    async def sync_batch(
        self, session: AsyncSession, ent: Entity, after: str | None, size: int
    ) -> tuple[str | None, int, Counts]:
        """Check the next `size` rows after position `after` (an engine's own walk
        order: ids on Postgres, rowids on SQLite): (last position, rows seen, fixes);
        last position None once there are no more rows. The fixes may be held back
        until `flush`, which the caller calls before it commits."""
        ...

    async def flush(self, session: AsyncSession, ent: Entity) -> None:
        """Write the fixes of `ent` that sync_batch held back."""
        ...

    async def end_walk(self, session: AsyncSession, ent: Entity) -> int:
        """After a reindex's last batch of `ent`: drop index entries whose row no
        longer exists (how many), and undo what the walk tuned."""
        ...

    async def search(
        self, session: AsyncSession, terms: list[str], entities: list[Entity], limit: int
    ) -> list[SearchHit]: ...

    async def sizes(self, session: AsyncSession, entities: list[Entity]) -> dict[str, int]:
        """Indexed documents per entity."""
        ...


def search_index(database: Database) -> SearchIndex:
    """The index engine of `database`'s dialect."""
    if database.dialect == "postgresql":
        from ygmon.pipelines.search.index_postgres import PostgresIndex

        return PostgresIndex()
    from ygmon.pipelines.search.index_sqlite import SqliteIndex

    return SqliteIndex()
