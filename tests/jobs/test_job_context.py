"""A task reaches its job and the profile's database through current_job(), on each
worker thread's own event loop, on SQLite and on Redis + Postgres."""

from __future__ import annotations

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
