"""The SQLite engine: one FTS5 table per entity (porter unicode61), ranked by bm25.

An entry's rowid is its row's rowid in the entity's table, and the entry keeps the
entity's id as well. The reindex walks a table in rowid order and so appends to the
FTS5 table in rowid order with small rowid gaps, as a plain INSERT ... SELECT does:
FTS5 stores rowid deltas as varints in every term's doclist, and rowids taken from
random 64-bit ids (the first layout) doubled the index and cost the reindex a third
more. An entry whose id is not its row's (a rowid reused after a delete) is a
leftover: it is replaced. The entry of a row that is gone is found by its id, a scan
of the FTS5 table, which only a hard delete pays; the reindex's sweep drops the rest,
the first layout's entries among them (until that first reindex, a row updated gets
a second entry beside its old one).

Documents are computed in SQL, one expression per field, and compared with the entry
in SQL, for the update, the bulk job and the reindex alike: one statement classifies a
batch, and rows that need no fix cost no write. FTS5 writes a segment per statement
that changes it, so a batch's writes wait in the engine until `flush`, which writes
them in one DELETE and one INSERT ... SELECT.
"""

from __future__ import annotations

import heapq
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from ygmon.pipelines.search.entities import (
    BM25_WEIGHTS,
    Entity,
    Field,
    from_clause,
    indexed_text,
)
from ygmon.pipelines.search.fixes import Counts, add_counts, no_fixes
from ygmon.pipelines.search.query import HIGHLIGHT, SearchHit, fts5_match

_CHUNK = 500  # bound parameters per statement stay well under SQLite's limit
AUTOMERGE = 4
"""FTS5's own default: merge once 4 segments of a size are there."""
WALK_AUTOMERGE = 8
"""During a reindex walk: half the merging of segments its commits write (the fill's
CPU 1.35x the bare fill's -> 1.26x); queries read a few more segments meanwhile."""


_JOINED_LIST = (
    "(CASE WHEN json_type({sql}) = 'array' THEN coalesce("
    "(SELECT group_concat(value, ' ') FROM json_each({sql})), '') ELSE '' END)"
)


def _field_sql(field: Field) -> str:
    return indexed_text(field, _JOINED_LIST)


def _docs_sql(ent: Entity, where: str) -> str:
    """Each row's rowid, id, whether soft-deleted, and its document's fields."""
    cols = ", ".join(f"{_field_sql(f)} AS {f.name}" for f in ent.fields)
    return (
        f"SELECT t.rowid AS r, t.id AS id, t.deleted_at IS NOT NULL AS del, {cols} "
        f"FROM {from_clause(ent)} WHERE {where}"
    )


def _classify_sql(ent: Entity, where: str) -> str:
    """One row for the rows of `ent`'s table matching `where` (alias `t`): the last
    rowid, how many, the fixes counted, and the rowids whose entry goes and those whose
    entry is (re)written, comma-separated. A row's document is computed only when it
    has an entry to compare with: filling an empty index reads the rows once."""
    same = " AND ".join(f"f.{f.name} = {_field_sql(f)}" for f in ent.fields)
    return f"""
        WITH b AS (
            SELECT t.rowid AS r, t.id AS id, t.deleted_at IS NOT NULL AS del
            FROM {ent.table} t WHERE {where}
        ), c AS (
            SELECT b.r, b.del, f.rowid IS NOT NULL AS held, f.entity_id = b.id AS own,
                   CASE WHEN f.rowid IS NULL OR f.entity_id IS NOT b.id OR b.del THEN 0
                   ELSE coalesce((SELECT {same} FROM {from_clause(ent)} WHERE t.rowid = b.r), 0)
                   END AS same
            FROM b LEFT JOIN {ent.fts_table} f ON f.rowid = b.r
        )
        SELECT max(r), count(*),
               coalesce(sum(NOT del AND NOT (held AND own)), 0),
               coalesce(sum(NOT del AND held AND own AND NOT same), 0),
               coalesce(sum(del AND held AND own), 0),
               coalesce(sum(held AND NOT own), 0),
               group_concat(CASE WHEN held AND (del OR NOT same) THEN r END),
               group_concat(CASE WHEN NOT del AND NOT same THEN r END)
        FROM c
    """


def _counts(row: Any) -> Counts:
    counts = no_fixes()
    counts["missing"], counts["stale"], counts["soft_deleted"], counts["orphaned"] = (
        int(row[2]),
        int(row[3]),
        int(row[4]),
        int(row[5]),
    )
    return counts


