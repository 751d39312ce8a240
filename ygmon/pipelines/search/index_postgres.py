"""The Postgres engine: a weighted `search_vector` tsvector column on each searchable
table (GIN indexed), ranked by ts_rank_cd, snippets by ts_headline.

A sync is one statement: the rows' vectors are computed in SQL, compared with what
the column holds, and only differing rows are written. No row is locked to read it: a
row whose version (xmin) changed after the statement read it is left as it is, since
the vector computed would be older than the row (the newer version's own update job,
or the next reindex, writes it). Locking every row read (FOR UPDATE) cost the weekly
reindex, which mostly finds nothing to fix, a write of every row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, VARCHAR
from sqlalchemy.ext.asyncio import AsyncSession

from ygmon.pipelines.search.entities import Entity, Field, from_clause, indexed_text
from ygmon.pipelines.search.fixes import Counts, no_fixes
from ygmon.pipelines.search.query import HIGHLIGHT, SearchHit

CONFIG = "english"
_HEADLINE = f"StartSel={HIGHLIGHT[0]}, StopSel={HIGHLIGHT[1]}, MaxWords=18, MinWords=6"


_JOINED_LIST = (
    "(CASE WHEN jsonb_typeof({sql}) = 'array' THEN array_to_string("
    "ARRAY(SELECT jsonb_array_elements_text({sql})), ' ') ELSE '' END)"
)


def field_text(field: Field) -> str:
    return indexed_text(field, _JOINED_LIST)


def vector_sql(ent: Entity) -> str:
    """The weighted tsvector of one row of `ent` (table alias `t`)."""
    return " || ".join(
        f"setweight(to_tsvector('{CONFIG}', {field_text(f)}), '{f.weight}')" for f in ent.fields
    )


def _title_sql(ent: Entity) -> str:
    if ent.name == "license":
        return "coalesce(a.title, '') || ' (' || t.license_type || ')'"
    return field_text(ent.title_field)


def _body_sql(ent: Entity) -> str:
    # The fields besides the title (shown beside it); the title when they are empty.
    parts = ", ".join(f"nullif({field_text(f)}, '')" for f in ent.fields[1:])
    return f"coalesce(nullif(concat_ws(' … ', {parts}), ''), {field_text(ent.title_field)})"


def _sync_sql(ent: Entity, where: str, order_limit: str) -> str:
    return f"""
        WITH b AS (
            SELECT t.id, t.xmin AS version, t.search_vector AS old,
                   CASE WHEN t.deleted_at IS NULL THEN {vector_sql(ent)} END AS new
            FROM {from_clause(ent)} WHERE {where} ORDER BY t.id {order_limit}
        ), u AS (
            UPDATE {ent.table} AS x SET search_vector = b.new FROM b
            WHERE x.id = b.id AND x.xmin = b.version AND b.old IS DISTINCT FROM b.new
            RETURNING b.old IS NULL AS missing, b.new IS NULL AS removed
        )
        SELECT (SELECT max(id) FROM b), (SELECT count(*) FROM b),
               count(*) FILTER (WHERE missing),
               count(*) FILTER (WHERE NOT missing AND NOT removed),
               count(*) FILTER (WHERE removed)
        FROM u
    """


def _counts(row: Any) -> Counts:
    counts = no_fixes()
    counts["missing"], counts["stale"], counts["soft_deleted"] = (
        int(row[2]),
        int(row[3]),
        int(row[4]),
    )
    return counts


class PostgresIndex:
    async def sync_ids(self, session: AsyncSession, ent: Entity, ids: list[str]) -> Counts:
        if not ids:
            return no_fixes()
        stmt = text(_sync_sql(ent, "t.id = ANY(:ids)", "")).bindparams(
            bindparam("ids", type_=ARRAY(VARCHAR))
        )
        row = (await session.execute(stmt, {"ids": list(dict.fromkeys(ids))})).one()
        return _counts(row)

    async def sync_batch(
        self, session: AsyncSession, ent: Entity, after: str | None, size: int
    ) -> tuple[str | None, int, Counts]:
        # A batch of the resumable reindex need not wait for its WAL flush: one lost in a
        # crash is redone from the checkpoint before it. Set within the statement, so
        # it costs no trip of its own.
        sql = _sync_sql(ent, "t.id > :after", "LIMIT :size").replace(
            "SELECT (SELECT max(id) FROM b)",
            "SELECT (SELECT max(id) FROM b WHERE set_config('synchronous_commit', 'off', true)"
            " IS NOT NULL)",
        )
        row = (await session.execute(text(sql), {"after": after or "", "size": size})).one()
        return row[0], int(row[1]), _counts(row)

    async def flush(self, session: AsyncSession, ent: Entity) -> None:
        return None  # a batch's one statement wrote it

    async def end_walk(self, session: AsyncSession, ent: Entity) -> int:
        # The walk's updates leave up to gin_pending_list_limit (4 MB) of entries in the
        # GIN index's pending list, which every query scans: 100,000 documents' 2-word
        # query took 3.1 ms until the list was merged, 1.0 ms after. A deleted row
        # takes its vector along: no orphans.
        await session.execute(
            text("SELECT gin_clean_pending_list(CAST(:ix AS regclass))"),
            {"ix": f"ix_search_{ent.table}"},
        )
        return 0

    async def search(
        self, session: AsyncSession, terms: list[str], entities: list[Entity], limit: int
    ) -> list[SearchHit]:
        head, last = terms[:-1], terms[-1]
        query = f"to_tsquery('{CONFIG}', :last)"
        if head:
            query = f"(websearch_to_tsquery('{CONFIG}', :head) && {query})"
        # Rank first, over (entity, id, rank) alone; titles and bodies are read for the
        # `limit` winners only (computing them for every match cost 20 ms at 1,000).
        ranked = " UNION ALL ".join(
            f"SELECT '{ent.name}' AS entity, t.id, ts_rank_cd(t.search_vector, q.q) AS rank "
            f"FROM {ent.table} t, q WHERE t.search_vector @@ q.q"
            for ent in entities
        )
        shown = " UNION ALL ".join(
            f"SELECT top.entity, top.id, {_title_sql(ent)} AS title, {_body_sql(ent)} AS body, "
            f"top.rank FROM top JOIN {from_clause(ent)} ON t.id = top.id "
            f"WHERE top.entity = '{ent.name}'"
            for ent in entities
        )
        sql = f"""
            WITH q AS (SELECT {query} AS q),
            top AS ({ranked} ORDER BY rank DESC, id LIMIT :limit)
            SELECT s.entity, s.id, s.title,
                   ts_headline('{CONFIG}', s.body, q.q, '{_HEADLINE}'), s.rank
            FROM ({shown}) s, q
            ORDER BY s.rank DESC, s.id
        """
        params = {"last": f"{last}:*", "head": " ".join(head), "limit": limit}
        rows = await session.execute(text(sql), params)
        return [SearchHit(r[0], r[1], r[2] or "", r[3] or "", float(r[4])) for r in rows]

    async def sizes(self, session: AsyncSession, entities: list[Entity]) -> dict[str, int]:
        return {
            ent.name: int(
                await session.scalar(
                    text(f"SELECT count(*) FROM {ent.table} WHERE search_vector IS NOT NULL")
                )
                or 0
            )
            for ent in entities
        }
