"""The latency_burn alert in real processes, on SQLite and on Redis + Postgres: a
`ygmon worker` running one job at a time, a target of "p95 wait < 1s" on its queue (a
user's setting for the test, not a default), jobs made to wait behind slow ones:
`ygmon alerts --once` fires; a run of quick jobs brings the slow share under the fast
burn: it clears."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from processes import run_ygmon

from ygmon.jobs.runtime import JobRuntime


def _burn(config: Path) -> tuple[int, dict]:
    out = run_ygmon(config, "alerts", "--once", "--json")
    states = json.loads(out.stdout)
    (state,) = [s for s in states if s["kind"] == "latency_burn"]
    return out.returncode, state


def _wait_done(runtime: JobRuntime, ids: list[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        records = [runtime.registry.store.get(i) for i in ids]
        if all(r is not None and r["state"] == "completed" for r in records):
            return
        time.sleep(0.1)
    raise AssertionError("the jobs did not complete in time")


@pytest.mark.parametrize(
    "job_profile",
    ["sqlite", pytest.param("redis", marks=[pytest.mark.redis, pytest.mark.postgres])],
    indirect=True,
)
def test_the_burn_alert_fires_on_jobs_made_to_wait_and_clears_when_they_stop(
    runtime: JobRuntime, worker_config: Path, spawn_worker: Callable
) -> None:
    with worker_config.open("a") as f:
        f.write('\n[profiles.test.slo]\nmaintenance = "p95 wait < 1s"\n')

    spawn_worker("--no-schedule", "--queues", "maintenance", "--workers", "1")
    slow = [f"slow-{i}" for i in range(6)]
    for job_id in slow:  # each waits for those before it: 0 s, 0.6 s, ... 3 s
        runtime.enqueue("canary", job_id=job_id, seconds=0.6)
    _wait_done(runtime, slow)
    code, state = _burn(worker_config)
    assert code == 1 and state["firing"] is True, state
    assert state["subject"] == "maintenance" and "p95 wait < 1s" in state["message"]

    quick = [f"quick-{i}" for i in range(20)]
    for job_id in quick:
        runtime.enqueue("canary", job_id=job_id)
        time.sleep(0.02)
    _wait_done(runtime, quick)
    code, state = _burn(worker_config)
    assert code == 0 and state["firing"] is False, state
