"""A task reaches its job and the profile's database through current_job(), on each
worker thread's own event loop, on SQLite and on Redis + Postgres."""

from __future__ import annotations

import asyncio
import gc
import warnings
from datetime import datetime

import pytest
from sqlalchemy import text

from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.errors import YgmonError
from ygmon.jobs.job_context import current_job
from ygmon.jobs.runtime import JobRuntime
from ygmon.jobs.tasks.spec import TaskSpec
from ygmon.jobs.worker import in_process_worker


def _probe() -> dict[str, object]:
    ctx = current_job()

    async def count() -> int:
        async with ctx.database.reader() as session:
            return (await session.execute(text("SELECT count(*) FROM users"))).scalar_one()

    return {"job": ctx.job_id, "attempt": ctx.attempt, "users": ctx.run(count())}


def test_a_task_reads_the_database_as_its_job(runtime: JobRuntime) -> None:
    async def migrate() -> None:
        db = Database(runtime.profile.database_url)
        await upgrade(db)
        await db.dispose()

    import asyncio

    asyncio.run(migrate())
    runtime.register_task("probe", "maintenance", _probe)
    ids = [runtime.enqueue("probe") for _ in range(6)]
    with in_process_worker(runtime.profile, ["maintenance"], workers=2, runtime=runtime):
        runtime.wait_idle(20)
    for job_id in ids:
        detail = runtime.registry.get_job(job_id)
        assert detail.state == "completed", detail.error_stack
        assert detail.result == {"job": job_id, "attempt": 1, "users": 0}


def test_current_job_outside_a_task_says_so() -> None:
    with pytest.raises(YgmonError, match="no job is running"):
        current_job()


def test_a_scheduled_spec_runs_on_its_queue_cron(runtime: JobRuntime) -> None:
    spec = TaskSpec("tick", "notification-digest", lambda: None, "test", schedule="weekly")
    runtime._register_spec(spec)
    wrapper = runtime._tasks["tick"]
    task = wrapper.s()
    # The weekly digest: Mondays 09:00 UTC only.
    assert task.validate_datetime(datetime(2026, 11, 30, 9, 0))
    assert not task.validate_datetime(datetime(2026, 12, 1, 9, 0))
    assert not task.validate_datetime(datetime(2026, 11, 30, 10, 0))


async def test_resources_closed_from_async_code_dispose_their_engine(tmp_path) -> None:
    """An async caller (the app, a test) closing the runtime: each worker thread's engine
    is disposed on that thread's loop, not left as a coroutine never awaited."""
    from ygmon.jobs.job_context import ThreadResources

    resources = ThreadResources(f"sqlite+aiosqlite:///{tmp_path / 'app.db'}")

    def on_a_worker_thread():
        return resources.run(_one(resources)), resources.database.engine

    value, engine = await asyncio.to_thread(on_a_worker_thread)
    pool = engine.pool
    assert value == 1 and pool.checkedin() == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        resources.close()
        gc.collect()
    assert engine.pool is not pool, "the engine was not disposed"


async def _one(resources) -> int:
    async with resources.database.engine.connect() as conn:
        return (await conn.execute(text("select 1"))).scalar_one()
