"""The full reindex called directly with tiny batches, so that one run spans many
statements and transactions: every fix is found once, written once, and counted once,
and the documents the reindex computes are the ones the update job wrote."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from ygmon.db import Database
from ygmon.pipelines.search.content import ContentService
from ygmon.pipelines.search.reindex import reindex
from ygmon.pipelines.search.service import index_many, index_sizes, search


def _asset(i: int, word: str = "pebble") -> dict[str, object]:
    return {
        "title": f"{word} shot {i}",
        "description": f"batch row {i}",
        "tags": ["small", f"t{i % 7}"],
        "type": "IMAGE",
        "storage_key": f"assets/{i}.png",
    }


def _now() -> datetime:
    return datetime.now(UTC)


async def test_a_reindex_in_many_small_batches_repairs_each_row_once(
    db: Database, content: ContentService
) -> None:
    # The bulk jobs these writes enqueue are never run: no worker here.
    ids = await content.create_many("asset", [_asset(i) for i in range(300)])
    assert sum((await index_many(db, "asset", ids)).values()) == 300
    # Indexed by the update path, checked by the reindex's: they agree on every document.
    clean = await reindex(db, "agree", "asset", now=_now, batch=3)
    assert clean["checked"] == 300 and clean["total_fixed"] == 0
    async with db.writer() as session:  # behind the index's back
        for i in (5, 150):
            await session.execute(
                text("UPDATE ip_assets SET title = :t WHERE id = :id"),
                {"t": f"moved behind {i}", "id": ids[i]},
            )
        await session.execute(
            text("UPDATE ip_assets SET deleted_at = created_at WHERE id IN (:a, :b)"),
            {"a": ids[77], "b": ids[222]},
        )
        await session.execute(text("DELETE FROM ip_assets WHERE id = :id"), {"id": ids[299]})
    # On SQLite the newest row's rowid is free again: this row takes it, and finds the
    # deleted row's entry there.
    reborn = await content.create("asset", **_asset(999, "reborn"))
    result = await reindex(db, "small", "asset", now=_now, batch=2)
    assert result["checked"] == 300
    orphaned = 1 if db.dialect == "sqlite" else 0
    assert result["fixed"]["asset"] == {
        "missing": 1,
        "stale": 2,
        "soft_deleted": 2,
        "orphaned": orphaned,
    }
    assert {h.id for h in await search(db, "moved behind")} == {ids[5], ids[150]}
    assert [h.id for h in await search(db, "reborn")] == [reborn]
    assert not {ids[77], ids[222], ids[299]} & {h.id for h in await search(db, "pebble", limit=200)}
    assert (await index_sizes(db))["asset"] == 298
    again = await reindex(db, "again", "asset", now=_now, batch=2)
    assert again["total_fixed"] == 0


# A GIN index's pending list is Postgres': no SQLite case to skip.
@pytest.mark.parametrize("search_profile", ["postgres"], indirect=True)
async def test_a_reindex_leaves_the_gin_index_merged(db: Database, content: ContentService) -> None:
    assert db.dialect == "postgresql"
    ids = await content.create_many("asset", [_asset(i) for i in range(200)])
    # Each update's entries wait in the GIN index's pending list, which queries scan.
    await index_many(db, "asset", ids[:100])
    await reindex(db, "merged", "asset", now=_now)
    async with db.writer() as session:
        left = await session.scalar(text("SELECT gin_clean_pending_list('ix_search_ip_assets')"))
    assert left == 0
    assert len(await search(db, "pebble", limit=200)) == 200