class SqliteIndex:
    def __init__(self) -> None:
        # Per entity: rowids whose entries go, rowids whose rows are (re)indexed, both
        # as comma-separated integers the database itself produced.
        self._pending: dict[str, tuple[list[str], list[str]]] = {}
        self._walking: set[str] = set()

    async def _automerge(self, session: AsyncSession, ent: Entity, segments: int) -> None:
        # A setting FTS5 keeps in its table: a walk cut short leaves it until the next
        # walk ends, which costs queries a few segments and nothing else.
        await session.execute(
            text(
                f"INSERT INTO {ent.fts_table} ({ent.fts_table}, rank) "
                f"VALUES ('automerge', {int(segments)})"
            )
        )

    def _hold(self, ent: Entity, row: Any) -> None:
        drop, put = self._pending.setdefault(ent.name, ([], []))
        if row[6]:
            drop.append(row[6])
        if row[7]:
            put.append(row[7])

    async def flush(self, session: AsyncSession, ent: Entity) -> None:
        drop, put = self._pending.pop(ent.name, ([], []))
        if drop:
            await session.execute(
                text(f"DELETE FROM {ent.fts_table} WHERE rowid IN ({','.join(drop)})")
            )
        if put:
            names = ", ".join(f.name for f in ent.fields)
            docs = _docs_sql(ent, f"t.rowid IN ({','.join(put)})")
            await session.execute(
                text(
                    f"INSERT INTO {ent.fts_table} (rowid, entity_id, {names}) "
                    f"SELECT r, id, {names} FROM ({docs}) ORDER BY r"
                )
            )

    async def sync_ids(self, session: AsyncSession, ent: Entity, ids: list[str]) -> Counts:
        counts = no_fixes()
        unique = list(dict.fromkeys(ids))
        for i in range(0, len(unique), _CHUNK):
            chunk = unique[i : i + _CHUNK]
            params = {f"i{n}": v for n, v in enumerate(chunk)}
            where = f"t.id IN ({', '.join(':' + k for k in params)})"
            row = (await session.execute(text(_classify_sql(ent, where)), params)).one()
            add_counts(counts, _counts(row))
            self._hold(ent, row)
            if int(row[1]) < len(chunk):
                found = set(
                    await session.scalars(
                        text(f"SELECT t.id FROM {ent.table} t WHERE {where}"), params
                    )
                )
                gone = [v for v in chunk if v not in found]
                counts["orphaned"] += await self._remove_gone(session, ent, gone)
        await self.flush(session, ent)
        return counts

    async def _remove_gone(self, session: AsyncSession, ent: Entity, gone: list[str]) -> int:
        # The entity_id column is not indexed: a scan, paid by hard deletes alone.
        params = {f"g{n}": v for n, v in enumerate(gone)}
        result = await session.execute(
            text(
                f"DELETE FROM {ent.fts_table} WHERE entity_id IN "
                f"({', '.join(':' + k for k in params)})"
            ),
            params,
        )
        return int(result.rowcount or 0)

    async def sync_batch(
        self, session: AsyncSession, ent: Entity, after: str | None, size: int
    ) -> tuple[str | None, int, Counts]:
        # The position is a rowid; any other (a checkpoint of the first layout, which
        # walked ids) starts the entity over, which only rechecks its rows.
        start = int(after) if after and after.isdigit() else 0
        if ent.name not in self._walking:
            self._walking.add(ent.name)
            await self._automerge(session, ent, WALK_AUTOMERGE)
        sql = _classify_sql(ent, "t.rowid > :after ORDER BY t.rowid LIMIT :size")
        row = (await session.execute(text(sql), {"after": start, "size": size})).one()
        if row[0] is None:
            return None, 0, no_fixes()
        self._hold(ent, row)
        return str(row[0]), int(row[1]), _counts(row)

    async def end_walk(self, session: AsyncSession, ent: Entity) -> int:
        self._walking.discard(ent.name)
        await self._automerge(session, ent, AUTOMERGE)
        result = await session.execute(
            text(
                f"DELETE FROM {ent.fts_table} WHERE NOT EXISTS (SELECT 1 FROM {ent.table} t "
                f"WHERE t.rowid = {ent.fts_table}.rowid AND t.id = {ent.fts_table}.entity_id "
                "AND t.deleted_at IS NULL)"
            )
        )
        return int(result.rowcount or 0)

    async def search(
        self, session: AsyncSession, terms: list[str], entities: list[Entity], limit: int
    ) -> list[SearchHit]:
        match = fts5_match(terms)
        start, stop = HIGHLIGHT
        width = max(len(ent.fields) for ent in entities)
        arms = []
        for ent in entities:
            weights = ", ".join(str(BM25_WEIGHTS[f.weight]) for f in ent.fields)
            title = ent.title_field.name
            if ent.name == "license":
                title = "asset_title || ' (' || license_type || ')'"
            # A snippet per field besides the title (shown beside it): the first with a
            # match wins, else the first with text, else the title's own.
            snippets = [
                f"snippet({ent.fts_table}, {col}, '{start}', '{stop}', '…', 12)"
                for col in range(1, len(ent.fields) + 1)
            ] + ["''"] * (width - len(ent.fields))
            arms.append(
                f"SELECT * FROM (SELECT '{ent.name}', entity_id, {title}, "
                f"bm25({ent.fts_table}, 0.0, {weights}) AS score, {', '.join(snippets)} "
                f"FROM {ent.fts_table} WHERE {ent.fts_table} MATCH :q "
                f"ORDER BY score LIMIT :limit)"
            )
        # One statement for every entity: one trip to the database's thread, not five.
        hits: list[SearchHit] = []
        rows = await session.execute(text(" UNION ALL ".join(arms)), {"q": match, "limit": limit})
        for row in rows:
            title_snippet, *rest = (s or "" for s in row[4:])
            snippet = next((s for s in rest if start in s), None)
            snippet = snippet or next((s for s in rest if s.strip()), title_snippet)
            hits.append(SearchHit(row[0], row[1], row[2] or "", snippet, -row[3]))
        return heapq.nlargest(limit, hits, key=lambda h: (h.rank, h.id))

    async def sizes(self, session: AsyncSession, entities: list[Entity]) -> dict[str, int]:
        return {
            ent.name: int(await session.scalar(text(f"SELECT count(*) FROM {ent.fts_table}")) or 0)
            for ent in entities
        }
