"""Merge a run's staged rows into its metric table: one upsert that changes only rows
whose values differ, and a delete of the period's rows that no longer have events. The
counts are read from the statements themselves, so an unchanged re-run reports 0/0."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, literal, literal_column, or_, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from ygmon.db.models.metrics import PLATFORM_KEY
from ygmon.pipelines.analytics.sql_functions import new_row_id
from ygmon.pipelines.analytics.staging import ROLLUP_COLUMNS, STAGE, VALUE_COLUMNS


@dataclass(frozen=True)
class MergeCounts:
    created: int
    updated: int
    deleted: int
    rows: int
    """Metric rows of the period after the merge."""


def _insert(dialect: str) -> Any:
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


async def merge_stage(
    conn: AsyncConnection,
    metric: Any,
    period_column: str,
    period_value: Any,
    now: datetime,
    after_upsert: Callable[[], None] = lambda: None,
) -> MergeCounts:
    table = metric.__table__
    column = table.c[period_column]
    key = func.coalesce(table.c.ip_asset_id, literal_column(f"'{PLATFORM_KEY}'"))
    this_period = column == literal(period_value, column.type)
    values = [*VALUE_COLUMNS, *(c for c in ROLLUP_COLUMNS if c in table.c)]

    async def rows() -> int:
        counted = select(func.count()).select_from(table).where(this_period)
        return int((await conn.execute(counted)).scalar_one())

    before = await rows()
    stamp = literal(now, table.c.updated_at.type)
    source = select(
        new_row_id(),
        literal(period_value, column.type),
        func.nullif(STAGE.c.k, literal_column("''")),
        *(STAGE.c[name] for name in values),
        stamp,
        stamp,
    ).where(true())  # SQLite: a WHERE keeps the ON CONFLICT below from reading as a join's ON
    insert = _insert(conn.dialect.name)(table).from_select(
        ["id", period_column, "ip_asset_id", *values, "created_at", "updated_at"], source
    )
    insert = insert.on_conflict_do_update(
        index_elements=[column, key],
        set_={**{name: insert.excluded[name] for name in values}, "updated_at": stamp},
        where=or_(*(table.c[name].is_distinct_from(insert.excluded[name]) for name in values)),
    )
    affected = (await conn.execute(insert)).rowcount
    after_upsert()
    gone = await conn.execute(delete(table).where(this_period, key.not_in(select(STAGE.c.k))))
    deleted = gone.rowcount
    after = await rows()
    created = after - (before - deleted)
    return MergeCounts(created, affected - created, deleted, after)
