"""The bulk job, the full reindex's repairs and the burst collapse, on both backends."""

from __future__ import annotations

import asyncio
import math
import time
import uuid

from search_helpers import settle
from sqlalchemy import text

from ygmon.db import Database
from ygmon.jobs.runtime import JobRuntime
from ygmon.jobs.worker import WorkerProcess
from ygmon.monitor.schemas import JobState
from ygmon.pipelines.search.content import ContentService
from ygmon.pipelines.search.service import index_many, index_sizes, search


def _asset(i: int, word: str = "lumen") -> dict[str, object]:
    return {
        "title": f"{word} clip {i}",
        "description": f"generated number {i}",
        "tags": ["bulk"],
        "type": "IMAGE",
        "storage_key": f"assets/{i}.png",
    }


async def test_a_bulk_job_of_1000_ids_reports_progress_and_indexes_them_all(
    db: Database, runtime: JobRuntime, worker: WorkerProcess, content: ContentService
) -> None:
    ids = await content.create_many("asset", [_asset(i) for i in range(1000)])
    await settle(runtime, 60)
    jobs, total = runtime.registry.list_jobs("search-index-bulk", JobState.COMPLETED, 0, 10)
    assert total == 1
    job = runtime.registry.get_job(jobs[0].id)
    assert job.progress == 100
    assert job.result == {
        "entity": "asset",
        "ids": 1000,
        "fixed": {"missing": 1000, "stale": 0, "soft_deleted": 0, "orphaned": 0},
    }
    assert (await index_sizes(db))["asset"] == 1000
    assert len(await search(db, "lumen", limit=200)) == 200
    assert {h.id for h in await search(db, "clip 737")} == {ids[737]}
    # The service reports progress after each batch of 50; a rerun changes nothing.
    seen: list[float] = []
    again = await index_many(db, "asset", ids, progress=seen.append)
    assert seen == [5.0 * n for n in range(1, 21)]
    assert sum(again.values()) == 0


async def test_reindex_repairs_changes_made_behind_the_index(
    db: Database, runtime: JobRuntime, worker: WorkerProcess, content: ContentService
) -> None:
    assets = await content.create_many("asset", [_asset(i) for i in range(250)])
    creators = [await content.create("creator", stage_name=f"Artist {i}") for i in range(3)]
    await settle(runtime)
    async with db.writer() as session:  # direct SQL: the jobs never hear of these
        await session.execute(
            text("UPDATE ip_assets SET title = 'renamed behind' WHERE id = :id"),
            {"id": assets[10]},
        )
        await session.execute(text("DELETE FROM ip_assets WHERE id = :id"), {"id": assets[20]})
        await session.execute(
            text("UPDATE creators SET deleted_at = created_at WHERE id = :id"),
            {"id": creators[0]},
        )
        await session.execute(
            text(
                "INSERT INTO projects (id, title, description, status, created_at, updated_at)"
                " SELECT :id, 'Smuggled in', 'direct', 'DRAFT', created_at, updated_at"
                " FROM creators WHERE id = :c"
            ),
            {"id": uuid.uuid4().hex, "c": creators[1]},
        )
    assert await search(db, "smuggled") == []
    job_id = runtime.enqueue("search-index-reindex")
    await settle(runtime)
    job = runtime.registry.get_job(job_id)
    assert job.state == JobState.COMPLETED and job.progress == 100
    fixed = job.result["fixed"]
    # Postgres keeps the vector on its row: a deleted row takes its entry along.
    orphaned = 1 if db.dialect == "sqlite" else 0
    assert fixed["asset"] == {"missing": 0, "stale": 1, "soft_deleted": 0, "orphaned": orphaned}
    assert fixed["creator"] == {"missing": 0, "stale": 0, "soft_deleted": 1, "orphaned": 0}
    assert fixed["project"] == {"missing": 1, "stale": 0, "soft_deleted": 0, "orphaned": 0}
    assert job.result["checked"] == 249 + 3 + 1
    assert [h.id for h in await search(db, "renamed behind")] == [assets[10]]
    assert [h.entity for h in await search(db, "smuggled")] == ["project"]
    assert await search(db, "artist", "creator") and creators[0] not in {
        h.id for h in await search(db, "artist")
    }
    assert (await index_sizes(db))["asset"] == 249
    # A second reindex finds nothing left to fix.
    second = runtime.enqueue("search-index-reindex")
    await settle(runtime)
    assert runtime.registry.get_job(second).result["total_fixed"] == 0


async def test_a_burst_of_100_updates_runs_at_most_two_jobs(
    db: Database, runtime: JobRuntime, worker: WorkerProcess, content: ContentService
) -> None:
    asset = await content.create("asset", **_asset(0, "burst"))
    await settle(runtime)
    before = runtime.registry.counts("search-index-update").completed
    started = time.monotonic()
    for i in range(100):
        await content.update("asset", asset, title=f"burst take{i}")
    took = time.monotonic() - started
    await settle(runtime)
    stats = runtime.registry.counts("search-index-update")
    # A job starts at most once per collapse window (1 s) per entity: two for a burst
    # within a second; a loaded machine that stretches the burst gets one more per second.
    assert stats.completed - before <= 1 + max(1, math.ceil(took)) and stats.failed == 0
    assert [h.id for h in await search(db, "take99")] == [asset]
    assert await search(db, "take98") == []


HOSTILE = [
    '"unbalanced',
    'lumen" OR "',
    "NEAR(lumen clip",
    "NEAR(",
    "-lumen",
    "lumen -clip",
    "*",
    "lum*",
    "clip:*",
    "'; DROP TABLE ip_assets; --",
    "SELECT * FROM ip_assets WHERE 1=1",
    "lumen & | ! ( ) <-> :* ^ { } [ ] \\",
    "AND OR NOT",
    "",
    "   ",
    "x" * 10_000,
    ("lumen " * 2000)[:10_240],
    "\x00\u202e\ufeff😀 lumen",
]


async def test_hostile_queries_return_results_or_nothing(
    db: Database, runtime: JobRuntime, worker: WorkerProcess, content: ContentService
) -> None:
    await content.create_many("asset", [_asset(i) for i in range(5)])
    await settle(runtime)
    for query in HOSTILE:
        hits = await asyncio.wait_for(search(db, query), 10)
        assert isinstance(hits, list), query
    # Operators are searched as the plain words around them.
    assert len(await search(db, '"lumen clip')) == 5
    assert len(await search(db, "lumen -clip*")) == 5
    assert await search(db, "'; DROP TABLE ip_assets; --") == []
    assert (await index_sizes(db))["asset"] == 5
