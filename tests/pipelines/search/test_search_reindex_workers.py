"""The full reindex under real `ygmon worker` processes: SIGKILL half-way, then a new
worker resumes from the last committed batch; two reindexes never overlap."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections.abc import Callable

from sqlalchemy import select

from ygmon.db import Database
from ygmon.db.search_schema import reindex_runs
from ygmon.jobs.runtime import JobRuntime
from ygmon.monitor.schemas import JobState
from ygmon.pipelines.search.content import ContentService
from ygmon.pipelines.search.service import index_sizes

Spawn = Callable[..., subprocess.Popen[str]]
ROWS = 2000


async def _seed(content: ContentService, n: int) -> None:
    # The bulk jobs these writes enqueue stay queued: the workers here run the reindex only.
    await content.create_many(
        "asset",
        [
            {"title": f"row {i}", "type": "IMAGE", "storage_key": f"k/{i}", "tags": []}
            for i in range(n)
        ],
    )


async def _checkpoint(db: Database, run_id: str) -> dict | None:
    async with db.reader() as session:
        row = (
            (await session.execute(select(reindex_runs).where(reindex_runs.c.run_id == run_id)))
            .mappings()
            .first()
        )
    return dict(row) if row else None


async def _until(check: Callable[[], object], timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():  # type: ignore[misc]
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_a_killed_reindex_resumes_from_its_last_batch(
    db: Database, runtime: JobRuntime, content: ContentService, spawn_worker: Spawn
) -> None:
    await _seed(content, ROWS)
    job_id = runtime.enqueue("search-index-reindex", entity="asset", pause=0.05)
    first = spawn_worker("--no-schedule", "--queues", "search-index-reindex")

    async def half_way() -> bool:
        run = await _checkpoint(db, job_id)
        return run is not None and run["checked"] >= ROWS // 4

    await _until(half_way)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    at_kill = await _checkpoint(db, job_id)
    assert at_kill is not None and 0 < at_kill["checked"] < ROWS
    assert at_kill["finished_at"] is None

    second = spawn_worker("--no-schedule", "--queues", "search-index-reindex")

    async def done() -> bool:
        return runtime.registry.get_job(job_id).state == JobState.COMPLETED

    await _until(done, 60)
    job = runtime.registry.get_job(job_id)
    assert job.stalled_count == 1
    # Resumed, not restarted: every row was checked exactly once across both runs.
    assert job.result["checked"] == ROWS
    assert job.result["fixed"]["asset"]["missing"] == ROWS
    assert (await index_sizes(db))["asset"] == ROWS
    second.send_signal(signal.SIGTERM)
    assert second.wait(10) == 0


async def test_two_reindexes_enqueued_together_run_one_after_the_other(
    db: Database, runtime: JobRuntime, content: ContentService, spawn_worker: Spawn
) -> None:
    await _seed(content, 300)
    jobs = [runtime.enqueue("search-index-reindex", pause=0.05) for _ in range(2)]
    procs = [spawn_worker("--no-schedule", "--queues", "search-index-reindex") for _ in range(2)]
    await asyncio.to_thread(runtime.wait_idle, 60, ["search-index-reindex"])
    first, second = sorted((runtime.registry.get_job(j) for j in jobs), key=lambda j: j.started_at)
    assert first.state == second.state == JobState.COMPLETED
    assert second.started_at >= first.finished_at
    assert first.result["fixed"]["asset"]["missing"] == 300
    assert second.result["total_fixed"] == 0
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
