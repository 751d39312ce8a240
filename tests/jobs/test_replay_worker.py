"""`ygmon jobs replay` against real `ygmon worker` processes, on SQLite and on Redis +
Postgres: a failed job replayed with edited arguments runs with them and the two jobs
name each other; arguments the task does not declare send nothing."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from processes import run_ygmon

from ygmon.config import LocalProfile
from ygmon.db import Database
from ygmon.db.migrate import upgrade
from ygmon.jobs.runtime import JobRuntime
from ygmon.monitor.local import LocalMonitor
from ygmon.monitor.schemas import JobState


def _migrate(url: str) -> None:
    async def run() -> None:
        db = Database(url)
        await upgrade(db)
        await db.dispose()

    asyncio.run(run())


def test_a_replayed_job_runs_with_edited_arguments(
    runtime: JobRuntime, worker_config: Path, spawn_worker: Callable[..., subprocess.Popen[str]]
) -> None:
    _migrate(runtime.profile.database_url)
    spawn_worker("--no-schedule", "--queues", "maintenance")
    old = runtime.enqueue("canary", fail=True)
    runtime.wait_idle(20, ["maintenance"])
    assert runtime.registry.get_job(old).state == JobState.FAILED

    bad = run_ygmon(
        worker_config,
        "jobs",
        "replay",
        old,
        "--queue",
        "maintenance",
        "--args",
        '{"fail": 0, "naps": 1}',
    )
    assert bad.returncode == 1
    assert "fail: Expected boolean, received integer" in bad.stderr
    assert "naps: Unrecognized key 'naps'" in bad.stderr
    counts = {s: n for (q, s), n in runtime.registry.store.counts().items() if q == "maintenance"}
    assert counts.get("failed") == 1 and sum(counts.values()) == 1  # nothing was sent

    edited = {"seconds": 0.01, "fail": False}
    out = run_ygmon(
        worker_config,
        "jobs",
        "replay",
        old,
        "--queue",
        "maintenance",
        "--args",
        json.dumps(edited),
        "--json",
    )
    assert out.returncode == 0, out.stderr
    new = json.loads(out.stdout)["jobId"]
    runtime.wait_idle(20, ["maintenance"])
    detail = runtime.registry.get_job(new)
    assert detail.state == JobState.COMPLETED, detail.error_stack
    assert detail.kwargs == edited and detail.result == {"slept": 0.01}

    asyncio.run(_linked_and_recorded(runtime.profile, old, new))


async def _linked_and_recorded(profile: LocalProfile, old: str, new: str) -> None:
    monitor = LocalMonitor(profile)
    try:
        assert (await monitor.job("maintenance", new)).replay_of == old
        shown = await monitor.job("maintenance", old)
        assert shown.replayed_as == [new] and shown.state == JobState.FAILED
        audit = (await monitor.audit_log()).data
        assert [(r.target, r.outcome) for r in audit if r.action == "replay"] == [
            (f"maintenance/{old} -> {new}", "ok"),
            (f"maintenance/{old}", "error"),
        ]
    finally:
        await monitor.close()
