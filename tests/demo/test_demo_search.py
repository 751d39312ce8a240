"""The demo's content reaches the search index through the real search jobs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.demo import seed_database
from ygmon.demo.content import index_demo_content
from ygmon.jobs.runtime import open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.schemas import JobState
from ygmon.pipelines.search.service import index_sizes, search

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
QUEUES = ["search-index-update", "search-index-bulk", "search-index-reindex"]


async def test_demo_content_is_indexed_by_the_jobs(tmp_path: Path) -> None:
    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        namespace="demosearch",
    )
    db = Database(profile.database_url)
    try:
        await upgrade(db)
        await seed_database(db, now=NOW)
        assert sum((await index_sizes(db)).values()) == 0  # the seed writes no index
        with open_runtime(profile) as rt:
            jobs = await index_demo_content(db, rt.enqueue, now=NOW, imports=120)
            # Every job but the (delayed) reindex is a bulk job.
            assert rt.registry.counts("search-index-bulk").waiting == jobs - 1
            with in_process_worker(profile, QUEUES, runtime=rt):
                await asyncio.to_thread(rt.wait_idle, 60, ["search-index-bulk"])
            bulk, _ = rt.registry.list_jobs("search-index-bulk", JobState.COMPLETED, 0, 20)
            assert {j.progress for j in bulk} == {100}
            assert rt.registry.counts("search-index-reindex").delayed == 1
        sizes = await index_sizes(db)
        assert sizes["asset"] >= 120 and sizes["creator"] and sizes["license"]
        assert sizes["blog_post"] == 11  # the seed's soft-deleted post stays out
        assert await search(db, "still", "asset")
    finally:
        await db.dispose()
