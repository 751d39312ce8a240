"""A queue's ceiling holds across workers: two workers serving the full-reindex queue
never run two of its jobs at once (docs/CONTRACT.md#queues: the full reindex never runs twice)."""

from __future__ import annotations

import threading
import time

from ygmon.config import LocalProfile
from ygmon.jobs.runtime import JobRuntime, open_runtime
from ygmon.jobs.worker import in_process_worker
from ygmon.monitor.schemas import JobState
from ygmon.queues import queue_spec

QUEUE = "search-index-reindex"


def test_two_workers_never_run_two_reindex_jobs_at_once(
    runtime: JobRuntime, job_profile: LocalProfile
) -> None:
    assert queue_spec(QUEUE).max_concurrency == 1
    lock = threading.Lock()
    running: list[str] = []
    overlaps: list[list[str]] = []
    ran: list[str] = []

    def reindex_probe(tag: str) -> None:
        with lock:
            running.append(tag)
            if len(running) > 1:
                overlaps.append(list(running))
        time.sleep(0.15)
        with lock:
            running.remove(tag)
            ran.append(tag)

    # A second runtime stands for a second `ygmon worker`: its own Huey instances,
    # connections and worker id, on the same storage.
    with open_runtime(job_profile) as other:
        for rt in (runtime, other):
            rt.register_task("reindex-probe", QUEUE, reindex_probe, attempts=1)
        for i in range(4):
            runtime.enqueue("reindex-probe", job_id=f"r{i}", tag=f"r{i}")
        with (
            in_process_worker(job_profile, [QUEUE], runtime=runtime),
            in_process_worker(job_profile, [QUEUE], runtime=other),
        ):
            runtime.wait_idle(20, [QUEUE])
    assert sorted(ran) == ["r0", "r1", "r2", "r3"]
    assert overlaps == []
    assert all(runtime.registry.get_job(f"r{i}").state == JobState.COMPLETED for i in range(4))
