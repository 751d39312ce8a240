"""Postgres restarted under load: the API says 503 with the contract's body while the
database is down and recovers by itself; a pipeline job caught mid-way (a bulk search
index of 1,000 rows) fails, and its retry completes the index."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest
from fault_helpers import UNAVAILABLE, Producer, fault_profile, wait_until
from fault_record import observe
from fault_services import private_postgres
from servers import bearer, serve_subprocess

from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.jobs.runtime import open_runtime
from ygmon.pipelines.search.content import ContentService
from ygmon.pipelines.search.service import index_sizes

pytestmark = [pytest.mark.redis, pytest.mark.timeout(150)]

ROWS = 1000


async def test_postgres_restarted_under_load_a_caught_job_fails_and_its_retry_completes(
    redis_url: str, namespace: str, tmp_path: Path, start_worker
) -> None:
    with private_postgres() as pg:
        db = Database(pg.url)
        await upgrade(db)
        profile = fault_profile(pg.url, redis_url, namespace, tmp_path)
        worker = start_worker(profile, "--no-schedule", "--queues", "search-index-bulk,maintenance")
        runtime = open_runtime(profile)
        registry = runtime.registry
        try:
            with serve_subprocess(profile) as (base, token):

                def logs() -> httpx.Response:
                    return httpx.get(
                        f"{base}/api/admin/jobs/aggregation/logs",
                        headers=bearer(token),
                        timeout=10,
                    )

                assert (await asyncio.to_thread(logs)).status_code == 200
                with Producer(runtime):
                    rows = [
                        {"title": f"row {i}", "type": "IMAGE", "storage_key": f"k/{i}", "tags": []}
                        for i in range(ROWS)
                    ]
                    await ContentService(db, runtime.enqueue).create_many("asset", rows, pause=0.25)
                    await db.dispose()  # the test's own pool would hold dead connections
                    bulk = registry.store.ids_in("search-index-bulk", "active", 10) or []

                    def mid_way() -> bool:
                        nonlocal bulk
                        bulk = bulk or registry.store.ids_in("search-index-bulk", "active", 10)
                        record = registry.store.get(bulk[0]) if bulk else None
                        return bool(record and int(record.get("progress") or 0) >= 10)

                    await asyncio.to_thread(wait_until, mid_way, 30, "the bulk job half-way")
                    job_id = bulk[0]

                    pg.stop()
                    stopped = time.monotonic()
                    down = await asyncio.to_thread(logs)
                    assert down.status_code == 503 and down.json() == UNAVAILABLE, down.text
                    await asyncio.sleep(max(0.0, 5 - (time.monotonic() - stopped)))
                    pg.start()
                    recovered = await asyncio.to_thread(
                        wait_until,
                        lambda: logs().status_code == 200,
                        30,
                        "the API to answer again",
                    )

                    def done() -> bool:
                        return (registry.store.get(job_id) or {}).get("state") in (
                            "completed",
                            "failed",
                        )

                    await asyncio.to_thread(wait_until, done, 60, "the bulk job to finish")
            record = registry.get_job(job_id)
            assert record.state.value == "completed", record
            assert record.attempts_made >= 2, "the job was not caught mid-way"
            sizes = await index_sizes(db)
            assert sizes["asset"] == ROWS
            assert worker.proc.poll() is None, worker.output()[-2000:]
            log = worker.output()
            assert "Traceback" not in log, log[-4000:]
        finally:
            runtime.close()
            await db.dispose()
    observe(
        "postgres-restarted",
        f"503 with the contract's body while down; API back {recovered:.1f} s after the "
        f"restart; the bulk job caught at 10%+ completed on attempt {record.attempts_made} "
        f"and the index holds all {ROWS} rows; worker alive, no traceback in its log",
    )
