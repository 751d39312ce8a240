"""`ygmon schedules backfill` against a real `ygmon worker` process running three
threads per queue, on SQLite and on Redis + Postgres: the dry run lists the missing
days, the real run fills them oldest first with no two of its runs under way at once
(--max-running 1, observed in the registry's start and end times: the worker alone
would run all three together), and a second preview finds nothing missing."""

from __future__ import annotations

import asyncio
import itertools
import json
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from processes import run_ygmon

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.jobs.runtime import JobRuntime
from ygmon.monitor.backfill_schemas import BackfillPlan, BackfillRequest
from ygmon.monitor.coverage_schemas import CoverageState
from ygmon.monitor.local import LocalMonitor

QUEUES = "maintenance,metrics-aggregation"


def _migrate(url: str) -> None:
    async def run() -> None:
        db = Database(url)
        await upgrade(db)
        await db.dispose()

    asyncio.run(run())


def test_backfill_fills_missing_days_one_at_a_time(
    runtime: JobRuntime, worker_config: Path, spawn_worker: Callable[..., subprocess.Popen[str]]
) -> None:
    _migrate(runtime.profile.database_url)
    today = datetime.now(UTC).date()
    days = [today - timedelta(days=n) for n in (4, 3, 2)]
    span = ("--from", days[0].isoformat(), "--to", days[-1].isoformat())
    command = ("schedules", "backfill", "aggregate-daily", *span)

    dry = run_ygmon(worker_config, *command, "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    plan = json.loads(dry.stdout)
    assert [(s["state"], s["action"]) for s in plan["slots"]] == [("missing", "run")] * 3
    assert plan["jobId"] is None

    spawn_worker("--no-schedule", "--queues", QUEUES, "--workers", "3")
    out = run_ygmon(worker_config, *command, "--max-running", "1", "--json")
    assert out.returncode == 0, out.stderr
    driver = json.loads(out.stdout)["jobId"]
    runtime.wait_idle(30, ["maintenance", "metrics-aggregation"])
    result = runtime.registry.get_job(driver).result
    assert result["ended"] == {"completed": 3}
    runs = [runtime.registry.get_job(job_id) for job_id in result["jobs"]]
    assert [r.kwargs["date"] for r in runs] == [d.isoformat() for d in days]  # oldest first
    spans = sorted((r.started_at, r.finished_at) for r in runs)
    assert all(later[0] >= earlier[1] for earlier, later in itertools.pairwise(spans)), spans

    request = BackfillRequest(name="aggregate-daily", first=days[0], last=days[-1])
    again = asyncio.run(_preview(runtime.profile, request))
    assert [s.state for s in again.slots] == [CoverageState.AGGREGATED] * 3
    assert again.to_run == 0


async def _preview(profile: LocalProfile, request: BackfillRequest) -> BackfillPlan:
    monitor = LocalMonitor(profile)
    try:
        return await monitor.backfill(request)
    finally:
        await monitor.close()
